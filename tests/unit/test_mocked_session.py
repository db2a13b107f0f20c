"""MockedBot: handler tests through `Dispatcher.feed_update`, no HTTP at all."""

from __future__ import annotations

import datetime

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetChat, SendMessage
from aiogram.types import CallbackQuery, Chat, Message, Update, User

from tests.support.mocked_session import MockedBot

PERSON = User(id=7, is_bot=False, first_name="Aigerim")
CHAT = Chat(id=7, type="private")


def text_update(text: str) -> Update:
    message = Message(message_id=1, date=datetime.datetime.now(), chat=CHAT, from_user=PERSON, text=text)
    return Update(update_id=1, message=message)


def make_dispatcher() -> Dispatcher:
    router = Router()

    @router.message(F.text == "hi")
    async def greet(message: Message) -> None:
        sent = await message.answer("Сәлем!")
        await sent.edit_text("Сәлеметсіз бе!")

    @router.callback_query()
    async def pressed(query: CallbackQuery) -> None:
        await query.answer("Done")

    dp = Dispatcher()
    dp.include_router(router)
    return dp


async def test_unqueued_calls_get_default_results_and_are_recorded() -> None:
    bot = MockedBot()
    await make_dispatcher().feed_update(bot, text_update("hi"))
    edit, send = bot.get_request(), bot.get_request()
    assert isinstance(send, SendMessage) and (send.chat_id, send.text) == (7, "Сәлем!")
    assert isinstance(edit, EditMessageText) and edit.text == "Сәлеметсіз бе!"
    assert bot.session.requests == []


async def test_a_callback_query_is_answered_with_true() -> None:
    bot = MockedBot()
    query = CallbackQuery(id="q1", from_user=PERSON, chat_instance="c", data="x")
    await make_dispatcher().feed_update(bot, Update(update_id=2, callback_query=query))
    answer = bot.get_request()
    assert isinstance(answer, AnswerCallbackQuery) and answer.text == "Done"


async def test_queued_errors_become_real_exceptions_in_order() -> None:
    bot = MockedBot()
    bot.add_result_for(SendMessage, ok=False, error_code=429, description="Too Many Requests: retry after 3", retry_after=3)
    bot.add_result_for(SendMessage, ok=False, error_code=403, description="Forbidden: bot was blocked by the user")
    with pytest.raises(TelegramRetryAfter) as retry:
        await bot.send_message(7, "a")
    assert retry.value.retry_after == 3
    with pytest.raises(TelegramForbiddenError):
        await bot.send_message(7, "b")
    assert (await bot.send_message(7, "c")).text == "c"
    assert len(bot.session.requests) == 3


async def test_a_queued_result_is_returned_and_unsupported_defaults_say_so() -> None:
    bot = MockedBot()
    bot.add_result_for(AnswerCallbackQuery, result=False)
    assert await bot.answer_callback_query("q") is False
    assert await bot.answer_callback_query("q") is True
    with pytest.raises(NotImplementedError, match="add_result_for"):
        await bot.get_chat(7)
    bot.add_result_for(GetChat, result={"id": 7, "type": "private", "accent_color_id": 0, "max_reaction_count": 0,
                                        "accepted_gift_types": {"unlimited_gifts": True, "limited_gifts": True,
                                                                "unique_gifts": True, "premium_subscription": True,
                                                                "gifts_from_channels": True}})
    assert (await bot.get_chat(7)).id == 7
