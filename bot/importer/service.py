"""The import run: read, check, match and write in batches (see the package docstring)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.catalog import AVAILABILITY, DIRECTIONS, SKILLS, keep_known
from bot.domain.languages import keep_languages
from bot.domain.vocabulary import Vocabulary
from bot.domain.volunteers import VolunteerSource, VolunteerStatus
from bot.importer.reader import COLUMNS, open_sheet
from bot.importer.rows import VolunteerRow, parse_row
from bot.infra.clock import Clock
from storage.db import Database
from storage.repositories.volunteer_import import (
    CODE_TABLES,
    IMPORT_COLUMNS,
    StoredVolunteer,
    VolunteerImportRepository,
)

BATCH_SIZE = 2_000
# How each list is cleaned before it is stored (known codes, once each, in order).
CLEAN_CODES = {
    "directions": lambda codes: keep_known(codes, DIRECTIONS),
    "skills": lambda codes: keep_known(codes, SKILLS),
    "languages": keep_languages,
}
PROGRESS_EVERY = 5_000

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True, slots=True)
class BadRow:
    row: int  # spreadsheet row number, the header is row 1
    reason: str
    cells: tuple[str, ...]  # the row as read, for the error list


@dataclass(slots=True)
class ImportReport:
    path: Path
    header: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0  # non-empty data rows read
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    bad: list[BadRow] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


class VolunteerImporter:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        vocabulary: Vocabulary,
        *,
        tz: ZoneInfo | None = None,
        batch_size: int = BATCH_SIZE,
        progress_every: int = PROGRESS_EVERY,
    ) -> None:
        self.db = db
        self.clock = clock
        self.vocabulary = vocabulary
        self.tz = tz
        self.batch_size = batch_size
        self.progress_every = progress_every

    async def import_file(self, path: Path, progress: Progress | None = None) -> ImportReport:
        """Import one file. Raises ImportFileError (nothing written) if it cannot be read."""
        now = self.clock.now()
        current_year = (now.astimezone(self.tz) if self.tz else now).year
        report = ImportReport(path=path)
        run = _Run(report)
        with open_sheet(path) as sheet:
            report.header = list(sheet.header)
            report.ignored_columns = sheet.ignored
            positions = [(name, sheet.columns[name]) for name in COLUMNS if name in sheet.columns]
            batch: list[VolunteerRow] = []
            read = 0
            for number, cells in sheet.rows:
                read += 1
                row = self._check(number, cells, positions, current_year, run)
                if row is not None:
                    batch.append(row)
                at_mark = progress is not None and read % self.progress_every == 0
                if len(batch) >= self.batch_size or (at_mark and batch):
                    await self._write_batch(batch, run)
                    batch = []
                if at_mark:
                    progress(read, _known_total(sheet.total, read))  # type: ignore[misc]  # at_mark implies progress is set
            if batch:
                await self._write_batch(batch, run)
            if progress is not None and read >= self.progress_every and read % self.progress_every:
                progress(read, _known_total(sheet.total, read))
        return report

    def _check(
        self, number: int, cells: list[str], positions: list[tuple[str, int]], current_year: int, run: _Run
    ) -> VolunteerRow | None:
        """The row if it is good; a bad one goes to the report, an empty one is skipped."""
        report = run.report
        values = {name: cells[index] if index < len(cells) else "" for name, index in positions}
        if not any(value.strip() for value in values.values()):
            return None  # an empty line (Excel often leaves a few ";;;;" at the end)
        report.rows += 1
        parsed = parse_row(number, values, self.vocabulary, current_year)
        if isinstance(parsed, str):
            report.bad.append(BadRow(number, parsed, tuple(cells)))
            return None
        duplicate = run.duplicate_in_file(parsed)
        if duplicate is not None:
            report.bad.append(BadRow(number, duplicate, tuple(cells)))
            return None
        run.cells[number] = tuple(cells)
        return parsed

    async def _write_batch(self, batch: list[VolunteerRow], run: _Run) -> None:
        now = self.clock.now()
        report = run.report
        created = updated = unchanged = 0
        async with self.db.session() as session:
            repo = VolunteerImportRepository(session)
            await repo.prepare_for_bulk()
            stored = await repo.find_by_keys(
                {row.phone for row in batch if row.phone},
                {row.telegram_id for row in batch if row.telegram_id is not None},
            )
            index = _KeyIndex(stored)
            new: list[tuple[VolunteerRow, StoredVolunteer]] = []
            changed: list[StoredVolunteer] = []
            changed_codes: dict[str, dict[int, list[str]]] = {kind: {} for kind in CODE_TABLES}
            touched: dict[int, int] = {}  # volunteer id -> row, within this batch
            for row in batch:
                by_phone = index.phone.get(row.phone) if row.phone else None
                by_telegram = index.telegram.get(row.telegram_id) if row.telegram_id is not None else None
                if by_phone is not None and by_telegram is not None and by_phone is not by_telegram:
                    report.bad.append(
                        BadRow(
                            row.row,
                            f"conflict: the phone {row.phone} belongs to one volunteer and the "
                            f"telegram_id {row.telegram_id} to another",
                            run.cells.pop(row.row, ()),
                        )
                    )
                    continue
                target = by_phone or by_telegram
                if target is None:
                    volunteer = _new_volunteer(row)
                    index.add(volunteer)
                    new.append((row, volunteer))
                    run.cells.pop(row.row, None)
                    continue
                assert target.id is not None  # keys are unique within the file, so never a new one
                first = run.matched.get(target.id) or touched.get(target.id)
                if first is not None:
                    report.bad.append(
                        BadRow(row.row, f"the same volunteer as row {first} (by phone or telegram_id)",
                               run.cells.pop(row.row, ()))
                    )
                    continue
                touched[target.id] = row.row
                run.cells.pop(row.row, None)
                fields_changed, codes_changed = _merge(target, row, index)
                if fields_changed or codes_changed:
                    changed.append(target)
                    for kind in codes_changed:
                        changed_codes[kind][target.id] = getattr(target, kind)
                    updated += 1
                else:
                    unchanged += 1

            await repo.update_many(
                [{"id": v.id, "updated_at": now, **{name: getattr(v, name) for name in IMPORT_COLUMNS}} for v in changed]
            )
            for kind, codes in changed_codes.items():
                await repo.replace_codes(kind, codes)
            ids = await repo.insert_many([_insert_values(volunteer, now) for _row, volunteer in new])
            for (row, volunteer), volunteer_id in zip(new, ids, strict=True):
                volunteer.id = volunteer_id
                touched[volunteer_id] = row.row
            for kind in CODE_TABLES:
                await repo.replace_codes(
                    kind,
                    {v.id: getattr(v, kind) for _row, v in new if getattr(v, kind)},  # type: ignore[misc]  # new rows have their ids after the insert
                    fresh=True,
                )
            created = len(new)
        # Counted once the batch is committed.
        run.matched.update(touched)
        report.created += created
        report.updated += updated
        report.unchanged += unchanged


def _known_total(total: int | None, read: int) -> int | None:
    """The row count found up front, unless the file's own figure proved wrong."""
    return total if total is not None and total >= read else None


class _Run:
    """What one import run remembers across batches."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.phones: dict[str, int] = {}  # phone -> first row with it
        self.telegram_ids: dict[int, int] = {}
        self.matched: dict[int, int] = {}  # volunteer id -> the row that created or matched it
        self.cells: dict[int, tuple[str, ...]] = {}  # rows of the batch in flight, for late errors

    def duplicate_in_file(self, row: VolunteerRow) -> str | None:
        if row.phone and row.phone in self.phones:
            return f"duplicate of row {self.phones[row.phone]} (same phone {row.phone})"
        if row.telegram_id is not None and row.telegram_id in self.telegram_ids:
            return f"duplicate of row {self.telegram_ids[row.telegram_id]} (same telegram_id {row.telegram_id})"
        if row.phone:
            self.phones[row.phone] = row.row
        if row.telegram_id is not None:
            self.telegram_ids[row.telegram_id] = row.row
        return None


class _KeyIndex:
    """Who owns which phone and Telegram id, kept current while a batch is applied."""

    def __init__(self, volunteers: list[StoredVolunteer]) -> None:
        self.phone = {v.phone: v for v in volunteers if v.phone}
        self.telegram = {v.telegram_id: v for v in volunteers if v.telegram_id is not None}

    def add(self, volunteer: StoredVolunteer) -> None:
        if volunteer.phone:
            self.phone[volunteer.phone] = volunteer
        if volunteer.telegram_id is not None:
            self.telegram[volunteer.telegram_id] = volunteer

    def move(self, volunteer: StoredVolunteer, name: str, old: Any, new: Any) -> None:
        """`old` and `new` are phones (str) or Telegram ids (int), as `name` says."""
        keys: dict[Any, StoredVolunteer] = self.phone if name == "phone" else self.telegram
        if old is not None and keys.get(old) is volunteer:
            del keys[old]
        keys[new] = volunteer


def _new_volunteer(row: VolunteerRow) -> StoredVolunteer:
    return StoredVolunteer(
        id=None,
        full_name=row.full_name,
        phone=row.phone,
        telegram_id=row.telegram_id,
        birth_year=row.birth_year,
        region=row.region,
        city=row.city,
        locale=row.locale,
        availability=keep_known(row.availability or [], AVAILABILITY),
        directions=CLEAN_CODES["directions"](row.directions or []),
        skills=CLEAN_CODES["skills"](row.skills or []),
        languages=CLEAN_CODES["languages"](row.languages or []),
    )


def _insert_values(volunteer: StoredVolunteer, now: object) -> dict[str, object]:
    return {
        **{name: getattr(volunteer, name) for name in IMPORT_COLUMNS},
        # consent_at, guardian_consent_at, paused_until and deleted_at stay NULL: the
        # person has not consented in the bot yet.
        "status": VolunteerStatus.ACTIVE,
        "source": VolunteerSource.IMPORT,
        "hours": 0.0,
        "created_at": now,
        "updated_at": now,
    }


def _merge(target: StoredVolunteer, row: VolunteerRow, index: _KeyIndex) -> tuple[bool, list[str]]:
    """Apply a row to a stored volunteer: an empty cell keeps the stored value; someone who
    registered through the bot (consent given) only gets fields they left empty."""
    registered = target.consent_at is not None
    fields_changed = False
    for name in IMPORT_COLUMNS:
        value = getattr(row, name)
        if name == "availability" and value is not None:
            value = keep_known(value, AVAILABILITY)
        if value is None or value == "" or value == []:
            continue
        current = getattr(target, name)
        if current == value or (registered and current not in (None, "", [])):
            continue
        if name in ("phone", "telegram_id"):
            index.move(target, name, current, value)
        setattr(target, name, value)
        fields_changed = True
    codes_changed = []
    for kind, clean in CLEAN_CODES.items():
        codes = getattr(row, kind)
        if codes is None:
            continue
        wanted = clean(codes)
        current = getattr(target, kind)
        if set(wanted) == set(current) or (registered and current):
            continue
        setattr(target, kind, wanted)
        codes_changed.append(kind)
    return fields_changed, codes_changed


def write_errors(report: ImportReport, target: Path) -> None:
    """All bad rows as CSV: `row`, `reason`, then the original columns. UTF-8 with BOM so
    Excel opens it right; fix the rows and import this file as it is (the `row` and
    `reason` columns are ignored)."""
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "reason", *report.header])
        for bad in sorted(report.bad, key=lambda b: b.row):
            writer.writerow([bad.row, bad.reason, *bad.cells])
