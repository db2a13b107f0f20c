"""Emergencies and call-outs: the emergency (name, regions, safety notes), each call-out
with its waves and the coordinator's live board, every volunteer's answer, and the hours
of those who arrived (check-in to the close). Rules in bot/domain/emergencies.py and
bot/domain/callouts.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.callouts import AnswerStatus, CalloutStatus
from bot.domain.emergencies import EmergencyStatus
from storage.models.base import Base, EnumText, UtcDateTime


class Emergency(Base):
    __tablename__ = "emergencies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO 3166-2:KZ codes
    safety_notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[EmergencyStatus] = mapped_column(EnumText(EmergencyStatus, 16), default=EmergencyStatus.ACTIVE,
                                                    index=True)
    declared_by: Mapped[int] = mapped_column(BigInteger)
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[int | None] = mapped_column(BigInteger)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Callout(Base):
    """An urgent request for `needed` people. `wave` is the last wave sent (1-3);
    `next_wave_at` when the next one is due (None: none is due); the board is one
    message in the coordinator's chat, edited in place."""

    __tablename__ = "callouts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    emergency_id: Mapped[int | None] = mapped_column(ForeignKey("emergencies.id", ondelete="SET NULL"), index=True)
    region: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    template: Mapped[str | None] = mapped_column(String(32))
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    needed: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[CalloutStatus] = mapped_column(EnumText(CalloutStatus, 16), default=CalloutStatus.OPEN)
    wave: Mapped[int] = mapped_column(Integer, default=0)
    wave_wait_minutes: Mapped[int] = mapped_column(Integer, default=5)
    next_wave_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)
    waves_stopped: Mapped[bool] = mapped_column(Boolean, default=False)
    wake_at_night: Mapped[bool] = mapped_column(Boolean, default=False)
    coordinator_telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    coordinator_locale: Mapped[str] = mapped_column(String(8))
    board_message_id: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    filled_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_callouts_region_status", "region", "status"),)


class CalloutAnswer(Base):
    """One volunteer invited to a call-out, and what they answered."""

    __tablename__ = "callout_answers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    callout_id: Mapped[int] = mapped_column(ForeignKey("callouts.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    wave: Mapped[int] = mapped_column(Integer)
    status: Mapped[AnswerStatus] = mapped_column(EnumText(AnswerStatus, 16), default=AnswerStatus.INVITED)
    eta_minutes: Mapped[int | None] = mapped_column(Integer)
    delivered: Mapped[bool] = mapped_column(Boolean, default=False)
    invited_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    arrived_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("callout_id", "volunteer_id", name="uq_callout_answers_callout_volunteer"),
        Index("ix_callout_answers_callout_status", "callout_id", "status"),
    )


class CalloutHours(Base):
    """Hours of a volunteer who arrived: check-in (their "I've arrived") to the close;
    editable by the coordinator until approved (`approved_at`)."""

    __tablename__ = "callout_hours"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    callout_id: Mapped[int] = mapped_column(ForeignKey("callouts.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    checked_in_at: Mapped[datetime] = mapped_column(UtcDateTime)
    checked_out_at: Mapped[datetime] = mapped_column(UtcDateTime)
    hours: Mapped[float]
    approved_by: Mapped[int | None] = mapped_column(BigInteger)
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("callout_id", "volunteer_id", name="uq_callout_hours_callout_volunteer"),)
