"""The task card a volunteer sees: what, where, when (local time, their language), who is
needed, and the buttons. Rendered outside an update too (the outbox sends cards to
many people, each in their own language), so texts go through `i18n.gettext(..., locale=)`.

The buttons carry only the action and the task id (`TaskCardCb`); whoever presses is
checked on the server (bot/tasks/signups.py), never trusted from the button."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.domain.catalog import DIRECTION_BY_CODE, SKILL_BY_CODE
from bot.domain.tasks import TaskStatus, has_free_place
from bot.infra.i18n import LocalTime
from storage.models import Task

DESCRIPTION_IN_CARD = 300  # characters of the description on the card; "Details" shows all


class TaskCardCb(CallbackData, prefix="tcard"):
    """action: go | no | info | wait | confirm"""

    action: str
    task_id: int


@dataclass(frozen=True, slots=True)
class Card:
    text: str
    markup: InlineKeyboardMarkup | None


class CardRenderer:
    def __init__(self, i18n: I18n, local_time: LocalTime) -> None:
        self.i18n = i18n
        self.local_time = local_time

    def _(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

    def text(self, task: Task, locale: str, *, details: bool = False, header: str | None = None,
             waitlist_hint: bool = True) -> str:
        _ = self._
        lines = []
        if header:
            lines += [header, ""]
        lines.append("📋 <b>" + html.quote(task.title) + "</b>")
        direction = DIRECTION_BY_CODE.get(task.direction)
        about = [_(direction.name, locale)] if direction else []
        if task.organisation:
            about.append(html.quote(task.organisation))
        if about:
            lines.append(" · ".join(about))
        lines.append("")
        lines.append("🕒 " + self.local_time.span(task.starts_at, task.ends_at, locale))
        where = html.quote(task.place) if task.place else ""
        if task.latitude is not None and task.longitude is not None:
            where = (where + " " if where else "") + f"({task.latitude:.5f}, {task.longitude:.5f})"
        if where:
            lines.append("📍 " + where)
        left = max(task.slots - task.taken, 0)
        lines.append("👥 " + _("Places left: {left} of {slots}", locale).format(left=left, slots=task.slots))
        lines.append("🎂 " + _("Age: {age}+", locale).format(age=task.min_age))
        skills = [_(SKILL_BY_CODE[code].name, locale) for code in task.required_skills or () if code in SKILL_BY_CODE]
        if skills:
            lines.append("🛠 " + _("Skills: {skills}", locale).format(skills=", ".join(skills)))
        description = task.description or ""
        if description:
            if not details and len(description) > DESCRIPTION_IN_CARD:
                description = description[:DESCRIPTION_IN_CARD].rstrip() + "…"
            lines += ["", html.quote(description)]
        if task.status == TaskStatus.CANCELLED:
            lines += ["", "❌ " + _("This task has been cancelled.", locale)]
        elif waitlist_hint and (task.status == TaskStatus.FULL or left == 0):
            lines += ["", _("All places are taken; you can join the waitlist.", locale)]
        return "\n".join(lines)

    def offer_markup(self, task: Task, locale: str) -> InlineKeyboardMarkup | None:
        """I'll go / Can't / Details, or Join the waitlist when full; none when cancelled."""
        _ = self._
        if not task.status.accepts_signups:
            return None
        if has_free_place(task.status, task.slots, task.taken):
            first = InlineKeyboardButton(text="✅ " + _("I'll go", locale),
                                         callback_data=TaskCardCb(action="go", task_id=task.id).pack())
        else:
            first = InlineKeyboardButton(text="🕒 " + _("Join the waitlist", locale),
                                         callback_data=TaskCardCb(action="wait", task_id=task.id).pack())
        return InlineKeyboardMarkup(inline_keyboard=[
            [first, InlineKeyboardButton(text="🙅 " + _("Can't", locale),
                                         callback_data=TaskCardCb(action="no", task_id=task.id).pack())],
            [InlineKeyboardButton(text="ℹ️ " + _("Details", locale),
                                  callback_data=TaskCardCb(action="info", task_id=task.id).pack())],
        ])

    def offer(self, task: Task, locale: str) -> Card:
        return Card(self.text(task, locale), self.offer_markup(task, locale))

    def promotion(self, task: Task, locale: str, deadline_text: str) -> Card:
        """A freed place for someone on the waitlist: confirm before the deadline."""
        _ = self._
        header = "🎉 " + _("A place has opened up for you! Please confirm by {deadline}, "
                          "otherwise it goes to the next person on the waitlist.", locale).format(deadline=deadline_text)
        markup = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text="✅ " + _("Confirm my place", locale),
                                 callback_data=TaskCardCb(action="confirm", task_id=task.id).pack()),
            InlineKeyboardButton(text="🙅 " + _("Can't", locale),
                                 callback_data=TaskCardCb(action="no", task_id=task.id).pack()),
        ]])
        return Card(self.text(task, locale, header=header, waitlist_hint=False), markup)
