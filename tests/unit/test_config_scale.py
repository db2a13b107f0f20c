"""The settings of several processes (webhook, Redis): wrong or contradicting values name
the variable; the commands that need them say so before touching anything."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123456:TEST-TOKEN"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("WEBHOOK_", "REDIS_", "FSM_", "BOT_")):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.mark.parametrize(
    ("values", "start"),
    [
        ({"webhook_url": "http://bot.example.kz/hook"}, "WEBHOOK_URL: must be an https:// URL"),
        ({"webhook_url": "bot.example.kz/hook"}, "WEBHOOK_URL: must be the public https:// URL"),
        ({"webhook_secret": "short"}, "WEBHOOK_SECRET: must be 16-256 characters"),
        ({"webhook_secret": "has spaces in it, which Telegram refuses"}, "WEBHOOK_SECRET: "),
        ({"webhook_port": "0"}, "WEBHOOK_PORT: "),
        ({"webhook_max_connections": "101"}, "WEBHOOK_MAX_CONNECTIONS: "),
        ({"redis_url": "localhost:6379"}, "REDIS_URL: must be a redis:// URL"),
        ({"fsm_storage": "redis"}, "FSM_STORAGE: redis needs REDIS_URL"),
    ],
)
def test_a_wrong_or_contradicting_value_names_the_variable(values: dict[str, str], start: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_settings(_env_file=None, **values)
    assert str(error.value).startswith(start)


def test_plain_http_is_allowed_only_with_a_self_hosted_bot_api() -> None:
    settings = load_settings(_env_file=None, webhook_url="http://127.0.0.1:9000/hook", bot_api_url="http://127.0.0.1:8081")
    assert settings.webhook_url == "http://127.0.0.1:9000/hook"
    assert load_settings(_env_file=None, webhook_url="https://bot.example.kz/hook").webhook_url == "https://bot.example.kz/hook"


def test_web_needs_url_and_secret() -> None:
    with pytest.raises(ConfigError, match="^WEBHOOK_URL: is not set"):
        Settings(_env_file=None).require_webhook()  # type: ignore[call-arg]  # pydantic-settings' own argument
    with pytest.raises(ConfigError, match="^WEBHOOK_SECRET: is not set"):
        Settings(_env_file=None, webhook_url="https://bot.example.kz/hook").require_webhook()  # type: ignore[call-arg]  # pydantic-settings' own argument


def run_birge(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "REDIS_", "FSM_", "BOT_", "DATABASE_"))}
    return subprocess.run([sys.executable, "-m", "bot", *args], env={**clean, "PYTHONPATH": str(ROOT), **env},
                          capture_output=True, text=True, timeout=60)


def test_birge_web_without_a_secret_exits_naming_it() -> None:
    result = run_birge("web", BOT_TOKEN=TOKEN, WEBHOOK_URL="https://bot.example.kz/hook")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: WEBHOOK_SECRET: is not set")


def test_birge_worker_without_redis_exits_naming_it() -> None:
    result = run_birge("worker", BOT_TOKEN=TOKEN)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("Configuration error: REDIS_URL: is not set")


def test_an_unreachable_redis_at_start_is_a_configuration_error(tmp_path: Path) -> None:
    result = run_birge("worker", BOT_TOKEN=TOKEN, REDIS_URL="redis://127.0.0.1:1/0",
                       DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'b.db'}")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("Configuration error: REDIS_URL: cannot reach Redis at redis://127.0.0.1:1/0")
