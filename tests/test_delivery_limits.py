"""The sender's flood-limit bookkeeping, driven with made-up monotonic times (no sleeping)."""

from __future__ import annotations

import pytest

from bot.delivery.limits import Bucket, RateLimits
from bot.delivery.sender import DeliveryConfig, classify


def slots(bucket: Bucket, count: int, now: float = 0.0) -> list[float]:
    return [bucket.reserve(now, now) for _ in range(count)]


def test_the_bucket_spaces_sends_evenly_after_a_small_burst() -> None:
    bucket = Bucket(25.0)  # 1 + 25 x 0.01 -> no burst at 25/s
    assert slots(bucket, 3) == pytest.approx([0.0, 0.04, 0.08])
    fast = Bucket(300.0)  # 1 + 3 = 4 may go back to back
    times = slots(fast, 6)
    assert times[:4] == [0.0, 0.0, 0.0, 0.0]
    assert times[4:] == pytest.approx([1 / 300, 2 / 300])


@pytest.mark.parametrize("rate", [25.0, 29.0, 291.0, 1000.0])
def test_no_one_second_window_holds_more_than_rate_plus_one_percent(rate: float) -> None:
    bucket = Bucket(rate)
    times = slots(bucket, int(rate * 3))
    worst = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    assert worst <= rate * 1.01 + 1


def test_a_late_sender_does_not_burst_to_catch_up() -> None:
    bucket = Bucket(10.0)
    assert bucket.reserve(0.0, 0.0) == 0.0
    assert bucket.reserve(5.0, 5.0) == 5.0  # idle for a while
    assert bucket.reserve(5.0, 5.0) == pytest.approx(5.1)


def test_one_chat_gets_one_message_a_second_and_a_group_twenty_a_minute() -> None:
    limits = RateLimits(1000.0, time_source=lambda: 0.0)
    assert limits.reserve(7, now=0.0) == 0.0
    assert 7 in limits.busy_chats(now=0.5)
    assert limits.reserve(7, now=0.5) == pytest.approx(0.55)  # 1.05 s after the first
    assert limits.busy_chats(now=3.0) == set()
    group = -100
    sends: list[float] = []
    now = 0.0
    for _ in range(21):
        now += limits.reserve(group, now=now)
        sends.append(now)
    # 20 go out about a second apart; the 21st waits until the first has left the minute.
    assert sends[19] < 21.0
    assert sends[20] >= 61.0


def test_a_429_pauses_every_chat() -> None:
    limits = RateLimits(1000.0, time_source=lambda: 0.0)
    end = limits.pause(3, now=10.0)
    assert end == 13.0
    assert limits.reserve(1, now=10.5) == pytest.approx(2.5)
    assert limits.reserve(2, now=10.5) >= 2.5
    assert limits.pause_left(now=12.0) == pytest.approx(1.0)


def test_paid_broadcasts_have_their_own_bucket() -> None:
    limits = RateLimits(1.0, 1000.0, time_source=lambda: 0.0)
    assert limits.reserve(1, now=0.0) == 0.0
    assert limits.reserve(2, now=0.0) == pytest.approx(1.0)  # free: one a second
    assert limits.reserve(3, paid=True, now=0.0) == 0.0  # paid: not behind the free ones


def test_backoff_doubles_up_to_the_cap() -> None:
    config = DeliveryConfig()
    assert [config.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [2, 4, 8, 16]
    assert config.backoff(20).total_seconds() == 300


def test_errors_are_classified_as_telegram_means_them() -> None:
    from aiogram.exceptions import (
        TelegramBadRequest,
        TelegramEntityTooLarge,
        TelegramForbiddenError,
        TelegramNetworkError,
        TelegramServerError,
    )
    from aiogram.methods import SendMessage

    method = SendMessage(chat_id=1, text="x")
    assert classify(TelegramForbiddenError(method, "Forbidden: user is deactivated")) == "unreachable"
    assert classify(TelegramBadRequest(method, "Bad Request: chat not found")) == "unreachable"
    assert classify(TelegramBadRequest(method, "Bad Request: message is too long")) == "failed"
    assert classify(TelegramServerError(method, "Bad Gateway")) == "retry"
    assert classify(TelegramNetworkError(method, "Request timeout error")) == "retry"
    assert classify(TimeoutError()) == "retry"
    assert classify(TelegramEntityTooLarge(method, "Request Entity Too Large")) == "failed"
    assert classify(KeyError("bug")) == "bug"


def test_late_sends_never_put_more_than_the_rate_into_one_window() -> None:
    limits = RateLimits(10.0, time_source=lambda: 0.0)
    for chat in range(10):  # ten slots, 0.1 s apart ...
        limits.reserve(chat, now=0.0)
    for chat in range(10):  # ... but the process stalled and all wake at 1.0 s
        assert limits.window_wait(now=1.0) == 0.0
        limits.sending(chat, now=1.0)
    assert limits.window_wait(now=1.0) == pytest.approx(1.02)  # the 11th waits for the window
    assert 3 in limits.busy_chats(now=1.5)  # and a chat is closed from its real send
