"""`birge sandbox`: the bot exactly as `birge run` wires it (bot.app.Application),
talking to the project's Bot API emulator on 127.0.0.1 instead of Telegram, with its own
SQLite file, and a web page where people chat with it side by side (emulator/sandbox/).

Safety: the page listens on 127.0.0.1 unless --host says otherwise (with a warning); the
bot's requests can only go to the emulator (a real BOT_API_URL or token is never used);
the database must not be the one `birge run` uses (DATABASE_URL)."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import re
import signal
import sys
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from pydantic import SecretStr
from sqlalchemy.engine import make_url

from bot.access.roles import AccessService
from bot.app import Application
from bot.callouts.cards import CalloutCardCb, CalloutCards
from bot.config import Settings
from bot.domain.catalog import REGION_BY_CODE, REGIONS
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryConfig
from bot.infra.i18n import LocalTime, make_i18n
from emulator import FakeTelegram
from emulator.sandbox import Drill, PeopleFile, Person, SandboxPage
from storage.db import Database
from storage.migrate import upgrade

log = logging.getLogger(__name__)

SANDBOX_TOKEN = "777000:SANDBOX-not-a-real-token"
SANDBOX_BOT = "birge_sandbox_bot"
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})
LOCALES = ("kk", "ru", "en")


class SandboxError(Exception):
    """The sandbox refuses to start; the message says why and what to do."""


@dataclass(slots=True)
class SandboxOptions:
    database: Path = Path("sandbox.db")
    host: str = "127.0.0.1"
    port: int = 8080
    fresh: bool = False
    demo: bool = False
    drill: int = 0
    drill_region: str = "KZ-75"
    drill_seed: int | None = None  # the same seed, the same decisions (random otherwise)
    # Telegram's flood limits in the emulator and the bot's per-chat pace, as in production.
    # Only tests turn this off, to click through dialogs without a second per message.
    telegram_pace: bool = True

    @classmethod
    def from_args(cls, args: argparse.Namespace) -> SandboxOptions:
        return cls(database=Path(args.database), host=args.host, port=args.port, fresh=args.fresh,
                   demo=args.demo, drill=args.drill, drill_region=args.drill_region.upper(),
                   drill_seed=args.drill_seed)

    @property
    def people_path(self) -> Path:
        return self.database.with_suffix(".people.json")


def check_options(options: SandboxOptions, settings: Settings) -> list[str]:
    """Refuse what is unsafe (SandboxError); return warnings to print."""
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:/", str(options.database)):
        raise SandboxError("--database takes a file path (e.g. sandbox.db), not a URL")
    if not 0 <= options.port <= 65535:
        raise SandboxError("--port must be from 0 to 65535")
    if not 0 <= options.drill <= 5000:
        raise SandboxError("--drill takes 0 to 5000 simulated volunteers")
    if options.drill_region not in REGION_BY_CODE:
        raise SandboxError(f"--drill-region {options.drill_region} is not a region code such as KZ-75")
    production = make_url(settings.database_url)
    if production.get_backend_name() == "sqlite" and production.database not in (None, "", ":memory:"):
        if Path(production.database).expanduser().resolve() == options.database.expanduser().resolve():
            raise SandboxError(f"--database {options.database} is the database `birge run` uses (DATABASE_URL); "
                               "the sandbox needs a file of its own, e.g. --database sandbox.db")
    warnings = []
    if options.host not in LOOPBACK:
        warnings.append(f"Warning: --host {options.host} makes the sandbox page reachable from other machines; "
                        "anyone who can reach it can act as any person in it.")
    return warnings


def ensure_sandboxed(settings: Settings, emulator_url: str) -> None:
    """The last guard before the bot starts: every request must go to the emulator on
    this machine, never to a real Bot API server."""
    parts = urlsplit(settings.bot_api_url)
    if settings.bot_api_url != emulator_url or parts.hostname not in LOOPBACK:
        raise SandboxError(f"refusing to run the sandbox against {settings.bot_api_url}: "
                           "it talks only to its own emulator on 127.0.0.1")
    if settings.bot_token is None or settings.bot_token.get_secret_value() != SANDBOX_TOKEN:
        raise SandboxError("refusing to run the sandbox with a real bot token")


def drill_labels() -> dict[str, frozenset[str]]:
    """The buttons a drill volunteer may press, by what they mean, in every language:
    a task card's (bot/tasks) and a call-out card's (read off the cards the bot draws,
    bot/callouts/cards.py, so the texts are the bot's own)."""
    i18n = make_i18n("en")
    texts = {"accept": ("✅ {}", ("I'll go", "Confirm my place")), "decline": ("🙅 {}", ("Can't",))}
    labels = {action: {pattern.format(i18n.gettext(msgid, locale=locale))
                       for msgid in msgids for locale in LOCALES}
              for action, (pattern, msgids) in texts.items()}
    cards = CalloutCards(i18n, LocalTime(ZoneInfo("UTC")))
    labels["arrive"] = set()
    for locale in LOCALES:
        coming, standby = cards.coming_markup(0, locale), cards.standby_markup(0, locale)
        labels["arrive"].add(_text_of(coming, "here"))
        labels["accept"].add(_text_of(standby, "standby"))  # a filled call-out: "Stay on standby"
        labels["decline"].add(_text_of(standby, "no"))
    return {action: frozenset(texts) for action, texts in labels.items()}


def drill_etas() -> dict[str, int]:
    """A call-out card's "Coming, ~N min" buttons in every language -> N."""
    cards = CalloutCards(make_i18n("en"), LocalTime(ZoneInfo("UTC")))
    return {button.text: CalloutCardCb.unpack(button.callback_data).eta
            for locale in LOCALES for row in cards.ask_markup(0, locale).inline_keyboard for button in row
            if button.callback_data and CalloutCardCb.unpack(button.callback_data).action == "go"}


def _text_of(markup: InlineKeyboardMarkup, action: str) -> str:
    return next(button.text for row in markup.inline_keyboard for button in row
                if button.callback_data and CalloutCardCb.unpack(button.callback_data).action == action)


class Sandbox:
    """The emulator, the bot and the page, started and stopped together."""

    def __init__(self, options: SandboxOptions, settings: Settings) -> None:
        self.options = options
        self.base_settings = settings
        self.fake: FakeTelegram | None = None
        self.app: Application | None = None
        self.page: SandboxPage | None = None
        self.url = ""

    async def start(self) -> str:
        options = self.options
        warnings = check_options(options, self.base_settings)
        for warning in warnings:
            print(warning, file=sys.stderr, flush=True)
        if options.fresh:
            for path in (options.database, Path(f"{options.database}-wal"), Path(f"{options.database}-shm"),
                         options.people_path):
                path.unlink(missing_ok=True)
        self.fake = FakeTelegram(token=SANDBOX_TOKEN, bot_id=int(SANDBOX_TOKEN.split(":")[0]), username=SANDBOX_BOT)
        if options.telegram_pace:
            self.fake.enforce_telegram_limits()
        await self.fake.start()
        settings = self.base_settings.model_copy(update={
            "bot_token": SecretStr(SANDBOX_TOKEN), "bot_api_url": self.fake.base_url,
            "database_url": f"sqlite+aiosqlite:///{options.database}", "admin_ids": frozenset(),
        })
        ensure_sandboxed(settings, self.fake.base_url)
        people_file = PeopleFile(options.people_path)
        await self._prepare_database(settings, people_file)
        config = DeliveryConfig.from_settings(settings)
        if not options.telegram_pace:
            config = dataclasses.replace(config, chat_interval=0.0)
        self.app = Application(settings, delivery_config=config)
        self.fake.busy_probes.append(lambda: self.app is not None and self.app.handling_updates)
        self.page = SandboxPage(self.fake, people_file, regions=[(r.code, r.name) for r in REGIONS],
                                on_new_person=self._grant, drill=Drill(self.fake, drill_labels(), etas=drill_etas(),
                                                             seed=options.drill_seed))
        await self.app.start()
        self.url = await self.page.start(options.host, options.port)
        return self.url

    async def _prepare_database(self, settings: Settings, people_file: PeopleFile) -> None:
        """Migrate; load the demo and the drill volunteers when asked."""
        from bot.cli.sandbox_demo import add_drill_volunteers, load_demo

        db = Database(settings.database_url)
        try:
            await upgrade(db)
            people = people_file.load()
            known = {person.id for person in people}
            now = Clock().now()
            added: list[Person] = []
            if self.options.demo:
                access = AccessService(db, Clock(), frozenset(), timedelta(hours=settings.invite_ttl_hours))
                added += [p for p in await load_demo(db, access, settings.tz, now) if p.id not in known]
            if self.options.drill:
                added += await add_drill_volunteers(db, self.options.drill, self.options.drill_region, now, known)
            if added:
                people_file.save(people + added)
        finally:
            await db.close()

    async def _grant(self, person: Person) -> None:
        """A person made on the page gets the role asked for."""
        assert self.app is not None and self.app.services is not None
        access = self.app.services.access
        if person.role == "admin":
            await access.grant(person.id, "admin")
        elif person.role == "coordinator":
            await access.grant(person.id, "coordinator", region=person.region, organisation="Sandbox")

    async def stop(self) -> None:
        if self.page is not None:
            await self.page.stop()
        if self.app is not None:
            await self.app.stop()
            self.app = None
        if self.fake is not None:
            await self.fake.stop()


async def run_sandbox(options: SandboxOptions, settings: Settings) -> int:
    """Start everything, print the address, run until Ctrl-C (or SIGTERM), stop cleanly."""
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)  # one line per update is noise here
    sandbox = Sandbox(options, settings)
    try:
        url = await sandbox.start()
    except (SandboxError, ValueError) as error:
        await sandbox.stop()
        print(f"birge sandbox: {error}", file=sys.stderr, flush=True)
        return 2
    except OSError as error:
        await sandbox.stop()
        print(f"birge sandbox: cannot listen on {options.host}:{options.port} ({error.strerror or error}); "
              "try another --port", file=sys.stderr, flush=True)
        return 2
    print(f"Birge sandbox is running: open {url} in your browser. Ctrl-C stops it.", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
        print("Stopping the sandbox…", flush=True)
        await sandbox.stop()
    print("Stopped.", flush=True)
    return 0
