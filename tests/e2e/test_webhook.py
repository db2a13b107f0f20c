"""`birge web`: the webhook as Telegram uses it, against the emulator posting updates to it."""

from __future__ import annotations

import logging
import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.cli.processes import WebApplication
from bot.domain.delivery import DeliveryLane
from emulator import FakeTelegram
from tests.support.clock import ManualClock
from tests.support.e2e import make_settings
from tests.support.shared import REDIS_URL, redis_or_skip

SECRET = "s3cret-token_for-the-webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def web(fake: FakeTelegram, database_url: str, clock: ManualClock) -> AsyncIterator[WebApplication]:
    port = free_port()
    settings = make_settings(fake, database_url, webhook_url=f"http://127.0.0.1:{port}/tg/webhook",
                             webhook_secret=SECRET, webhook_host="127.0.0.1", webhook_port=port)
    app = WebApplication(settings, clock=clock)
    await app.serve()
    try:
        yield app
    finally:
        await app.shutdown()


async def test_set_webhook_once_with_the_secret_and_the_update_types(web: WebApplication, fake: FakeTelegram) -> None:
    [call] = fake.calls_of("setWebhook")
    assert call.params["url"] == f"http://127.0.0.1:{web.port}/tg/webhook"
    assert call.params["secret_token"] == SECRET
    assert {"message", "callback_query", "my_chat_member"} <= set(call.params["allowed_updates"])
    assert call.params["max_connections"] == 40
    assert fake.calls_of("getUpdates") == []


async def test_updates_arrive_by_webhook_and_a_dialog_runs(web: WebApplication, fake: FakeTelegram) -> None:
    user = fake.user(7001, language_code="en")
    await user.send_text("/start")
    reply = await user.wait_for_message()
    assert reply.reply_markup is not None  # the language buttons
    await user.press("English")
    consent = await user.wait_for_message()
    assert "personal data" in consent.text
    await fake.wait_idle()
    assert [entry.status for entry in fake.webhook.log] == [200, 200]


async def test_a_redelivered_update_is_handled_once(web: WebApplication, fake: FakeTelegram) -> None:
    user = fake.user(7002, language_code="en")
    await user.send_text("/help")
    await user.wait_for_message()
    await fake.wait_idle()
    [first] = fake.webhook.log
    sends = len(fake.calls_of("sendMessage"))
    assert await fake.webhook.redeliver(first.update_id) == 200
    await user.send_text("/help")  # a later update: handled as usual
    await user.wait_for_message(lambda m: len(fake.calls_of("sendMessage")) > sends)
    await fake.wait_idle()
    assert len(fake.calls_of("sendMessage")) == sends + 1
    assert web.handler is not None and web.handler.duplicates == 1


async def test_an_update_redelivered_after_a_restart_is_handled_once(fake: FakeTelegram, database_url: str,
                                                                     clock: ManualClock) -> None:
    """Without Redis the ids are in the database: a new process on it knows them."""
    port = free_port()
    settings = make_settings(fake, database_url, webhook_url=f"http://127.0.0.1:{port}/tg/webhook",
                             webhook_secret=SECRET, webhook_host="127.0.0.1", webhook_port=port)
    user = fake.user(7006, language_code="en")
    first = WebApplication(settings, clock=clock)
    await first.serve()
    try:
        await user.send_text("/help")
        await user.wait_for_message()
        await fake.wait_idle()
    finally:
        await first.shutdown()
    [delivered] = fake.webhook.log
    sends = len(fake.calls_of("sendMessage"))
    again = WebApplication(settings, clock=clock)  # the restarted process: nothing kept in memory
    await again.serve()
    try:
        assert again.services is not None and "forget-handled-updates" in again.services.scheduler.job_names
        assert await fake.webhook.redeliver(delivered.update_id) == 200
        await user.send_text("/help")  # a new update: handled as usual
        await user.wait_for_message(lambda m: len(fake.calls_of("sendMessage")) > sends)
        await fake.wait_idle()
        assert len(fake.calls_of("sendMessage")) == sends + 1
        assert again.handler is not None and again.handler.duplicates == 1
    finally:
        await again.shutdown()


@pytest.mark.parametrize("secret", ["wrong-secret-of-the-right-size", ""])
async def test_a_wrong_or_missing_secret_is_refused_and_logged(web: WebApplication, fake: FakeTelegram, secret: str,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    user = fake.user(7003, language_code="en")
    update = {"update_id": 999_001, "message": {"message_id": 1, "date": 1, "chat": user.chat_json,
                                                "from": user.user_json, "text": "/help"}}
    url = f"http://127.0.0.1:{web.port}/tg/webhook"
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret else {}
    with caplog.at_level(logging.WARNING, logger="bot.infra.webhook"):
        async with aiohttp.ClientSession() as session, session.post(url, json=update, headers=headers) as response:
            assert response.status == 401
    assert "refused" in caplog.text
    await fake.wait_idle()
    assert fake.calls_of("sendMessage") == []
    # The id was not remembered either: the real update with that id would still be handled.
    assert web.handler is not None and web.handler.refused == 1 and web.handler.duplicates == 0


async def test_health_answers(web: WebApplication) -> None:
    async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{web.port}/health") as response:
        assert response.status == 200


async def test_a_single_web_process_without_redis_sends_the_queue_itself(web: WebApplication, fake: FakeTelegram) -> None:
    user = fake.user(7004, language_code="en")
    assert web.services is not None and web.services.delivery.sender is not None
    assert web.services.scheduler.running
    await web.services.delivery.enqueue_one(user.id, "queued for you", lane=DeliveryLane.PERSONAL)
    assert (await user.wait_for_message()).text == "queued for you"


async def test_with_redis_a_web_process_leaves_sending_to_the_worker(fake: FakeTelegram, database_url: str,
                                                                     clock: ManualClock) -> None:
    async for _ in redis_or_skip():
        port = free_port()
        settings = make_settings(fake, database_url, webhook_url=f"http://127.0.0.1:{port}/hook", webhook_secret=SECRET,
                                 webhook_host="127.0.0.1", webhook_port=port, redis_url=REDIS_URL)
        app = WebApplication(settings, clock=clock)
        await app.serve()
        try:
            assert app.services is not None
            assert app.services.delivery.sender is None and not app.services.scheduler.running
            user = fake.user(7005, language_code="en")
            await user.send_text("/help")
            assert "/start" in (await user.wait_for_message()).text  # direct replies go out
        finally:
            await app.shutdown()
