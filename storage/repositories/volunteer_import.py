"""Bulk reads and writes for the spreadsheet import (bot/importer/).

SQLAlchemy Core on the session's connection: one batch of a few thousand rows costs a
handful of statements (one lookup, executemany inserts/updates), not one per row.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain.volunteers import VolunteerStatus
from storage.backends import prepare_for_bulk_writes
from storage.models import Volunteer, VolunteerDirection, VolunteerLanguage, VolunteerSkill

VOLUNTEERS = cast(Table, Volunteer.__table__)
DIRECTIONS = cast(Table, VolunteerDirection.__table__)
SKILLS = cast(Table, VolunteerSkill.__table__)
LANGUAGES = cast(Table, VolunteerLanguage.__table__)
# Lists kept as one row per code, by the attribute name of StoredVolunteer.
CODE_TABLES: dict[str, Table] = {"directions": DIRECTIONS, "skills": SKILLS, "languages": LANGUAGES}

# Keep every IN (...) list well below SQLite's bound-parameter limit.
_IN_CHUNK = 900

# Columns an import may write on an existing volunteer.
IMPORT_COLUMNS = ("full_name", "phone", "telegram_id", "birth_year", "region", "city", "locale", "availability")


@dataclass(slots=True)
class StoredVolunteer:
    """The part of a volunteer row the import compares and changes (id None: not inserted yet)."""

    id: int | None
    full_name: str | None = None
    phone: str | None = None
    telegram_id: int | None = None
    birth_year: int | None = None
    region: str | None = None
    city: str | None = None
    locale: str | None = None
    availability: list[str] = field(default_factory=list)
    consent_at: datetime | None = None
    directions: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class VolunteerImportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def prepare_for_bulk(self) -> None:
        """Give this connection a larger page cache (SQLite only; a no-op elsewhere)."""
        await prepare_for_bulk_writes(self.session)

    async def find_by_keys(self, phones: Collection[str], telegram_ids: Collection[int]) -> list[StoredVolunteer]:
        """Undeleted volunteers owning any of these phones or Telegram ids, with their codes."""
        found: dict[int, StoredVolunteer] = {}
        columns = [VOLUNTEERS.c.id, VOLUNTEERS.c.consent_at, *(VOLUNTEERS.c[name] for name in IMPORT_COLUMNS)]
        phone_list, telegram_list = list(phones), list(telegram_ids)
        steps = max((len(phone_list) + _IN_CHUNK - 1) // _IN_CHUNK, (len(telegram_list) + _IN_CHUNK - 1) // _IN_CHUNK)
        for step in range(steps):
            some_phones = phone_list[step * _IN_CHUNK : (step + 1) * _IN_CHUNK]
            some_ids = telegram_list[step * _IN_CHUNK : (step + 1) * _IN_CHUNK]
            conditions = []
            if some_phones:
                conditions.append(VOLUNTEERS.c.phone.in_(some_phones))
            if some_ids:
                conditions.append(VOLUNTEERS.c.telegram_id.in_(some_ids))
            query = select(*columns).where(or_(*conditions), VOLUNTEERS.c.status != VolunteerStatus.DELETED)
            for row in (await self.session.execute(query)).mappings():
                found[row["id"]] = StoredVolunteer(**row)
        if found:
            ids = list(found)
            for attribute, table in CODE_TABLES.items():
                for chunk in _chunks(ids):
                    query = (
                        select(table.c.volunteer_id, table.c.code)
                        .where(table.c.volunteer_id.in_(chunk))
                        .order_by(table.c.volunteer_id, table.c.code)
                    )
                    for volunteer_id, code in await self.session.execute(query):
                        getattr(found[volunteer_id], attribute).append(code)
        return list(found.values())

    async def insert_many(self, rows: Sequence[dict[str, Any]]) -> list[int]:
        """Insert volunteers (each with a phone or a Telegram id); their new ids in the order
        of `rows`.

        RETURNING the unique keys with the id and matching them up: asking SQLAlchemy for
        rows in parameter order instead makes it send one INSERT per row on SQLite.
        """
        if not rows:
            return []
        columns = (VOLUNTEERS.c.id, VOLUNTEERS.c.phone, VOLUNTEERS.c.telegram_id)
        if self.session.get_bind().dialect.insert_executemany_returning:
            found = list(await self.session.execute(insert(VOLUNTEERS).returning(*columns), list(rows)))
        else:
            await self.session.execute(insert(VOLUNTEERS), list(rows))
            found = await self.find_ids(
                [row["phone"] for row in rows if row.get("phone")],
                [row["telegram_id"] for row in rows if row.get("telegram_id") is not None],
            )
        by_phone = {phone: id_ for id_, phone, _telegram in found if phone}
        by_telegram = {telegram: id_ for id_, _phone, telegram in found if telegram is not None}
        return [by_phone[row["phone"]] if row.get("phone") else by_telegram[row["telegram_id"]] for row in rows]

    async def find_ids(self, phones: Sequence[str], telegram_ids: Sequence[int]) -> list[Any]:
        """(id, phone, telegram_id) of the volunteers with these phones or Telegram ids."""
        found: list[Any] = []
        columns = (VOLUNTEERS.c.id, VOLUNTEERS.c.phone, VOLUNTEERS.c.telegram_id)
        for chunk in _chunks(list(phones)):
            found.extend(await self.session.execute(select(*columns).where(VOLUNTEERS.c.phone.in_(chunk))))
        for chunk in _chunks(list(telegram_ids)):
            found.extend(await self.session.execute(select(*columns).where(VOLUNTEERS.c.telegram_id.in_(chunk))))
        return found

    async def update_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Update volunteers in the given order; each dict has `id`, every IMPORT_COLUMNS
        name and `updated_at` (the order matters when one row frees a phone another takes)."""
        if not rows:
            return
        names = (*IMPORT_COLUMNS, "updated_at")
        statement = (
            update(VOLUNTEERS)
            .where(VOLUNTEERS.c.id == bindparam("_id"))
            .values({name: bindparam(f"_{name}") for name in names})
        )
        params = [{"_id": row["id"], **{f"_{name}": row[name] for name in names}} for row in rows]
        await self.session.execute(statement, params)

    async def replace_codes(self, kind: str, codes_by_volunteer: dict[int, list[str]], *, fresh: bool = False) -> None:
        """Set the direction, skill or language codes of these volunteers (`fresh`: they
        have none yet)."""
        table = CODE_TABLES[kind]
        if not codes_by_volunteer:
            return
        if not fresh:
            for chunk in _chunks(list(codes_by_volunteer)):
                await self.session.execute(delete(table).where(table.c.volunteer_id.in_(chunk)))
        pairs = [
            {"volunteer_id": volunteer_id, "code": code}
            for volunteer_id, codes in codes_by_volunteer.items()
            for code in codes
        ]
        if pairs:
            await self.session.execute(insert(table), pairs)
