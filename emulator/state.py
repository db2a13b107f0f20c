"""What the fake remembers: recorded calls, chats with their messages, files, callback queries.

Everything here is plain data that tests read directly; `Notifier` is the one moving part,
letting waiters sleep until something changes instead of polling."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass
class Call:
    """One request the bot made. Recorded on arrival, so a parked long poll is visible at
    once; it counts as ok until it fails."""

    method: str
    params: dict[str, Any]
    at: float
    ok: bool = True
    error_code: int | None = None
    description: str | None = None


@dataclass
class UploadedFile:
    """A file known to the fake: uploaded by the bot, or sent by a simulated user."""

    file_id: str
    file_unique_id: str
    file_name: str | None
    mime_type: str | None
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def file_path(self) -> str:
        return f"files/{self.file_unique_id}/{self.file_name or 'file'}"


@dataclass
class FakeStats:
    """Counters for load tests: messages delivered per chat, rejected requests, 429 answers."""

    sent: Counter[int] = field(default_factory=Counter)
    rejected: int = 0
    rate_limited: int = 0


@dataclass
class CallbackRecord:
    """A callback query the fake issued for a press, and the bot's answer (params) if any."""

    id: str
    user_id: int
    message_id: int
    data: str
    answer: dict[str, Any] | None = None

    @property
    def answered(self) -> bool:
        return self.answer is not None


@dataclass
class FakeMessage:
    """A message in a chat as the user currently sees it (edits update it in place).

    `text` is the visible text after HTML parsing, `source` what the bot sent; `content`
    holds the other Telegram fields (caption, document, photo, contact, ...)."""

    chat: dict[str, Any]
    message_id: int
    sender: dict[str, Any]
    from_bot: bool
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    source: str | None = None
    parse_mode: str | None = None
    reply_markup: dict[str, Any] | None = None
    content: dict[str, Any] = field(default_factory=dict)
    file: UploadedFile | None = None
    deleted: bool = False
    edited: int = 0
    edit_date: int | None = None

    @property
    def chat_id(self) -> int:
        return int(self.chat["id"])

    @property
    def caption(self) -> str | None:
        return self.content.get("caption")

    def buttons(self) -> list[dict[str, Any]]:
        """Every button of the attached keyboard (inline or reply), row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [button if isinstance(button, dict) else {"text": button} for row in rows for button in row]

    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons()]

    def to_api(self) -> dict[str, Any]:
        """The Telegram `Message` object (only inline keyboards travel with a message)."""
        data: dict[str, Any] = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat,
            "date": self.date,
        }
        if self.edit_date is not None:
            data["edit_date"] = self.edit_date
        if self.text is not None:
            data["text"] = self.text
            if self.entities:
                data["entities"] = self.entities
        data.update(self.content)
        if self.reply_markup and "inline_keyboard" in self.reply_markup:
            data["reply_markup"] = self.reply_markup
        return data


@dataclass
class ChatState:
    """One chat: its messages by id (one id sequence shared by both sides, as in Telegram)
    and the ordered log of bot sends and edits that `wait_for_message` scans."""

    chat: dict[str, Any]
    messages: dict[int, FakeMessage] = field(default_factory=dict)
    events: list[tuple[int, FakeMessage]] = field(default_factory=list)
    last_message_id: int = 0
    bot_admin: bool = False  # in a group: the bot is an administrator that may delete messages
    # In a group: getChatMember's status for these users ("left", "kicked"); others are members.
    member_status: dict[int, str] = field(default_factory=dict)

    @property
    def id(self) -> int:
        return int(self.chat["id"])

    @property
    def is_group(self) -> bool:
        return self.chat["type"] in {"group", "supergroup"}

    def new_message_id(self) -> int:
        self.last_message_id += 1
        return self.last_message_id

    def bot_messages(self) -> list[FakeMessage]:
        return [message for message in self.messages.values() if message.from_bot]


# How long a wait for the bot gives up after. Only a hang guard: waits end as soon as their
# condition holds, so a generous figure costs nothing and a busy machine cannot fail a test.
WAIT = 30.0


class Notifier:
    """Wakes every waiter whenever the fake's state changes, so waits never sleep longer
    than needed and never miss a change."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_until(self, check: Callable[[], T | None], timeout: float) -> T | None:
        """Return `check()`'s first non-None value, or None once `timeout` seconds pass."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = check()
            if result is not None:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return None
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
