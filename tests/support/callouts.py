"""Helpers for the emergency and call-out tests: people in regions, an emergency
declared, the board and cards as a test user sees them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import select

from bot.access.roles import UserRoles
from bot.callouts.drafts import CalloutDraft
from emulator import WAIT, FakeTelegram, FakeUser
from emulator.state import FakeMessage
from storage.models import Callout, CalloutAnswer, CalloutHours, Emergency, Volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, register
from tests.support.e2e import RunningBot


async def volunteer(bot: RunningBot, fake: FakeTelegram, telegram_id: int, *, locale: str = "en",
                    region: str = "KZ-75", directions: tuple[str, ...] = ("emergency",), birth_year: int = 1995,
                    skills: tuple[str, ...] = (), any_time: bool = False) -> FakeUser:
    """A registered volunteer and their Telegram chat."""
    await register(bot, telegram_id, locale=locale, region=region, directions=directions, birth_year=birth_year,
                   skills=skills, name=f"Volunteer {telegram_id}")
    if any_time:
        await bot.services.volunteers.update(telegram_id, availability=["weekdays", "evenings", "weekends",
                                                                        "emergency"])
    await bot.services.users.set_locale(telegram_id, locale)
    return fake.user(telegram_id, language_code=locale)


async def coordinator(bot: RunningBot, fake: FakeTelegram, telegram_id: int, *, region: str = "KZ-75",
                      locale: str = "en", home: str = "KZ-71") -> FakeUser:
    """A coordinator of `region`, registered as a volunteer in `home` (so they have the
    main keyboard but get none of their own call-outs)."""
    await bot.services.access.grant(telegram_id, "coordinator", region=region)
    await register(bot, telegram_id, locale=locale, region=home, directions=("ecology",),
                   name=f"Coordinator {telegram_id}")
    await bot.services.users.set_locale(telegram_id, locale)
    return fake.user(telegram_id, language_code=locale)


async def declare(bot: RunningBot, telegram_id: int, name: str = "Flood in Almaty",
                  regions: tuple[str, ...] = ("KZ-75",), notes: str = "Keep away from the riverbank") -> Emergency:
    roles = await bot.services.access.roles_of(telegram_id)
    emergency = await bot.services.emergencies.declare(telegram_id, roles, name, list(regions), notes)
    assert emergency is not None
    return emergency


async def send_callout(bot: RunningBot, telegram_id: int, *, text: str = "Sandbags at Sairan dam", needed: int = 2,
                       region: str = "KZ-75", locale: str = "en", wake_at_night: bool = False,
                       place: str | None = None, pin: tuple[float, float] | None = None) -> int:
    """A call-out as Send writes it (no board message); returns its id."""
    roles: UserRoles = await bot.services.access.roles_of(telegram_id)
    latitude, longitude = pin if pin else (None, None)
    sent = await bot.services.callouts.create(
        CalloutDraft(text=text, region=region, needed=needed, wake_at_night=wake_at_night, place=place,
                     latitude=latitude, longitude=longitude), telegram_id, locale, roles)
    assert sent is not None
    return sent.callout_id


async def callout_row(bot: RunningBot, callout_id: int) -> Callout:
    async with bot.services.db.sessionmaker() as session:
        callout = await session.get(Callout, callout_id)
        assert callout is not None
        return callout


async def invited_in_order(bot: RunningBot, callout_id: int) -> list[int]:
    """Telegram ids of the invited, in the order their invitations were written (and
    queued for sending)."""
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(
            select(Volunteer.telegram_id).join(CalloutAnswer, CalloutAnswer.volunteer_id == Volunteer.id)
            .where(CalloutAnswer.callout_id == callout_id).order_by(CalloutAnswer.id)))


async def answers(bot: RunningBot, callout_id: int) -> dict[int, str]:
    """{volunteer telegram id: answer status}."""
    async with bot.services.db.sessionmaker() as session:
        rows = (await session.execute(
            select(Volunteer.telegram_id, CalloutAnswer.status).join(CalloutAnswer,
                                                                     CalloutAnswer.volunteer_id == Volunteer.id)
            .where(CalloutAnswer.callout_id == callout_id))).all()
    return {telegram_id: str(status) for telegram_id, status in rows}


async def hours_rows(bot: RunningBot, callout_id: int) -> list[CalloutHours]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(CalloutHours).where(CalloutHours.callout_id == callout_id)))


def has(text: str) -> Callable[[FakeMessage], bool]:
    return lambda message: text in (message.text or "")


async def card(user: FakeUser, t: Texts, timeout: float = WAIT) -> FakeMessage:
    """The call-out card, with its "Can't" button."""
    cant = "🙅 " + t("Can't")
    return await user.wait_for_message(lambda m: cant in m.button_texts(), timeout=timeout)


def coming(t: Texts, minutes: int) -> str:
    return "🏃 " + t("Coming, ~{minutes} min", minutes=minutes)


async def board_shows(clock: ManualClock, user: FakeUser, board_id: int, *needles: str,
                      timeout: float = WAIT) -> FakeMessage:
    """Wait until the board message (edited in place) shows every needle. The board
    edits at most once every 3 s of the app's clock: whenever its redraw waits for that
    moment, the clock is moved there (no real seconds pass)."""
    shown = asyncio.ensure_future(user.wait_for_message(
        lambda m: m.message_id == board_id and all(needle in (m.text or "") for needle in needles),
        after=board_id - 1, timeout=timeout))
    try:
        while not shown.done():
            sleeper = asyncio.ensure_future(clock.run_sleepers())
            await asyncio.wait({shown, sleeper}, return_when=asyncio.FIRST_COMPLETED)
            sleeper.cancel()
        return shown.result()
    finally:
        shown.cancel()
