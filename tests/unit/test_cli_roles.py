"""`birge roles grant|revoke|list` and the configuration errors of `birge run`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

from bot.access.roles import AccessService
from bot.cli import main
from bot.infra.clock import Clock
from storage.db import Database
from tests.support.databases import TestDatabases

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_VARIABLES = (
    "BOT_TOKEN", "BOT_API_URL", "DATABASE_URL", "ADMIN_IDS", "TIMEZONE",
    "DEFAULT_LOCALE", "LOG_LEVEL", "INVITE_TTL_HOURS",
)

Cli = Callable[..., tuple[int, str, str]]


@pytest.fixture
async def db_url(databases: TestDatabases) -> str:
    """An empty database: the command migrates it itself."""
    return await databases.url("cli", migrated=False)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str], db_url: str) -> Cli:
    """Run `birge ...` in-process; returns (exit status, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)  # no .env from the project directory
    for name in CONFIG_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("ADMIN_IDS", "900001, 900002")
    monkeypatch.setenv("LOG_LEVEL", "WARNING")

    def run(*argv: str) -> tuple[int, str, str]:
        capsys.readouterr()
        with pytest.raises(SystemExit) as exit_info:
            main(list(argv))
        out, err = capsys.readouterr()
        code = exit_info.value.code
        return (code if isinstance(code, int) else (0 if code is None else 1)), out, err

    return run


def roles_in(db_url: str, telegram_id: int):  # noqa: ANN201 - UserRoles
    async def read():  # noqa: ANN202
        db = Database(db_url)
        try:
            return await AccessService(db, Clock(), frozenset(), timedelta(hours=48)).roles_of(telegram_id)
        finally:
            await db.close()

    return asyncio.run(read())


def test_grant_list_revoke_coordinator(cli: Cli, db_url: str) -> None:
    status, out, err = cli("roles", "grant", "555", "coordinator", "--region", "kz-75", "--org", "Birge Almaty")
    assert status == 0, err
    assert out.strip() == "Granted coordinator in KZ-75 to 555."
    status, out, _ = cli("roles", "grant", "555", "coordinator", "--region", "KZ-71")
    assert status == 0 and "Granted coordinator in KZ-71 to 555." in out
    status, out, _ = cli("roles", "grant", "555", "coordinator", "--region", "KZ-71")
    assert status == 0 and "Already had coordinator in KZ-71 to 555." in out
    roles = roles_in(db_url, 555)
    assert roles.coordinator_regions == {"KZ-75", "KZ-71"} and roles.organisations == ("Birge Almaty",)

    status, out, _ = cli("roles", "list")
    assert status == 0
    lines = out.strip().splitlines()
    assert lines[:2] == ["900001\tadmin\t(ADMIN_IDS)", "900002\tadmin\t(ADMIN_IDS)"]
    assert "555\tcoordinator\tKZ-71" in lines
    assert "555\tcoordinator\tKZ-75\tBirge Almaty" in lines

    status, out, _ = cli("roles", "revoke", "555", "coordinator", "--region", "KZ-75")
    assert status == 0 and out.strip() == "Revoked 1 grant(s) of coordinator from 555."
    assert roles_in(db_url, 555).coordinator_regions == {"KZ-71"}
    status, out, _ = cli("roles", "revoke", "555", "coordinator")
    assert status == 0 and "Revoked 1 grant(s)" in out
    assert not roles_in(db_url, 555).is_coordinator


def test_grant_and_revoke_admin(cli: Cli, db_url: str) -> None:
    status, out, _ = cli("roles", "grant", "777", "admin")
    assert status == 0 and out.strip() == "Granted admin to 777."
    assert roles_in(db_url, 777).is_admin
    status, out, _ = cli("roles", "list")
    assert "777\tadmin" in out.splitlines()
    status, out, _ = cli("roles", "revoke", "777", "admin")
    assert status == 0 and "Revoked 1 grant(s) of admin from 777." in out
    assert not roles_in(db_url, 777).is_admin


def test_revoking_an_env_admin_explains_admin_ids(cli: Cli) -> None:
    status, out, _ = cli("roles", "revoke", "900001", "admin")
    assert status == 0
    assert "Revoked 0 grant(s)" in out and "ADMIN_IDS" in out


def test_list_with_nothing_granted_says_how_to_start(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "")
    status, out, _ = cli("roles", "list")
    assert status == 0 and "birge roles grant" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("roles", "grant", "555", "coordinator", "--region", "KZ-99"), "Error: unknown region 'KZ-99'"),
        (("roles", "grant", "555", "coordinator"), "Error: a coordinator needs a region"),
        (("roles", "grant", "555", "admin", "--region", "KZ-75"), "Error: an admin has every region"),
        (("roles", "grant", "555", "coordinator", "--region", "KZ-75", "--org", "!"), "Error: --org must be"),
        (("roles", "grant", "555", "admin", "--org", "Birge"), "Error: --org is only for coordinators"),
        (("roles", "revoke", "555", "coordinator", "--region", "Almaty"), "Error: unknown region 'ALMATY'"),
    ],
)
def test_bad_grants_exit_2_with_a_clear_message(cli: Cli, db_url: str, argv: tuple[str, ...], message: str) -> None:
    status, out, err = cli(*argv)
    assert status == 2
    assert err.strip().startswith(message), err
    assert "Traceback" not in err and out == ""
    assert not roles_in(db_url, 555).is_coordinator


def test_unknown_role_is_refused_by_the_parser(cli: Cli) -> None:
    status, _, err = cli("roles", "grant", "555", "owner")
    assert status == 2 and "invalid choice: 'owner'" in err


def test_run_without_token_exits_2_naming_bot_token(cli: Cli) -> None:
    status, out, err = cli("run")
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0], err
    assert out == ""


def test_malformed_admin_ids_exits_2_naming_it(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ADMIN_IDS", "abc")
    status, _, err = cli("roles", "list")
    assert status == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "ADMIN_IDS" in lines[0], err


def run_real_process(tmp_path: Path, *argv: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key not in CONFIG_VARIABLES}
    # These runs stop at the configuration, before any database: a SQLite file shows that
    # none was touched (on every backend).
    env.update(PYTHONPATH=str(PROJECT_ROOT), DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'p.db'}", **env_vars)
    return subprocess.run(
        [sys.executable, "-m", "bot", *argv], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


def test_real_process_run_without_token(tmp_path: Path) -> None:
    result = run_real_process(tmp_path, "run")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "BOT_TOKEN" in lines[0], result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert not (tmp_path / "p.db").exists()  # nothing touched before the check


def test_real_process_malformed_admin_ids(tmp_path: Path) -> None:
    result = run_real_process(tmp_path, "run", BOT_TOKEN="123456:TEST", ADMIN_IDS="abc")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "ADMIN_IDS" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
