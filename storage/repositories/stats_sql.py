"""SQL pieces the statistics repositories share: a region filter, a time bucket and
the seconds between two moments on either backend."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Float, case, literal
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
