"""What a broadcast is about: its subject (task 17; later call-out 4, reconnection
request 9). Whoever enqueues a broadcast names its subject; the delivery engine stores
it on the broadcast and puts it on every event about the broadcast, so a feature finds
its own broadcasts by subject, never by reading a key (keys are only idempotency keys).

A new kind of subject is a new member here; the type is stored as its plain value
(up to 32 characters), so adding one needs no migration."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class SubjectType(StrEnum):
    TASK = "task"  # bot/tasks: the cards of a task, its change and cancel notices, messages
    RECONNECTION = "reconnection"  # bot/reconnection: status messages about one request (its id)
    SAFETY_CHECKIN = "safety_checkin"  # bot/reconnection: an "are you safe?" round (its id)
    CALLOUT = "callout"  # bot/callouts: a call-out's waves, messages to those coming, the stand-down
    EMERGENCY = "emergency"  # bot/emergencies: the announcement that an emergency is over


@dataclass(frozen=True, slots=True)
class Subject:
    """One thing a broadcast is about: its type and the id of its row."""

    type: SubjectType
    id: int

    @classmethod
    def of(cls, subject_type: SubjectType | str | None, subject_id: int | None) -> Subject | None:
        """The subject stored as two columns; None when the broadcast has none."""
        if subject_type is None or subject_id is None:
            return None
        return cls(SubjectType(subject_type), subject_id)

    def __str__(self) -> str:
        return f"{self.type.value} {self.id}"
