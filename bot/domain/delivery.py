"""The delivery queue's vocabulary: a queued message's status and the priority lanes.

A message's life: queued -> sending -> sent | failed | unreachable. "sending" is
committed before Telegram is called, so after a crash the rows still "sending" are
exactly the ones that were in flight."""

from __future__ import annotations

from enum import IntEnum, StrEnum


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"

    @property
    def is_open(self) -> bool:
        """Not finished: the sender will still (re)send it."""
        return self in OPEN_DELIVERY


OPEN_DELIVERY: tuple[DeliveryStatus, ...] = (DeliveryStatus.QUEUED, DeliveryStatus.SENDING)


class DeliveryLane(IntEnum):
    """Priority lanes (stored as these numbers): the sender always takes the lowest first."""

    EMERGENCY = 0
    PERSONAL = 1  # personal replies, reminders
    ROUTINE = 2  # routine broadcasts (task offers)
