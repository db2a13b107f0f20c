"""The one limiter for all outgoing traffic (bot/infra/delivery/outgoing.py) over a mocked
session: 429 handling, order within a chat, the pause shared with the delivery sender,
callback queries never delayed and never answered twice."""

from __future__ import annotations

import asyncio
import datetime
import time
from typing import Any

import pytest
from aiogram import Dispatcher, F, Router
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import AnswerCallbackQuery, EditMessageText, SendMediaGroup, SendMessage, TelegramMethod
from aiogram.types import BufferedInputFile, CallbackQuery, Chat, InputMediaPhoto, Message, Update, User

from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryConfig, DeliveryService, OutgoingLimiter
from bot.infra.delivery.outgoing import booked
from bot.infra.i18n import make_i18n
from handlers.common.errors import build_errors_router
from storage.db import Database
from tests.support.databases import TestDatabases
from tests.support.mocked_session import MockedBot

RETRY_AFTER = "Too Many Requests: retry after 1"


class Recorder:
    """A request middleware inside the limiter: every attempt that reaches the session,
    with the moment it did."""

    def __init__(self) -> None:
        self.calls: list[tuple[TelegramMethod[Any], float]] = []

    async def __call__(self, make_request: Any, bot: Any, method: TelegramMethod[Any]) -> Any:
        self.calls.append((method, time.monotonic()))
        return await make_request(bot, method)

    def texts(self) -> list[str]:
        return [method.text for method, _ in self.calls if isinstance(method, SendMessage)]


def limited_bot(*, max_attempts: int = 5, **config: Any) -> tuple[MockedBot, OutgoingLimiter, Recorder]:
    """A MockedBot with the limiter (over a gate of DeliveryConfig(**config)) and a recorder."""
    bot = MockedBot()
    limiter = OutgoingLimiter(DeliveryConfig(**config).gate(), max_attempts=max_attempts)
    recorder = Recorder()
    bot.session.middleware(limiter)
    bot.session.middleware(recorder)  # registered second: inside the limiter
    return bot, limiter, recorder


def queue_429(bot: MockedBot, method: type[TelegramMethod[Any]] = SendMessage) -> None:
    bot.add_result_for(method, ok=False, error_code=429, description=RETRY_AFTER, retry_after=1)


async def test_a_429_pauses_and_the_same_request_is_sent_once_more_after_retry_after() -> None:
    bot, limiter, recorder = limited_bot()
    queue_429(bot)
    message = await bot.send_message(7, "В каком году вы родились?")
    assert message.text == "В каком году вы родились?"
    assert recorder.texts() == ["В каком году вы родились?"] * 2  # the same request, twice
    (_, refused_at), (_, retried_at) = recorder.calls
    assert retried_at - refused_at >= 0.99  # waited out retry_after
    assert limiter.retried == 1
    assert limiter.gate.limits.paused_until >= refused_at + 0.99  # the whole bot was paused


async def test_retries_are_bounded_then_the_429_reaches_the_caller() -> None:
    bot, limiter, recorder = limited_bot(max_attempts=2)
    queue_429(bot)
    queue_429(bot)
    queue_429(bot)
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(7, "never")
    assert len(recorder.calls) == 2
    assert (await bot.send_message(7, "later")).text == "later"  # the third queued 429 ...
    assert recorder.texts()[-2:] == ["later", "later"]  # ... is waited out like any other


async def test_one_chats_replies_keep_their_order_through_a_429() -> None:
    bot, limiter, recorder = limited_bot(chat_interval=0.05)
    queue_429(bot)  # the first reply is refused once
    texts = [f"reply {n}" for n in range(1, 6)]
    await asyncio.gather(*(bot.send_message(7, text) for text in texts))
    sent = recorder.texts()
    assert sent == ["reply 1", *texts]  # "reply 1" refused, then everything in order
    # One request at a time per chat: nothing overtook the retried one.
    refused_at = recorder.calls[0][1]
    assert all(at - refused_at >= 0.99 for _, at in recorder.calls[1:])


async def test_edits_wait_for_the_chat_like_sends_and_other_chats_do_not_wait() -> None:
    bot, limiter, recorder = limited_bot()
    limits = limiter.gate.limits
    await bot.send_message(7, "one")
    await bot.send_message(7, "two")  # a private chat's burst of two
    assert limits.wait(7, burst=True) > 0.5  # the third must wait about a second
    edit = asyncio.create_task(bot.edit_message_text("three", chat_id=7, message_id=1))
    await bot.send_message(8, "elsewhere")  # another chat goes meanwhile
    assert not edit.done()
    await edit
    kinds = [type(method).__name__ for method, _ in recorder.calls]
    assert kinds == ["SendMessage", "SendMessage", "SendMessage", "EditMessageText"]
    assert recorder.calls[3][1] - recorder.calls[0][1] >= 1.0


async def test_an_album_takes_a_slot_per_photo() -> None:
    bot, limiter, recorder = limited_bot()
    before = limiter.gate.granted
    album = [InputMediaPhoto(media=BufferedInputFile(b"png", filename=f"c{n}.png")) for n in range(3)]
    bot.add_result_for(SendMediaGroup, ok=True, result=[])
    await bot.send_media_group(7, album)
    assert limiter.gate.granted - before == 3
    assert [type(method).__name__ for method, _ in recorder.calls] == ["SendMediaGroup"]
    # Three on a private chat's burst of two: the next message waits about a second.
    assert limiter.gate.limits.wait(7, burst=True) > 0.5


async def test_callback_answers_never_wait_and_are_remembered() -> None:
    bot, limiter, recorder = limited_bot()
    limiter.gate.pause(30)  # a 429 somewhere: every chat message waits 30 s
    assert await bot.answer_callback_query("q1", text="✅")  # not a chat message: goes at once
    assert limiter.gate.limits.pause_left() > 25
    assert limiter.answered("q1") and not limiter.answered("q2")
    with booked():  # a request whose slot was booked at the gate passes untouched
        assert (await bot.send_message(9, "booked")).text == "booked"
    assert recorder.texts() == ["booked"]


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


async def test_a_direct_replys_429_pauses_the_delivery_sender_too(db: Database) -> None:
    bot, limiter, recorder = limited_bot()
    config = DeliveryConfig(poll_interval=0.1)
    service = DeliveryService(db, Clock(), make_i18n("en"), config, gate=limiter.gate)
    await service.start(bot)
    try:
        queue_429(bot)
        reply = asyncio.create_task(bot.send_message(7, "direct"))
        while not recorder.calls:
            await asyncio.sleep(0.01)
        refused_at = recorder.calls[0][1]
        await service.enqueue_one(8, "queued")
        await reply
        while "queued" not in recorder.texts():
            await asyncio.sleep(0.02)
    finally:
        await service.stop()
    moments = {method.text: at for method, at in recorder.calls[1:] if isinstance(method, SendMessage)}
    assert moments["queued"] - refused_at >= 0.99  # the queue honoured the reply's retry_after
    assert moments["direct"] - refused_at >= 0.99
    # Three requests, three slots: the sender's own booking was not booked again.
    assert limiter.gate.granted == 3


PERSON = User(id=7, is_bot=False, first_name="Aigerim")


def callback_update(data: str) -> Update:
    message = Message(message_id=5, date=datetime.datetime.now(), chat=Chat(id=7, type="private"),
                      from_user=User(id=42, is_bot=True, first_name="Birge"), text="card")
    return Update(update_id=3, callback_query=CallbackQuery(id=f"q-{data}", from_user=PERSON, chat_instance="c",
                                                           data=data, message=message))


def failing_dispatcher(limiter: OutgoingLimiter) -> Dispatcher:
    router = Router()

    @router.callback_query(F.data == "answered")
    async def answers_then_fails(query: CallbackQuery) -> None:
        await query.answer("✅ You are signed up!")
        raise RuntimeError("the redraw failed")

    @router.callback_query(F.data == "silent")
    async def fails(query: CallbackQuery) -> None:
        raise RuntimeError("before answering")

    dp = Dispatcher(outgoing=limiter)
    dp.include_routers(router, build_errors_router())
    return dp


async def test_the_error_handler_never_answers_a_callback_query_twice() -> None:
    bot, limiter, recorder = limited_bot()
    dp = failing_dispatcher(limiter)
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        await dp.feed_update(bot, callback_update("answered"))
        answers = [method for method, _ in recorder.calls if isinstance(method, AnswerCallbackQuery)]
        assert [a.text for a in answers] == ["✅ You are signed up!"]  # once, by the handler
        apology = [method for method, _ in recorder.calls if isinstance(method, SendMessage)]
        assert len(apology) == 1 and apology[0].chat_id == 7 and "went wrong" in apology[0].text

        recorder.calls.clear()
        await dp.feed_update(bot, callback_update("silent"))
        answers = [method for method, _ in recorder.calls if isinstance(method, AnswerCallbackQuery)]
        assert len(answers) == 1 and answers[0].show_alert and "went wrong" in (answers[0].text or "")
        assert not any(isinstance(method, (SendMessage, EditMessageText)) for method, _ in recorder.calls)
