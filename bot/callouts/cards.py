"""What a volunteer sees of a call-out: the card (what, where, from when, how many, the
skills, the emergency's safety notes) and its buttons, before and after they answer.
Rendered outside an update too (each recipient in their own language), so texts go
through `i18n.gettext(..., locale=)`.

Buttons carry only the action, the call-out id and an estimate (`CalloutCardCb`); who
pressed is checked on the server (bot/callouts/answers.py)."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.domain.callouts import ETA_CHOICES, TEMPLATE_BY_CODE, AnswerStatus
from bot.domain.catalog import REGION_BY_CODE, SKILL_BY_CODE
from bot.infra.i18n import LocalTime
from storage.models import Callout


def what_of(i18n: I18n, callout: Callout, locale: str) -> str:
    """What is needed, in the reader's language when it is one of the templates (the
    coordinator's own words otherwise)."""
    template = TEMPLATE_BY_CODE.get(callout.template or "")
    return i18n.gettext(template.text, locale=locale) if template else callout.text


class CalloutCardCb(CallbackData, prefix="co"):
    """action: go (eta = minutes) | no | here (arrived) | standby"""

    action: str
    callout_id: int
    eta: int = 0


@dataclass(frozen=True, slots=True)
class Card:
    text: str
    markup: InlineKeyboardMarkup | None


class CalloutCards:
    def __init__(self, i18n: I18n, local_time: LocalTime) -> None:
        self.i18n = i18n
        self.local_time = local_time

    def _(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

    def region_name(self, code: str, locale: str) -> str:
        region = REGION_BY_CODE.get(code)
        return self._(region.name, locale) if region else code

    def text(self, callout: Callout, locale: str, *, emergency_name: str | None = None,
             safety_notes: str | None = None) -> str:
        _ = self._
        lines = ["🚨 <b>" + _("Call-out", locale) + ": " + html.quote(what_of(self.i18n, callout, locale)) + "</b>"]
        if emergency_name:
            lines.append("🆘 " + html.quote(emergency_name))
        lines.append("")
        where = [self.region_name(callout.region, locale)]
        if callout.place:
            where.append(html.quote(callout.place))
        lines.append("📍 " + ", ".join(where))
        if callout.latitude is not None and callout.longitude is not None:
            lines.append(f"🗺 https://maps.google.com/?q={callout.latitude:.6f},{callout.longitude:.6f}")
        if callout.starts_at > callout.created_at:
            lines.append("🕒 " + _("From {time} today", locale).format(
                time=self.local_time.time(callout.starts_at, locale)))
        else:
            lines.append("🕒 " + _("Now", locale))
        lines.append("👥 " + _("People needed: {count}", locale).format(count=callout.needed))
        skills = [_(SKILL_BY_CODE[code].name, locale)
                  for code in callout.required_skills or () if code in SKILL_BY_CODE]
        if skills:
            lines.append("🛠 " + _("Skills needed: {skills}", locale).format(skills=", ".join(skills)))
        if safety_notes:
            lines += ["", "⚠️ <b>" + _("Safety", locale) + ":</b> " + html.quote(safety_notes)]
        return "\n".join(lines)

    def ask_markup(self, callout_id: int, locale: str) -> InlineKeyboardMarkup:
        """Coming (with an estimate) or can't."""
        _ = self._
        eta = [InlineKeyboardButton(text="🏃 " + _("Coming, ~{minutes} min", locale).format(minutes=minutes),
                                    callback_data=CalloutCardCb(action="go", callout_id=callout_id, eta=minutes).pack())
               for minutes in ETA_CHOICES]
        return InlineKeyboardMarkup(inline_keyboard=[
            eta[:2], eta[2:],
            [InlineKeyboardButton(text="🙅 " + _("Can't", locale),
                                  callback_data=CalloutCardCb(action="no", callout_id=callout_id).pack())],
        ])

    def coming_markup(self, callout_id: int, locale: str) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="📍 " + _("I've arrived", locale),
                                  callback_data=CalloutCardCb(action="here", callout_id=callout_id).pack())],
            [InlineKeyboardButton(text="🙅 " + _("Can't come after all", locale),
                                  callback_data=CalloutCardCb(action="no", callout_id=callout_id).pack())],
        ])

    def standby_markup(self, callout_id: int, locale: str) -> InlineKeyboardMarkup:
        _ = self._
        return InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="🕒 " + _("Stay on standby", locale),
                                  callback_data=CalloutCardCb(action="standby", callout_id=callout_id).pack())],
            [InlineKeyboardButton(text="🙅 " + _("Can't", locale),
                                  callback_data=CalloutCardCb(action="no", callout_id=callout_id).pack())],
        ])

    def offer(self, callout: Callout, locale: str, *, emergency_name: str | None,
              safety_notes: str | None) -> Card:
        return Card(self.text(callout, locale, emergency_name=emergency_name, safety_notes=safety_notes),
                    self.ask_markup(callout.id, locale))

    def status_line(self, status: AnswerStatus, eta: int | None, locale: str) -> str:
        """What the volunteer answered, under the card."""
        _ = self._
        if status == AnswerStatus.COMING:
            return "✅ " + _("You are coming (about {minutes} min). Press “I've arrived” when you are there.",
                             locale).format(minutes=eta or 0)
        if status == AnswerStatus.ARRIVED:
            return "📍 " + _("You are on site. Thank you!", locale)
        if status == AnswerStatus.STANDBY:
            return "🕒 " + _("You are on standby. The coordinator may call on you.", locale)
        if status == AnswerStatus.CANCELLED:
            return "↩️ " + _("You have cancelled. You can still change your mind.", locale)
        if status == AnswerStatus.DECLINED:
            return "🙅 " + _("You answered that you can't. You can still change your mind.", locale)
        return ""

    def markup_for(self, status: AnswerStatus, callout_id: int, locale: str,
                   *, filled: bool = False) -> InlineKeyboardMarkup | None:
        if status == AnswerStatus.COMING:
            return self.coming_markup(callout_id, locale)
        if status == AnswerStatus.ARRIVED:
            return None
        if status == AnswerStatus.STANDBY:
            return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
                text="🙅 " + self._("Can't", locale),
                callback_data=CalloutCardCb(action="no", callout_id=callout_id).pack())]])
        if filled:
            return self.standby_markup(callout_id, locale)
        return self.ask_markup(callout_id, locale)
