"""The world behind the emulated Bot API: chats and their messages, files, callback
queries, command menus, descriptions, blocked chats, flood limits and the log of calls.

`BotApi` (the methods) and `FakeUser` (the simulated people) act on a `World`;
`FakeTelegram` is a `World` served over HTTP. Nothing here imports them, so the three
stay free of import cycles."""

from __future__ import annotations

import itertools
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from .ratelimit import RateLimiter
from .state import Call, CallbackRecord, ChatState, FakeMessage, FakeStats, Notifier, UploadedFile
from .updates import UpdateQueue

# Telegram's flood limits as `enforce_telegram_limits` models them.
TELEGRAM_OVERALL = 30.0  # messages in any second, all chats
TELEGRAM_PER_CHAT = 1.0  # messages a second into one chat ...
TELEGRAM_CHAT_BURST = 3  # ... after a burst of this many
TELEGRAM_GROUP_PER_MINUTE = 20


class World:
    """The state a Bot API server keeps, and the small operations on it.

    Rate limits are off unless set: `global_rate_limit` (messages/s over all chats), and
    the attributes `per_chat_rate_limit` (messages/s in one chat, after a burst of
    `per_chat_burst`) and `group_rate_limit_per_minute` (Telegram's 20/min in groups) may
    be set at any time; `enforce_telegram_limits()` sets all of them as Telegram has them.
    Sends and edits count alike (emulator/ratelimit.py)."""

    def __init__(self, *, token: str, bot_id: int, username: str, global_rate_limit: float | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.token = token
        self.bot_id = bot_id
        self.username = username
        self.clock = clock
        self.global_rate_limit = global_rate_limit
        self.per_chat_rate_limit: float | None = None
        self.per_chat_burst = 1
        self.group_rate_limit_per_minute: int | None = None
        self.calls: list[Call] = []
        # What the request checks tolerated, by "Owner.field": fields Telegram no longer
        # documents but accepts, and (when not strict) fields it does not know at all.
        self.legacy_fields: Counter[str] = Counter()
        self.unknown_fields: Counter[str] = Counter()
        self.stats = FakeStats()
        self.notifier = Notifier()
        self.updates = UpdateQueue(self.notifier)
        self.limiter = RateLimiter(clock)
        self.chats: dict[int, ChatState] = {}
        self.files: dict[str, UploadedFile] = {}
        self.callback_queries: dict[str, CallbackRecord] = {}
        self.commands: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
        self.descriptions: dict[str | None, str] = {}  # by language_code (None: the default)
        self.short_descriptions: dict[str | None, str] = {}
        self.blocked: set[int] = set()
        # setWebhook: where updates go instead of getUpdates (emulator/webhook.py posts them).
        self.webhook_url: str | None = None
        self.webhook_secret: str | None = None
        self.webhook_max_connections = 40
        # A test may put several replicas behind the one URL, as a reverse proxy would:
        # updates then go to these URLs in turn.
        self.webhook_targets: list[str] = []
        self.last_event = 0
        self._ids = itertools.count(1)

    @property
    def bot_user(self) -> dict[str, Any]:
        return {"id": self.bot_id, "is_bot": True, "first_name": "Birge", "username": self.username}

    def add_group(self, chat_id: int, title: str = "Test group", chat_type: str = "supergroup", *,
                  bot_admin: bool = False) -> ChatState:
        """Make a group the bot is a member of, so sends to it succeed; `bot_admin`: the bot
        is an administrator there and may delete other people's messages."""
        chat = self.chats.setdefault(chat_id, ChatState({"id": chat_id, "type": chat_type, "title": title}))
        chat.bot_admin = bot_admin
        return chat

    def chat_state(self, chat_id: int) -> ChatState:
        return self.chats[chat_id]

    def find_chat(self, chat_id: Any) -> ChatState | None:
        """A chat by id or "@username", as a bot may address it."""
        if isinstance(chat_id, str) and chat_id.startswith("@"):
            return next((chat for chat in self.chats.values()
                         if chat.chat["type"] == "private" and chat.chat.get("username") == chat_id[1:]), None)
        try:
            return self.chats.get(int(chat_id))
        except (TypeError, ValueError):
            return None

    def messages_in(self, chat_id: int) -> list[FakeMessage]:
        """The bot's messages in any chat (a user's or a group), oldest first."""
        return self.chats[chat_id].bot_messages()

    def store_file(self, data: bytes, *, file_name: str | None = None, mime_type: str | None = None) -> UploadedFile:
        number = next(self._ids)
        stored = UploadedFile(f"fake-file-{number}", f"fu{number}", file_name, mime_type, data)
        self.files[stored.file_id] = stored
        return stored

    def issue_callback(self, user_id: int, message_id: int, data: str) -> CallbackRecord:
        record = CallbackRecord(f"cq{next(self._ids)}", user_id, message_id, data)
        self.callback_queries[record.id] = record
        return record

    def unanswered_callbacks(self) -> list[CallbackRecord]:
        """Callback queries the bot never answered (users would see a spinning button)."""
        return [record for record in self.callback_queries.values() if not record.answered]

    def record_event(self, message: FakeMessage) -> None:
        """Log a bot send or edit for `wait_for_message` and wake the waiters."""
        self.last_event += 1
        self.chats[message.chat_id].events.append((self.last_event, message))
        self.notifier.notify()

    def calls_of(self, method: str) -> list[Call]:
        return [call for call in self.calls if call.method.lower() == method.lower()]

    def enforce_telegram_limits(self, *, overall: float = TELEGRAM_OVERALL, per_chat: float = TELEGRAM_PER_CHAT,
                                burst: int = TELEGRAM_CHAT_BURST, group_per_minute: int = TELEGRAM_GROUP_PER_MINUTE
                                ) -> None:
        """Answer 429 as Telegram does: above 30 messages in any second, above about one a
        second in one chat after a short burst, above 20 a minute in one group."""
        self.global_rate_limit = overall
        self.per_chat_rate_limit = per_chat
        self.per_chat_burst = burst
        self.group_rate_limit_per_minute = group_per_minute

    def block(self, chat_id: int) -> None:
        """The user blocked the bot: every send to them answers 403 until `unblock`."""
        self.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.blocked.discard(chat_id)
