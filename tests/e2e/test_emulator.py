"""The fake Bot API, driven by the real aiogram Bot over HTTP: what it accepts, what it
rejects with Telegram's wording, and how simulated users talk to a polling Dispatcher."""

from __future__ import annotations

import asyncio
import html
from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BotCommandScopeChat,
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from emulator import FakeTelegram
from emulator.html_check import HtmlError, parse_html

USER_ID = 1001


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)] for t, d in buttons])


def make_bot(fake: FakeTelegram, token: str | None = None) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))
    return Bot(token or fake.token, session=session, default=DefaultBotProperties(parse_mode=ParseMode.HTML))


async def close_quickly(bot: Bot) -> None:
    # AiohttpSession.close() sleeps 250 ms for TLS shutdown; plain local HTTP needs none.
    if bot.session._session is not None:  # type: ignore[attr-defined]  # aiogram's private session, closed to simulate a drop
        await bot.session._session.close()  # type: ignore[attr-defined]  # aiogram's private session, closed to simulate a drop


@pytest.fixture
async def tg(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = make_bot(fake)
    yield bot
    await close_quickly(bot)


async def test_get_me_describes_the_configured_bot(tg: Bot, fake: FakeTelegram) -> None:
    me = await tg.get_me()
    assert (me.id, me.username, me.is_bot) == (fake.bot_id, "birge_test_bot", True)
    assert fake.calls_of("getMe")[0].ok


async def test_a_sent_message_is_what_the_user_sees(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    sent = await tg.send_message(USER_ID, "<b>Сәлем</b> 👋 <i>Birge</i>", reply_markup=keyboard(("Yes", "y"), ("No", "n")))
    shown = user.last_message
    assert shown is not None and shown.message_id == sent.message_id
    assert shown.text == "Сәлем 👋 Birge" == sent.text
    assert shown.entities == [{"type": "bold", "offset": 0, "length": 5}, {"type": "italic", "offset": 9, "length": 5}]
    assert user.button_texts() == ["Yes", "No"]
    assert fake.calls_of("sendMessage")[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "y"
    assert fake.stats.sent[USER_ID] == 1


async def test_unescaped_html_is_rejected_and_escaped_html_accepted(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await tg.send_message(USER_ID, "Name: <b>&")
    await tg.send_message(USER_ID, f"Name: {html.escape('<b>&')}")
    assert user.last_message.text == "Name: <b>&"
    assert fake.stats.rejected == 1


async def test_unknown_tag_is_rejected_with_its_byte_offset(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "foo" at byte offset 5'):
        await tg.send_message(USER_ID, "Hello<foo>x</foo>")


async def test_text_length_is_counted_after_parsing(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    await tg.send_message(USER_ID, "<b>" + "я" * 4096 + "</b>")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await tg.send_message(USER_ID, "x" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await tg.send_message(USER_ID, "<b> </b>\n")


async def test_callback_data_is_limited_to_64_bytes(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    await tg.send_message(USER_ID, "ok", reply_markup=keyboard(("a", "д" * 32)))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await tg.send_message(USER_ID, "too long", reply_markup=keyboard(("a", "x" + "д" * 32)))


async def test_injected_errors_become_aiogram_exceptions(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    fake.inject("sendMessage", error_code=429, retry_after=7)
    fake.inject("sendMessage", chat_id=USER_ID, error_code=403)
    fake.inject("sendMessage", error_code=500)
    with pytest.raises(TelegramRetryAfter) as retry:
        await tg.send_message(USER_ID, "1")
    assert retry.value.retry_after == 7
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await tg.send_message(USER_ID, "2")
    with pytest.raises(TelegramServerError):
        await tg.send_message(USER_ID, "3")
    await tg.send_message(USER_ID, "4")
    assert [call.error_code for call in fake.calls_of("sendMessage")] == [429, 403, 500, None]
    assert (fake.stats.rate_limited, fake.stats.rejected, fake.stats.sent[USER_ID]) == (1, 3, 1)


async def test_a_blocked_user_answers_403_until_unblocked(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    fake.block(USER_ID)
    for _ in range(2):
        with pytest.raises(TelegramForbiddenError):
            await tg.send_message(USER_ID, "hi")
    fake.unblock(USER_ID)
    await tg.send_message(USER_ID, "hi")


async def test_unknown_chat_wrong_token_and_unknown_method(tg: Bot, fake: FakeTelegram) -> None:
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await tg.send_message(777, "anyone?")
    intruder = make_bot(fake, token="999:WRONG")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await intruder.get_me()
    finally:
        await close_quickly(intruder)
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{fake.base_url}/bot{fake.token}/getMe") as response:
            assert (await response.json())["result"]["username"] == fake.username
        async with http.post(f"{fake.base_url}/bot{fake.token}/sendTelepathy") as response:
            assert response.status == 404
            assert await response.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_edits_and_deletes_follow_telegram_rules(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    sent = await tg.send_message(USER_ID, "Pick", reply_markup=keyboard(("A", "a")))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await tg.edit_message_text("Pick", chat_id=USER_ID, message_id=sent.message_id,
                                   reply_markup=keyboard(("A", "a")))
    await tg.edit_message_text("Picked", chat_id=USER_ID, message_id=sent.message_id)  # drops the keyboard
    assert (user.last_message.text, user.last_message.reply_markup, user.last_message.edited) == ("Picked", None, 1)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await tg.edit_message_reply_markup(chat_id=USER_ID, message_id=99, reply_markup=keyboard(("B", "b")))
    assert await tg.delete_message(USER_ID, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await tg.delete_message(USER_ID, sent.message_id)
    assert user.messages[0].deleted and user.last_message is None


async def test_chat_info_actions_and_copies(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID, first_name="Aigerim", username="aigerim")
    assert (await tg.get_chat("@aigerim")).first_name == "Aigerim"
    assert await tg.send_chat_action(USER_ID, "typing")
    with pytest.raises(TelegramBadRequest, match="wrong parameter action"):
        await tg.send_chat_action(USER_ID, "dancing")
    own = await user.send_text("note to self")
    copy = await tg.copy_message(USER_ID, USER_ID, own.message_id)
    assert user.last_message.message_id == copy.message_id and user.last_message.text == "note to self"


async def test_callback_answers_are_checked_and_recorded(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    await tg.send_message(USER_ID, "Pick", reply_markup=keyboard(("A", "a")))
    query_id = await user.press("A")
    assert fake.unanswered_callbacks()[0].id == query_id
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await tg.answer_callback_query(query_id, text="x" * 201)
    await tg.answer_callback_query(query_id, text="x" * 200)
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await tg.answer_callback_query(query_id)
    assert user.callback_answers == [{"callback_query_id": query_id, "text": "x" * 200}]
    assert fake.unanswered_callbacks() == []
    with pytest.raises(AssertionError, match="No button 'B'"):
        await user.press("B")


async def test_commands_are_validated_and_stored_per_scope_and_language(tg: Bot, fake: FakeTelegram) -> None:
    commands = [BotCommand(command="start", description="Басты мәзір")]
    await tg.set_my_commands(commands, language_code="kk")
    await tg.set_my_commands(commands, scope=BotCommandScopeAllPrivateChats())
    assert fake.commands_for(language_code="kk") == [{"command": "start", "description": "Басты мәзір"}]
    assert fake.commands_for({"type": "all_private_chats"}) == fake.commands_for(language_code="kk")
    assert await tg.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await tg.set_my_commands([BotCommand(command="Start", description="x")])
    with pytest.raises(TelegramBadRequest, match="BOT_COMMANDS_TOO_MUCH"):
        await tg.set_my_commands([BotCommand(command=f"c{i}", description="x") for i in range(101)])


async def test_the_menu_a_person_sees_follows_telegrams_order_of_scopes(tg: Bot, fake: FakeTelegram) -> None:
    def menu(description: str) -> list[BotCommand]:
        return [BotCommand(command="start", description=description)]

    fake.user(USER_ID, language_code="ru")
    assert fake.menu_seen_by(USER_ID) == []
    await tg.set_my_commands(menu("default"))
    await tg.set_my_commands(menu("default ru"), language_code="ru")
    assert fake.menu_seen_by(USER_ID)[0]["description"] == "default ru"
    assert fake.menu_seen_by(USER_ID, "de")[0]["description"] == "default"
    await tg.set_my_commands(menu("private"), scope=BotCommandScopeAllPrivateChats())
    assert fake.menu_seen_by(USER_ID)[0]["description"] == "private"  # beats default + language
    # A chat's own list without a language wins whatever the app's language...
    await tg.set_my_commands(menu("chat"), scope=BotCommandScopeChat(chat_id=USER_ID))
    assert fake.menu_seen_by(USER_ID)[0]["description"] == "chat"
    assert fake.menu_seen_by(USER_ID, "en-US")[0]["description"] == "chat"
    # ...except over a chat list for that very language; deleting it falls back again.
    await tg.set_my_commands(menu("chat en"), scope=BotCommandScopeChat(chat_id=USER_ID), language_code="en")
    assert fake.menu_seen_by(USER_ID, "en-US")[0]["description"] == "chat en"
    await tg.delete_my_commands(scope=BotCommandScopeChat(chat_id=USER_ID), language_code="en")
    assert fake.menu_seen_by(USER_ID, "en")[0]["description"] == "chat"
    assert fake.menu_seen_by(USER_ID + 1, "en")[0]["description"] == "private"  # somebody else


async def test_descriptions_are_kept_per_language_within_telegrams_limits(tg: Bot, fake: FakeTelegram) -> None:
    await tg.set_my_description(description="Сипаттама", language_code="kk")
    await tg.set_my_short_description(short_description="x" * 120)
    assert (await tg.get_my_description(language_code="kk")).description == "Сипаттама"
    assert (await tg.get_my_description()).description == ""
    assert (await tg.get_my_short_description()).short_description == "x" * 120
    assert fake.descriptions == {"kk": "Сипаттама"} and fake.short_descriptions == {None: "x" * 120}
    with pytest.raises(TelegramBadRequest, match="DESCRIPTION_INVALID"):
        await tg.set_my_description(description="я" * 513)
    with pytest.raises(TelegramBadRequest, match="SHORT_DESCRIPTION_INVALID"):
        await tg.set_my_short_description(short_description="я" * 121, language_code="ru")
    await tg.set_my_description(description="", language_code="kk")  # an empty one removes it
    assert fake.descriptions == {}


async def test_the_global_rate_limit_answers_429_with_retry_after() -> None:
    now = [100.0]
    async with FakeTelegram(global_rate_limit=2, clock=lambda: now[0]) as fake:
        bot = make_bot(fake)
        fake.user(1), fake.user(2)
        await bot.send_message(1, "a")
        await bot.send_message(2, "b")
        with pytest.raises(TelegramRetryAfter) as refused:
            await bot.send_message(1, "c")
        assert refused.value.retry_after == 1
        now[0] += 1.0
        fake.per_chat_rate_limit = 1
        await bot.send_message(1, "d")
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(1, "e")
        await bot.send_message(2, "f")
        assert fake.stats.rate_limited == 2
        await close_quickly(bot)


async def test_telegram_limits_take_a_short_burst_per_chat_then_one_a_second_and_count_edits() -> None:
    now = [100.0]
    async with FakeTelegram(clock=lambda: now[0]) as fake:
        bot = make_bot(fake)
        fake.user(1), fake.user(2)
        for n in range(5):  # off by default: anything goes
            await bot.send_message(1, f"free {n}")
        now[0] += 10.0
        fake.enforce_telegram_limits()
        first = await bot.send_message(1, "a")
        await bot.send_message(1, "b")
        await bot.edit_message_text("a, edited", chat_id=1, message_id=first.message_id)  # the third of the burst
        with pytest.raises(TelegramRetryAfter) as refused:
            await bot.edit_message_reply_markup(chat_id=1, message_id=first.message_id, reply_markup=InlineKeyboardMarkup(
                inline_keyboard=[[InlineKeyboardButton(text="x", callback_data="x")]]))
        assert refused.value.retry_after == 1
        await bot.send_message(2, "another chat is not held")
        now[0] += 1.0  # then about one a second
        await bot.send_message(1, "c")
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(1, "d")
        assert fake.stats.rate_limited == 2
        assert fake.chat_state(1).messages[first.message_id].text == "a, edited"
        await close_quickly(bot)


async def test_an_album_is_admitted_whole_and_counts_as_its_photos() -> None:
    now = [100.0]
    async with FakeTelegram(clock=lambda: now[0], global_rate_limit=4) as fake:
        bot = make_bot(fake)
        fake.user(1), fake.user(2)
        fake.per_chat_rate_limit, fake.per_chat_burst = 1, 2

        def album() -> list[InputMediaPhoto]:
            return [InputMediaPhoto(media=BufferedInputFile(f"png {n}".encode(), filename=f"c{n}.png")) for n in range(3)]

        await bot.send_message(2, "one of the four this second")
        await bot.send_media_group(1, album())  # three more: the global window is full
        with pytest.raises(TelegramRetryAfter):
            await bot.send_message(2, "the fifth")
        now[0] += 1.0
        with pytest.raises(TelegramRetryAfter):  # chat 1 owes its burst: three sent on a burst of two
            await bot.send_media_group(1, album())
        assert len(fake.chat_state(1).messages) == 3  # nothing of the refused album was delivered
        now[0] += 1.0
        await bot.send_media_group(1, album())
        assert len(fake.chat_state(1).messages) == 6
        await close_quickly(bot)


async def test_telegram_limits_allow_twenty_messages_a_minute_into_a_group() -> None:
    now = [100.0]
    async with FakeTelegram(clock=lambda: now[0]) as fake:
        bot = make_bot(fake)
        fake.add_group(-100)
        fake.enforce_telegram_limits()
        for n in range(20):
            await bot.send_message(-100, f"group {n}")
            now[0] += 1.5
        with pytest.raises(TelegramRetryAfter) as refused:
            await bot.send_message(-100, "the 21st within the minute")
        assert refused.value.retry_after == 30  # the first leaves the minute at +60 s
        now[0] += 30.0
        await bot.send_message(-100, "now it fits")
        await close_quickly(bot)


async def test_uploaded_documents_keep_their_bytes_and_users_files_can_be_downloaded(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    await tg.send_document(USER_ID, BufferedInputFile(b"name,phone\n", filename="export.csv"), caption="<b>Export</b>")
    shown = user.last_message
    assert shown.file is not None and shown.file.data == b"name,phone\n"
    assert (shown.content["document"]["file_name"], shown.caption) == ("export.csv", "Export")
    sent = await user.send_document(file_name="tasks.csv", content=b"id\n1\n")
    file = await tg.get_file(sent.content["document"]["file_id"])
    downloaded = await tg.download_file(file.file_path)
    assert downloaded.read() == b"id\n1\n"


async def test_a_long_poll_parks_until_an_update_arrives_and_stop_releases_it(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    poll = asyncio.create_task(tg.get_updates(timeout=10))
    await asyncio.sleep(0.05)
    assert not poll.done()
    await user.send_text("/start ref42")
    updates = await asyncio.wait_for(poll, 1)
    assert updates[0].message.text == "/start ref42"
    assert updates[0].message.entities[0].type == "bot_command" and updates[0].message.entities[0].length == 6
    assert updates[0].message.from_user.language_code == "ru"
    assert await tg.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    parked = asyncio.create_task(tg.get_updates(timeout=30))
    await asyncio.sleep(0.05)
    await asyncio.wait_for(fake.stop(), 2)
    assert await asyncio.wait_for(parked, 2) == []


def test_html_parser_follows_telegram() -> None:
    text, entities = parse_html('<pre><code class="language-python">x = 1</code></pre> &#x1F600;&lt;<a href="https://a.kz?x=1&y=2">link</a>')
    assert text == "x = 1 😀<link"
    assert entities == [
        {"type": "pre", "offset": 0, "length": 5, "language": "python"},
        {"type": "text_link", "offset": 9, "length": 4, "url": "https://a.kz?x=1&y=2"},
    ]
    assert parse_html('<blockquote expandable>q</blockquote><span class="tg-spoiler">s</span>')[1][0]["type"] == "expandable_blockquote"
    for bad, detail in [
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("<b>x", 'Can\'t find end tag corresponding to start tag "b"'),
        ("a < b", 'Unsupported start tag "" at byte offset 2'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ('<span class="x">s</span>', 'Tag "span" must have class "tg-spoiler"'),
    ]:
        with pytest.raises(HtmlError) as error:
            parse_html(bad)
        assert detail in str(error.value)


async def test_a_polling_dispatcher_talks_with_a_simulated_user(fake: FakeTelegram) -> None:
    router = Router()

    @router.message(F.text == "menu")
    async def menu(message: Message) -> None:
        await message.answer("Choose:", reply_markup=keyboard(("Help", "help")))

    @router.message(F.contact)
    async def contact(message: Message) -> None:
        await message.answer(f"Phone {message.contact.phone_number}")

    @router.callback_query(F.data == "help")
    async def help_pressed(query: CallbackQuery) -> None:
        await query.answer("OK")
        await query.message.edit_text("Helping")
        await query.message.answer("Share?", reply_markup=ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Share", request_contact=True)]], resize_keyboard=True))

    dp = Dispatcher()
    dp.include_router(router)
    bot = make_bot(fake)
    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1, close_bot_session=False))
    try:
        user = fake.user(USER_ID, language_code="kk")
        reply = await user.ask("menu")
        assert reply.text == "Choose:" and user.button_texts(reply) == ["Help"]
        await user.press("Help")
        edited = await user.wait_for_message()
        assert (edited.message_id, edited.text) == (reply.message_id, "Helping")
        assert (await user.wait_for_message()).text == "Share?"
        await user.press("Share")
        assert (await user.wait_for_message()).text == f"Phone {user.phone_number}"
        await fake.wait_idle(2)
        assert user.callback_answers[0]["text"] == "OK" and fake.unanswered_callbacks() == []
    finally:
        await asyncio.wait_for(dp.stop_polling(), 2)
        await asyncio.wait_for(polling, 2)
        await close_quickly(bot)
