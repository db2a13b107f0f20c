"""Configuration from environment variables and an optional `.env` file.

Validated once at start; a wrong value ends the program with one line naming the
variable (see `load_settings`), never with a traceback.
"""

from __future__ import annotations

import re
import sys
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

SUPPORTED_LOCALES = ("kk", "ru", "en")
OFFICIAL_BOT_API_URL = "https://api.telegram.org"


class ConfigError(Exception):
    """A configuration value is missing or wrong; the message names the variable."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    bot_api_url: str = OFFICIAL_BOT_API_URL
    database_url: str = "sqlite+aiosqlite:///birge.db"
    admin_ids: Annotated[frozenset[int], NoDecode] = frozenset()
    timezone: str = "Asia/Almaty"
    default_locale: Literal["kk", "ru", "en"] = "kk"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] = "INFO"
    # How long an admin's coordinator invite link stays valid.
    invite_ttl_hours: int = Field(default=48, ge=1, le=24 * 30)
    # Outgoing messages (bot/infra/delivery): at most send_rate in any sliding second, counting
    # every message the bot sends or edits (direct replies and the delivery queue share it;
    # the engine keeps a 2 % margin on the second itself). Telegram allows a bot about 30;
    # allow_paid_broadcast (a paid Telegram option) lifts that to 1000 for broadcasts.
    allow_paid_broadcast: bool = False
    send_rate: float = Field(default=30.0, gt=0, le=1000)
    paid_broadcast_rate: float = Field(default=1000.0, gt=0, le=1000)
    # Messages in flight at once (claimed, not yet recorded as sent); after a crash at most
    # this many can reach someone twice (only those already on the wire, in fact). 12 is the
    # smallest value that kept 0.9 x 300/s against the fake on a busy shared 2-core machine
    # (python -m benchmarks.delivery_bench; 8 did so only when the machine was quiet).
    send_concurrency: int = Field(default=12, ge=1, le=32)
    # Attempts for a message that meets 5xx or network errors before it is failed.
    send_max_attempts: int = Field(default=5, ge=1, le=20)
    # Task offers: routine offers per volunteer per local day (emergencies do not count).
    daily_broadcast_cap: int = Field(default=5, ge=1, le=50)
    # Minutes a promoted waitlister has to confirm a freed place before it passes on.
    signup_confirm_minutes: int = Field(default=120, ge=5, le=7 * 24 * 60)
    # Family reconnection: days after a request closes before its phone and messages are erased.
    reconnection_retention_days: int = Field(default=30, ge=1, le=365)
    # Certificates of hours: the issuing organisation printed on them and named on verification.
    org_name: str = "Birge"
    # Several processes behind one token (README "Scaling out"): `birge web` serves the
    # webhook, `birge worker` sends and runs the scheduler; Redis holds what they share.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    webhook_max_connections: int = Field(default=40, ge=1, le=100)
    redis_url: str | None = None
    # Where dialogs (FSM state) live: "database" (default) or "redis" (needs REDIS_URL).
    fsm_storage: Literal["database", "redis"] = "database"

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.replace(";", ",").split(",") if p.strip()]
            try:
                return frozenset(int(p) for p in parts)
            except ValueError:
                raise ValueError("must be comma-separated Telegram user ids, e.g. 12345,67890") from None
        return value

    @field_validator("bot_token", mode="after")
    @classmethod
    def _check_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        token = value.get_secret_value().strip()
        head, sep, tail = token.partition(":")
        if not sep or not head.isdigit() or not tail:
            raise ValueError("must look like 123456789:AAE... (the token @BotFather gave you)")
        return SecretStr(token)

    @field_validator("bot_api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("must be an http:// or https:// URL, e.g. http://127.0.0.1:8081")
        return value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: str) -> str:
        if "://" not in value:
            raise ValueError("must be a SQLAlchemy URL, e.g. sqlite+aiosqlite:///birge.db")
        return value

    @field_validator("webhook_url", "redis_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_url")
    @classmethod
    def _check_webhook_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be the public https:// URL Telegram posts updates to, e.g. https://bot.example.kz/webhook")
        return value

    @field_validator("webhook_secret", mode="after")
    @classmethod
    def _check_webhook_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None or not value.get_secret_value().strip():
            return None
        if not re.fullmatch(r"[A-Za-z0-9_-]{16,256}", value.get_secret_value().strip()):
            raise ValueError("must be 16-256 characters A-Z, a-z, 0-9, _ and - (Telegram's rule for secret_token)")
        return SecretStr(value.get_secret_value().strip())

    @field_validator("redis_url")
    @classmethod
    def _check_redis_url(cls, value: str | None) -> str | None:
        if value is not None and not value.strip().startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must be a redis:// URL, e.g. redis://127.0.0.1:6379/0")
        return value.strip() if value else None

    @model_validator(mode="after")
    def _check_together(self) -> Settings:
        if self.webhook_url is not None and urlsplit(self.webhook_url).scheme != "https" \
                and self.bot_api_url == OFFICIAL_BOT_API_URL:
            # Only a self-hosted Bot API server (BOT_API_URL) may post to plain http.
            raise ValueError("WEBHOOK_URL: must be an https:// URL (Telegram posts only to https; plain http "
                             "works only with a self-hosted Bot API server in BOT_API_URL)")
        if self.fsm_storage == "redis" and self.redis_url is None:
            raise ValueError("FSM_STORAGE: redis needs REDIS_URL (set REDIS_URL or FSM_STORAGE=database)")
        return self

    @field_validator("send_rate")
    @classmethod
    def _check_send_rate(cls, value: float, info: ValidationInfo) -> float:
        if value > 30 and not info.data.get("allow_paid_broadcast"):
            raise ValueError(
                "must be at most 30 messages a second (Telegram's limit for a bot); "
                "a higher rate needs ALLOW_PAID_BROADCAST=true"
            )
        return value

    @field_validator("org_name")
    @classmethod
    def _check_org_name(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("must not be empty, e.g. ORG_NAME=Birge")
        if len(value) > 100:
            raise ValueError("at most 100 characters")
        if any(not ch.isprintable() for ch in value):
            raise ValueError("must be printable text")
        return value

    @field_validator("timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError("must be a tz database name such as Asia/Almaty") from None
        return value

    @field_validator("default_locale", mode="before")
    @classmethod
    def _lower_locale(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def require_token(self) -> str:
        if self.bot_token is None:
            raise ConfigError(
                "BOT_TOKEN is not set: get a token from @BotFather and set BOT_TOKEN "
                "in the environment or in a .env file."
            )
        return self.bot_token.get_secret_value()

    def require_webhook(self) -> tuple[str, str]:
        """The webhook URL and secret `birge web` needs."""
        if self.webhook_url is None:
            raise ConfigError("WEBHOOK_URL: is not set: `birge web` needs the public https:// URL Telegram posts "
                              "updates to, e.g. https://bot.example.kz/webhook")
        if self.webhook_secret is None:
            raise ConfigError("WEBHOOK_SECRET: is not set: `birge web` needs a secret of 16-256 characters "
                              "A-Z, a-z, 0-9, _ and - (Telegram sends it with every update)")
        return self.webhook_url, self.webhook_secret.get_secret_value()

    def require_redis(self, command: str) -> str:
        if self.redis_url is None:
            raise ConfigError(f"REDIS_URL: is not set: `birge {command}` shares its state with the other processes "
                              "in Redis, e.g. REDIS_URL=redis://127.0.0.1:6379/0")
        return self.redis_url


def load_settings(**overrides: Any) -> Settings:
    """Read the settings; raise ConfigError with one line per wrong variable."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            if error["loc"]:
                lines.append(f"{str(error['loc'][0]).upper()}: {message}")
            else:  # a rule over several settings names its variables itself
                lines.append(message)
        raise ConfigError("; ".join(lines)) from None


def exit_on_config_error(error: ConfigError) -> None:
    print(f"Configuration error: {error}", file=sys.stderr)
    raise SystemExit(2)
