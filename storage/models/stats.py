"""Anonymous records kept for the statistics when a volunteer erases their data
(/delete_me): no name, phone, Telegram id, birth year or link to the volunteer; only
what the figures count (region, directions, age band, interface language, when the
person registered and when they left)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.domain.statistics import AgeBand
from bot.domain.volunteers import VolunteerSource
from storage.models.base import Base, EnumText, UtcDateTime


class ErasedVolunteer(Base):
    """One erased volunteer, anonymous. Counted by the statistics as a volunteer who was
    registered from `registered_at` until `erased_at`."""

    __tablename__ = "erased_volunteers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    region: Mapped[str | None] = mapped_column(String(8))
    # The band when the data was erased (the birth year itself is not kept).
    age_band: Mapped[AgeBand | None] = mapped_column(EnumText(AgeBand, 16))
    locale: Mapped[str | None] = mapped_column(String(8))  # interface language
    source: Mapped[VolunteerSource] = mapped_column(EnumText(VolunteerSource, 16))
    registered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    erased_at: Mapped[datetime] = mapped_column(UtcDateTime)

    directions_rows: Mapped[list[ErasedVolunteerDirection]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ErasedVolunteerDirection.code"
    )

    __table_args__ = (Index("ix_erased_volunteers_region_erased", "region", "erased_at"),)

    @property
    def directions(self) -> list[str]:
        return [row.code for row in self.directions_rows]

    @directions.setter
    def directions(self, codes: list[str]) -> None:
        self.directions_rows = [ErasedVolunteerDirection(code=code) for code in dict.fromkeys(codes)]


class ErasedVolunteerDirection(Base):
    __tablename__ = "erased_volunteer_directions"

    record_id: Mapped[int] = mapped_column(ForeignKey("erased_volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
