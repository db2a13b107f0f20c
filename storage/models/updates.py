"""The ids of the updates a webhook process has taken (without Redis), so a retry of
Telegram's is handled once, also after a restart (bot/infra/handled_updates.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class HandledUpdate(Base):
    """One row per update id taken; rows older than a day are deleted by a scheduler job."""

    __tablename__ = "handled_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    seen_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
