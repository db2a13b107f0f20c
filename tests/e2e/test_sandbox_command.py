"""`birge sandbox` as a person runs it: it starts with no token, prints the page's
address, serves the page, stops cleanly on Ctrl-C; --demo fills a believable demo,
--fresh starts over; it refuses unsafe setups with one clear line."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.cli import build_parser
from bot.cli.sandbox import SandboxError, SandboxOptions, check_options
from tests.support.sandbox import production_settings, running_sandbox

ROOT = Path(__file__).resolve().parents[2]


def birge(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"BOT_TOKEN", "DATABASE_URL", "BOT_API_URL", "ADMIN_IDS"}}
    environment.update({"PYTHONPATH": str(ROOT), **(env or {})})
    return subprocess.Popen([sys.executable, "-m", "bot", *args], cwd=cwd, env=environment, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


async def test_the_command_starts_prints_the_address_serves_the_page_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    process = birge("sandbox", "--port", "0", cwd=tmp_path)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # blocks until the sandbox is up (or the process ends)
        match = re.search(r"open (http://127\.0\.0\.1:\d+) in your browser", line)
        assert match, (line, process.stderr.read() if process.poll() is not None else "")
        async with aiohttp.ClientSession() as http:
            async with http.get(match.group(1) + "/") as response:
                assert response.status == 200 and "Birge sandbox" in await response.text()
            async with http.post(match.group(1) + "/api/people", json={"first_name": "Ann"}) as response:
                assert response.status == 201
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert "Stopped." in out and "Traceback" not in err
    assert (tmp_path / "sandbox.db").exists() and (tmp_path / "sandbox.people.json").exists()
    assert not (tmp_path / "birge.db").exists()  # the production database is never touched


def test_run_without_a_token_points_to_the_sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)  # no .env here
    monkeypatch.delenv("BOT_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exit_run:
        main(["run"])
    assert exit_run.value.code == 2
    err = capsys.readouterr().err
    assert "BOT_TOKEN is not set" in err and "birge sandbox --demo" in err
    with pytest.raises(SystemExit) as exit_help:
        main([])
    assert exit_help.value.code == 0
    out = capsys.readouterr().out
    assert "birge sandbox --demo" in out and "sandbox" in out


def test_the_sandbox_refuses_the_production_database(tmp_path: Path) -> None:
    production = tmp_path / "birge.db"
    process = birge("sandbox", "--port", "0", "--database", str(production), cwd=tmp_path,
                    env={"DATABASE_URL": f"sqlite+aiosqlite:///{production}"})
    out, err = process.communicate(timeout=60)
    assert process.returncode == 2
    assert err.strip().splitlines()[-1] == (
        f"birge sandbox: --database {production} is the database `birge run` uses (DATABASE_URL); "
        "the sandbox needs a file of its own, e.g. --database sandbox.db")
    assert not production.exists()


def test_the_checks_before_starting(tmp_path: Path) -> None:
    settings = production_settings(tmp_path)
    assert check_options(SandboxOptions(database=tmp_path / "sandbox.db"), settings) == []
    [warning] = check_options(SandboxOptions(database=tmp_path / "sandbox.db", host="0.0.0.0"), settings)
    assert "reachable from other machines" in warning
    for options, says in [
        (SandboxOptions(database=tmp_path / "birge.db"), "the database `birge run` uses"),
        (SandboxOptions(database=Path("sqlite:///x.db")), "a file path"),
        (SandboxOptions(database=tmp_path / "s.db", port=70_000), "--port"),
        (SandboxOptions(database=tmp_path / "s.db", drill=-1), "--drill"),
        (SandboxOptions(database=tmp_path / "s.db", drill_region="KZ-00"), "--drill-region"),
    ]:
        with pytest.raises(SandboxError, match=re.escape(says)):
            check_options(options, settings)


def test_the_bot_may_talk_only_to_the_emulator() -> None:
    from pydantic import SecretStr

    from bot.cli.sandbox import SANDBOX_TOKEN, ensure_sandboxed
    from bot.config import Settings

    emulator = "http://127.0.0.1:45678"
    good = Settings(_env_file=None, bot_token=SecretStr(SANDBOX_TOKEN), bot_api_url=emulator)  # type: ignore[call-arg]  # pydantic-settings' own argument
    ensure_sandboxed(good, emulator)
    real = good.model_copy(update={"bot_api_url": "https://api.telegram.org"})
    with pytest.raises(SandboxError, match="refusing to run the sandbox against https://api.telegram.org"):
        ensure_sandboxed(real, emulator)
    token = good.model_copy(update={"bot_token": SecretStr("123:REAL")})
    with pytest.raises(SandboxError, match="real bot token"):
        ensure_sandboxed(token, emulator)


async def test_demo_fills_a_believable_sandbox_and_fresh_starts_over(tmp_path: Path) -> None:
    async with running_sandbox(tmp_path, demo=True) as sandbox:
        assert sandbox.page is not None
        people = list(sandbox.page.people.values())
        assert sandbox.fake is not None and set(sandbox.fake.users) >= {p.id for p in people}
    database = sqlite3.connect(tmp_path / "sandbox.db")
    try:
        def one(sql: str) -> object:
            return database.execute(sql).fetchone()[0]

        assert one("SELECT count(*) FROM volunteers WHERE consent_at IS NOT NULL") == 300
        assert one("SELECT count(DISTINCT region) FROM volunteers") == 6
        assert one("SELECT count(DISTINCT code) FROM volunteer_directions") == 8
        assert one("SELECT count(*) FROM roles WHERE role = 'coordinator'") == 2
        assert one("SELECT count(*) FROM roles WHERE role = 'admin'") == 1
        assert one("SELECT count(*) FROM tasks WHERE status = 'open'") == 3
        assert one("SELECT count(*) FROM tasks WHERE status = 'done'") == 1
        assert one("SELECT count(*) FROM volunteers WHERE hours > 0") == 8
        names = [row[0] for row in database.execute("SELECT full_name FROM volunteers")]
    finally:
        database.close()
    assert any(set(name) & set("әғқңөұүһі") for name in names)  # Kazakh spellings
    assert any(re.fullmatch(r"[А-Яа-яЁё ]+", name) and name.endswith(("ов", "ова", "ев", "ева")) for name in names)
    assert any(re.fullmatch(r"[A-Za-z ]+", name) for name in names)  # Latin spellings
    assert len(people) == 303 and {p.role for p in people} == {"volunteer", "coordinator", "admin"}

    # A second start keeps everything (the demo is not loaded twice); --fresh starts over.
    async with running_sandbox(tmp_path, demo=True) as sandbox:
        assert sandbox.page is not None and len(sandbox.page.people) == 303
    async with running_sandbox(tmp_path, fresh=True) as sandbox:
        assert sandbox.page is not None and sandbox.page.people == {}
    database = sqlite3.connect(tmp_path / "sandbox.db")
    try:
        assert database.execute("SELECT count(*) FROM volunteers").fetchone()[0] == 0
    finally:
        database.close()


def test_the_drill_options_are_read_from_the_command_line() -> None:
    args = build_parser().parse_args(["sandbox", "--drill", "40", "--drill-region", "kz-71", "--drill-seed", "7"])
    options = SandboxOptions.from_args(args)
    assert (options.drill, options.drill_region, options.drill_seed) == (40, "KZ-71", 7)
    assert SandboxOptions.from_args(build_parser().parse_args(["sandbox"])).drill_seed is None
