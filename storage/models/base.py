"""The declarative base and the column types every table uses: times are stored as UTC
(`UtcDateTime` keeps them aware on every backend) and statuses as the plain values of
their enums in bot/domain (`EnumText`, `EnumNumber`: the enum in Python, the same text or
number in the table as before there were enums)."""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Any, TypeVar

from sqlalchemy import DateTime, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase

E = TypeVar("E", bound=Enum)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class EnumText(TypeDecorator[E]):
    """A str enum stored as its value in a VARCHAR(length); rows read back as members.
    A value that is not a member is refused before it is written."""

    impl = String
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 16) -> None:
        super().__init__(length)
        self.enum = enum
        self.length = length

    def process_bind_param(self, value: Any, dialect: object) -> Any:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: object) -> E | None:
        return None if value is None else self.enum(value)


class EnumNumber(TypeDecorator[E]):
    """An int enum stored as its value in an INTEGER; rows read back as members."""

    impl = Integer
    cache_ok = True

    def __init__(self, enum: type[E]) -> None:
        super().__init__()
        self.enum = enum

    def process_bind_param(self, value: Any, dialect: object) -> Any:
        return None if value is None else self.enum(value).value

    def process_result_value(self, value: Any, dialect: object) -> E | None:
        return None if value is None else self.enum(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
