"""The emulator checks every request against the Bot API's field list and answers as
Telegram does: a request that breaks a rule gets Telegram's error code and description,
the same request without the fault passes. Requests go over plain HTTP (as any client
would send them) or through the real aiogram Bot."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaDocument,
    InputMediaPhoto,
)

from emulator import FakeTelegram
from tests.e2e.test_emulator import close_quickly, make_bot

USER_ID = 1001
STRICT_NOTE = "Telegram would ignore it; the emulator refuses unknown fields in strict mode"


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def tg(fake: FakeTelegram) -> AsyncIterator[Bot]:
    bot = make_bot(fake)
    yield bot
    await close_quickly(bot)


async def call(http: aiohttp.ClientSession, fake: FakeTelegram, method: str, **form: Any) -> tuple[int, dict[str, Any]]:
    """POST `form` as aiogram does: strings as they are, anything else as JSON."""
    data = {key: value if isinstance(value, str) else json.dumps(value) for key, value in form.items()}
    async with http.post(f"{fake.base_url}/bot{fake.token}/{method}", data=data) as response:
        return response.status, await response.json()


def bad(description: str) -> dict[str, Any]:
    return {"ok": False, "error_code": 400, "description": f"Bad Request: {description}"}


def inline(*buttons: dict[str, Any]) -> dict[str, Any]:
    return {"inline_keyboard": [list(buttons)]}


async def test_a_method_the_api_lacks_is_not_found_and_one_the_emulator_lacks_says_so(http, fake) -> None:
    assert await call(http, fake, "sendTelepathy", chat_id=USER_ID) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert await call(http, fake, "sendPoll", chat_id=USER_ID, question="?", options=[{"text": "a"}]) == (
        404, {"ok": False, "error_code": 404, "description": "Not Found: the emulator does not serve sendPoll"})
    fake.user(USER_ID)
    status, body = await call(http, fake, "SENDMESSAGE", chat_id=USER_ID, text="method names ignore case")
    assert (status, body["ok"], fake.calls[-1].method) == (200, True, "sendMessage")


@pytest.mark.parametrize(("method", "form", "description"), [
    ("sendMessage", {"text": "hi"}, "chat_id is empty"),
    ("sendMessage", {"chat_id": USER_ID}, "message text is empty"),
    ("sendMessage", {"chat_id": USER_ID, "text": ""}, "message text is empty"),
    ("sendDocument", {"chat_id": USER_ID}, "there is no document in the request"),
    ("setMyCommands", {}, 'parameter "commands" is required'),
    ("copyMessage", {"chat_id": USER_ID, "message_id": 1}, 'parameter "from_chat_id" is required'),
    ("answerCallbackQuery", {}, "query is too old and response timeout expired or query ID is invalid"),
])
async def test_a_missing_required_parameter_is_refused_in_telegrams_words(http, fake, method, form, description) -> None:
    fake.user(USER_ID)
    assert await call(http, fake, method, **form) == (400, bad(description))
    assert fake.stats.sent[USER_ID] == 0


async def test_unknown_parameters_and_fields_are_refused_when_strict(http, fake) -> None:
    fake.user(USER_ID)
    assert await call(http, fake, "sendMessage", chat_id=USER_ID, text="hi", disable_preview=True) == (
        400, bad(f'unknown parameter "disable_preview" ({STRICT_NOTE})'))
    typo = inline({"text": "Go", "callback_date": "go"})
    assert await call(http, fake, "sendMessage", chat_id=USER_ID, text="hi", reply_markup=typo) == (
        400, bad(f'can\'t parse inline keyboard button: unknown field "callback_date" in InlineKeyboardButton '
                 f'({STRICT_NOTE})'))
    assert fake.stats.sent[USER_ID] == 0
    assert (await call(http, fake, "sendMessage", chat_id=USER_ID, text="hi"))[0] == 200


async def test_unknown_fields_pass_and_are_counted_when_not_strict(http) -> None:
    async with FakeTelegram(strict=False) as lenient:
        lenient.user(USER_ID)
        markup = inline({"text": "Go", "callback_data": "go", "colour": "red"})
        status, _ = await call(http, lenient, "sendMessage", chat_id=USER_ID, text="hi", spoiler=True, reply_markup=markup)
        assert status == 200
        assert lenient.unknown_fields == {"sendMessage.spoiler": 1, "InlineKeyboardButton.colour": 1}
        assert lenient.calls[-1].params["spoiler"] is True


async def test_fields_telegram_no_longer_documents_are_accepted_and_counted(http, fake) -> None:
    user = fake.user(USER_ID)
    first = await user.send_text("hello")
    status, _ = await call(http, fake, "sendMessage", chat_id=USER_ID, text="hi", disable_web_page_preview=True,
                           reply_to_message_id=first.message_id, allow_sending_without_reply=True)
    assert status == 200
    assert fake.legacy_fields == {"sendMessage.disable_web_page_preview": 1, "sendMessage.reply_to_message_id": 1,
                                  "sendMessage.allow_sending_without_reply": 1}
    assert fake.calls[-1].params["reply_to_message_id"] == first.message_id
    assert await call(http, fake, "sendMessage", chat_id=USER_ID, text="hi", reply_to_message_id=999) == (
        400, bad("message to be replied not found"))
    # ...but only where the field that replaced it exists: answerCallbackQuery never had a preview.
    assert (await call(http, fake, "answerCallbackQuery", callback_query_id="1", disable_web_page_preview=True))[0] == 400


@pytest.mark.parametrize(("form", "description"), [
    ({"message_id": "first"}, 'parameter "message_id" must be of type Integer'),
    ({"reply_markup": "{'inline_keyboard': []}"}, "can't parse reply keyboard markup JSON object"),
    ({"reply_markup": "[]"}, "object expected as reply keyboard markup"),
    ({"reply_markup": {"inline_keyboard": {"text": "A"}}}, 'field "inline_keyboard" must be of type Array'),
    ({"reply_markup": {"inline_keyboard": [{"text": "A"}]}}, 'field "inline_keyboard" must be an Array of Arrays'),
    ({"reply_markup": inline("A")},
     "can't parse inline keyboard button: InlineKeyboardButton must be an Object"),
    ({"reply_markup": inline({"callback_data": "a"})}, 'can\'t parse inline keyboard button: Can\'t find field "text"'),
    ({"reply_markup": inline({"text": ["A"], "callback_data": "a"})},
     'can\'t parse inline keyboard button: Field "text" must be of type String'),
    ({"reply_markup": inline({"text": "A", "pay": "yes"})},
     'can\'t parse inline keyboard button: Field "pay" must be of type Boolean'),
    ({"reply_markup": inline({"text": "A"})}, "text buttons are unallowed in the inline keyboard"),
    ({"reply_markup": inline({"text": "A", "url": "https://a.kz", "callback_data": "a"})},
     "can't parse inline keyboard button: exactly one of the optional fields must be used"),
    ({"reply_markup": inline({"text": "A", "url": "javascript:alert(1)"})}, "BUTTON_URL_INVALID"),
    ({"reply_markup": {"keyboard": [[{"text": "A", "request_contact": "yes"}]]}},
     'can\'t parse keyboard button: Field "request_contact" must be of type Boolean'),
    ({"reply_markup": {"resize_keyboard": True}}, 'can\'t find field "inline_keyboard"'),
    ({"link_preview_options": {"is_disabled": "yes"}}, 'field "is_disabled" must be of type Boolean'),
    ({"reply_parameters": {"message_id": "last"}}, 'field "message_id" must be a Number'),
    ({"entities": [{"type": "bold", "offset": 0}]}, 'can\'t parse MessageEntity: Can\'t find field "length"'),
    ({"disable_notification": "maybe"}, 'parameter "disable_notification" must be of type Boolean'),
])
async def test_a_value_of_the_wrong_type_is_refused_as_telegram_would(http, fake, form, description) -> None:
    fake.user(USER_ID)
    form = {"chat_id": USER_ID, "text": "Pick", **form}
    method = "editMessageText" if "message_id" in form else "sendMessage"
    assert await call(http, fake, method, **form) == (400, bad(description))


async def test_well_formed_values_of_every_kind_pass(http, fake) -> None:
    user = fake.user(USER_ID, username="aigerim")
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}, {"text": "Site", "url": "https://birge.kz"}]]}
    status, body = await call(http, fake, "sendMessage", chat_id="@aigerim", text="123", disable_notification="true",
                              link_preview_options={"is_disabled": True}, reply_markup=markup,
                              entities=[{"type": "bold", "offset": 0, "length": 3}])
    assert status == 200 and body["result"]["text"] == "123"
    params = fake.calls[-1].params
    assert (params["text"], params["chat_id"], params["disable_notification"]) == ("123", "@aigerim", True)
    keyboard = {"keyboard": [[{"text": "Share", "request_contact": True}]], "resize_keyboard": True}
    assert (await call(http, fake, "sendMessage", chat_id=USER_ID, text="phone?", reply_markup=keyboard))[0] == 200
    assert user.reply_keyboard is not None
    assert (await call(http, fake, "sendMessage", chat_id=USER_ID, text="bye",
                       reply_markup={"remove_keyboard": True}))[0] == 200
    assert user.reply_keyboard is None


async def test_a_json_body_is_read_as_telegram_reads_it(http, fake) -> None:
    fake.user(USER_ID)
    url = f"{fake.base_url}/bot{fake.token}/sendMessage"
    async with http.post(url, json={"chat_id": USER_ID, "text": 42, "reply_markup": inline({"text": "A", "callback_data": 7})}) as response:
        body = await response.json()
    assert body["ok"] and body["result"]["text"] == "42"
    assert fake.calls[-1].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "7"
    async with http.post(url, json={"chat_id": USER_ID, "text": "null is not given", "reply_markup": None}) as response:
        assert response.status == 200 and "reply_markup" not in fake.calls[-1].params
    async with http.post(url, json={"chat_id": USER_ID, "text": "x", "message_thread_id": "one"}) as response:
        assert (response.status, (await response.json())["description"]) == (
            400, 'Bad Request: parameter "message_thread_id" must be of type Integer')


async def test_text_and_caption_lengths_count_after_entity_parsing(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    await tg.send_message(USER_ID, "<b>" + "я" * 4096 + "</b>")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await tg.send_message(USER_ID, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await tg.send_message(USER_ID, "<i>  </i>")
    document = BufferedInputFile(b"id\n", filename="report.csv")
    await tg.send_document(USER_ID, document, caption="<b>" + "ә" * 1024 + "</b>")
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await tg.send_document(USER_ID, document, caption="ә" * 1025)
    sent = await tg.send_message(USER_ID, "short")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await tg.edit_message_text("ы" * 4097, chat_id=USER_ID, message_id=sent.message_id)


async def test_html_telegram_would_refuse_is_refused(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)
    for html in ["<b>Ann & Co</b>", "<script>x</script>", "<b>bold<i>both</b></i>", "a <br> b"]:
        with pytest.raises(TelegramBadRequest, match="can't parse entities"):
            await tg.send_message(USER_ID, html)
    await tg.send_message(USER_ID, "<b>Ann &amp; Co</b> &lt;br&gt;")
    assert fake.user(USER_ID).last_message.text == "Ann & Co <br>"


async def test_callback_data_is_64_bytes_of_utf8_at_most(tg: Bot, fake: FakeTelegram) -> None:
    fake.user(USER_ID)

    def button(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Барамын", callback_data=data)]])

    await tg.send_message(USER_ID, "ok", reply_markup=button("қ" * 32))  # 32 letters, 64 bytes
    for data in ["қ" * 32 + "x", "x" * 65]:
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await tg.send_message(USER_ID, "too long", reply_markup=button(data))


async def test_callback_answers_descriptions_and_commands_keep_telegrams_limits(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    await tg.send_message(USER_ID, "Pick", reply_markup=InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="A", callback_data="a")]]))
    query = await user.press("A")
    with pytest.raises(TelegramBadRequest, match="MESSAGE_TOO_LONG"):
        await tg.answer_callback_query(query, text="ә" * 201)
    await tg.answer_callback_query(query, text="ә" * 200, show_alert=True)
    await tg.set_my_description("ә" * 512)
    with pytest.raises(TelegramBadRequest, match="Bad Request: DESCRIPTION_INVALID"):
        await tg.set_my_description("ә" * 513)
    await tg.set_my_short_description("ә" * 120)
    with pytest.raises(TelegramBadRequest, match="Bad Request: SHORT_DESCRIPTION_INVALID"):
        await tg.set_my_short_description("ә" * 121)
    await tg.set_my_commands([BotCommand(command="a" * 32, description="ә" * 256)] +
                             [BotCommand(command=f"c{n}", description="x") for n in range(99)])
    for command, description, error in [
        ("a" * 33, "x", "BOT_COMMAND_INVALID"),
        ("my-tasks", "x", "BOT_COMMAND_INVALID"),
        ("Tasks", "x", "BOT_COMMAND_INVALID"),
        ("tasks", "ә" * 257, "BOT_COMMAND_DESCRIPTION_INVALID"),
    ]:
        with pytest.raises(TelegramBadRequest, match=f"Bad Request: {error}$"):
            await tg.set_my_commands([BotCommand(command=command, description=description)])
    with pytest.raises(TelegramBadRequest, match="BOT_COMMANDS_TOO_MUCH"):
        await tg.set_my_commands([BotCommand(command=f"c{n}", description="x") for n in range(101)])
    assert len(fake.commands_for()) == 100


async def test_scopes_are_read_by_their_type(http, fake) -> None:
    commands = [{"command": "start", "description": "Бастау"}]
    scope = {"type": "chat", "chat_id": USER_ID}
    assert (await call(http, fake, "setMyCommands", commands=commands, scope=scope))[0] == 200
    assert fake.commands_for(scope) == commands
    assert await call(http, fake, "setMyCommands", commands=commands, scope={"type": "chat"}) == (
        400, bad('can\'t parse BotCommandScope: Can\'t find field "chat_id"'))
    assert await call(http, fake, "setMyCommands", commands=commands, scope={"type": "everyone"}) == (
        400, bad('can\'t parse BotCommandScope: Unsupported type "everyone"'))
    assert await call(http, fake, "setMyCommands", commands=commands, scope="default") == (
        400, bad("can't parse BotCommandScope JSON object"))


async def test_a_refused_request_is_recorded_with_the_reason(http, fake) -> None:
    fake.user(USER_ID)
    await call(http, fake, "sendMessage", chat_id=USER_ID, text="x", reply_markup=inline({"text": "A"}))
    refused = fake.calls_of("sendMessage")[-1]
    assert (refused.ok, refused.error_code) == (False, 400)
    assert refused.description == "Bad Request: text buttons are unallowed in the inline keyboard"
    assert refused.params["chat_id"] == USER_ID and refused.params["reply_markup"] == inline({"text": "A"})
    assert fake.stats.rejected == 1


async def test_an_album_is_a_message_per_item_sharing_a_group(tg: Bot, fake: FakeTelegram) -> None:
    user = fake.user(USER_ID)
    photos = [InputMediaPhoto(media=BufferedInputFile(f"png {n}".encode(), filename=f"chart{n}.png"),
                              caption=f"<b>Chart</b> {n}") for n in range(3)]
    sent = await tg.send_media_group(USER_ID, photos)
    assert [message.caption for message in sent] == ["Chart 0", "Chart 1", "Chart 2"]
    assert len({message.media_group_id for message in sent}) == 1 and sent[0].media_group_id is not None
    shown = user.messages[-3:]
    assert [message.file.data if message.file else None for message in shown] == [b"png 0", b"png 1", b"png 2"]
    assert all("photo" in message.content for message in shown)
    # The request's files are the album's, not parameters of their own.
    assert set(fake.calls[-1].params) == {"chat_id", "media"}

    with pytest.raises(TelegramBadRequest, match="media must hold 2-10 items, not 1"):
        await tg.send_media_group(USER_ID, photos[:1])
    document = InputMediaDocument(media=BufferedInputFile(b"id\n", filename="report.csv"))
    with pytest.raises(TelegramBadRequest, match="can't parse InputMedia"):  # one type per album
        await tg.send_media_group(USER_ID, [photos[0], document])
    with pytest.raises(TelegramBadRequest, match="wrong file identifier/HTTP URL specified"):
        await tg.send_media_group(USER_ID, [photos[0], InputMediaPhoto(media="attach://missing")])
    assert len(user.messages) == 3  # nothing of the refused albums was shown
