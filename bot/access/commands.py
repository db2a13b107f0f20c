"""Who may use which command, and the main actions of the persistent reply keyboard.

The one place for these rules: the command menu Telegram shows (bot/access/menus.py sets it
per person), /help, and the reply keyboard all read them, so they cannot disagree.

* Everyone: /start, /find, /myrequests, /safe, /verify, /language, /help, /cancel.
* Volunteers: /tasks, /my, /profile, /certificate, /calls, /delete_me — shown to registered people and to
  anyone without a role (they are on their way to becoming volunteers: the default menu).
  A coordinator or admin who has not registered as a volunteer does not see them.
* Coordinators (and admins): /newtask, /mytasks, /callout, /emergency, /stats, /reconnection. Admins: /admin.
  (/emergency also answers volunteers: the active emergencies of their region.)

The reply keyboard exists only for registered people: 3-4 main actions of their role,
each the same as a command. Its button texts are recognised in any of the three
languages (a keyboard sent before a language change still works). While an emergency is
active in a region of theirs, a first row of emergency actions comes on top
(EMERGENCY_ACTIONS: the one list a new emergency action, such as "I'm safe", joins).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from aiogram.types import BotCommand, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.config import SUPPORTED_LOCALES
from bot.domain.texts import N_

EVERYONE = "everyone"
VOLUNTEERS = "volunteers"
COORDINATORS = "coordinators"
ADMINS = "admins"

VOLUNTEER = "volunteer"
COORDINATOR = "coordinator"
ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class CommandSpec:
    name: str
    description: str  # msgid, shown in the menu and in /help
    group: str  # EVERYONE | VOLUNTEERS | COORDINATORS | ADMINS


# In menu order.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("start", N_("Main menu or registration"), EVERYONE),
    CommandSpec("tasks", N_("Tasks for me"), VOLUNTEERS),
    CommandSpec("my", N_("My sign-ups"), VOLUNTEERS),
    CommandSpec("profile", N_("My profile"), VOLUNTEERS),
    CommandSpec("certificate", N_("Certificate of my hours"), VOLUNTEERS),
    CommandSpec("find", N_("Ask a volunteer to check on someone"), EVERYONE),
    CommandSpec("myrequests", N_("My requests to check on someone"), EVERYONE),
    CommandSpec("safe", N_("Tell families I am safe"), EVERYONE),
    CommandSpec("calls", N_("Relay calls: the next person to call"), VOLUNTEERS),
    CommandSpec("newtask", N_("New task"), COORDINATORS),
    CommandSpec("mytasks", N_("My tasks"), COORDINATORS),
    CommandSpec("callout", N_("Urgent call-out of volunteers"), COORDINATORS),
    CommandSpec("emergency", N_("Emergencies: declare, see, close"), COORDINATORS),
    CommandSpec("stats", N_("Statistics and reports"), COORDINATORS),
    CommandSpec("reconnection", N_("Family reconnection: counts"), COORDINATORS),
    CommandSpec("admin", N_("Administration"), ADMINS),
    CommandSpec("verify", N_("Check a certificate of hours"), EVERYONE),
    CommandSpec("language", N_("Change language"), EVERYONE),
    CommandSpec("help", N_("What Birge can do"), EVERYONE),
    CommandSpec("cancel", N_("Cancel the current step"), EVERYONE),
    CommandSpec("delete_me", N_("Delete my data"), VOLUNTEERS),
)
COMMAND_BY_NAME = {spec.name: spec for spec in COMMANDS}


@dataclass(frozen=True, slots=True)
class Audience:
    """What decides a person's menu: registration and roles (admins coordinate too)."""

    registered: bool = False
    is_coordinator: bool = False
    is_admin: bool = False
    emergency: bool = False  # an emergency is active in one of their regions

    @property
    def level(self) -> str:
        if self.is_admin:
            return ADMIN
        if self.is_coordinator:
            return COORDINATOR
        return VOLUNTEER

    def sees(self, group: str) -> bool:
        if group == EVERYONE:
            return True
        if group == VOLUNTEERS:
            return self.registered or self.level == VOLUNTEER
        if group == COORDINATORS:
            return self.is_coordinator or self.is_admin
        return self.is_admin


# Strangers, and the menu Telegram shows before a person has one of their own.
DEFAULT_AUDIENCE = Audience()


def commands_of(audience: Audience) -> tuple[CommandSpec, ...]:
    return tuple(spec for spec in COMMANDS if audience.sees(spec.group))


def bot_commands(i18n: I18n, locale: str, audience: Audience = DEFAULT_AUDIENCE) -> list[BotCommand]:
    return [
        BotCommand(command=spec.name, description=i18n.gettext(spec.description, locale=locale))
        for spec in commands_of(audience)
    ]


# --- the persistent reply keyboard ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MainAction:
    code: str
    icon: str
    label: str  # msgid; the button shows icon + " " + translation
    command: str  # pressing the button does what this command does


MAIN_ACTIONS: dict[str, MainAction] = {
    action.code: action
    for action in (
        MainAction("tasks", "🗂", N_("Tasks for me"), "tasks"),
        MainAction("my", "📌", N_("My sign-ups"), "my"),
        MainAction("profile", "👤", N_("My profile"), "profile"),
        MainAction("newtask", "➕", N_("New task"), "newtask"),
        MainAction("mytasks", "📋", N_("My tasks"), "mytasks"),
        MainAction("admin", "🛡", N_("Administration"), "admin"),
        MainAction("menu", "🏠", N_("Main menu"), "start"),
        MainAction("callout", "🚨", N_("Call-out"), "callout"),
        MainAction("emergency", "🆘", N_("Emergency"), "emergency"),
        MainAction("safe", "🙋", N_("I'm safe"), "safe"),
    )
}


@dataclass(frozen=True, slots=True)
class EmergencyAction:
    code: str  # a MAIN_ACTIONS code
    levels: frozenset[str]  # who sees it: VOLUNTEER, COORDINATOR, ADMIN


# The emergency actions, in order, shown as the keyboard's first row while an emergency
# is active in a person's region. A feature adds its action here (and to MAIN_ACTIONS).
EMERGENCY_ACTIONS: list[EmergencyAction] = [
    EmergencyAction("callout", frozenset({COORDINATOR, ADMIN})),
    EmergencyAction("safe", frozenset({VOLUNTEER, COORDINATOR, ADMIN})),  # family reconnection's /safe
    EmergencyAction("emergency", frozenset({VOLUNTEER, COORDINATOR, ADMIN})),
]

KEYBOARD_ROWS: dict[str, tuple[tuple[str, ...], ...]] = {
    VOLUNTEER: (("tasks", "my"), ("profile", "menu")),
    COORDINATOR: (("newtask", "mytasks"), ("tasks", "menu")),
    ADMIN: (("newtask", "mytasks"), ("admin", "menu")),
}


def keyboard_rows(audience: Audience) -> tuple[tuple[str, ...], ...] | None:
    """The action codes of the person's reply keyboard, row by row; None: no keyboard."""
    if not audience.registered:
        return None
    rows = KEYBOARD_ROWS[audience.level]
    if audience.emergency:
        urgent = tuple(action.code for action in EMERGENCY_ACTIONS if audience.level in action.levels)
        if urgent:
            rows = (urgent, *rows)
    return rows


def button_text(i18n: I18n, action: MainAction, locale: str) -> str:
    return f"{action.icon} {i18n.gettext(action.label, locale=locale)}"


def main_keyboard(i18n: I18n, locale: str, rows: tuple[tuple[str, ...], ...]) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=button_text(i18n, MAIN_ACTIONS[code], locale)) for code in row] for row in rows],
        is_persistent=True,
        resize_keyboard=True,
    )


_SPACES = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """Button text as compared: NFC, no emoji variation selectors, single spaces, casefolded
    (some clients drop U+FE0F from an emoji, and people retype labels loosely)."""
    text = unicodedata.normalize("NFC", text).replace("\ufe0f", "").replace("\ufe0e", "")
    return _SPACES.sub(" ", text).strip().casefold()


@lru_cache(maxsize=8)
def _labels(i18n: I18n) -> tuple[dict[str, str], dict[str, str]]:
    """(label with icon -> action code, bare label -> action code) in every language."""
    with_icon: dict[str, str] = {}
    bare: dict[str, str] = {}
    for locale in SUPPORTED_LOCALES:
        for action in MAIN_ACTIONS.values():
            with_icon[normalize_label(button_text(i18n, action, locale))] = action.code
            bare[normalize_label(i18n.gettext(action.label, locale=locale))] = action.code
    return with_icon, bare


def action_for_text(i18n: I18n, text: str, *, bare_allowed: bool) -> MainAction | None:
    """The main action a text names: a reply-keyboard button (icon and label, in any of
    the three languages), or, when `bare_allowed`, the label typed without its icon.

    Inside a dialog pass bare_allowed=False: there a typed "My tasks" may be an answer
    (a task's title), while the exact button text can only come from the keyboard."""
    with_icon, bare = _labels(i18n)
    key = normalize_label(text)
    code = with_icon.get(key) or (bare.get(key) if bare_allowed else None)
    return MAIN_ACTIONS[code] if code else None
