"""/safe matched by phone and by name, withdrawing in /myrequests, the group deep link,
and retention, end to end over the fake Bot API."""

from __future__ import annotations

import re
import time
from datetime import timedelta

from sqlalchemy import select

from bot.domain.reconnection import RequestStatus
from emulator import FakeTelegram, FakeUser
from emulator.state import FakeMessage
from storage.models import DeliveryMessage, ReconnectionAsk, ReconnectionRequest
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.reconnection import caller, chats_showing, find


async def request_rows(bot: RunningBot) -> list[ReconnectionRequest]:
    async with bot.services.db.sessionmaker() as session:
        return list(await session.scalars(select(ReconnectionRequest).order_by(ReconnectionRequest.id)))


async def report_safe(bot: RunningBot, user, locale: str, *, name: str, city: str, phone: str | None) -> str:  # noqa: ANN001
    t = Texts(bot, locale)
    await user.send_text("/safe")
    await wait_text(user, t("🟢 <b>I am safe</b>\nI will tell the families looking for you. What is your full "
                            "name?").split("\n")[-1])
    await user.send_text(name)
    await wait_text(user, t("Where are you now? Type the city, town or district."))
    await user.send_text(city)
    await wait_text(user, t("Your phone number, so a family who asked for it is answered at once (it is shown to "
                            "nobody). Or press Skip."))
    if phone:
        await user.send_text(phone)
    else:
        await user.press(t("Skip ➡️"))
    await wait_text(user, t("A short message for your family (up to {max} characters), or press Skip.", max=500))
    await user.send_text("Всё хорошо")
    return (await wait_text(user, t("✅ Thank you. Your report is saved."))).text or ""


async def test_safe_by_phone_answers_the_request_at_once(bot: RunningBot, fake: FakeTelegram) -> None:
    relative = fake.user(640_001, language_code="kk")
    ref = await find(bot, relative, "kk", name="Ғалымжан Өмірзақов", phone="+77015552222")
    person = fake.user(640_002, language_code="ru")
    saved = await report_safe(bot, person, "ru", name="Galymzhan Omirzakov", city="Алматы", phone="8 701 555 22 22")
    assert Texts(bot, "ru")("A family was looking for you by your phone number: they are told now.") in saved
    k = Texts(bot, "kk")
    told = await wait_text(relative, k("✅ {ref}: {name} reported themselves safe through the bot.", ref=ref,
                                       name="Ғалымжан Өмірзақов"))
    assert "Всё хорошо" in (told.text or "")
    [request] = await request_rows(bot)
    assert request.status == RequestStatus.SAFE
    assert chats_showing(fake, "+77015552222") == set()  # nobody was shown it: no caller was needed
    await everything_accepted(fake)


async def test_safe_by_name_is_offered_to_the_requester_who_confirms(bot: RunningBot, fake: FakeTelegram) -> None:
    relative = fake.user(650_001, language_code="en")
    ref = await find(bot, relative, "en", name="Zhanar Bekova", phone="+77015553333", region="Almaty")
    other = fake.user(650_003, language_code="en")  # another name: never asked
    await find(bot, other, "en", name="Aigerim Bekova", phone="+77015554444", region="Almaty")
    person = fake.user(650_002, language_code="kk")
    saved = await report_safe(bot, person, "kk", name="Жанар Бекова", city="Алматы", phone=None)
    assert Texts(bot, "kk")("Families looking for someone with your name are asked whether it is you.") in saved
    e = Texts(bot, "en")
    offer = await wait_text(relative, ref + ": " + "someone reported themselves safe")
    assert "Жанар Бекова" in (offer.text or "") and "+7" not in (offer.text or "")
    await relative.press(e("✅ Yes, it is them"))
    await wait_text(relative, e("✅ Thank you. The request is closed: they are safe."))
    first, second = await request_rows(bot)
    assert first.status == RequestStatus.SAFE and second.status == RequestStatus.OPEN
    assert not any("someone reported" in (m.text or "") for m in other.messages)
    assert chats_showing(fake, "+77015553333") == set()
    await everything_accepted(fake)


async def test_withdraw_in_myrequests_after_a_confirmation(bot: RunningBot, fake: FakeTelegram) -> None:
    relative = fake.user(660_001, language_code="ru")
    ref = await find(bot, relative, "ru", name="Айгүл Сейітова", phone="+77015555555")
    t = Texts(bot, "ru")
    listing = await relative.ask("/myrequests")
    assert ref in (listing.text or "") and t("waiting for a call") in (listing.text or "")
    assert "555 55" not in (listing.text or "")
    await relative.press(t("Withdraw {ref}", ref=ref))
    await wait_text(relative, t("Withdraw {ref}? Volunteers will not call {name} for you.", ref=ref,
                                name="Айгүл Сейітова"))
    await relative.press(t("Yes, withdraw"))
    await wait_text(relative, t("The request is withdrawn."))
    [request] = await request_rows(bot)
    assert request.status == RequestStatus.WITHDRAWN
    await everything_accepted(fake)


async def test_group_find_answers_with_a_deep_link_and_phones_get_a_suggestion(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    group_id = -1001234567
    fake.add_group(group_id, "Бауырмен байланыс")
    member = fake.user(670_001, language_code="ru")

    def post(text: str) -> FakeMessage:
        return post_in_group(fake, group_id, member, text)

    post("/find")
    await fake.wait_idle()
    [reply] = fake.messages_in(group_id)
    [[button]] = reply.reply_markup["inline_keyboard"]
    link, start = button["url"].split("?start=")
    assert link == f"https://t.me/{fake.bot_user['username']}"
    assert re.fullmatch(r"find_g1001234567_[A-Za-z0-9_-]{16}", start)
    post("Срочно! Позвоните маме +7 701 555 66 77, она в Алматы")
    await fake.notifier.wait_until(lambda: True if len(fake.messages_in(group_id)) == 2 else None, 10)
    post("Спасибо всем")  # nothing to answer
    await fake.wait_idle()
    assert len(fake.messages_in(group_id)) == 2
    suggestion = fake.messages_in(group_id)[1]
    assert "555" not in (suggestion.text or "")
    assert len(suggestion.reply_markup["inline_keyboard"]) == 1  # not an administrator: nothing to delete with

    # The deep link opens /find in private; the group then gets only a short status line.
    ref = await find(bot, member, "ru", name="Нурсултан Беккаиров", phone="+77015556677", start=start)
    async with bot.services.db.sessionmaker() as session:
        ask = await session.scalar(select(ReconnectionAsk))
    assert ask is not None and ask.group_chat_id == group_id
    volunteer = await caller(bot, fake, 670_100)
    await volunteer.send_text("/calls")
    await wait_text(volunteer, "Нурсултан Беккаиров")
    await volunteer.press("✅ " + Texts(bot, "ru")("Reached, safe"))
    await volunteer.wait_for_message(lambda m: Texts(bot, "ru")("Skip ➡️") in m.button_texts())
    await volunteer.press(Texts(bot, "ru")("Skip ➡️"))
    await fake.notifier.wait_until(lambda: True if len(fake.messages_in(group_id)) == 3 else None, 10)
    line = fake.messages_in(group_id)[2].text or ""
    assert line == Texts(bot, "ru")("{ref}: {status}", ref=ref, status=Texts(bot, "ru")("reached, safe"))
    assert chats_showing(fake, "+77015556677") == {volunteer.id}
    await everything_accepted(fake)


def post_in_group(fake: FakeTelegram, group_id: int, member: FakeUser, text: str) -> FakeMessage:
    """`member` writes in the group (the emulator's users write only in private chats)."""
    chat = fake.chat_state(group_id)
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}] if text.startswith("/") else []
    message = FakeMessage(chat=chat.chat, message_id=chat.new_message_id(), sender=member.user_json,
                          from_bot=False, date=int(time.time()), text=text, entities=entities, content={})
    chat.messages[message.message_id] = message
    fake.updates.push("message", message.to_api())
    return message


def press_in_group(fake: FakeTelegram, group_id: int, member: FakeUser, message: FakeMessage, data: str) -> str:
    record = fake.issue_callback(member.id, message.message_id, data)
    fake.updates.push("callback_query", {"id": record.id, "from": member.user_json, "message": message.to_api(),
                                         "chat_instance": f"g{group_id}", "data": data})
    return record.id


async def test_an_administrator_bot_lets_the_author_delete_a_posted_phone(bot: RunningBot, fake: FakeTelegram) -> None:
    group_id = -1009876543
    fake.add_group(group_id, "Бауырмен байланыс", bot_admin=True)
    author = fake.user(675_001, language_code="kk")
    other = fake.user(675_002, language_code="ru")
    posted = post_in_group(fake, group_id, author, "Анамның нөмірі 8 701 555 99 00, Алматы")
    await fake.notifier.wait_until(lambda: True if fake.messages_in(group_id) else None, 10)
    [suggestion] = fake.messages_in(group_id)
    delete_button = suggestion.reply_markup["inline_keyboard"][1][0]
    assert delete_button["text"] == "🗑 " + Texts(bot, "kk")("Delete my message")
    refused = press_in_group(fake, group_id, other, suggestion, delete_button["callback_data"])
    answer = await fake.notifier.wait_until(lambda: fake.callback_queries[refused].answer, 10)
    assert answer["text"] == Texts(bot, "ru")("Only the author of the message can delete it.")
    assert not posted.deleted
    press_in_group(fake, group_id, author, suggestion, delete_button["callback_data"])
    await fake.notifier.wait_until(lambda: True if posted.deleted else None, 10)
    await fake.notifier.wait_until(
        lambda: True if suggestion.text == Texts(bot, "kk")("The message with the phone number is deleted. Thank you!")
        else None, 10)
    await everything_accepted(fake)


async def test_retention_erases_phones_and_messages_30_days_after_closing(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    relative = fake.user(680_001, language_code="ru")
    await find(bot, relative, "ru", name="Хасан Хасанов", phone="+77015557777", message="Папа, ответь")
    person = fake.user(680_002, language_code="ru")
    await report_safe(bot, person, "ru", name="Khasan Khasanov", city="Алматы", phone="+77015557777")
    await fake.wait_idle()
    # Every status message sent (30 days on, none is still waiting in the queue).
    await bot.services.delivery.sender.wait_drained(timeout=30)
    clock.advance(timedelta(days=29))
    assert await bot.services.retention.erase_due() == 0
    clock.advance(timedelta(days=1, minutes=1))
    assert await bot.services.retention.erase_due() == 2  # the request and the safe report
    async with bot.services.db.sessionmaker() as session:
        request = await session.scalar(select(ReconnectionRequest))
        ask = await session.scalar(select(ReconnectionAsk))
        texts = list(await session.scalars(select(DeliveryMessage.text)))
    assert request is not None and request.phone is None and request.note is None and request.erased_at is not None
    assert ask is not None and ask.message is None
    assert request.status == RequestStatus.SAFE and request.full_name == "Хасан Хасанов"  # counts stay
    assert not any("Всё хорошо" in text for text in texts)
