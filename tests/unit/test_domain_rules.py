"""The rules of bot/domain written once: statuses as enums (stored as the same strings as
before there were enums), a task's life, and "active" with a lapsed pause."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from bot.domain.delivery import DeliveryLane, DeliveryStatus
from bot.domain.signups import ACTIVE_SIGNUPS, HOLDS_SLOT, OfferResponse, SignupStatus
from bot.domain.tasks import (
    CANCELLABLE_STATUSES,
    ENDED_STATUSES,
    LIVE_STATUSES,
    SIGNUP_STATUSES,
    TaskPhase,
    TaskStatus,
    has_free_place,
    open_for_signups,
    phase,
)
from bot.domain.volunteers import VolunteerSource, VolunteerStatus, is_active, pause_has_lapsed
from storage.models import DeliveryBroadcast, DeliveryMessage, Signup, Task, TaskOffer, Volunteer
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases
from tests.support.volunteer_tasks import add_task, add_volunteer, fresh_database

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)

# What the tables have always held: changing one of these needs a migration.
STORED = {
    VolunteerStatus: {"active", "paused", "unreachable", "deleted"},
    VolunteerSource: {"bot", "import"},
    TaskStatus: {"draft", "open", "full", "started", "cancelled", "done"},  # started: migration 0007
    SignupStatus: {"going", "waitlisted", "offered", "cancelled", "expired", "attended", "no_show"},
    OfferResponse: {"going", "waitlisted", "declined"},
    DeliveryStatus: {"queued", "sending", "sent", "failed", "unreachable"},
}


@pytest.mark.parametrize("enum", list(STORED), ids=lambda enum: enum.__name__)
def test_stored_values_are_the_strings_the_tables_always_held(enum: type) -> None:
    assert {member.value for member in enum} == STORED[enum]
    assert all(isinstance(member, str) and member == member.value for member in enum)


def test_lanes_are_the_numbers_the_queue_always_held() -> None:
    assert [(lane.name, int(lane)) for lane in DeliveryLane] == [("EMERGENCY", 0), ("PERSONAL", 1), ("ROUTINE", 2)]


async def test_statuses_are_written_as_plain_text_and_read_back_as_enums(clock: ManualClock, databases: TestDatabases) -> None:
    db = await fresh_database(databases)
    try:
        volunteer_id = await add_volunteer(db, clock, 101)
        task = await add_task(db, clock, status=TaskStatus.FULL)
        async with db.session() as session:
            session.add(Signup(task_id=task.id, volunteer_id=volunteer_id, status=SignupStatus.OFFERED,
                               created_at=NOW, updated_at=NOW))
            session.add(TaskOffer(task_id=task.id, volunteer_id=volunteer_id, offered_at=NOW,
                                  response=OfferResponse.DECLINED))
            broadcast = DeliveryBroadcast(kind="test", lane=DeliveryLane.PERSONAL, created_at=NOW)
            session.add(broadcast)
            await session.flush()
            session.add(DeliveryMessage(broadcast_id=broadcast.id, lane=DeliveryLane.ROUTINE, chat_id=1, text="hi",
                                        next_attempt_at=NOW, created_at=NOW))
        async with db.sessionmaker() as session:
            raw = (await session.execute(text(
                "SELECT t.status, s.status, o.response, v.status, v.source, m.status, m.lane, b.lane "
                "FROM tasks t, signups s, task_offers o, volunteers v, delivery_messages m, delivery_broadcasts b"
            ))).one()
            assert tuple(raw) == ("full", "offered", "declined", "active", "bot", "queued", 2, 1)
            assert type(raw[6]) is int
            stored_task = await session.get(Task, task.id)
            stored_volunteer = await session.get(Volunteer, volunteer_id)
            assert stored_task is not None and stored_volunteer is not None
            assert stored_task.status is TaskStatus.FULL
            assert stored_volunteer.status is VolunteerStatus.ACTIVE
    finally:
        await db.close()


async def test_a_value_that_is_not_a_status_is_refused_before_it_is_written(clock: ManualClock, databases: TestDatabases) -> None:
    db = await fresh_database(databases)
    try:
        with pytest.raises(Exception, match="'opened' is not a valid TaskStatus"):
            await add_task(db, clock, status="opened")
    finally:
        await db.close()


# --- a task's life -------------------------------------------------------------------------


def test_the_sets_of_statuses_come_from_the_transition_table() -> None:
    assert set(SIGNUP_STATUSES) == {TaskStatus.OPEN, TaskStatus.FULL}
    assert set(LIVE_STATUSES) == {TaskStatus.DRAFT, TaskStatus.OPEN, TaskStatus.FULL, TaskStatus.STARTED}
    assert set(CANCELLABLE_STATUSES) == set(LIVE_STATUSES)
    assert set(ENDED_STATUSES) == {TaskStatus.CANCELLED, TaskStatus.DONE}
    assert TaskStatus.OPEN.may_become(TaskStatus.FULL) and TaskStatus.FULL.may_become(TaskStatus.OPEN)
    assert not TaskStatus.CANCELLED.may_become(TaskStatus.OPEN)
    assert not TaskStatus.DRAFT.may_become(TaskStatus.FULL)
    assert TaskStatus.OPEN.may_become(TaskStatus.STARTED) and not TaskStatus.STARTED.may_become(TaskStatus.OPEN)
    assert [status for status in TaskStatus if status.accepts_signups] == [TaskStatus.OPEN, TaskStatus.FULL]
    assert [status for status in TaskStatus if status.has_ended] == [TaskStatus.CANCELLED, TaskStatus.DONE]


@pytest.mark.parametrize(
    ("status", "starts_in", "expected_phase", "open_for_them"),
    [
        (TaskStatus.OPEN, timedelta(hours=1), TaskPhase.OPEN, True),
        (TaskStatus.FULL, timedelta(hours=1), TaskPhase.FULL, True),
        (TaskStatus.OPEN, timedelta(0), TaskPhase.STARTED, False),  # the start itself closes it
        (TaskStatus.FULL, -timedelta(hours=1), TaskPhase.STARTED, False),
        (TaskStatus.CANCELLED, timedelta(hours=1), TaskPhase.CANCELLED, False),
        (TaskStatus.DONE, -timedelta(days=1), TaskPhase.DONE, False),
        (TaskStatus.DRAFT, timedelta(hours=1), TaskPhase.DRAFT, False),
    ],
)
def test_a_tasks_phase_and_whether_it_takes_signups(status: TaskStatus, starts_in: timedelta,
                                                     expected_phase: TaskPhase, open_for_them: bool) -> None:
    assert phase(status, NOW + starts_in, NOW) is expected_phase
    assert open_for_signups(status, NOW + starts_in, NOW) is open_for_them


def test_a_free_place_needs_an_open_task_with_a_place_left() -> None:
    assert has_free_place(TaskStatus.OPEN, slots=3, taken=2)
    assert not has_free_place(TaskStatus.OPEN, slots=3, taken=3)
    assert not has_free_place(TaskStatus.FULL, slots=3, taken=2)


def test_which_signups_hold_a_place() -> None:
    assert [status for status in SignupStatus if status.holds_slot] == list(HOLDS_SLOT)
    assert [status for status in SignupStatus if status.is_active] == [
        SignupStatus.GOING, SignupStatus.WAITLISTED, SignupStatus.OFFERED]
    assert set(ACTIVE_SIGNUPS) == {SignupStatus.GOING, SignupStatus.WAITLISTED, SignupStatus.OFFERED}


# --- active, a lapsed pause included ---------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "paused_until", "active", "lapsed"),
    [
        (VolunteerStatus.ACTIVE, None, True, False),
        (VolunteerStatus.PAUSED, NOW - timedelta(seconds=1), True, True),
        (VolunteerStatus.PAUSED, NOW, True, True),  # ends at this very moment
        (VolunteerStatus.PAUSED, NOW + timedelta(days=1), False, False),
        (VolunteerStatus.PAUSED, None, False, False),  # until resumed
        (VolunteerStatus.UNREACHABLE, None, False, False),
        (VolunteerStatus.DELETED, NOW - timedelta(days=1), False, False),
    ],
)
def test_active_counts_a_lapsed_pause(status: VolunteerStatus, paused_until: datetime | None, active: bool,
                                      lapsed: bool) -> None:
    assert is_active(status, paused_until, NOW) is active
    assert pause_has_lapsed(status, paused_until, NOW) is lapsed
