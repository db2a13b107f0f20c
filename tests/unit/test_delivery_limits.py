"""The sender's flood-limit bookkeeping, driven with made-up monotonic times (no sleeping)."""

from __future__ import annotations

from itertools import pairwise

import pytest

from bot.infra.delivery.attempt import classify
from bot.infra.delivery.config import DeliveryConfig
from bot.infra.delivery.limits import WINDOW, Pacer, RateLimits


def send_times(limits: RateLimits, count: int, chats: list[int] | None = None, *, burst: bool = False,
               start: float = 0.0) -> list[float]:
    """Send `count` messages as fast as the limits allow (to `chats` in turn, default all
    different); returns the moments they went."""
    now, times = start, []
    for n in range(count):
        chat = chats[n % len(chats)] if chats else 10_000 + n
        while (wait := limits.wait(chat, burst=burst, now=now)) > 0:
            now += wait
        limits.record(chat, now=now)
        times.append(now)
    return times


def test_the_pacer_spaces_sends_evenly_and_a_late_sender_catches_up_a_little() -> None:
    pacer = Pacer(10.0, catch_up=2)
    assert pacer.wait(0.0) == 0.0
    for _ in range(3):  # after a quiet moment: three may go at once (catching up two intervals)
        assert pacer.wait(0.0) == 0.0
        pacer.record(0.0)
    assert pacer.wait(0.0) == pytest.approx(0.1)
    pacer.record(0.1)
    pacer.record(0.2)
    assert pacer.next == pytest.approx(0.3)
    # The process stalls 0.15 s: the slots of 0.3 and 0.4 are made up at once, then on schedule.
    assert pacer.wait(0.45) == 0.0
    pacer.record(0.45)
    assert pacer.wait(0.45) == 0.0
    pacer.record(0.45)
    assert pacer.wait(0.45) == pytest.approx(0.05)
    # A long stall is not made up beyond two intervals.
    pacer.record(10.0)
    assert pacer.next == pytest.approx(10.0 - 0.2 + 0.1)


@pytest.mark.parametrize("rate", [25.0, 30.0, 300.0, 1000.0])
def test_no_sliding_window_ever_holds_more_than_the_rate(rate: float) -> None:
    limits = RateLimits(rate, time_source=lambda: 0.0)
    times = send_times(limits, int(rate * 4))
    worst = max(sum(1 for t in times if start <= t < start + WINDOW - 1e-9) for start in times)
    assert worst <= int(rate)
    # ... and they are not far below it: evenly spread at rate / WINDOW.
    span = times[-1] - times[0]
    assert (len(times) - 1) / span >= 0.97 * rate / WINDOW


def test_sends_bunched_by_a_stall_never_exceed_the_window() -> None:
    limits = RateLimits(10.0, time_source=lambda: 0.0)
    send_times(limits, 10, start=0.0)  # ten in the first second
    # The process stalled; everyone wakes at 1.0 s: the window, not the pacer, decides.
    limits.free.pacer.next = float("-inf")
    assert limits.overall_wait(now=1.0) > 0  # the first one left at 0.0: not before 0.0 + WINDOW
    assert limits.overall_wait(now=WINDOW) == 0.0


def test_a_private_chat_takes_a_burst_of_two_direct_replies_then_one_a_second() -> None:
    limits = RateLimits(1000.0, time_source=lambda: 0.0)
    times = send_times(limits, 5, [7], burst=True)
    assert times[:2] == [0.0, 0.0]
    assert [b - a for a, b in pairwise(times[1:])] == pytest.approx([1.05, 1.05, 1.05])
    # Queued messages never use the burst: a full interval from the last one.
    assert limits.wait(7, now=times[-1]) == pytest.approx(1.05 * 2)
    assert 7 in limits.busy_chats(now=times[-1] + 1.0)
    assert limits.busy_chats(now=100.0) == set()
    queued = send_times(RateLimits(1000.0, time_source=lambda: 0.0), 3, [8])
    assert queued == pytest.approx([0.0, 1.05, 2.1])


def test_a_group_gets_one_a_second_and_twenty_a_minute() -> None:
    limits = RateLimits(1000.0, time_source=lambda: 0.0)
    sends = send_times(limits, 21, [-100], burst=True)  # no burst in groups
    assert sends[1] == pytest.approx(1.05)
    assert sends[19] < 21.0
    assert sends[20] >= 61.0  # the 21st waits until the first has left the minute


def test_a_429_pauses_every_chat() -> None:
    limits = RateLimits(1000.0, time_source=lambda: 0.0)
    end = limits.pause(3, now=10.0)
    assert end == 13.0
    assert limits.wait(1, now=10.5) == pytest.approx(2.5)
    assert limits.wait(2, burst=True, now=10.5) == pytest.approx(2.5)
    assert limits.pause_left(now=12.0) == pytest.approx(1.0)
    limits.record(1, now=13.0)
    assert limits.wait(2, now=13.0) > 0  # no catching up right after a pause


def test_paid_broadcasts_have_their_own_window() -> None:
    limits = RateLimits(1.0, 1000.0, time_source=lambda: 0.0)
    limits.record(1, now=0.0)
    assert limits.wait(2, now=0.0) == pytest.approx(WINDOW)  # free: one a second
    assert limits.wait(3, paid=True, now=0.0) == 0.0  # paid: not behind the free ones


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
