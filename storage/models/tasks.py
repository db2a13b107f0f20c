"""Tasks, sign-ups and the cards sent (offers). A task's life and a sign-up's statuses
are in bot/domain/tasks.py and bot/domain/signups.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.signups import OfferResponse, SignupStatus
from bot.domain.tasks import TaskStatus
from storage.models.base import Base, EnumText, UtcDateTime


class Task(Base):
    """Something volunteers are needed for. Times are UTC; `taken` counts the slots held
    by sign-ups ("going" or "offered" to a promoted waitlister), so a slot is taken with
    one conditional UPDATE (taken < slots) and can never be oversold."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(8))
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    slots: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int] = mapped_column(Integer, default=16)
    organisation: Mapped[str | None] = mapped_column(String(200))
    coordinator_telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[TaskStatus] = mapped_column(EnumText(TaskStatus, 16), default=TaskStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_tasks_region_status_starts", "region", "status", "starts_at"),
        # The lifecycle job: tasks time moves on (started at the start, done at the end).
        Index("ix_tasks_status_starts", "status", "starts_at"),
        Index("ix_tasks_status_ends", "status", "ends_at"),
    )


class Signup(Base):
    """A volunteer's place on a task (or on its waitlist)."""

    __tablename__ = "signups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    status: Mapped[SignupStatus] = mapped_column(EnumText(SignupStatus, 16))
    offered_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # "Yes, I'm coming" on a reminder (bot/lifecycle/): None = not confirmed.
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "volunteer_id", name="uq_signups_task_volunteer"),
        Index("ix_signups_task_status", "task_id", "status", "created_at"),
        # The statistics: sign-ups made in a period (covering: no table rows read).
        Index("ix_signups_created", "created_at", "task_id", "volunteer_id"),
    )


class TaskOffer(Base):
    """A task card sent to a volunteer: who may press its buttons, the daily cap and
    fairness (fewer offers in the last week first) are decided from these rows."""

    __tablename__ = "task_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    response: Mapped[OfferResponse | None] = mapped_column(EnumText(OfferResponse, 16))

    __table_args__ = (
        UniqueConstraint("task_id", "volunteer_id", name="uq_task_offers_task_volunteer"),
        Index("ix_task_offers_volunteer_offered", "volunteer_id", "offered_at"),
    )
