"""The congratulation on a new level (README "Levels and certificates"): when approving
or correcting hours (a task's, or a call-out's: bot/callouts/lifecycle.py) raises a
volunteer's level, they get one message through the
delivery engine (lane personal, their language), in the approval's transaction. Its
key is per volunteer and level, so hours corrected down and up again never send it
twice; a level lowered by a correction is not announced."""

from __future__ import annotations

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.attendance.format import format_hours
from bot.domain.delivery import DeliveryLane
from bot.domain.levels import Level, level_for, progress, raised
from bot.infra.delivery import DeliveryService
from storage.models import Volunteer
from storage.repositories.figures import FiguresRepository


def level_key(volunteer_id: int, level: Level) -> str:
    return f"level:{volunteer_id}:{level.code}"


class LevelNotices:
    def __init__(self, i18n: I18n, delivery: DeliveryService) -> None:
        self.i18n = i18n
        self.delivery = delivery

    async def level_now(self, session: AsyncSession, volunteer_id: int) -> Level:
        figures = await FiguresRepository(session).approved(volunteer_id)
        return level_for(figures.hours, figures.done)

    async def after_change(self, session: AsyncSession, volunteer: Volunteer, before: Level) -> bool:
        """Congratulate if the level rose since `before`; True if a message was queued."""
        figures = await FiguresRepository(session).approved(volunteer.id)
        hours, tasks = figures.hours, figures.done
        now = level_for(hours, tasks)
        if not raised(before, now) or volunteer.telegram_id is None or not volunteer.is_registered:
            return False
        locale = volunteer.locale if volunteer.locale in self.i18n.available_locales else self.i18n.default_locale
        await self.delivery.add_one(session, volunteer.telegram_id, self.text(now, hours, tasks, locale),
                                    lane=DeliveryLane.PERSONAL, volunteer_id=volunteer.id,
                                    key=level_key(volunteer.id, now))
        return True

    def text(self, level: Level, hours: float, tasks: int, locale: str) -> str:
        _name, ahead = LevelTexts(self.i18n).standing(hours, tasks, locale)
        lines = [
            "🎉 " + self._t("Congratulations! You have reached the level “{level}”.", locale).format(
                level=self._t(level.name, locale)),
            self._t("Approved hours: {hours} · tasks and call-outs: {tasks}", locale).format(
                hours=format_hours(hours, locale), tasks=tasks),
            ahead,
        ]
        lines += ["", self._t("Thank you! A certificate of your hours: /certificate", locale)]
        return "\n".join(lines)

    def _t(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)


class LevelTexts:
    """Level texts in an explicit language (the congratulation is written inside the
    coordinator's update; the profile passes the person's own)."""

    def __init__(self, i18n: I18n) -> None:
        self.i18n = i18n

    def ngettext(self, singular: str, plural: str, count: int, locale: str) -> str:
        return self.i18n.gettext(singular, plural, count, locale=locale)

    def name(self, level: Level, locale: str) -> str:
        return self.i18n.gettext(level.name, locale=locale)

    def next_level(self, level: Level, hours_left: float, tasks_left: int, locale: str) -> str:
        """"Next level “Experienced”: 12 h more, 2 more tasks" (only what is still missing)."""
        parts = []
        if hours_left > 0:
            parts.append(self.i18n.gettext("{hours} h more", locale=locale).format(
                hours=format_hours(hours_left, locale)))
        if tasks_left > 0:
            parts.append(self.ngettext("{count} more task", "{count} more tasks", tasks_left, locale).format(
                count=tasks_left))
        return self.i18n.gettext("Next level “{level}”: {left}", locale=locale).format(
            level=self.name(level, locale), left=", ".join(parts))

    def standing(self, hours: float, tasks: int, locale: str) -> tuple[str, str]:
        """(the level's name, what is left to the next one, or that this is the highest)."""
        ahead = progress(hours, tasks)
        if ahead.next is None:
            return self.name(ahead.level, locale), self.i18n.gettext("This is the highest level.", locale=locale)
        return self.name(ahead.level, locale), self.next_level(ahead.next, ahead.hours_left, ahead.tasks_left, locale)
