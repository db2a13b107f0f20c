"""Each person's command menu and reply keyboard, kept in step with their role and language.

Guarantees:

* A person's command menu is set with `setMyCommands(scope=BotCommandScopeChat)` and no
  `language_code`. Telegram picks, for a private chat, the first list set among
  chat+language, chat, all-private+language, all-private, default+language, default; a
  chat list without a language therefore wins whatever language the Telegram app is in,
  which is what makes the language chosen with /language win. We never set chat+language
  lists, so nothing can shadow it. Strangers (no chosen language, no role, not
  registered) get no list of their own: the defaults per app language serve them
  (bot/access/bot_profile.py).
* Telegram is called only when the menu changes: what was last set (a fingerprint of
  the language and the commands' texts, and of the keyboard's) is kept as a chat
  record of its own in the database, next to the chat's dialog state (FSM destiny
  "menu", untouched when a dialog is cleared), so restarts do not re-send anything.
* Changes made without the bot (`birge roles grant/revoke` from the command line, a new
  ADMIN_IDS) reach the person at their next update: `MenuSyncMiddleware` compares what
  should be shown with what was last shown, sets the commands, and, outside a dialog,
  sends the new reply keyboard with a short note. Flows inside the bot that change the
  menu (registration, /language, an invite link, /delete_me) attach the keyboard to
  their own reply through `keyboard_for_reply`.
* A failed call (a 429, a network error) never costs the person their reply: it is
  logged, nothing is recorded, and the next update tries again.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.storage.base import DefaultKeyBuilder, KeyBuilder, StorageKey
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    TelegramObject,
)
from aiogram.utils.i18n import I18n

from bot.access.commands import ADMIN, COORDINATOR, VOLUNTEER, Audience, bot_commands, keyboard_rows, main_keyboard
from bot.access.roles import ADMIN as ADMIN_ROLE
from bot.access.roles import COORDINATOR as COORDINATOR_ROLE
from bot.config import SUPPORTED_LOCALES
from bot.domain.texts import N_
from bot.infra.clock import Clock
from storage.db import Database
from storage.repositories.menus import MenuFacts, MenuRepository

log = logging.getLogger(__name__)

MENU_DESTINY = "menu"
# How long a process trusts what it read of the active emergencies (another process may
# have declared or closed one meanwhile; this one forgets at once after its own changes).
EMERGENCIES_KEPT_SECONDS = 5.0

# Sent with a new keyboard when the person's role changed without them doing anything
# in the bot (granted or revoked from the command line), or the menu changed otherwise.
ROLE_NOTICES = {
    ADMIN: N_("You now have administrator rights. The menu below has been updated."),
    COORDINATOR: N_("You now have coordinator rights. The menu below has been updated."),
    VOLUNTEER: N_("You no longer have coordinator rights. The menu below has been updated."),
}
MENU_UPDATED = N_("The menu below has been updated.")

ReplyMarkup = ReplyKeyboardMarkup | ReplyKeyboardRemove


@dataclass(frozen=True, slots=True)
class MenuPlan:
    """What the person should see now."""

    audience: Audience
    commands: list[BotCommand] | None  # None: no list of their own (the defaults serve them)
    keyboard: ReplyKeyboardMarkup | None  # None: no reply keyboard (not registered)
    locale: str

    @property
    def commands_print(self) -> str | None:
        if self.commands is None:
            return None
        return _fingerprint([self.locale, [(c.command, c.description) for c in self.commands]])

    @property
    def keyboard_print(self) -> str | None:
        if self.keyboard is None:
            return None
        return _fingerprint([[button.text for button in row] for row in self.keyboard.keyboard])


def _fingerprint(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, ensure_ascii=False).encode()).hexdigest()[:16]


class MenuService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        i18n: I18n,
        admin_ids: frozenset[int],
        key_builder: KeyBuilder | None = None,
    ) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.admin_ids = admin_ids
        # Active emergencies change rarely and every update's menu needs them: read at
        # most every EMERGENCIES_KEPT_SECONDS (at once after a change in this process).
        self._emergencies: tuple[float, frozenset[str]] | None = None
        self.key_builder = key_builder or DefaultKeyBuilder(with_destiny=True)

    # --- reading -----------------------------------------------------------------------

    async def audience(self, bot: Bot, telegram_id: int) -> Audience:
        """Registration and roles as they are now (for /help)."""
        return self._audience(await self._facts(bot, telegram_id), telegram_id)

    async def plan(self, bot: Bot, telegram_id: int, guess_locale: str | None = None) -> MenuPlan:
        return self._plan(await self._facts(bot, telegram_id), telegram_id, guess_locale)

    # --- keeping Telegram in step ------------------------------------------------------

    async def sync(self, bot: Bot, telegram_id: int, *, guess_locale: str | None, in_dialog: bool) -> None:
        """At a person's update: set their commands if they changed; if a keyboard shown
        earlier is out of date and no dialog is open, send the new one with a note."""
        facts = await self._facts(bot, telegram_id)
        plan = self._plan(facts, telegram_id, guess_locale)
        shown = dict(facts.shown)
        await self._sync_commands(bot, telegram_id, plan, shown)
        stale_keyboard = (
            "keyboard" in facts.shown  # never shown: it comes with /start or the next flow
            and plan.keyboard is not None
            and facts.shown.get("keyboard") != plan.keyboard_print
        )
        if stale_keyboard and not in_dialog:
            previous = facts.shown.get("level")
            notice = ROLE_NOTICES[plan.audience.level] if previous not in (None, plan.audience.level) else MENU_UPDATED
            try:
                await bot.send_message(
                    telegram_id, self.i18n.gettext(notice, locale=plan.locale), reply_markup=plan.keyboard
                )
            except TelegramAPIError as error:
                log.warning("could not send the updated keyboard to %s: %s", telegram_id, error)
            else:
                shown.update(keyboard=plan.keyboard_print, level=plan.audience.level)
        await self._remember(bot, telegram_id, facts.shown, shown)

    async def keyboard_for_reply(
        self, bot: Bot, telegram_id: int, *, guess_locale: str | None = None, restore: bool = False
    ) -> ReplyMarkup | None:
        """After a change made in the bot: set the commands if they changed and return the
        reply keyboard to attach to the reply (None when the chat already shows the right
        one). `restore`: another reply keyboard (the phone step's) may have replaced it,
        so return it regardless (or ReplyKeyboardRemove for someone without one).

        The keyboard is recorded as shown: the caller must send it."""
        facts = await self._facts(bot, telegram_id)
        plan = self._plan(facts, telegram_id, guess_locale)
        shown = dict(facts.shown)
        await self._sync_commands(bot, telegram_id, plan, shown)
        markup: ReplyMarkup | None = None
        if plan.keyboard is not None:
            if restore or shown.get("keyboard") != plan.keyboard_print:
                markup = plan.keyboard
                shown.update(keyboard=plan.keyboard_print, level=plan.audience.level)
        elif restore or shown.get("keyboard"):
            markup = ReplyKeyboardRemove()
            shown.update(keyboard=None, level=None)
        await self._remember(bot, telegram_id, facts.shown, shown)
        return markup

    # --- internals ---------------------------------------------------------------------

    def _record_key(self, bot: Bot, telegram_id: int) -> str:
        return self.key_builder.build(
            StorageKey(bot_id=bot.id, chat_id=telegram_id, user_id=telegram_id, destiny=MENU_DESTINY)
        )

    async def _facts(self, bot: Bot, telegram_id: int) -> MenuFacts:
        async with self.db.read() as session:
            repo = MenuRepository(session)
            facts = await repo.facts(telegram_id, self._record_key(bot, telegram_id))
            now = time.monotonic()
            if self._emergencies is None or now - self._emergencies[0] > EMERGENCIES_KEPT_SECONDS:
                self._emergencies = (now, await repo.active_emergency_regions())
        return dataclasses.replace(facts, emergency_regions=self._emergencies[1])

    def forget_emergencies(self) -> None:
        """An emergency was declared or closed (in this process): read them again."""
        self._emergencies = None

    async def _remember(self, bot: Bot, telegram_id: int, before: dict[str, Any], after: dict[str, Any]) -> None:
        if after == before:
            return
        async with self.db.session() as session:
            await MenuRepository(session).remember(self._record_key(bot, telegram_id), after, self.clock.now())

    def _audience(self, facts: MenuFacts, telegram_id: int) -> Audience:
        is_admin = telegram_id in self.admin_ids or ADMIN_ROLE in facts.roles
        return Audience(
            registered=facts.registered,
            is_coordinator=COORDINATOR_ROLE in facts.roles,
            is_admin=is_admin,
            # An active emergency in a region of theirs (any, for an admin) shows the
            # emergency actions (bot/access/commands.py, EMERGENCY_ACTIONS).
            emergency=bool(facts.emergency_regions) and (is_admin or bool(facts.own_regions
                                                                          & facts.emergency_regions)),
        )

    def _plan(self, facts: MenuFacts, telegram_id: int, guess_locale: str | None) -> MenuPlan:
        audience = self._audience(facts, telegram_id)
        chosen = facts.locale if facts.locale in SUPPORTED_LOCALES else None
        guess = guess_locale if guess_locale in SUPPORTED_LOCALES else self.i18n.default_locale
        locale = chosen or guess
        own_menu = chosen is not None or facts.registered or audience.level != VOLUNTEER
        rows = keyboard_rows(audience)
        return MenuPlan(
            audience=audience,
            commands=bot_commands(self.i18n, locale, audience) if own_menu else None,
            keyboard=main_keyboard(self.i18n, locale, rows) if rows is not None else None,
            locale=locale,
        )

    async def _sync_commands(self, bot: Bot, telegram_id: int, plan: MenuPlan, shown: dict[str, Any]) -> None:
        wanted = plan.commands_print
        if shown.get("commands") == wanted:
            return
        scope = BotCommandScopeChat(chat_id=telegram_id)
        try:
            if plan.commands is None:
                await bot.delete_my_commands(scope=scope)
            else:
                await bot.set_my_commands(plan.commands, scope=scope)
        except TelegramAPIError as error:
            log.warning("could not set the command menu of %s: %s", telegram_id, error)
            return
        shown["commands"] = wanted


class MenuSyncMiddleware(BaseMiddleware):
    """Outer middleware on messages and button presses in private chats: brings the
    person's menu up to date before the handler answers (see MenuService.sync)."""

    def __init__(self, menus: MenuService) -> None:
        self.menus = menus

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        user = data.get("event_from_user")
        chat = data.get("event_chat")
        if user is not None and not user.is_bot and chat is not None and chat.type == "private":
            try:
                await self.menus.sync(
                    data["bot"], user.id, guess_locale=data.get("locale"), in_dialog=data.get("raw_state") is not None
                )
            except Exception:  # the menu is a convenience: the reply must still go out
                log.exception("menu sync failed for %s", user.id)
        return await handler(event, data)
