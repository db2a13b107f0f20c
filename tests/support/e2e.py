"""Start the real application (as `birge run` wires it) against the fake Bot API.

The bot keeps every Telegram limit, except that by default it does not pace one chat
to about a message a second: the fake does not enforce that unless a test turns it on,
and at a second a message every dialog test would take minutes. Tests about speed and
limits use `telegram_pace=True` with `fake.enforce_telegram_limits()` (see the
`paced_bot` fixture): then the bot runs exactly as `birge run` does."""

from __future__ import annotations

import dataclasses

from bot.app import Application
from bot.config import Settings
from bot.infra.delivery import DeliveryConfig
from emulator import FakeTelegram
from tests.support.clock import ManualClock

ADMIN_ID = 900_001  # in ADMIN_IDS of every running bot the fixtures start


def make_settings(fake: FakeTelegram, database_url: str, **overrides: object) -> Settings:
    """Settings for a bot on `fake` and `database_url` (the `database_url` fixture: SQLite,
    or PostgreSQL when TEST_DATABASE_URL is set; see tests/support/databases.py)."""
    values: dict[str, object] = {
        "bot_token": fake.token,
        "bot_api_url": fake.base_url,
        "database_url": database_url,
        "default_locale": "kk",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]  # pydantic-settings' own argument


class RunningBot:
    """The application polling the fake server; `restart()` is a process restart
    (a new Application on the same database, nothing kept in memory)."""

    def __init__(self, settings: Settings, clock: ManualClock, *, telegram_pace: bool = False,
                 fake: FakeTelegram | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.app: Application | None = None
        if fake is not None:
            # fake.wait_idle() then also waits for updates still being handled (a handler
            # that pauses between two requests on a busy machine is not "idle").
            fake.busy_probes.append(self.handling_updates)
        config = DeliveryConfig.from_settings(settings)
        self.delivery_config = config if telegram_pace else dataclasses.replace(config, chat_interval=0.0)

    async def start(self) -> RunningBot:
        self.app = Application(self.settings, clock=self.clock, polling_timeout=1,
                               delivery_config=self.delivery_config)
        await self.app.start()
        return self

    async def stop(self) -> None:
        if self.app is not None:
            await self.app.stop()
            self.app = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    def handling_updates(self) -> bool:
        return self.app is not None and self.app.handling_updates

    @property
    def services(self):  # noqa: ANN201 - bot.app.Services
        assert self.app is not None and self.app.services is not None
        return self.app.services
