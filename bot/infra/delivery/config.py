"""The delivery engine's settings, and the shared gate built from them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.infra.delivery.gate import SendGate
from bot.infra.delivery.limits import CHAT_BURST, CHAT_INTERVAL, GROUP_PER_MINUTE, GROUP_WINDOW, RateLimits
from bot.infra.delivery.progress import PROGRESS_INTERVAL

if TYPE_CHECKING:
    from bot.config import Settings

# Telegram allows a bot about 30 messages a second in all (measured over any second).
TELEGRAM_RATE = 30.0


@dataclass(frozen=True, slots=True)
class DeliveryConfig:
    rate: float = TELEGRAM_RATE  # messages in any sliding second, all chats and all senders together
    paid_rate: float | None = None  # the same for allow_paid_broadcast messages (None: no paid broadcasts)
    concurrency: int = 12  # rows in flight at once (= at most this many can repeat after a crash)
    max_attempts: int = 5  # for 5xx and network errors
    backoff_base: timedelta = timedelta(seconds=2)
    backoff_cap: timedelta = timedelta(minutes=5)
    poll_interval: float = 2.0  # s; the sender also wakes at once when something is enqueued
    progress_interval: timedelta = PROGRESS_INTERVAL
    chat_interval: float = CHAT_INTERVAL
    chat_burst: int = CHAT_BURST
    group_per_minute: int = GROUP_PER_MINUTE
    group_window: float = GROUP_WINDOW
    stop_grace: float = 5.0  # s a stopping sender lets in-flight sends finish

    @classmethod
    def from_settings(cls, settings: Settings) -> DeliveryConfig:
        return cls(
            rate=settings.send_rate,
            paid_rate=settings.paid_broadcast_rate if settings.allow_paid_broadcast else None,
            concurrency=settings.send_concurrency,
            max_attempts=settings.send_max_attempts,
        )

    def backoff(self, attempt: int) -> timedelta:
        """Wait before retry number `attempt` (1, 2, ...): base, 2x base, 4x base ... capped."""
        return min(self.backoff_base * (2 ** max(0, attempt - 1)), self.backoff_cap)

    def limits(self) -> RateLimits:
        return RateLimits(self.rate, self.paid_rate, chat_interval=self.chat_interval, chat_burst=self.chat_burst,
                          group_per_minute=self.group_per_minute, group_window=self.group_window)

    def gate(self) -> SendGate:
        """A new gate over new limits: make ONE per bot and share it (sender, direct replies)."""
        return SendGate(self.limits())
