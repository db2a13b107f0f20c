"""A task's life after sign-up, as rows (never as pickled scheduler jobs): the reminders
due to volunteers, the notices due to coordinators, and the digests sent. The lifecycle
job (bot/lifecycle/) reads what is due on each pass; the unique keys make sure nothing
is sent twice, across restarts too. Kinds and states are in bot/domain/reminders.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.reminders import NoticeKind, ReminderKind, ReminderState
from storage.models.base import Base, EnumText, UtcDateTime


class Reminder(Base):
    """One reminder to one volunteer about one sign-up."""

    __tablename__ = "reminders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signup_id: Mapped[int] = mapped_column(ForeignKey("signups.id", ondelete="CASCADE"))
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ReminderKind] = mapped_column(EnumText(ReminderKind, 16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    # The task's start the due time was computed from: a changed start re-plans it.
    planned_start: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[ReminderState] = mapped_column(EnumText(ReminderState, 16), default=ReminderState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("signup_id", "kind", name="uq_reminders_signup_kind"),
        Index("ix_reminders_state_due", "state", "due_at"),
    )


class TaskNotice(Base):
    """One message to a task's coordinator (6 hours before: who has not confirmed)."""

    __tablename__ = "task_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    kind: Mapped[NoticeKind] = mapped_column(EnumText(NoticeKind, 16))
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    planned_start: Mapped[datetime] = mapped_column(UtcDateTime)
    state: Mapped[ReminderState] = mapped_column(EnumText(ReminderState, 16), default=ReminderState.PENDING)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "kind", name="uq_task_notices_task_kind"),
        Index("ix_task_notices_state_due", "state", "due_at"),
    )


class CoordinatorDigest(Base):
    """The morning digest sent to a coordinator on a local day (at most one)."""

    __tablename__ = "coordinator_digests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    coordinator_telegram_id: Mapped[int] = mapped_column(BigInteger)
    day: Mapped[str] = mapped_column(String(10))  # local date, ISO (2026-03-07)
    tasks: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("coordinator_telegram_id", "day", name="uq_coordinator_digests_day"),)
