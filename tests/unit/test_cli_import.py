"""`birge volunteers import FILE` in-process, and the benchmark's data generator."""

from __future__ import annotations

import asyncio
import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from benchmarks.import_bench import BAD_EVERY, expected_bad, generate_rows, write_csv, write_xlsx
from bot.cli import main
from storage.db import Database
from storage.models import Volunteer
from tests.support.databases import TestDatabases

CONFIG_VARIABLES = ("BOT_TOKEN", "BOT_API_URL", "DATABASE_URL", "ADMIN_IDS", "TIMEZONE", "DEFAULT_LOCALE", "LOG_LEVEL")

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
async def db_url(databases: TestDatabases) -> str:
    """An empty database: the command migrates it itself."""
    return await databases.url("cli", migrated=False)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    """Run `birge ...` in-process; returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    for name in CONFIG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(argv))
        out, err = capsys.readouterr()
        code = exit_info.value.code
        return (code if isinstance(code, int) else (0 if code is None else 1)), out, err

    return run


def count_volunteers(db_url: str) -> int:
    async def read() -> int:
        db = Database(db_url)
        try:
            async with db.session() as session:
                return int(await session.scalar(select(func.count()).select_from(Volunteer)) or 0)
        finally:
            await db.close()

    return asyncio.run(read())


SAMPLE = """full_name;phone;telegram_id;birth_year;region;directions;notes
Айгүл Серікова;+7 701 123 45 67;;1995;KZ-75;health;
Bad Phone;12345;;1990;KZ-75;;
Ivan Petrov;87021234567;555;1980;Акмолинская область;Здравоохранение, education;x
Nobody;;;1990;KZ-75;;
"""


def test_import_prints_a_summary_and_the_bad_rows(cli: Cli, tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "people.csv"
    path.write_text(SAMPLE, encoding="utf-8")

    status, out, err = cli("volunteers", "import", str(path))

    assert status == 0, err
    assert "4 rows read" in out and "2 created, 0 updated, 0 unchanged, 2 bad." in out
    assert "Ignored columns: 'notes'" in out
    assert "  row 3: invalid phone '12345'" in out
    assert "  row 5: no phone and no telegram_id (one of them is needed)" in out
    assert count_volunteers(db_url) == 2
    errors = path.with_name("people.csv.errors.csv")
    with errors.open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.reader(handle))
    assert listed[0] == ["row", "reason", "full_name", "phone", "telegram_id", "birth_year", "region", "directions", "notes"]
    assert [row[:2] for row in listed[1:]] == [
        ["3", "invalid phone '12345'"],
        ["5", "no phone and no telegram_id (one of them is needed)"],
    ]
    assert listed[1][2:5] == ["Bad Phone", "12345", ""]

    # The operator fixes the rows in the error list and imports it as it is.
    fixed = errors.read_text(encoding="utf-8-sig").replace("12345", "+77051234567").replace("Nobody,,", "Nobody,+77059999999,")
    errors.write_text(fixed, encoding="utf-8")
    status, out, _err = cli("volunteers", "import", str(errors))
    assert status == 0 and "2 created" in out and "0 bad" in out
    assert "Ignored columns: 'row', 'reason', 'notes'" in out

    # Importing the original again updates nothing and creates nothing.
    status, out, _err = cli("volunteers", "import", str(path))
    assert status == 0 and "0 created, 0 updated, 2 unchanged, 2 bad." in out
    assert count_volunteers(db_url) == 4


def test_a_clean_run_removes_the_stale_error_list(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("phone,full_name\n123,Bad\n", encoding="utf-8")
    assert cli("volunteers", "import", str(path))[0] == 0
    assert path.with_name("people.csv.errors.csv").exists()
    path.write_text("phone,full_name\n+77011234567,Good\n", encoding="utf-8")
    status, out, _err = cli("volunteers", "import", str(path))
    assert status == 0 and "Removed the error list of an earlier run" in out
    assert not path.with_name("people.csv.errors.csv").exists()


def test_only_the_first_50_bad_rows_are_shown(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("phone,full_name\n" + "".join(f"{i},Name\n" for i in range(60)), encoding="utf-8")
    status, out, _err = cli("volunteers", "import", str(path))
    assert status == 0
    assert "Bad rows (first 50 of 60):" in out
    assert "  row 51: invalid phone '49'" in out and "row 52:" not in out
    with path.with_name("bad.csv.errors.csv").open(encoding="utf-8-sig") as handle:
        assert len(handle.read().splitlines()) == 61


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "no such file"),
        ("people.txt", "phone\n+77011234567\n", "unsupported file type .txt; use .csv (UTF-8) or .xlsx"),
        ("people.xls", "phone\n", "unsupported file type .xls"),
        ("empty.csv", "", "no header row"),
        ("names.csv", "full_name\nAnna\n", "neither a 'phone' nor a 'telegram_id' column"),
    ],
)
def test_unreadable_files_exit_2_with_one_line(cli: Cli, tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    status, out, err = cli("volunteers", "import", str(path))
    assert status == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ") and message in lines[0]


def test_progress_goes_to_stderr(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli import importer as cli_import

    monkeypatch.setattr(cli_import, "batch_size", 4)
    monkeypatch.setattr(cli_import, "progress_every", 5)
    path = tmp_path / "people.csv"
    path.write_text("phone,full_name\n" + "".join(f"+7701{i:07d},Person {i}\n" for i in range(12)), encoding="utf-8")
    status, out, err = cli("volunteers", "import", str(path))
    assert status == 0 and "12 created" in out
    assert err.splitlines() == ["imported 5 / 12 rows", "imported 10 / 12 rows", "imported 12 / 12 rows"]


# --- the benchmark's data, so that the benchmark cannot rot silently --------------------------


def test_benchmark_data_imports_with_the_expected_bad_rows(cli: Cli, tmp_path: Path, db_url: str) -> None:
    path = tmp_path / "bench.csv"
    bad = write_csv(path, 500)
    assert bad == expected_bad(500) == 500 // BAD_EVERY
    status, out, _err = cli("volunteers", "import", str(path))
    assert status == 0
    assert "500 rows read" in out and f"{500 - bad} created, 0 updated, 0 unchanged, {bad} bad." in out
    assert count_volunteers(db_url) == 500 - bad

    # The renamed variant is the same people: all of them are updates.
    renamed = tmp_path / "renamed.xlsx"
    write_xlsx(renamed, 500, variant=1)
    status, out, _err = cli("volunteers", "import", str(renamed))
    assert status == 0
    assert " 0 created," in out and f"{bad} bad." in out
    assert count_volunteers(db_url) == 500 - bad


def test_benchmark_data_is_deterministic_and_varied() -> None:
    first = list(generate_rows(300, current_year=2026))
    assert first == list(generate_rows(300, current_year=2026))
    renamed = list(generate_rows(300, variant=1, current_year=2026))
    assert [row[1:5] for row in first] == [row[1:5] for row in renamed]  # same phones, ids, years, regions
    assert sum(a[0] != b[0] for a, b in zip(first, renamed, strict=True)) > 200
    regions = {row[4] for row in first}
    assert any(r.startswith("KZ-") for r in regions) and any(r.startswith("kz-") for r in regions)
    assert any("облысы" in r for r in regions) and any("область" in r for r in regions)
    assert any(any("\u0400" <= ch <= "\u04ff" for ch in row[0]) for row in first)
    assert any(row[0].isascii() for row in first)
