"""One limiter for all outgoing traffic: an aiogram session middleware in front of every
Bot API request the bot makes (`bot.session.middleware(OutgoingLimiter(gate))`).

What waits: every method that puts a message into a chat or changes one (COUNTED:
sendMessage, the other send* methods, copy/forward, editMessageText/Caption/Media/
ReplyMarkup ...). Such a request waits at the shared SendGate, over the same RateLimits
the delivery sender books, for: no 429 pause running; room overall (SEND_RATE in any
sliding second, evenly spaced); and its chat's own limit (about one a second after a
burst of two in a private chat; 20 a minute in a group). Direct replies go before the
delivery queue. One chat's requests go one at a time, in the order they were made,
retries included, so a person never sees replies out of order.

429: the whole bot pauses for retry_after (direct replies and the queue alike) and the
same request is sent again, at most MAX_ATTEMPTS times and MAX_RETRY_WAIT seconds of
waiting in all; then TelegramRetryAfter reaches the caller. Never recursive.

Not counted: answerCallbackQuery (not a chat message: never waits for a chat slot or a
pause), deleteMessage (it takes a message away rather than adding one, so it is not
held behind the chat's pace), and everything else (getUpdates, getMe, setMyCommands, getFile,
sendChatAction ...). The first two, and the command menu and description setters, are
still retried after a 429 of their own.
Callback queries answered are remembered (`answered`), so the error handler never
answers a query twice.

Requests the delivery sender and its progress reporter made after booking their own
slot at the gate are marked with `booked()` and pass through untouched (the sender
handles their 429s itself, through the same pause).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramBadRequest, TelegramRetryAfter
from aiogram.methods.base import TelegramType

from bot.infra.delivery.gate import DIRECT, SendGate
from bot.infra.delivery.limits import ChatKey

if TYPE_CHECKING:
    from aiogram import Bot
    from aiogram.methods import Response, TelegramMethod

log = logging.getLogger(__name__)

COUNTED = frozenset({
    "sendMessage", "sendPhoto", "sendDocument", "sendAudio", "sendVideo", "sendAnimation", "sendVoice",
    "sendVideoNote", "sendSticker", "sendLocation", "sendVenue", "sendContact", "sendPoll", "sendDice",
    "sendMediaGroup", "sendInvoice", "sendPaidMedia", "copyMessage", "copyMessages", "forwardMessage",
    "forwardMessages", "editMessageText", "editMessageCaption", "editMessageMedia", "editMessageReplyMarkup",
    "editMessageLiveLocation", "stopMessageLiveLocation", "stopPoll",
})
# Not chat messages, but worth a retry after their own 429 (no slot, no bot-wide pause):
# a callback answer, a deletion, the per-person command menus and the bot's descriptions.
RETRIED = frozenset({
    "answerCallbackQuery", "deleteMessage", "deleteMessages", "setMyCommands", "deleteMyCommands",
    "setChatMenuButton", "setMyDescription", "setMyShortDescription",
})
MAX_ATTEMPTS = 5
MAX_RETRY_WAIT = 60.0  # s of retry_after one request waits out before giving up
REMEMBERED_ANSWERS = 10_000

_BOOKED: ContextVar[bool] = ContextVar("birge_send_booked", default=False)


@contextlib.contextmanager
def booked() -> Iterator[None]:
    """Requests made inside already hold a slot from the gate: let them through."""
    token = _BOOKED.set(True)
    try:
        yield
    finally:
        _BOOKED.reset(token)


@dataclass
class _Turn:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class OutgoingLimiter(BaseRequestMiddleware):
    def __init__(self, gate: SendGate, *, max_attempts: int = MAX_ATTEMPTS,
                 max_retry_wait: float = MAX_RETRY_WAIT) -> None:
        self.gate = gate
        self.max_attempts = max(1, max_attempts)
        self.max_retry_wait = max_retry_wait
        self.retried = 0  # requests sent again after a 429
        self._turns: dict[ChatKey, _Turn] = {}
        self._answered: OrderedDict[str, None] = OrderedDict()

    def answered(self, callback_query_id: str) -> bool:
        """Was this callback query answered (or found too old to answer)?"""
        return callback_query_id in self._answered

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        name = method.__api_method__
        if _BOOKED.get() or (name not in COUNTED and name not in RETRIED):
            return await make_request(bot, method)
        if name in COUNTED:
            chat = _chat_of(method)
            async with self._turn(chat):
                return await self._attempts(make_request, bot, method, chat, counted=True)
        if name != "answerCallbackQuery":
            return await self._attempts(make_request, bot, method, None, counted=False)
        query_id = str(getattr(method, "callback_query_id", ""))
        try:
            result = await self._attempts(make_request, bot, method, None, counted=False)
        except TelegramBadRequest as error:
            if "query is too old" in str(error.message).lower():
                self._remember(query_id)
            raise
        self._remember(query_id)
        return result

    async def _attempts(self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot,
                        method: TelegramMethod[TelegramType], chat: ChatKey | None, *,
                        counted: bool) -> Response[TelegramType]:
        waited = 0.0
        for attempt in range(1, self.max_attempts + 1):
            if counted:
                for _ in range(_messages_in(method)):
                    await self.gate.acquire(chat, priority=DIRECT, burst=True)
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if counted:
                    self.gate.pause(error.retry_after)
                waited += error.retry_after
                if attempt == self.max_attempts or waited > self.max_retry_wait:
                    log.warning("%s to chat %s refused with 429 %d times; giving up", method.__api_method__,
                                chat, attempt)
                    raise
                log.warning("%s to chat %s: 429, retrying after %s s%s", method.__api_method__, chat,
                            error.retry_after, " (every send waits)" if counted else "")
                self.retried += 1
                if not counted:
                    await asyncio.sleep(error.retry_after)
        raise AssertionError("unreachable")  # the loop returns or raises

    @contextlib.asynccontextmanager
    async def _turn(self, chat: ChatKey | None) -> AsyncIterator[None]:
        """One request at a time per chat, first come first served (asyncio.Lock is FIFO)."""
        if chat is None:
            yield
            return
        turn = self._turns.setdefault(chat, _Turn())
        turn.users += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[chat]

    def _remember(self, query_id: str) -> None:
        self._answered[query_id] = None
        self._answered.move_to_end(query_id)
        while len(self._answered) > REMEMBERED_ANSWERS:
            self._answered.popitem(last=False)


def _messages_in(method: Any) -> int:
    """How many messages a request sends: an album is one message per item (Telegram
    counts them so against its limits)."""
    media = getattr(method, "media", None) if method.__api_method__ == "sendMediaGroup" else None
    return max(1, len(media)) if isinstance(media, list) else 1


def _chat_of(method: Any) -> ChatKey | None:
    chat = getattr(method, "chat_id", None)
    if isinstance(chat, (int, str)) and not isinstance(chat, bool):
        return chat
    return None
