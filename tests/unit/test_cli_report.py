"""`birge report`: the workbook or the CSV zip for a period, a region and a language;
bad arguments end with status 2 and one line saying why."""

from __future__ import annotations

import asyncio
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook

import bot.cli.report as report_command
from bot.cli import main
from storage.db import Database
from storage.migrate import upgrade
from tests.support.clock import ManualClock
from tests.support.stats_world import NOW, build_world

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Cli:
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_TOKEN", "ADMIN_IDS", "TIMEZONE", "DEFAULT_LOCALE"):
        monkeypatch.delenv(name, raising=False)
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("LOG_LEVEL", "WARNING")
    monkeypatch.setattr(report_command, "Clock", lambda: ManualClock(NOW))

    async def seed() -> None:
        db = Database(url)
        await upgrade(db)
        await build_world(db, ManualClock(NOW))
        await db.close()

    asyncio.run(seed())

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(argv))
        out, err = capsys.readouterr()
        return int(exit_info.value.code or 0), out, err

    return run


def test_the_semiannual_workbook_for_a_region(cli: Cli, tmp_path: Path) -> None:
    status, out, err = cli("report", "--from", "2026-01-01", "--to", "2026-06-30", "--region", "KZ-75",
                           "--lang", "ru", "--out", "report.xlsx")
    assert (status, err) == (0, "")
    assert out.startswith("Wrote report.xlsx")
    workbook = load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == ["Сводка", "По направлениям", "По регионам", "По возрасту", "По языку",
                                   "Новые волонтёры по месяцам", "Утверждённые часы по месяцам", "Сборы по числу волн"]
    summary = workbook["Сводка"]
    assert [summary["A2"].value, summary["B2"].value] == ["Регион", "Алматы"]
    assert [summary["A3"].value, summary["B3"].value] == ["Период", "01.01.2026 – 30.06.2026"]
    assert [summary["A8"].value, summary["B8"].value] == ["Зарегистрировано волонтёров", 18]
    assert [summary["A26"].value, summary["B26"].value] == ["Доля пришедших", 0.7]


def test_the_whole_country_in_the_default_language_as_csv(cli: Cli, tmp_path: Path) -> None:
    status, _out, err = cli("report", "--from", "2026-01-01", "--to", "2026-06-30", "--format", "csv",
                            "--out", "report.zip")
    assert (status, err) == (0, "")
    with zipfile.ZipFile(tmp_path / "report.zip") as archive:
        names = archive.namelist()
        summary = archive.read(names[0]).decode("utf-8")
        hours = archive.read(names[6]).decode("utf-8")
    assert names[0] == "01 Жиынтық.csv"  # DEFAULT_LOCALE is kk
    assert "Қазақстан (барлық өңір)" in summary and "Тіркелген еріктілер,23" in summary
    assert "Бекітілген сағаттар,38.0" in summary and "Шұғыл шақырулар,8" in summary
    # The country's hours by month: June has Astana's 4.0 (two rows) with Almaty's 11.5;
    # April alone is hidden, so March (the smallest other month) is hidden too.
    assert names[6] == "07 Ай бойынша бекітілген сағаттар.csv"
    assert hours == ("\ufeffАй,Бекітілген сағаттар\r\nҚаңтар 2026,0.0\r\nАқпан 2026,0.0\r\nНаурыз 2026,< 5\r\n"
                     "Сәуір 2026,< 5\r\nМамыр 2026,0.0\r\nМаусым 2026,15.5\r\n")


@pytest.mark.parametrize(("argv", "message"), [
    (["--from", "2026-13-01", "--to", "2026-06-30"], "--from and --to must be dates"),
    (["--from", "2026-06-30", "--to", "2026-01-01"], "--to is before --from"),
    (["--from", "2026-08-01", "--to", "2026-08-31"], "--from is in the future"),
    (["--from", "2026-01-01", "--to", "2026-06-30", "--region", "KZ-99"], "unknown region"),
])
def test_bad_arguments(cli: Cli, tmp_path: Path, argv: list[str], message: str) -> None:
    status, out, err = cli("report", *argv, "--out", "report.xlsx")
    assert status == 2 and message in err and out == ""
    assert not (tmp_path / "report.xlsx").exists()


def test_a_region_may_be_written_without_the_dash(cli: Cli, tmp_path: Path) -> None:
    status, _out, _err = cli("report", "--from", "2026-01-01", "--to", "2026-06-30", "--region", "kz71",
                             "--lang", "en", "--out", "astana.xlsx")
    assert status == 0
    summary = load_workbook(tmp_path / "astana.xlsx")["Summary"]
    assert [summary["B2"].value, summary["B8"].value] == ["Astana", 5]
