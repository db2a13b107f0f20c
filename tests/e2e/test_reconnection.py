"""Family reconnection end to end over the fake Bot API: a worried relative's /find, a
relay caller's /calls and outcome, the requester told in their language; merging by
phone; claims running out; "no answer" retries; and no phone number in any chat but
the caller's."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.domain.reconnection import RequestStatus
from bot.reconnection.requests import Created, NewRequest
from emulator import FakeTelegram
from storage.models import ReconnectionRequest
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.reconnection import caller, chats_showing, find

PHONE = "+7 701 555 12 34"


async def requests_in_db(bot: RunningBot) -> list[ReconnectionRequest]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(ReconnectionRequest).order_by(ReconnectionRequest.id)))


@pytest.mark.parametrize(("locale", "relation"), [("ru", "сын"), ("kk", "ұлы"), ("en", "son")])
async def test_request_claim_outcome_told_in_the_requesters_language(
    bot: RunningBot, fake: FakeTelegram, locale: str, relation: str
) -> None:
    relative = fake.user(610_001, language_code=locale)  # not registered: abroad, worried
    ref = await find(bot, relative, locale, name="Нұрсұлтан Бекқайыров", phone=PHONE, relation=relation)
    assert ref.startswith("R-")

    volunteer = await caller(bot, fake, 610_100, locale="ru", languages=("ru", "kk"))
    c = Texts(bot, "ru")
    await volunteer.send_text("/calls")
    card = await wait_text(volunteer, "Нұрсұлтан Бекқайыров")
    assert 'href="tel:+77015551234"' in (card.text or "") or "+7 701 555 12 34" in (card.text or "")
    assert relation in (card.text or "")
    await volunteer.press("✅ " + c("Reached, safe"))
    await wait_text(volunteer, c("Did they ask to pass anything on? Type a short message (up to {max} characters), "
                                 "or press Skip.", max=300))
    await volunteer.send_text("Всё хорошо, связи нет")
    await wait_text(volunteer, c("Thank you! Recorded: {outcome}. The family is told.", outcome=c("reached, safe")))
    assert "555" not in (volunteer.last_message.text or "")  # the card no longer shows the phone

    r = Texts(bot, locale)
    await wait_text(relative, r("📞 {ref}: a volunteer is calling {name} now.", ref=ref, name="Нұрсұлтан Бекқайыров"))
    told = await wait_text(relative, r("✅ {ref}: {name} was reached by phone and is safe.", ref=ref,
                                       name="Нұрсұлтан Бекқайыров"))
    assert "Всё хорошо, связи нет" in (told.text or "")
    [request] = await requests_in_db(bot)
    assert request.status == RequestStatus.SAFE and request.claimed_until is None
    assert chats_showing(fake, PHONE) == {volunteer.id}
    await everything_accepted(fake)


async def test_two_requests_for_one_phone_are_merged_and_both_told(bot: RunningBot, fake: FakeTelegram) -> None:
    first = fake.user(620_001, language_code="en")
    second = fake.user(620_002, language_code="kk")
    ref1 = await find(bot, first, "en", name="Aigul Seitova", phone="87015550000")
    ref2 = await find(bot, second, "kk", name="Айгүл Сейітова", phone="+7 (701) 555-00-00")
    assert ref1 != ref2
    k = Texts(bot, "kk")
    assert k("Someone else is already looking for this person. Your requests are joined: one volunteer call "
             "answers both of you.") in (second.last_message.text or "")
    e = Texts(bot, "en")
    await wait_text(first, e("🔗 {ref}: another person is also looking for {name}. The requests are joined; nothing "
                             "changes for you.", ref=ref1, name="Aigul Seitova"))
    assert len(await requests_in_db(bot)) == 1

    volunteer = await caller(bot, fake, 620_100, languages=("ru",))
    await volunteer.send_text("/calls")
    await wait_text(volunteer, "Aigul Seitova")
    await volunteer.press("❌ " + Texts(bot, "ru")("Wrong number"))
    await wait_text(first, e("❌ {ref}: the number you gave for {name} is wrong: the person who answered is "
                             "someone else. You can send a new request with /find.", ref=ref1, name="Aigul Seitova"))
    await wait_text(second, ref2)
    assert chats_showing(fake, "+77015550000") == {volunteer.id}
    await everything_accepted(fake)


async def test_claim_expires_after_20_minutes_and_no_answer_retries_five_times(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    relative = fake.user(630_001, language_code="ru")
    ref = await find(bot, relative, "ru", name="Шынар Хасанова", phone="+77015551111")
    first = await caller(bot, fake, 630_100)
    second = await caller(bot, fake, 630_101)
    t = Texts(bot, "ru")
    await first.send_text("/calls")
    await wait_text(first, "Шынар Хасанова")
    await second.send_text("/calls")  # held by the first caller: nothing for the second
    await wait_text(second, t("Nobody is waiting for a call in your languages right now. Thank you! Send /calls "
                              "again later."))
    clock.advance(timedelta(minutes=19))
    assert await bot.services.calls.expire_due() == 0
    clock.advance(timedelta(minutes=1, seconds=1))
    assert await bot.services.calls.expire_due() == 1
    await wait_text(first, t("⏱ Your 20 minutes for this call are over and the request went back to the queue. "
                             "Send /calls for the next one."))
    back_in_queue = t("🔁 {ref}: the volunteer could not finish the call to {name}. Your request is back in the "
                      "queue: another volunteer will call.", ref=ref, name="Шынар Хасанова")
    await wait_text(relative, back_in_queue)
    clock.advance(timedelta(minutes=1))
    assert await bot.services.calls.expire_due() == 0
    await first.press("📵 " + t("No answer"))  # too late: the claim is gone
    await first.wait_for_message(lambda m: "20" in (m.text or "") and not m.buttons() or
                                 t("Next call") in "".join(m.button_texts()))
    [request] = await requests_in_db(bot)
    assert request.status == RequestStatus.OPEN and request.attempts == 0

    for attempt in range(1, 6):
        await second.send_text("/calls")
        await wait_text(second, "Шынар Хасанова")
        await second.press("📵 " + t("No answer"))
        if attempt < 5:
            await wait_text(relative, t("📞 {ref}: a volunteer called {name} but nobody answered. We will call again in "
                                        "30 minutes (attempt {attempts} of {max}).", ref=ref, name="Шынар Хасанова",
                                        attempts=attempt, max=5))
            await second.send_text("/calls")  # not yet: back in the queue after 30 minutes
            await wait_text(second, t("Nobody is waiting for a call in your languages right now. Thank you! Send "
                                      "/calls again later."))
            clock.advance(timedelta(minutes=30))
    await wait_text(relative, t("📵 {ref}: we could not reach {name}: nobody answered after {attempts} calls.",
                                ref=ref, name="Шынар Хасанова", attempts=5))
    [request] = await requests_in_db(bot)
    assert request.status == RequestStatus.NOT_REACHED and request.attempts == 5
    await bot.services.delivery.sender.wait_drained(timeout=30)
    assert [m.text for m in relative.messages].count(back_in_queue) == 1  # once, for the one claim that ran out
    assert chats_showing(fake, "+77015551111") == {first.id, second.id}
    await everything_accepted(fake)


async def test_a_released_claim_is_announced_to_the_requester(bot: RunningBot, fake: FakeTelegram) -> None:
    requester = fake.user(640_800, language_code="kk")
    result = await bot.services.requests.create(requester.id, "kk", NewRequest(
        full_name="Ғалымжан Өмірзақов", phone="+77015558888", region="KZ-75", language="ru"))
    volunteer = await caller(bot, fake, 640_801)
    await volunteer.send_text("/calls")
    await wait_text(volunteer, "Ғалымжан Өмірзақов")
    await volunteer.press("↩️ " + Texts(bot, "ru")("Release"))
    await wait_text(volunteer, Texts(bot, "ru")("Released: the request is back in the queue."))
    k = Texts(bot, "kk")
    await wait_text(requester, k("🔁 {ref}: the volunteer could not finish the call to {name}. Your request is back "
                                 "in the queue: another volunteer will call.", ref=result.reference,
                                 name="Ғалымжан Өмірзақов"))
    [request] = await requests_in_db(bot)
    assert request.status == RequestStatus.OPEN and request.claimed_until is None
    assert chats_showing(fake, "+77015558888") == {volunteer.id}
    await everything_accepted(fake)


async def test_ten_callers_at_once_never_hold_one_request_twice(bot: RunningBot, fake: FakeTelegram) -> None:
    requester = fake.user(640_900, language_code="ru")
    result = await bot.services.requests.create(requester.id, "ru", NewRequest(
        full_name="Айгүл Сейітова", phone="+77015559999", region="KZ-75", language="ru"))
    assert result.outcome == Created.CREATED
    callers = [await caller(bot, fake, 641_000 + n) for n in range(10)]
    for person in callers:
        await person.send_text("/calls")
    cards = [await person.wait_for_message() for person in callers]
    assert sum("Айгүл Сейітова" in (card.text or "") for card in cards) == 1
    [request] = await requests_in_db(bot)
    assert request.status == RequestStatus.CLAIMED and request.claimed_by in {person.id for person in callers}
    assert chats_showing(fake, "+77015559999") == {request.claimed_by}
    await everything_accepted(fake)


async def test_find_takes_bad_input_politely_and_goes_back(bot: RunningBot, fake: FakeTelegram) -> None:
    person = fake.user(645_001, language_code="kk")
    k = Texts(bot, "kk")
    await person.send_text("/find")
    await wait_text(person, k("🔎 <b>Check on someone</b>\nWho should a volunteer call? Type their full name.")
                    .split("\n")[-1])
    await person.send_sticker()
    await wait_text(person, k("I can only read text here. Please type your answer."))
    await person.send_text("x" * 5000)
    await wait_text(person, k("Please type the name in letters, for example: Айгүл Сейітова."))
    await person.send_text("<b>Айгүл</b> & Сейітова")
    await wait_text(person, "+7 701 234 56 78")
    await person.send_text("12345")
    await wait_text(person, k("This does not look like a phone number. Please type it with digits, for example "
                              "+7 701 234 56 78."))
    await person.press("⬅️ " + k("Back"))
    await wait_text(person, k("🔎 <b>Check on someone</b>\nWho should a volunteer call? Type their full name.")
                    .split("\n")[-1])
    await person.send_text("/cancel")
    await wait_text(person, k("Cancelled."))
    # A forged caller's button for a request nobody holds: a polite alert, nothing changes.
    query = await person.press_data("call:safe:1", person.last_message.message_id)
    assert (await answer_of(fake, query))["text"] == k("This call is no longer yours: the 20 minutes ran out or the "
                                                       "request was closed.")
    await fake.wait_idle()
    assert await requests_in_db(bot) == []
    await everything_accepted(fake)


async def test_at_most_ten_open_requests_and_five_new_an_hour(bot: RunningBot, fake: FakeTelegram,
                                                              clock: ManualClock) -> None:
    requester = fake.user(646_001, language_code="ru")

    async def ask(n: int) -> Created:
        result = await bot.services.requests.create(requester.id, "ru", NewRequest(
            full_name=f"Человек Номер{n}", phone=f"+7701666{n:04d}", region="KZ-75", language="ru"))
        return result.outcome

    assert [await ask(n) for n in range(6)] == [Created.CREATED] * 5 + [Created.TOO_FAST]
    clock.advance(timedelta(hours=1, minutes=1))
    assert [await ask(n) for n in range(6, 12)] == [Created.CREATED] * 5 + [Created.TOO_MANY]
    mine = await bot.services.requests.mine(requester.id)
    assert await bot.services.requests.withdraw(mine[0].ask.id, requester.id)
    assert not await bot.services.requests.withdraw(mine[0].ask.id, requester.id)  # once
    assert not await bot.services.requests.withdraw(mine[1].ask.id, 646_002)  # not theirs
    clock.advance(timedelta(hours=1, minutes=1))
    assert await ask(12) == Created.CREATED


async def test_the_card_shows_a_similar_name_in_the_region_as_possibly_the_same_person(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    requester = fake.user(647_001, language_code="ru")
    for n, (name, region) in enumerate((("Нұрсұлтан Бекқайыров", "KZ-75"), ("Nursultan Bekkairov", "KZ-75"),
                                         ("Нурсултан Беккаиров", "KZ-71"), ("Айгерім Бекқайырова", "KZ-75"))):
        result = await bot.services.requests.create(requester.id, "ru", NewRequest(
            full_name=name, phone=f"+7701777000{n}", region=region, language="ru"))
        assert result.outcome == Created.CREATED
    volunteer = await caller(bot, fake, 647_100)
    await volunteer.send_text("/calls")
    card = await wait_text(volunteer, "Нұрсұлтан Бекқайыров")
    text = card.text or ""
    assert "Nursultan Bekkairov" in text  # same region, the name in another script
    assert "Беккаиров" not in text and "Айгерім" not in text  # another region; another given name
    assert "7770001" not in digits_of(text)  # the other request's phone is not shown
    await everything_accepted(fake)


def digits_of(text: str) -> str:
    return "".join(c for c in text if c.isdigit())
