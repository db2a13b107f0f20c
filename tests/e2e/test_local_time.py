"""Dates and times in every language: Kazakhstan's order (day, month, year) and the
24-hour clock, in Almaty time; in task cards, the volunteer's lists, and end to end."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.infra.i18n import LocalTime, make_i18n
from bot.lifecycle.mine import MyTasksView
from bot.tasks.cards import CardRenderer
from emulator import FakeTelegram
from handlers.volunteer.tasks import my_page, tasks_page
from storage.models import Task
from tests.support.e2e import RunningBot
from tests.support.volunteer_tasks import add_task, add_volunteer

ALMATY = ZoneInfo("Asia/Almaty")
LOCAL_TIME = LocalTime(ALMATY)
# Monday 30 November 2026: 09:00 and 23:30 in Almaty (UTC+5).
MORNING = datetime(2026, 11, 30, 4, 0, tzinfo=timezone.utc)
NIGHT = datetime(2026, 11, 30, 18, 30, tzinfo=timezone.utc)
NEXT_DAY = datetime(2026, 12, 1, 7, 15, tzinfo=timezone.utc)


def plain(text: str) -> str:
    """Babel's narrow and no-break spaces as plain ones."""
    return text.replace("\u202f", " ").replace("\xa0", " ")


# locale: long date, medium date, short date
DATES = {
    "kk": ("2026 ж. 30 қараша", "2026 ж. 30 қар.", "30.11.2026"),
    "ru": ("30 ноября 2026 г.", "30 нояб. 2026 г.", "30.11.2026"),
    "en": ("30 November 2026", "30 Nov 2026", "30.11.2026"),
}
# locale: a task from 09:00 to 23:30 the same day, and one ending the next day
SPANS = {
    "kk": ("2026 ж. 30 қараша, 09:00 – 23:30", "2026 ж. 30 қараша, 09:00 – 2026 ж. 1 желтоқсан, 12:15"),
    "ru": ("30 ноября 2026 г., 09:00 – 23:30", "30 ноября 2026 г., 09:00 – 1 декабря 2026 г., 12:15"),
    "en": ("30 November 2026, 09:00 – 23:30", "30 November 2026, 09:00 – 1 December 2026, 12:15"),
}


@pytest.mark.parametrize("locale", sorted(DATES))
def test_dates_day_month_year_in_every_language(locale: str) -> None:
    long, medium, short = DATES[locale]
    assert plain(LOCAL_TIME.date(MORNING, locale)) == long
    assert plain(LOCAL_TIME.date(MORNING, locale, "medium")) == medium
    assert LOCAL_TIME.date(MORNING, locale, "short") == short


@pytest.mark.parametrize("locale", sorted(DATES))
def test_the_24_hour_clock_in_almaty_time_in_every_language(locale: str) -> None:
    assert LOCAL_TIME.time(MORNING, locale) == "09:00"
    assert LOCAL_TIME.time(NIGHT, locale) == "23:30"  # not "11:30 PM"
    assert LOCAL_TIME.datetime(NIGHT, locale, "short") == "30.11.2026, 23:30"
    assert plain(LOCAL_TIME.datetime(NIGHT, locale, "long")) == DATES[locale][0] + ", 23:30"


@pytest.mark.parametrize("locale", sorted(SPANS))
def test_when_a_task_takes_place(locale: str) -> None:
    same_day, two_days = SPANS[locale]
    assert plain(LOCAL_TIME.span(MORNING, NIGHT, locale)) == same_day
    assert plain(LOCAL_TIME.span(MORNING, NEXT_DAY, locale)) == two_days


def task(**fields: object) -> Task:
    values: dict[str, object] = dict(
        id=7, title="Tree planting", description="Bring gloves.", direction="ecology", region="KZ-75",
        place="Botanical garden", latitude=None, longitude=None, starts_at=MORNING, ends_at=NIGHT, slots=10,
        taken=3, required_skills=[], min_age=16, organisation=None, status=TaskStatus.OPEN,
    )
    values.update(fields)
    return Task(**values)


@pytest.mark.parametrize("locale", sorted(SPANS))
def test_the_task_card_shows_the_time_in_the_volunteers_language(locale: str) -> None:
    cards = CardRenderer(make_i18n("kk"), LOCAL_TIME)
    lines = plain(cards.text(task(), locale)).splitlines()
    assert "🕒 " + SPANS[locale][0] in lines


@pytest.mark.parametrize("locale", sorted(SPANS))
def test_the_lists_show_the_time_in_the_volunteers_language(locale: str) -> None:
    i18n = make_i18n("kk")
    with i18n.context(), i18n.use_locale(locale):
        listed, _ = tasks_page([task()], 0, LOCAL_TIME, locale)
        assert "🕒 " + SPANS[locale][0] + " · 👥 " in plain(listed)
        held = SimpleNamespace(task=task(), status=SignupStatus.OFFERED, offered_until=NIGHT - timedelta(hours=2))
        mine, _ = my_page(MyTasksView(upcoming=[held]), LOCAL_TIME, locale)  # type: ignore[list-item]  # a stand-in object for the held task
        assert SPANS[locale][0] in plain(mine)
        assert "30.11.2026, 21:30" in mine  # a place held until 21:30


async def test_an_english_volunteer_reads_day_month_year(bot: RunningBot, fake: FakeTelegram) -> None:
    await add_volunteer(bot.services.db, bot.clock, 640_001, locale="en", availability=["weekdays"])
    await add_task(bot.services.db, bot.clock, starts_at=MORNING, ends_at=NIGHT, title="Night shift")
    user = fake.user(640_001, language_code="ru")  # the chosen English wins over the app's Russian
    listed = await user.ask("/tasks", lambda m: "Night shift" in (m.text or ""))
    assert "🕒 30 November 2026, 09:00 – 23:30" in plain(listed.text)
    await user.press("1. Night shift")
    card = await user.wait_for_message(lambda m: "📋 Night shift" in (m.text or ""))
    assert "🕒 30 November 2026, 09:00 – 23:30" in plain(card.text)
    assert "November 30" not in card.text and "PM" not in card.text
