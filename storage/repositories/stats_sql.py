"""SQL pieces the statistics repositories share: a region filter, a time bucket, the
seconds between two moments on either backend and the median of a column."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, Select, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import QueryableAttribute
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.functions import FunctionElement

# None: the whole country (no filter); otherwise these regions only.
Regions = frozenset[str] | None
# A mapped attribute (Volunteer.region) or any column expression.
Column = ColumnElement[Any] | QueryableAttribute[Any]


def in_regions(column: Column, regions: Regions) -> ColumnElement[bool]:
    if regions is None:
        return literal(True)
    return column.in_(sorted(regions))


class seconds_between(FunctionElement[float]):  # noqa: N801 - used like a SQL function
    """seconds_between(earlier, later): `later - earlier` in seconds, as a float."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    earlier, later = list(element.clauses)
    return (f"((julianday({compiler.process(later, **kw)}) - "
            f"julianday({compiler.process(earlier, **kw)})) * 86400.0)")


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element: seconds_between, compiler: SQLCompiler, **kw: Any) -> str:
    earlier, later = list(element.clauses)
    return (f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - "
            f"{compiler.process(earlier, **kw)}))")


def bucket(column: Column, bounds: Sequence[datetime]) -> ColumnElement[int]:
    """The index i of the range [bounds[i], bounds[i+1]) holding the value, -1 before
    the first bound, len(bounds) - 1 from the last on (bounds ascending)."""
    whens = [(column < bound, index - 1) for index, bound in enumerate(bounds)]
    return case(*whens, else_=len(bounds) - 1)


async def median(session: AsyncSession, values: Select[Any]) -> tuple[int, float | None]:
    """(how many values, their median) of a select of one numeric column, computed in
    the database: only the one or two middle values are read. Rounded to 0.1 (julianday
    arithmetic leaves millisecond noise on SQLite)."""
    column = values.subquery().c[0]
    ranked = select(column.label("v"), func.count().over().label("total"),
                    func.row_number().over(order_by=column).label("k")).subquery()
    rows = (await session.execute(select(ranked.c.v, ranked.c.total).where(
        ranked.c.k.in_([(ranked.c.total + 1) // 2, (ranked.c.total + 2) // 2])))).all()
    if not rows:
        return 0, None
    return int(rows[0][1]), round(sum(float(row[0]) for row in rows) / len(rows), 1)
