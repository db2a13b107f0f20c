"""`birge volunteers import FILE`: an operator tool, so its output is English only.

Progress goes to stderr, the summary to stdout. Exit status 0 when the file was read
(even with bad rows), 2 when it cannot be read at all (one line on stderr says why).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bot.config import Settings
from bot.importer import BATCH_SIZE, ImportFileError, ImportReport, VolunteerImporter, write_errors
from bot.importer.service import PROGRESS_EVERY
from bot.infra.clock import Clock
from bot.infra.i18n import make_i18n, make_vocabulary
from storage.db import Database

SHOWN_BAD_ROWS = 50
# Module attributes (read at each run) so tests can make them small.
batch_size = BATCH_SIZE
progress_every = PROGRESS_EVERY


def errors_path(path: Path) -> Path:
    return path.with_name(path.name + ".errors.csv")


async def run_import_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    path = Path(args.file)
    vocabulary = make_vocabulary(make_i18n(settings.default_locale))
    importer = VolunteerImporter(
        db, Clock(), vocabulary, tz=settings.tz, batch_size=batch_size, progress_every=progress_every
    )

    def progress(done: int, total: int | None) -> None:
        of = f" / {total:,}" if total is not None else ""
        print(f"imported {done:,}{of} rows", file=sys.stderr, flush=True)

    started = time.monotonic()
    try:
        report = await importer.import_file(path, progress=progress)
    except ImportFileError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    print_summary(report, time.monotonic() - started)
    return 0


def print_summary(report: ImportReport, seconds: float) -> None:
    bad = len(report.bad)
    print(
        f"{report.path}: {report.rows:,} rows read in {seconds:.1f} s: "
        f"{report.created:,} created, {report.updated:,} updated, "
        f"{report.unchanged:,} unchanged, {bad:,} bad."
    )
    if report.ignored_columns:
        print("Ignored columns: " + ", ".join(repr(name) for name in report.ignored_columns))
    target = errors_path(report.path)
    if not report.bad:
        if target.exists():
            try:
                target.unlink()
                print(f"Removed the error list of an earlier run: {target}")
            except OSError:
                pass
        return
    rows = sorted(report.bad, key=lambda b: b.row)
    title = "Bad rows" if bad <= SHOWN_BAD_ROWS else f"Bad rows (first {SHOWN_BAD_ROWS} of {bad:,})"
    print(f"{title}:")
    for row in rows[:SHOWN_BAD_ROWS]:
        print(f"  row {row.row}: {row.reason}")
    try:
        write_errors(report, target)
    except OSError as error:
        print(f"Could not write the error list {target}: {error.strerror or error}", file=sys.stderr)
        return
    print(f"All bad rows with their reasons: {target} (fix them there and import that file again)")
