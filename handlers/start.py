"""Placeholder while the feature is being built; replaced by its owner."""

from aiogram import Router


def build_start_router() -> Router:
    return Router(name="start")
