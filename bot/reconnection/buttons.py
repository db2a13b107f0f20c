"""Callback data of the buttons the reconnection feature sends through the delivery
engine (so the services build them) and the handlers answer. Ids only."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class SafeMatchCb(CallbackData, prefix="sm"):
    """A requester's answer to "is this the person?": yes (1) or no (0)."""

    match_id: int
    yes: int


class CheckinCb(CallbackData, prefix="ck"):
    """A volunteer's answer to "are you safe?": answer = safe | help."""

    checkin_id: int
    answer: str


class HelpCalloutCb(CallbackData, prefix="hc"):
    """A coordinator's "call out volunteers" under a "needs help" alert."""

    request_id: int
