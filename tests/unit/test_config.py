"""Configuration is validated at start with one clear line per bad variable."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Settings, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("BOT_TOKEN", "BOT_API_URL", "DATABASE_URL", "ADMIN_IDS", "TIMEZONE", "DEFAULT_LOCALE", "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env


def test_defaults() -> None:
    settings = load_settings()
    assert settings.bot_token is None
    assert settings.bot_api_url == "https://api.telegram.org"
    assert settings.database_url == "sqlite+aiosqlite:///birge.db"
    assert settings.admin_ids == frozenset()
    assert settings.timezone == "Asia/Almaty"
    assert settings.default_locale == "kk"
    assert settings.log_level == "INFO"


def test_values_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:ABC-def")
    monkeypatch.setenv("BOT_API_URL", "http://127.0.0.1:8081/")
    monkeypatch.setenv("ADMIN_IDS", "11, 22,33")
    monkeypatch.setenv("DEFAULT_LOCALE", "RU")
    monkeypatch.setenv("LOG_LEVEL", "debug")
    settings = load_settings()
    assert settings.require_token() == "123456:ABC-def"
    assert settings.bot_api_url == "http://127.0.0.1:8081"
    assert settings.admin_ids == frozenset({11, 22, 33})
    assert settings.default_locale == "ru"
    assert settings.log_level == "DEBUG"


def test_values_from_dotenv_file(tmp_path) -> None:
    (tmp_path / ".env").write_text("BOT_TOKEN=42:xyz\nADMIN_IDS=7\n", encoding="utf-8")
    settings = load_settings()
    assert settings.require_token() == "42:xyz"
    assert settings.admin_ids == frozenset({7})


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ADMIN_IDS", "12,abc"),
        ("TIMEZONE", "Mars/Olympus"),
        ("DEFAULT_LOCALE", "de"),
        ("BOT_TOKEN", "not-a-token"),
        ("BOT_API_URL", "ftp://example"),
        ("DATABASE_URL", "birge.db"),
        ("LOG_LEVEL", "LOUD"),
    ],
)
def test_a_wrong_value_names_the_variable(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(f"{name}: ")
    assert "\n" not in str(error.value)


def test_missing_token_is_explained() -> None:
    with pytest.raises(ConfigError, match="BOT_TOKEN is not set"):
        Settings(_env_file=None).require_token()  # type: ignore[call-arg]  # pydantic-settings' own argument
