"""Sign-ups and offers at the service level: atomic places under concurrent presses, the
waitlist (promotion, confirmation, expiry passing the place on), cancelling, who may
press, the daily cap, quiet hours and the idempotent broadcast."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from bot.domain.delivery import DeliveryLane
from bot.domain.signups import Outcome, SignupStatus
from bot.domain.subjects import Subject, SubjectType
from bot.domain.tasks import TaskStatus
from bot.tasks.offers import next_send_moment, offer_key
from storage.db import Database
from storage.models import DeliveryBroadcast, TaskOffer
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.volunteer_tasks import (
    SATURDAY_10,
    Stack,
    add_task,
    add_volunteer,
    fresh_database,
    signups_of,
    task_row,
)

ALMATY_OFFSET = timedelta(hours=5)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))  # Monday 11:00 local


@pytest.fixture
async def db(databases: TestDatabases) -> AsyncIterator[Database]:
    database = await fresh_database(databases)
    yield database
    await database.close()


@pytest.fixture
def stack(db: Database, clock: ManualClock) -> Stack:
    return Stack(db, clock, daily_cap=2, confirm_minutes=120)


async def volunteers(db: Database, clock: ManualClock, count: int, first: int = 600_000) -> list[int]:
    return [await add_volunteer(db, clock, first + n) for n in range(count)]


async def test_fifty_simultaneous_presses_on_ten_places(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=10)
    await volunteers(db, clock, 50)
    results = await asyncio.gather(*(stack.signups.go(task.id, 600_000 + n) for n in range(50)))
    outcomes = [r.outcome for r in results]
    assert outcomes.count(Outcome.GOING) == 10 and outcomes.count(Outcome.FULL) == 40
    row = await task_row(db, task.id)
    assert (row.taken, row.status) == (10, TaskStatus.FULL)
    assert list((await signups_of(db, task.id)).values()).count(SignupStatus.GOING) == 10
    # The forty can join the waitlist, all at once too.
    losers = [600_000 + n for n, r in enumerate(results) if r.outcome == Outcome.FULL]
    waits = await asyncio.gather(*(stack.signups.join_waitlist(task.id, tid) for tid in losers))
    assert {w.outcome for w in waits} == {Outcome.WAITLISTED}
    statuses = list((await signups_of(db, task.id)).values())
    assert statuses.count(SignupStatus.WAITLISTED) == 40 and statuses.count(SignupStatus.GOING) == 10


async def test_double_tap_takes_one_place(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=3)
    await volunteers(db, clock, 1)
    results = await asyncio.gather(*(stack.signups.go(task.id, 600_000) for _ in range(5)))
    assert sorted(r.outcome for r in results) == [Outcome.ALREADY] * 4 + [Outcome.GOING]
    assert (await task_row(db, task.id)).taken == 1
    assert (await stack.signups.join_waitlist(task.id, 600_000)).outcome == Outcome.ALREADY


async def test_waitlist_promotion_confirmation_and_expiry(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=1)
    going, first, second, third = await volunteers(db, clock, 4)
    assert (await stack.signups.go(task.id, 600_000)).outcome == Outcome.GOING
    assert (await stack.signups.go(task.id, 600_001)).outcome == Outcome.FULL
    for tid in (600_001, 600_002, 600_003):
        assert (await stack.signups.join_waitlist(task.id, tid)).outcome == Outcome.WAITLISTED
        clock.advance(seconds=1)
    # The one going cancels: the first on the waitlist is offered the place (held for them).
    assert (await stack.signups.cancel(task.id, 600_000)).outcome == Outcome.CANCELLED
    assert await signups_of(db, task.id) == {going: "cancelled", first: "offered", second: "waitlisted",
                                             third: "waitlisted"}
    row = await task_row(db, task.id)
    assert (row.taken, row.status) == (1, TaskStatus.FULL)
    [card] = await stack.deliveries()
    assert card.chat_id == 600_001 and card.lane == DeliveryLane.PERSONAL
    assert "tcard:confirm:" in str(card.reply_markup)
    # Someone else cannot take the held place, nor confirm it.
    assert (await stack.signups.confirm(task.id, 600_002)).outcome == Outcome.NOT_SIGNED_UP
    # Not confirmed in time: the job passes the place to the second.
    clock.advance(minutes=119)
    assert await stack.signups.expire_due() == 0
    clock.advance(minutes=1)
    assert await stack.signups.expire_due() == 1
    assert await stack.signups.expire_due() == 0  # nothing twice
    assert await signups_of(db, task.id) == {going: "cancelled", first: "expired", second: "offered",
                                             third: "waitlisted"}
    assert (await stack.signups.confirm(task.id, 600_001)).outcome == Outcome.EXPIRED
    # The second confirms in time.
    clock.advance(minutes=30)
    assert (await stack.signups.confirm(task.id, 600_002)).outcome == Outcome.CONFIRMED
    assert (await stack.signups.confirm(task.id, 600_002)).outcome == Outcome.ALREADY
    assert (await signups_of(db, task.id))[second] == "going"
    assert [d.chat_id for d in await stack.deliveries()] == [600_001, 600_002]
    assert (await task_row(db, task.id)).taken == 1


async def test_a_promoted_waitlister_who_cannot_passes_the_place_on(db: Database, clock: ManualClock,
                                                                    stack: Stack) -> None:
    task = await add_task(db, clock, slots=1)
    going, first, second = await volunteers(db, clock, 3)
    await stack.signups.go(task.id, 600_000)
    await stack.signups.join_waitlist(task.id, 600_001)
    clock.advance(seconds=1)
    await stack.signups.join_waitlist(task.id, 600_002)
    await stack.signups.cancel(task.id, 600_000)
    assert (await stack.signups.decline(task.id, 600_001)).outcome == Outcome.CANCELLED
    assert (await signups_of(db, task.id))[second] == "offered"
    # Someone going is told to cancel from /my; someone waiting leaves the waitlist.
    assert (await stack.signups.decline(task.id, 600_002)).outcome == Outcome.CANCELLED
    assert (await stack.signups.join_waitlist(task.id, 600_000)).outcome == Outcome.FREE
    assert (await stack.signups.go(task.id, 600_000)).outcome == Outcome.GOING
    assert (await stack.signups.decline(task.id, 600_000)).outcome == Outcome.ALREADY
    await add_volunteer(db, clock, 600_009)
    await stack.signups.join_waitlist(task.id, 600_009)
    assert (await stack.signups.decline(task.id, 600_009)).outcome == Outcome.DECLINED
    assert (await stack.signups.status_of(task.id, 600_009)) == "cancelled"


async def test_cancel_frees_the_place_and_reopens(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=1)
    await volunteers(db, clock, 2)
    await stack.signups.go(task.id, 600_000)
    assert (await task_row(db, task.id)).status == TaskStatus.FULL
    assert (await stack.signups.cancel(task.id, 600_000)).outcome == Outcome.CANCELLED
    row = await task_row(db, task.id)
    assert (row.taken, row.status) == (0, TaskStatus.OPEN)
    assert (await stack.signups.cancel(task.id, 600_000)).outcome == Outcome.NOT_SIGNED_UP  # a second press
    assert (await stack.signups.go(task.id, 600_001)).outcome == Outcome.GOING
    # Going again after cancelling works (the old row is reused).
    await stack.signups.cancel(task.id, 600_001)
    assert (await stack.signups.go(task.id, 600_000)).outcome == Outcome.GOING


async def test_who_may_press(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=5)
    await add_volunteer(db, clock, 600_000)  # eligible: may press from /tasks
    await add_volunteer(db, clock, 600_001, region="KZ-71")  # not eligible, not offered
    await add_volunteer(db, clock, 600_002, region="KZ-71")  # not eligible, but was sent the card
    async with db.session() as session:
        from storage.models import Volunteer
        offered = await session.scalar(select(Volunteer.id).where(Volunteer.telegram_id == 600_002))
        session.add(TaskOffer(task_id=task.id, volunteer_id=offered, offered_at=clock.now()))
    assert (await stack.signups.go(task.id, 600_001)).outcome == Outcome.NOT_OFFERED
    assert (await stack.signups.go(task.id, 600_002)).outcome == Outcome.GOING
    assert (await stack.signups.go(task.id, 600_000)).outcome == Outcome.GOING
    assert (await stack.signups.go(task.id, 999_999)).outcome == Outcome.NOT_REGISTERED
    assert (await stack.signups.go(424_242, 600_000)).outcome == Outcome.MISSING
    cancelled = await add_task(db, clock, status=TaskStatus.CANCELLED)
    assert (await stack.signups.go(cancelled.id, 600_000)).outcome == Outcome.CLOSED
    assert (await stack.signups.join_waitlist(cancelled.id, 600_000)).outcome == Outcome.CLOSED
    started = await add_task(db, clock, starts_at=clock.now() - timedelta(hours=1))
    assert (await stack.signups.go(started.id, 600_000)).outcome == Outcome.CLOSED
    # Overlap: a place on another task at the same time.
    overlapping = await add_task(db, clock, starts_at=SATURDAY_10 + timedelta(hours=1))
    async with db.session() as session:
        from storage.models import Volunteer
        vid = await session.scalar(select(Volunteer.id).where(Volunteer.telegram_id == 600_002))
        session.add(TaskOffer(task_id=overlapping.id, volunteer_id=vid, offered_at=clock.now()))
    assert (await stack.signups.go(overlapping.id, 600_002)).outcome == Outcome.BUSY
    assert (await stack.signups.join_waitlist(task.id, 600_000)).outcome == Outcome.ALREADY
    # Joining the waitlist while places are free: told to take a place instead.
    await add_volunteer(db, clock, 600_003)
    assert (await stack.signups.join_waitlist(task.id, 600_003)).outcome == Outcome.FREE
    assert (await stack.signups.status_of(task.id, 600_003)) is None


async def test_broadcast_writes_offers_and_cards_once(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=3)
    kk = await add_volunteer(db, clock, 600_000, locale="kk")
    en = await add_volunteer(db, clock, 600_001, locale="en")
    await add_volunteer(db, clock, 600_002, region="KZ-71")
    plan = await stack.offers.broadcast_task(task.id, 500_001, "ru")
    assert (plan.matched, plan.queued, plan.capped, plan.already_offered, plan.held) == (2, 2, 0, 0, False)
    assert sorted(plan.recipients) == sorted([kk, en])
    rows = await stack.deliveries()
    assert {r.chat_id for r in rows} == {600_000, 600_001}
    assert all(r.lane == DeliveryLane.ROUTINE and r.next_attempt_at == clock.now() for r in rows)
    english = next(r for r in rows if r.chat_id == 600_001)
    assert "Blood donation day" in english.text and "I'll go" in str(english.reply_markup)
    assert "Places left: 3 of 3" in english.text and "10:00" in english.text
    # A repeated confirm: the same broadcast, nothing new; a newcomer is topped up.
    again = await stack.offers.broadcast_task(task.id, 500_001, "ru")
    assert (again.broadcast_id, again.queued, again.already_offered) == (plan.broadcast_id, 0, 2)
    newcomer = await add_volunteer(db, clock, 600_003)
    third = await stack.offers.broadcast_task(task.id, 500_001, "ru")
    assert (third.broadcast_id, third.recipients) == (plan.broadcast_id, [newcomer])
    async with db.sessionmaker() as session:
        assert await session.scalar(select(func.count()).select_from(TaskOffer)) == 3
        broadcast = await session.scalar(select(DeliveryBroadcast))
        assert (broadcast.key, broadcast.total, broadcast.progress_chat_id) == (offer_key(task.id), 3, 500_001)
        assert broadcast.subject == Subject(SubjectType.TASK, task.id)  # what it is about: the task
    # "Accepted so far" for the progress message.
    assert await stack.offers.accepted_so_far(task.id) == 0
    await stack.signups.go(task.id, 600_000)
    assert await stack.offers.accepted_so_far(task.id) == 1
    # A cancelled task is not sent.
    cancelled = await add_task(db, clock, status=TaskStatus.CANCELLED)
    assert (await stack.offers.broadcast_task(cancelled.id, 500_001, "ru")).reason == "closed"


async def test_daily_cap_counts_routine_offers_of_the_local_day(db: Database, clock: ManualClock,
                                                                 stack: Stack) -> None:
    volunteer = await add_volunteer(db, clock, 600_000, directions=["health", "emergency"],
                                    availability=["weekends", "emergency"])
    tasks = [await add_task(db, clock, starts_at=SATURDAY_10 + timedelta(days=7 * n)) for n in range(4)]
    queued = [(await stack.offers.broadcast_task(t.id, 500_001, "ru")).queued for t in tasks[:3]]
    assert queued == [1, 1, 0]  # the cap is 2 in this test
    assert (await stack.offers.broadcast_task(tasks[2].id, 500_001, "ru")).capped == 1
    # Emergencies are not capped and go on their own lane.
    emergency = await add_task(db, clock, direction="emergency", required_skills=[])
    plan = await stack.offers.broadcast_task(emergency.id, 500_001, "ru")
    assert plan.queued == 1 and plan.recipients == [volunteer]
    assert (await stack.deliveries())[-1].lane == DeliveryLane.EMERGENCY
    # The next local day starts at midnight in Almaty (19:00 UTC): the cap is fresh.
    clock.set(datetime(2026, 3, 2, 19, 0, tzinfo=timezone.utc) + timedelta(hours=8))  # 08:00 local Tuesday
    assert (await stack.offers.broadcast_task(tasks[3].id, 500_001, "ru")).queued == 1


async def test_quiet_hours_hold_routine_offers_until_eight(db: Database, clock: ManualClock, stack: Stack) -> None:
    await add_volunteer(db, clock, 600_000, directions=["health", "emergency"], availability=["weekends", "emergency"])
    clock.set(datetime(2026, 3, 2, 23, 0, tzinfo=timezone.utc) - ALMATY_OFFSET)  # Monday 23:00 local
    task = await add_task(db, clock)
    plan = await stack.offers.broadcast_task(task.id, 500_001, "ru")
    morning = datetime(2026, 3, 3, 8, 0, tzinfo=timezone.utc) - ALMATY_OFFSET  # Tuesday 08:00 local
    assert plan.held and plan.send_at == morning
    [row] = await stack.deliveries()
    assert row.next_attempt_at == morning
    async with db.sessionmaker() as session:
        assert await session.scalar(select(TaskOffer.offered_at)) == morning  # counts for Tuesday
    # An emergency at the same moment goes at once.
    emergency = await add_task(db, clock, direction="emergency", required_skills=[])
    await stack.offers.broadcast_task(emergency.id, 500_001, "ru")
    assert (await stack.deliveries())[-1].next_attempt_at == clock.now()


@pytest.mark.parametrize(("local", "expected"), [
    ((21, 59), None), ((22, 0), (1, 8)), ((23, 30), (1, 8)), ((0, 0), (0, 8)), ((7, 59), (0, 8)), ((8, 0), None),
])
def test_next_send_moment(local: tuple[int, int], expected: tuple[int, int] | None) -> None:
    from zoneinfo import ZoneInfo
    tz = ZoneInfo("Asia/Almaty")
    now = datetime(2026, 3, 2, *local, tzinfo=tz).astimezone(timezone.utc)
    moment = next_send_moment(now, tz)
    if expected is None:
        assert moment == now
    else:
        days, hour = expected
        assert moment == datetime(2026, 3, 2 + days, hour, 0, tzinfo=tz).astimezone(timezone.utc)
    assert next_send_moment(now, tz, emergency=True) == now


def test_settings_for_offers_and_signups_are_validated() -> None:
    from bot.config import ConfigError, load_settings

    settings = load_settings(_env_file=None)
    assert (settings.daily_broadcast_cap, settings.signup_confirm_minutes) == (5, 120)
    assert load_settings(_env_file=None, daily_broadcast_cap="3", signup_confirm_minutes="30").daily_broadcast_cap == 3
    with pytest.raises(ConfigError, match="DAILY_BROADCAST_CAP"):
        load_settings(_env_file=None, daily_broadcast_cap=0)
    with pytest.raises(ConfigError, match="SIGNUP_CONFIRM_MINUTES"):
        load_settings(_env_file=None, signup_confirm_minutes="soon")


async def test_a_place_freed_at_night_waits_for_the_morning(db: Database, clock: ManualClock, stack: Stack) -> None:
    task = await add_task(db, clock, slots=1)
    await volunteers(db, clock, 2)
    await stack.signups.go(task.id, 600_000)
    await stack.signups.join_waitlist(task.id, 600_001)
    clock.set(datetime(2026, 3, 3, 23, 30, tzinfo=timezone.utc) - ALMATY_OFFSET)  # Tuesday 23:30 local
    await stack.signups.cancel(task.id, 600_000)
    [card] = await stack.deliveries()
    assert card.next_attempt_at == clock.now()  # personal: sent at once
    async with db.sessionmaker() as session:
        from storage.models import Signup
        offered = await session.scalar(select(Signup).where(Signup.status == SignupStatus.OFFERED))
    # 08:00 + 120 minutes, Wednesday morning local.
    assert offered.offered_until == datetime(2026, 3, 4, 10, 0, tzinfo=timezone.utc) - ALMATY_OFFSET
