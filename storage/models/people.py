"""People: anyone who talks to the bot (their language), and volunteers with their
directions, skills and spoken languages as rows (matching filters on them by index)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain.volunteers import VolunteerSource, VolunteerStatus
from storage.models.base import Base, EnumText, UtcDateTime


class TelegramUser(Base):
    """Anyone who has talked to the bot: their chosen interface language lives here,
    so it survives FSM resets and exists before (or without) registration."""

    __tablename__ = "telegram_users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Volunteer(Base):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    birth_year: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(8), index=True)  # ISO 3166-2:KZ
    city: Mapped[str | None] = mapped_column(String(100))
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    guardian_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A minor's parent or guardian who agreed (consent time above); phone in E.164.
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[VolunteerStatus] = mapped_column(EnumText(VolunteerStatus, 16), default=VolunteerStatus.ACTIVE,
                                                   index=True)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    source: Mapped[VolunteerSource] = mapped_column(EnumText(VolunteerSource, 16), default=VolunteerSource.BOT)
    hours: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    directions_rows: Mapped[list[VolunteerDirection]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerDirection.code"
    )
    skills_rows: Mapped[list[VolunteerSkill]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerSkill.code"
    )
    languages_rows: Mapped[list[VolunteerLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerLanguage.code"
    )

    __table_args__ = (
        # The statistics: volunteers by region, interface language and birth year in one
        # pass over this index alone, already in group order (no sort, no table rows).
        Index("ix_volunteers_stats", "region", "locale", "birth_year", "status", "created_at", "paused_until"),
    )

    @property
    def directions(self) -> list[str]:
        """Codes sorted alphabetically; show them in catalog order with keep_known()."""
        return [row.code for row in self.directions_rows]

    @directions.setter
    def directions(self, codes: list[str]) -> None:
        self.directions_rows = [VolunteerDirection(code=code) for code in dict.fromkeys(codes)]

    @property
    def skills(self) -> list[str]:
        return [row.code for row in self.skills_rows]

    @skills.setter
    def skills(self, codes: list[str]) -> None:
        self.skills_rows = [VolunteerSkill(code=code) for code in dict.fromkeys(codes)]

    @property
    def languages(self) -> list[str]:
        """Spoken languages, ISO 639-1 codes sorted alphabetically (bot.domain.languages
        orders them for showing)."""
        return [row.code for row in self.languages_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.languages_rows = [VolunteerLanguage(code=code) for code in dict.fromkeys(codes)]

    @property
    def is_registered(self) -> bool:
        """Has given consent through the bot and not deleted their data."""
        return self.consent_at is not None and self.status != VolunteerStatus.DELETED


class VolunteerDirection(Base):
    """One row per (volunteer, direction): matching filters on it with an index."""

    __tablename__ = "volunteer_directions"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    # A copy of volunteers.region kept by database triggers (migration 0004), never set by
    # code: "this direction in this region" is then one index range (matching).
    region: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (
        Index("ix_volunteer_directions_code", "code", "volunteer_id"),
        Index("ix_volunteer_directions_match", "code", "region", "volunteer_id"),
    )


class VolunteerSkill(Base):
    __tablename__ = "volunteer_skills"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_volunteer_skills_code", "code", "volunteer_id"),)


class VolunteerLanguage(Base):
    """One row per (volunteer, spoken language): callers are chosen by language."""

    __tablename__ = "volunteer_languages"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)  # ISO 639-1 where there is one

    __table_args__ = (Index("ix_volunteer_languages_code", "code", "volunteer_id"),)
