"""Benchmark of `birge volunteers import`: 100,000 realistic rows into a fresh SQLite database.

    python -m benchmarks.import_bench                 # CSV, 100,000 rows
    python -m benchmarks.import_bench --xlsx          # CSV and XLSX
    python -m benchmarks.import_bench --rows 20000 --keep /tmp/bench

Three runs per format, each in its own process (so each peak RSS is its own):
  1. first import into an empty database (the create path),
  2. the same people with changed names and cities (the update path),
  3. the second file again (nothing to write: the unchanged path).
About 1% of the rows are bad on purpose (every BAD_EVERY-th row, five kinds).
"peak RSS" is ru_maxrss of that process; "(before)" its resident memory just before the
import started (the interpreter, aiogram, SQLAlchemy...), so the difference is the import's.
Timing covers the import only (file reading included), not the schema migration;
"cpu s" is the CPU time of the importing process (its threads included): it shows what a
busy machine does to the wall-clock figure.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bot.domain.catalog import DIRECTIONS, REGIONS, SKILLS
from bot.importer import VolunteerImporter
from bot.infra.clock import Clock
from bot.infra.i18n import make_i18n, make_vocabulary

ROOT = Path(__file__).resolve().parents[1]  # `benchmarks` is importable from here
BAD_EVERY = 100
HEADER = ["full_name", "phone", "telegram_id", "birth_year", "region", "city", "directions", "skills", "locale"]

KAZAKH_FIRST = ["Айгүл", "Нұрсұлтан", "Әсел", "Ерлан", "Гүлнар", "Дәурен", "Жансая", "Қайрат", "Мөлдір", "Ұлан",
                "Айбек", "Бекзат", "Дана", "Нұрлан", "Сәуле", "Тимур", "Жұлдыз", "Арман", "Ақерке", "Ғалым"]
KAZAKH_LAST = ["Серікқызы", "Нұрланұлы", "Әбенова", "Қасымов", "Жақсыбекова", "Оспанов", "Төлеуова", "Ахметов",
               "Бекова", "Сағынтаев", "Мұратова", "Ермеков", "Ізбасарова", "Құдайбергенов", "Үсенова"]
RUSSIAN_FIRST = ["Иван", "Ольга", "Сергей", "Наталья", "Алексей", "Юлия", "Дмитрий", "Елена", "Артём", "Татьяна"]
RUSSIAN_LAST = ["Петров", "Иванова", "Ким", "Смирнова", "Фёдоров", "Попова", "Волков", "Ли", "Морозова", "Цой"]
LATIN_FIRST = ["Nursultan", "Aigerim", "Dias", "Aruzhan", "Yerlan", "Madina", "John", "Anna", "Timur", "Saule"]
LATIN_LAST = ["Seitkali", "Abenova", "Kassymov", "Smith", "Nurlanuly", "Zhaksybekova", "Müller", "Omarov"]
CITIES = ["Алматы", "Астана", "Шымкент", "Қарағанды", "Ақтөбе", "Тараз", "Павлодар", "Өскемен", "Семей",
          "Oral", "Kostanay", "Қызылорда", "Атырау", "Ақтау", "Талдықорған", "Түркістан", "Жезқазған"]
# Kazakh mobile prefixes (700-708, 747, 771, 775-778).
PREFIXES = ["700", "701", "702", "705", "706", "707", "708", "747", "771", "775", "776", "777", "778"]
BAD_KINDS = 5  # invalid phone, birth year, unknown region, no phone and no telegram_id, unknown direction


def expected_bad(count: int) -> int:
    return count // BAD_EVERY


def _phone(i: int, rnd: random.Random) -> str:
    prefix = PREFIXES[i % len(PREFIXES)]
    number = f"{1_000_000 + i // len(PREFIXES):07d}"
    style = rnd.randrange(5)
    if style == 0:
        return f"+7 {prefix} {number[:3]} {number[3:5]} {number[5:]}"
    if style == 1:
        return f"8 ({prefix}) {number}"
    if style == 2:
        return f"8{prefix}{number}"
    if style == 3:
        return f"+7{prefix}{number}"
    return f"7 {prefix} {number[:3]}-{number[3:5]}-{number[5:]}"


def generate_rows(count: int, *, variant: int = 0, seed: int = 2022, current_year: int | None = None) -> Iterator[list[str]]:
    """`count` data rows (no header). The same (count, seed) always gives the same people
    (same phones and Telegram ids); `variant` changes their names and cities."""
    rnd = random.Random(seed)
    names = random.Random(seed * 31 + variant)
    year = current_year or Clock().now().year
    i18n = make_i18n("en")
    region_names = {
        locale: [i18n.gettext(choice.name, locale=locale) for choice in REGIONS] for locale in ("kk", "ru", "en")
    }
    direction_ru = [i18n.gettext(choice.name, locale="ru") for choice in DIRECTIONS]
    skill_kk = [i18n.gettext(choice.name, locale="kk") for choice in SKILLS]
    for i in range(count):
        script = names.randrange(10)
        if script < 5:
            full_name = f"{names.choice(KAZAKH_FIRST)} {names.choice(KAZAKH_LAST)}"
        elif script < 8:
            full_name = f"{names.choice(RUSSIAN_LAST)} {names.choice(RUSSIAN_FIRST)}"
        else:
            full_name = f"{names.choice(LATIN_FIRST)} {names.choice(LATIN_LAST)}"
        phone = _phone(i, rnd)
        telegram_id = str(100_000_000 + i) if rnd.random() < 0.3 else ""
        birth_year = str(year - rnd.randint(12, 75))
        r = rnd.randrange(len(REGIONS))
        how = rnd.randrange(6)
        region = (
            REGIONS[r].code if how == 0 else REGIONS[r].code.lower() if how == 1
            else region_names["kk"][r] if how == 2 else region_names["ru"][r] if how == 3
            else region_names["en"][r] if how == 4 else region_names["en"][r].upper()
        )
        city = names.choice(CITIES) if names.random() < 0.7 else ""
        picked = rnd.sample(range(len(DIRECTIONS)), rnd.randint(1, 3))
        directions = "; ".join(DIRECTIONS[d].code if rnd.random() < 0.5 else direction_ru[d] for d in picked)
        picked = rnd.sample(range(len(SKILLS)), rnd.randint(0, 2))
        skills = ", ".join(SKILLS[s].code if rnd.random() < 0.5 else skill_kk[s] for s in picked)
        locale = rnd.choice(["kk", "ru", "en", "", "KK", "ru"])
        if i % BAD_EVERY == BAD_EVERY - 1:
            kind = (i // BAD_EVERY) % BAD_KINDS
            if kind == 0:
                phone = "12345"
            elif kind == 1:
                birth_year = "1890"
            elif kind == 2:
                region = "Atlantis"
            elif kind == 3:
                phone = telegram_id = ""
            else:
                directions = "knitting; health"
        yield [full_name, phone, telegram_id, birth_year, region, city, directions, skills, locale]


def write_csv(path: Path, count: int, *, variant: int = 0, delimiter: str = ",", seed: int = 2022) -> int:
    """Write the file; returns the number of bad rows in it."""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(generate_rows(count, variant=variant, seed=seed))
    return expected_bad(count)


def write_xlsx(path: Path, count: int, *, variant: int = 0, seed: int = 2022) -> int:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("volunteers")
    sheet.append(HEADER)
    for row in generate_rows(count, variant=variant, seed=seed):
        # Excel keeps numbers as numbers: write Telegram ids and birth years that way.
        cells: list[object] = list(row)
        cells[2] = int(row[2]) if row[2] else None
        cells[3] = int(row[3]) if row[3].isdigit() else row[3]
        sheet.append(cells)
    workbook.save(path)
    return expected_bad(count)


async def _import(database_url: str, path: Path, verbose: bool) -> dict[str, object]:
    from storage.db import Database
    from storage.migrate import upgrade

    db = Database(database_url)
    try:
        await upgrade(db)
        importer = VolunteerImporter(db, Clock(), make_vocabulary(make_i18n("kk")))

        def progress(done: int, total: int | None) -> None:
            if verbose:
                print(f"  imported {done:,} / {total or '?':,} rows", file=sys.stderr, flush=True)

        rss_before = _current_rss_mb()
        started, cpu_started = time.perf_counter(), time.process_time()
        report = await importer.import_file(path, progress=progress)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        await db.close()
    return {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "bad": len(report.bad),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,  # KiB on Linux
        "rss_before_mb": rss_before,
    }


def _current_rss_mb() -> float:
    """Resident memory now (Linux), to tell the importer's own share of the peak."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _run_worker(database_url: str, path: Path, verbose: bool) -> dict[str, object]:
    command = [sys.executable, "-m", "benchmarks.import_bench", "--worker", database_url, str(path)]
    if verbose:
        command.append("--verbose")
    done = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.import_bench", description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--xlsx", action="store_true", help="also measure .xlsx (slower to parse)")
    parser.add_argument("--keep", type=Path, help="write the files and databases here and keep them")
    parser.add_argument("--verbose", action="store_true", help="show the progress lines")
    parser.add_argument("--worker", nargs=2, metavar=("DATABASE_URL", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        result = asyncio.run(_import(args.worker[0], Path(args.worker[1]), args.verbose))
        print(json.dumps(result))
        return 0

    with tempfile.TemporaryDirectory(prefix="birge-bench-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        formats = [("csv", write_csv)] + ([("xlsx", write_xlsx)] if args.xlsx else [])
        print(f"birge import benchmark: {args.rows:,} rows, {expected_bad(args.rows):,} bad on purpose")
        print(f"{'run':<28} {'wall s':>7} {'cpu s':>6} {'rows/s':>7} {'created':>8} {'updated':>8} "
              f"{'unchanged':>9} {'bad':>6} {'peak RSS':>9} {'(before)':>9}")
        for ext, write in formats:
            started = time.perf_counter()
            first, second = folder / f"volunteers.{ext}", folder / f"volunteers_renamed.{ext}"
            write(first, args.rows)
            write(second, args.rows, variant=1)
            print(f"({ext}: two files written in {time.perf_counter() - started:.1f} s)")
            database = folder / f"bench_{ext}.db"
            for suffix in ("", "-wal", "-shm"):
                Path(f"{database}{suffix}").unlink(missing_ok=True)
            url = f"sqlite+aiosqlite:///{database}"
            for label, path in (
                (f"{ext} 1: create", first),
                (f"{ext} 2: update (renamed)", second),
                (f"{ext} 3: unchanged", second),
            ):
                r = _run_worker(url, path, args.verbose)
                seconds = float(r["seconds"])  # type: ignore[arg-type]  # rows read back from JSON
                print(
                    f"{label:<28} {seconds:>7.1f} {float(r['cpu_seconds']):>6.1f} "  # type: ignore[arg-type]  # rows read back from JSON
                    f"{int(r['rows']) / seconds:>7,.0f} {r['created']:>8,} "  # type: ignore[call-overload]  # rows read back from JSON
                    f"{r['updated']:>8,} {r['unchanged']:>9,} {r['bad']:>6,} {float(r['peak_rss_mb']):>6.0f} MB"  # type: ignore[arg-type]  # rows read back from JSON
                    f" {float(r['rss_before_mb']):>6.0f} MB",  # type: ignore[arg-type]  # rows read back from JSON
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
