"""Certificates of hours issued to volunteers (bot/certificates). A row holds the
figures as certified and the name as printed; /delete_me erases the name and voids it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class Certificate(Base):
    __tablename__ = "certificates"

    code: Mapped[str] = mapped_column(String(24), primary_key=True)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(8))  # "2026" or "all"
    hours: Mapped[float]
    tasks: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(16))  # bot.domain.levels code at issue
    full_name: Mapped[str | None] = mapped_column(String(200))  # erased by /delete_me
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime)
    locale: Mapped[str] = mapped_column(String(8))
    voided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_certificates_volunteer_period", "volunteer_id", "period"),)
