"""What a bulk UPDATE or DELETE reports back."""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import CursorResult, Result


def affected_rows(result: Result[Any]) -> int:
    """Rows an UPDATE or DELETE changed (session.execute types its result as a plain
    Result, but for these statements it is a CursorResult, which counts them)."""
    return cast(CursorResult[Any], result).rowcount or 0
