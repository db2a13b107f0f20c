"""/safe first, /find after: a new request meets the "I'm safe" reports already made,
the same way a report meets the open requests (bot/reconnection/matching.py). End to
end over the fake Bot API."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select

from bot.domain.reconnection import MatchStatus, RequestStatus, SafeSource
from bot.reconnection.matching import NO, YES
from emulator import WAIT, FakeTelegram, FakeUser
from emulator.state import FakeMessage
from storage.models import SafeMatch
from tests.e2e.test_reconnection_safe import report_safe, request_rows
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, everything_accepted
from tests.support.e2e import RunningBot
from tests.support.reconnection import chats_showing, find

ANSWERED = ("✅ Your request is registered. Reference number: <b>{ref}</b>.\nThis person has already reported "
            "themselves safe through the bot: see my next message. /myrequests shows your requests.")
WAITING = ("✅ Your request is registered. Reference number: <b>{ref}</b>.\nA volunteer will call and I will "
           "write to you here at every change. /myrequests shows your requests.")
SELF_SAFE = "✅ {ref}: {name} reported themselves safe through the bot."


async def shown(fake: FakeTelegram, user: FakeUser, predicate: Callable[[FakeMessage], bool]) -> FakeMessage:
    """A message here, already or soon, matching `predicate` (the reply to /find and
    the messages of the delivery engine arrive in either order)."""
    found = await fake.notifier.wait_until(lambda: next((m for m in user.messages if predicate(m)), None), WAIT)
    assert found is not None
    return found


async def text_shown(fake: FakeTelegram, user: FakeUser, text: str) -> FakeMessage:
    plain = re.sub(r"<[^>]+>", "", text)  # as shown: the HTML markup is not part of the text
    return await shown(fake, user, lambda m: plain in (m.text or ""))


async def offer_to(bot: RunningBot, fake: FakeTelegram, user: FakeUser, locale: str) -> FakeMessage:
    yes = Texts(bot, locale)(YES)
    return await shown(fake, user, lambda m: yes in m.button_texts())


async def matches(bot: RunningBot) -> list[SafeMatch]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(SafeMatch).order_by(SafeMatch.id)))


async def settled(bot: RunningBot, fake: FakeTelegram) -> None:
    """Everything queued so far was sent."""
    await fake.wait_idle()
    await bot.services.delivery.sender.wait_drained(timeout=30)
    await fake.wait_idle()


async def test_a_request_for_a_phone_reported_safe_is_answered_at_once(bot: RunningBot, fake: FakeTelegram) -> None:
    person = fake.user(690_001, language_code="ru")
    await report_safe(bot, person, "ru", name="Ғалымжан Өмірзақов", city="Алматы", phone="+7 701 555 81 81")
    for n, locale in enumerate(("kk", "ru")):
        relative = fake.user(690_010 + n, language_code=locale)
        t = Texts(bot, locale)
        ref = await find(bot, relative, locale, name="Galymzhan Omirzakov", phone="8 (701) 555-81-81")
        await text_shown(fake, relative, t(ANSWERED, ref=ref))
        told = await text_shown(fake, relative, t(SELF_SAFE, ref=ref, name="Galymzhan Omirzakov"))
        assert "Всё хорошо" in (told.text or "")  # the person's own message
        assert not any(t(WAITING, ref=ref).split("\n")[-1] in (m.text or "") for m in relative.messages)
    requests = await request_rows(bot)
    assert [(r.status, r.safe_source) for r in requests] == [(RequestStatus.SAFE, SafeSource.SELF_REPORT)] * 2
    assert all(r.phone == "+77015558181" and r.first_claimed_at is None for r in requests)  # no caller needed
    assert chats_showing(fake, "+77015558181") == set()
    assert await matches(bot) == []  # answered by the phone, not offered by the name
    await everything_accepted(fake)


async def test_a_request_named_like_a_report_is_offered_and_confirmed(bot: RunningBot, fake: FakeTelegram) -> None:
    person = fake.user(691_001, language_code="en")
    await report_safe(bot, person, "en", name="Zhanar Bekova", city="Алматы", phone="+77015558282")
    first = fake.user(691_010, language_code="kk")
    ref = await find(bot, first, "kk", name="Жанар Бекова", phone="+77015558383", region="Алматы")
    k = Texts(bot, "kk")
    await text_shown(fake, first, k(WAITING, ref=ref))  # another phone: not answered
    offer = await offer_to(bot, fake, first, "kk")
    assert ref in (offer.text or "") and "Zhanar Bekova" in (offer.text or "") and "Алматы" in (offer.text or "")
    # A second requester for the same phone joins the request and is asked too; the
    # first is not asked twice.
    second = fake.user(691_011, language_code="ru")
    ref2 = await find(bot, second, "ru", name="Жанар Бекова", phone="8 701 555 83 83", region="Алматы")
    await offer_to(bot, fake, second, "ru")
    await settled(bot, fake)
    assert sum(Texts(bot, "kk")(YES) in m.button_texts() for m in first.messages) == 1
    assert len(await matches(bot)) == 2
    await first.press(k(YES))
    await text_shown(fake, first, k("✅ Thank you. The request is closed: they are safe."))
    await text_shown(fake, second, Texts(bot, "ru")(SELF_SAFE, ref=ref2, name="Жанар Бекова"))
    [request] = await request_rows(bot)
    assert request.status == RequestStatus.SAFE and request.safe_source == SafeSource.SELF_REPORT
    # Nobody was shown a phone: neither the report's nor the request's.
    assert chats_showing(fake, "+77015558282") == set() and chats_showing(fake, "+77015558383") == set()
    await everything_accepted(fake)


async def test_a_report_without_a_region_is_offered_anywhere_and_can_be_rejected(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    await report_safe(bot, fake.user(692_001, language_code="en"), "en", name="Nursultan Bekkairov",
                      city="Бишкек", phone=None)  # no region of ours
    await report_safe(bot, fake.user(692_002, language_code="en"), "en", name="Aigul Seitova", city="Алматы",
                      phone=None)
    relative = fake.user(692_010, language_code="ru")
    t = Texts(bot, "ru")
    ref = await find(bot, relative, "ru", name="Бекқайыров Нұрсұлтан", phone="+77015558484", region="Атырау")
    offer = await offer_to(bot, fake, relative, "ru")
    assert ref in (offer.text or "") and "Nursultan Bekkairov" in (offer.text or "")
    # A report made in another region is not offered for a request of Atyrau.
    elsewhere = fake.user(692_011, language_code="ru")
    await find(bot, elsewhere, "ru", name="Айгүл Сейітова", phone="+77015558585", region="Атырау")
    await relative.press(t(NO))
    await text_shown(fake, relative, t("Thank you. The request stays open and a volunteer will call."))
    await settled(bot, fake)
    assert not any(YES in m.button_texts() or t(YES) in m.button_texts() for m in elsewhere.messages)
    [match] = await matches(bot)
    assert match.status == MatchStatus.REJECTED
    assert [r.status for r in await request_rows(bot)] == [RequestStatus.OPEN, RequestStatus.OPEN]
    assert chats_showing(fake, "+77015558484") == set()
    await everything_accepted(fake)


async def test_a_report_past_retention_is_not_matched(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    await report_safe(bot, fake.user(693_001, language_code="ru"), "ru", name="Хасан Хасанов", city="Алматы",
                      phone="+77015558686")
    await settled(bot, fake)
    clock.advance(timedelta(days=30, minutes=1))
    assert await bot.services.retention.erase_due() == 1
    relative = fake.user(693_010, language_code="ru")
    t = Texts(bot, "ru")
    ref = await find(bot, relative, "ru", name="Khasan Khasanov", phone="+77015558686", region="Алматы")
    await text_shown(fake, relative, t(WAITING, ref=ref))
    await settled(bot, fake)
    assert not any("Всё хорошо" in (m.text or "") or t(YES) in m.button_texts() for m in relative.messages)
    [request] = await request_rows(bot)
    assert request.status == RequestStatus.OPEN and await matches(bot) == []
    await everything_accepted(fake)

