"""Check-in codes, attendance (one row per task and volunteer) and the moment a task's
attendance was written. The rules are in bot/domain/attendance.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.attendance import AttendanceOutcome, HandMark, WalkInStatus
from storage.models.base import Base, EnumText, UtcDateTime


class CheckinCode(Base):
    """A task's check-in code (in its QR code and deep link); unguessable, one per task."""

    __tablename__ = "checkin_codes"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Attendance(Base):
    """A volunteer on a task: check-in and check-out, the coordinator's hand mark, the
    outcome and hours written once the task has ended, the approved hours and the rating.
    Kept (anonymous, with the volunteer row) after /delete_me."""

    __tablename__ = "attendance"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    mark: Mapped[HandMark | None] = mapped_column(EnumText(HandMark, 16))
    marked_by: Mapped[int | None] = mapped_column(BigInteger)
    # When the person gave up a place they held (a late one counts against reliability).
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    outcome: Mapped[AttendanceOutcome | None] = mapped_column(EnumText(AttendanceOutcome, 16))
    hours: Mapped[float | None]
    approved_hours: Mapped[float | None]
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    rating: Mapped[int | None] = mapped_column(Integer)
    rated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "volunteer_id", name="uq_attendance_task_volunteer"),
        Index("ix_attendance_volunteer_outcome", "volunteer_id", "outcome"),
    )


class TaskClosing(Base):
    """The task's attendance has been written (once: the row's key is the task)."""

    __tablename__ = "task_closings"

    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True,
                                         autoincrement=False)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)


class WalkIn(Base):
    """A registered volunteer without a confirmed place who opened the task's check-in
    link while it was open (first scan), and the coordinator's decision. One per task and
    volunteer; accepted, the person is marked present in `attendance`."""

    __tablename__ = "walk_ins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    scanned_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[WalkInStatus] = mapped_column(EnumText(WalkInStatus, 16))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    decided_by: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (UniqueConstraint("task_id", "volunteer_id", name="uq_walk_ins_task_volunteer"),)
