"""Birge: a Telegram bot that matches volunteers to tasks and coordinates them in a crisis."""

__version__ = "0.1.0"
