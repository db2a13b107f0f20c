"""What the profile screens share: callback data, states, the profile card and its keyboard."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.attendance import Totals, format_hours
from bot.attendance.levels import LevelTexts
from bot.domain.catalog import INTERFACE_LANGUAGES
from bot.domain.texts import N_
from bot.domain.volunteers import VolunteerStatus
from bot.infra.i18n import LocalTime
from handlers.fields.volunteer import FIELDS, PERSON_FIELDS
from handlers.people_text import guardian_text
from handlers.reconnection.common import CallCb
from handlers.ui import AnyMessage, say
from storage.models import Volunteer


class ProfileCb(CallbackData, prefix="prof"):
    """action: show | menu | edit | pause | pause_for | pause_date | resume | delete | delete_yes | delete_no;
    arg: a field or pause code; ref: the volunteer row an irreversible button was made for."""

    action: str
    arg: str = ""
    ref: int = 0


class ProfileStates(StatesGroup):
    editing = State()  # FSM data: field, msg, selected (a multi-select's draft), pending, chain
    guardian = State()  # a new birth year makes the person a minor: guardian's consent?
    pausing = State()  # choosing how long to pause
    pause_date = State()  # typing the date the pause ends


# The interface language is shown with the fields but changed through /language.
INTERFACE_LANGUAGE_LABEL = N_("Interface language")
EMPTY = "—"


def status_text(volunteer: Volunteer, locale: str, local_time: LocalTime) -> str:
    if volunteer.status == VolunteerStatus.PAUSED:
        if volunteer.paused_until is None:
            return "⏸ " + _("paused until you resume")
        return "⏸ " + _("paused until {date}").format(date=local_time.date(volunteer.paused_until, locale))
    return "✅ " + _("active")


def has_guardian(volunteer: Volunteer) -> bool:
    """Registered as a minor (a guardian agreed), or a guardian is on record."""
    return bool(volunteer.guardian_consent_at or volunteer.guardian_name or volunteer.guardian_phone)


def profile_text(volunteer: Volunteer, locale: str, local_time: LocalTime,
                 totals: Totals | None = None) -> str:
    interface = dict(INTERFACE_LANGUAGES).get(volunteer.locale or locale, EMPTY)
    since = volunteer.consent_at or volunteer.created_at
    lines = ["👤 <b>" + _("My profile") + "</b>", ""]
    # FieldSpec.show() escapes what the person typed (a name like <b>& stays text).
    lines += [f"<b>{FIELDS[name].label()}:</b> {FIELDS[name].show(getattr(volunteer, name))}" for name in PERSON_FIELDS]
    if has_guardian(volunteer):
        guardian = guardian_text(volunteer.guardian_name, volunteer.guardian_phone)
        lines.append(f"<b>{FIELDS['guardian_name'].label()}:</b> {guardian}")
    lines.append(f"<b>{_(INTERFACE_LANGUAGE_LABEL)}:</b> {interface}")
    lines.append("")
    status_label, since_label = _("Status"), _("Registered since")
    lines.append(f"<b>{status_label}:</b> {status_text(volunteer, locale, local_time)}")
    lines.append(f"<b>{since_label}:</b> {local_time.date(since, locale)}")
    if totals is not None:  # approved hours (bot/attendance)
        hours_label, done_label = _("Hours this year"), _("Tasks and call-outs")
        lines.append(f"<b>{hours_label}:</b> {format_hours(totals.year_hours, locale)}")
        lines.append(f"<b>{done_label}:</b> {totals.tasks}")
        # The level counts all-time approved hours, tasks and call-outs (bot/domain/levels.py).
        level_label = _("Level")
        level, ahead = LevelTexts(get_i18n()).standing(totals.all_hours, totals.tasks, locale)
        lines.append(f"<b>{level_label}:</b> {level}")
        lines.append(ahead)
    return "\n".join(lines)


def profile_keyboard(volunteer: Volunteer) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for name in PERSON_FIELDS + (("guardian_name",) if has_guardian(volunteer) else ()):
        builder.button(text="✏️ " + FIELDS[name].label(), callback_data=ProfileCb(action="edit", arg=name))
    builder.button(text="✏️ " + _(INTERFACE_LANGUAGE_LABEL), callback_data=ProfileCb(action="edit", arg="locale"))
    builder.adjust(2)
    if volunteer.status == VolunteerStatus.PAUSED:
        builder.row(
            InlineKeyboardButton(text="▶️ " + _("Resume notifications"), callback_data=ProfileCb(action="resume").pack()),
            InlineKeyboardButton(text="⏸ " + _("Change the pause"), callback_data=ProfileCb(action="pause").pack()),
        )
    else:
        builder.row(
            InlineKeyboardButton(text="⏸ " + _("Pause notifications"), callback_data=ProfileCb(action="pause").pack())
        )
    builder.row(InlineKeyboardButton(text="📞 " + _("Relay calls"), callback_data=CallCb(action="caller").pack()))
    builder.row(InlineKeyboardButton(text="🗑 " + _("Delete my data"), callback_data=ProfileCb(action="delete").pack()))
    builder.row(InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=ProfileCb(action="menu").pack()))
    return builder.as_markup()


async def send_profile(
    target: AnyMessage,
    volunteer: Volunteer,
    locale: str,
    local_time: LocalTime,
    *,
    note: str | None = None,
    edit: bool = False,
    totals: Totals | None = None,
) -> None:
    """The card, with `note` ("✅ Saved.") on top; `edit`: it replaces `target` (the bot's
    message a button was just pressed on) instead of coming as a new message."""
    text = profile_text(volunteer, locale, local_time, totals)
    await say(target, f"{note}\n\n{text}" if note else text, profile_keyboard(volunteer), in_place=edit)


def not_registered_text() -> str:
    return _("You are not registered yet. Send /start to register as a volunteer.")


