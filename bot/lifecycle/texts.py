"""What the task's life says, in the reader's language (rendered outside an update, so
through `i18n.gettext(..., locale=)`), and its buttons. Buttons carry ids only; every
press is checked on the server (bot/lifecycle/reminders.py, coordinator.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import html
from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.domain.reminders import ReminderKind
from bot.infra.i18n import LocalTime
from storage.models import Task, Volunteer
from storage.repositories.lifecycle import DigestTask

NAMES_IN_NOTICE = 30


class RemindCb(CallbackData, prefix="rmd"):
    """A volunteer's answer to a reminder. action: yes | cant | cant_yes | keep | coord"""

    action: str
    task_id: int


def remind_data(action: str, task_id: int) -> str:
    """`RemindCb(action=action, task_id=task_id).pack()`, without building the model
    (a test checks they are equal)."""
    return f"rmd:{action}:{task_id}"


class NoticeCb(CallbackData, prefix="ntc"):
    """The coordinator's one-tap actions on the "not confirmed" list.
    action: release | release_yes | resend | back | card (the digest: open the task's card)"""

    action: str
    task_id: int


class LifeTexts:
    def __init__(self, i18n: I18n, local_time: LocalTime) -> None:
        self.i18n = i18n
        self.local_time = local_time
        self._spans: dict[tuple[datetime, datetime, str], str] = {}

    def _(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

    def ngettext(self, singular: str, plural: str, count: int, locale: str) -> str:
        return self.i18n.gettext(singular, plural, count, locale=locale)

    def when(self, task: Task, locale: str) -> str:
        key = (task.starts_at, task.ends_at, locale)
        if key not in self._spans:  # thousands of reminders share a few start times
            if len(self._spans) > 10_000:
                self._spans.clear()
            self._spans[key] = self.local_time.span(task.starts_at, task.ends_at, locale)
        return self._spans[key]

    def where(self, task: Task) -> str:
        return html.quote(task.place) if task.place else ""

    # -- volunteers -----------------------------------------------------------------------

    def reminder(self, kind: ReminderKind, task: Task, locale: str, coordinator: str | None
                 ) -> tuple[str, dict[str, Any]]:
        """The reminder's text and its inline keyboard, as the JSON the delivery engine
        stores (built as plain dicts: thousands may be rendered in one pass)."""
        _ = self._
        title = html.quote(task.title)

        def button(label: str, action: str) -> dict[str, str]:
            return {"text": label, "callback_data": remind_data(action, task.id)}

        cant = button("🙅 " + _("I can't", locale), "cant")
        if kind == ReminderKind.DAY_BEFORE:
            lines = ["🔔 " + _("You are signed up for “{title}”.", locale).format(title=title),
                     "🕒 " + self.when(task, locale)]
            if task.place:
                lines.append("📍 " + self.where(task))
            lines += ["", "<b>" + _("Are you still coming?", locale) + "</b>"]
            yes = button("✅ " + _("Yes, I'm coming", locale), "yes")
            return "\n".join(lines), {"inline_keyboard": [[yes, cant]]}
        lines = ["⏰ " + _("“{title}” starts at {time}.", locale).format(
            title=title, time=self.local_time.time(task.starts_at, locale))]
        if task.place:
            lines.append("📍 " + self.where(task))
        if coordinator:
            lines.append("👤 " + _("Coordinator: {name}", locale).format(name=html.quote(coordinator)))
        lines += ["", _("See you there! If something has changed, please let us know.", locale)]
        write = button("✉️ " + _("Write to the coordinator", locale), "coord")
        return "\n".join(lines), {"inline_keyboard": [[write], [cant]]}

    def pin(self, task: Task) -> dict[str, Any] | None:
        """The task's location pin (sendVenue), sent after the 2-hours reminder; None
        when the task has no coordinates."""
        if task.latitude is None or task.longitude is None:
            return None
        address = task.place or f"{task.latitude:.5f}, {task.longitude:.5f}"
        return {"latitude": task.latitude, "longitude": task.longitude, "title": task.title[:100],
                "address": address[:200]}

    def released(self, task: Task, locale: str) -> str:
        return "ℹ️ " + self._(
            "Your place on “{title}” went to someone else because it was not confirmed. If you can still "
            "come, look for the task in /tasks.", locale).format(title=html.quote(task.title))

    # -- coordinators ---------------------------------------------------------------------

    def unconfirmed(self, task: Task, going: int, people: list[Volunteer], locale: str
                    ) -> tuple[str, InlineKeyboardMarkup | None]:
        _ = self._
        header = "👥 <b>" + html.quote(task.title) + "</b>\n🕒 " + self.when(task, locale)
        resend = InlineKeyboardButton(text="📣 " + _("Send the task again", locale),
                                      callback_data=NoticeCb(action="resend", task_id=task.id).pack())
        if going == 0:
            return "\n".join([header, "", _("Nobody has signed up yet.", locale)]), \
                InlineKeyboardMarkup(inline_keyboard=[[resend]])
        if not people:
            text = _("Everyone signed up has confirmed: {count} of {slots}.", locale).format(count=going,
                                                                                          slots=task.slots)
            return "\n".join([header, "", "✅ " + text]), None
        lines = [header, "", self.ngettext(
            "{count} person has not confirmed yet:", "{count} people have not confirmed yet:", len(people),
            locale).format(count=len(people))]
        for number, person in enumerate(people[:NAMES_IN_NOTICE], start=1):
            lines.append(f"{number}. " + html.quote(person.full_name or "—"))
        if len(people) > NAMES_IN_NOTICE:
            lines.append("…")
        release = InlineKeyboardButton(text="🔁 " + _("Offer their places", locale),
                                       callback_data=NoticeCb(action="release", task_id=task.id).pack())
        return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=[[release], [resend]])

    def digest(self, items: list[DigestTask], now: datetime, locale: str) -> tuple[str, InlineKeyboardMarkup]:
        """The 08:00 digest: each task today or tomorrow with places taken / needed and
        the people not confirmed; a button per task opens its card (as in /mytasks)."""
        _ = self._
        today = self.local_time.local(now).date()
        lines = ["☀️ <b>" + _("Your tasks today and tomorrow", locale) + "</b>"]
        rows = []
        for number, item in enumerate(items, start=1):
            task = item.task
            day = self.local_time.local(task.starts_at).date()
            label = _("today", locale) if day == today else _("tomorrow", locale)
            when = label + ", " + self.local_time.time(task.starts_at, locale)
            line = "\n".join([
                "", f"{number}. <b>{html.quote(task.title)}</b> — {when}",
                "👥 " + _("{going} of {slots}", locale).format(going=item.going, slots=task.slots),
            ])
            if item.unconfirmed:
                line += " · ❔ " + _("not confirmed: {count}", locale).format(count=item.unconfirmed)
            lines.append(line)
            title = task.title if len(task.title) <= 40 else task.title[:39].rstrip() + "…"
            rows.append([InlineKeyboardButton(text=f"{number}. {title}",
                                              callback_data=NoticeCb(action="card", task_id=task.id).pack())])
        return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)
