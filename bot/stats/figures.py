"""What the statistics are made of, and the registry of sections.

A section (volunteers, tasks, broadcasts...) computes its figures for one query (the
regions, the period) from SQL aggregates and returns them as plain data: figures
(one number each) and breakdowns (a count per region, direction, month...). Texts are
English msgids, translated where they are shown. Every figure is defined once, in its
section module; the README's "Statistics and reports" section says what each counts.

Adding a group of figures is one module in bot/stats/sections/ that calls `register`
with an object having `key`, `order` and `compute(session, query)`."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.statistics import basis_too_small, is_suppressed, second_to_hide
from bot.stats.periods import Period, local_midnight


class Kind(StrEnum):
    COUNT = "count"  # a number of rows: the "< 5" rule applies
    PERCENT = "percent"  # a share from 0 to 1, shown as a percentage
    HOURS = "hours"  # a duration (or a sum of hours) in hours
    MINUTES = "minutes"  # a duration in minutes


class Labels(StrEnum):
    """How a breakdown's rows are named: a msgid each, or a month (key "YYYY-MM")."""

    MSGID = "msgid"
    MONTH = "month"


class Chart(StrEnum):
    COLUMNS = "columns"  # vertical bars, for time (months)
    BARS = "bars"  # horizontal bars, for categories with long names


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: str  # msgid
    value: int | float | None
    kind: Kind = Kind.COUNT
    basis: int | None = None  # rows a rate or a median is computed from

    @property
    def hidden(self) -> bool:
        """Shown as "< 5": a count from 1 to 4, or a rate or median of fewer than 5 rows."""
        if self.kind is Kind.COUNT:
            return is_suppressed(int(self.value or 0))
        return basis_too_small(self.basis) and bool(self.basis)

    @property
    def missing(self) -> bool:
        """Nothing to compute it from (a rate of no tasks): shown as a dash."""
        return self.value is None and not self.hidden


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # a code (region, direction, band, language), "YYYY-MM", or "" for "not given"
    value: int | float  # a count, or a sum of hours (Breakdown.kind)
    label: str = ""  # msgid (Labels.MSGID)
    basis: int | None = None  # rows a sum of hours is made of (None: the value is a count)
    withheld: bool = False  # hidden by secondary suppression (see `Breakdown.protected`)

    @property
    def hidden(self) -> bool:
        """A count from 1 to 4, a sum made of 1 to 4 rows, or a row withheld so that such a
        row cannot be worked out from the total: shown as "< 5"."""
        if self.withheld:
            return True
        if self.basis is not None:
            return basis_too_small(self.basis) and bool(self.basis)
        return is_suppressed(int(self.value))

    @property
    def month(self) -> date:
        year, month = self.key.split("-")
        return date(int(year), int(month), 1)


@dataclass(frozen=True, slots=True)
class Breakdown:
    key: str
    title: str  # msgid: the heading and the sheet name
    column: str  # msgid: the header of the names column
    value_column: str  # msgid: the header of the numbers column
    rows: tuple[Row, ...]
    labels: Labels = Labels.MSGID
    chart: Chart | None = None
    kind: Kind = Kind.COUNT  # COUNT or HOURS (rows with a basis)

    def protected(self) -> Breakdown:
        """The breakdown with secondary suppression applied (bot.domain.statistics.second_to_hide):
        a single hidden row takes the smallest other non-zero row with it."""
        index = second_to_hide([row.hidden for row in self.rows], [row.value for row in self.rows])
        if index is None:
            return self
        rows = tuple(replace(row, withheld=True) if i == index else row for i, row in enumerate(self.rows))
        return replace(self, rows=rows)


@dataclass(frozen=True, slots=True)
class SectionFigures:
    key: str
    title: str  # msgid
    figures: tuple[Figure, ...]
    breakdowns: tuple[Breakdown, ...] = ()

    def figure(self, key: str) -> Figure:
        return next(figure for figure in self.figures if figure.key == key)

    def breakdown(self, key: str) -> Breakdown:
        return next(breakdown for breakdown in self.breakdowns if breakdown.key == key)

    def protected(self) -> SectionFigures:
        return replace(self, breakdowns=tuple(breakdown.protected() for breakdown in self.breakdowns))


@dataclass(frozen=True, slots=True)
class StatsQuery:
    """Whose figures (None: the whole country) over which period, computed when."""

    regions: frozenset[str] | None
    period: Period
    tz: ZoneInfo
    now: datetime  # UTC

    @property
    def start(self) -> datetime:
        return self.period.bounds(self.tz)[0]

    @property
    def end(self) -> datetime:
        return self.period.bounds(self.tz)[1]

    def month_bounds(self) -> list[datetime]:
        """The bounds of the period's local calendar months, cut to the period: month i is
        [bounds[i], bounds[i+1]) (see `bucket` in storage/repositories/stats_sql.py)."""
        months = self.period.months()
        return [self.start, *(local_midnight(month, self.tz) for month in months[1:]), self.end]

    @property
    def as_of(self) -> datetime:
        """The end of the period, or now if it has not ended: "registered", "active" are counted then."""
        return min(self.end, self.now)


class Section(Protocol):
    key: str
    order: int

    async def compute(self, session: AsyncSession, query: StatsQuery) -> SectionFigures: ...


@dataclass(slots=True)
class Registry:
    sections: dict[str, Section] = field(default_factory=dict)

    def register(self, section: Section) -> Section:
        if section.key in self.sections:
            raise ValueError(f"statistics section {section.key!r} registered twice")
        self.sections[section.key] = section
        return section

    def ordered(self) -> list[Section]:
        return sorted(self.sections.values(), key=lambda section: section.order)


REGISTRY = Registry()
register = REGISTRY.register
