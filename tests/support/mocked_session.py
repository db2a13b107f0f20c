"""A recording Bot session for handler tests that feed updates with `Dispatcher.feed_update`.

Every call is recorded; a queued response (per method class, first in first out) goes
through aiogram's own `check_response`, so queued errors become the real exceptions.
Unqueued calls get a plausible default result (a Message for sends and edits, True for
boolean methods, [] for lists), so a test only queues what it cares about."""

from __future__ import annotations

import itertools
import time
import types
import typing
from collections.abc import AsyncGenerator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType
from aiogram.types import InlineKeyboardMarkup, Message, MessageId, TelegramObject, User

BOT_USER = User(id=42, is_bot=True, first_name="Birge", username="birge_mocked_bot")


class MockedSession(BaseSession):
    """Records requests in `requests`; answers from `responses` or with a default."""

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[TelegramMethod[Any]] = []
        self.responses: list[tuple[type[TelegramMethod[Any]], int, str]] = []
        self.closed = True
        self._message_ids = itertools.count(1)

    def add_response(self, method: type[TelegramMethod[Any]], status_code: int, content: str) -> None:
        self.responses.append((method, status_code, content))

    async def make_request(self, bot: Bot, method: TelegramMethod[TelegramType],
                           timeout: int | None = None) -> TelegramType:
        self.closed = False
        self.requests.append(method)
        queued = next((index for index, (method_cls, _, _) in enumerate(self.responses)
                       if isinstance(method, method_cls)), None)
        if queued is not None:
            _, status_code, content = self.responses.pop(queued)
        else:
            status_code, content = 200, Response[Any](ok=True, result=self._default_result(method)).model_dump_json()
        response = self.check_response(bot=bot, method=method, status_code=status_code, content=content)
        return typing.cast(TelegramType, response.result)

    async def stream_content(self, url: str, headers: dict[str, Any] | None = None, timeout: int = 30,
                             chunk_size: int = 65536, raise_for_status: bool = True) -> AsyncGenerator[bytes, None]:
        yield b""

    async def close(self) -> None:
        self.closed = True

    def _default_result(self, method: TelegramMethod[Any]) -> Any:
        returning = method.__returning__
        options = typing.get_args(returning) if isinstance(returning, types.UnionType) else (returning,)
        if Message in options:
            return self._message(method)
        if returning is bool or bool in options:
            return True
        if typing.get_origin(returning) is list:
            return []
        if returning is MessageId:
            return {"message_id": next(self._message_ids)}
        if returning is User:
            return _dump(BOT_USER)
        msg = f"No default result for {type(method).__name__}; queue one with MockedBot.add_result_for"
        raise NotImplementedError(msg)

    def _message(self, method: TelegramMethod[Any]) -> dict[str, Any]:
        """The Message Telegram would return: the method's chat, text and inline keyboard."""
        chat_id = getattr(method, "chat_id", None)
        message: dict[str, Any] = {
            "message_id": getattr(method, "message_id", None) or next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id if isinstance(chat_id, int) else 0, "type": "private"},
            "from": _dump(BOT_USER),
        }
        for field in ("text", "caption"):
            if isinstance(getattr(method, field, None), str):
                message[field] = getattr(method, field)
        markup = getattr(method, "reply_markup", None)
        if isinstance(markup, InlineKeyboardMarkup):
            message["reply_markup"] = _dump(markup)
        return message


class MockedBot(Bot):
    """A Bot on a MockedSession; `get_me()` is answered locally from BOT_USER."""

    session: MockedSession

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(kwargs.pop("token", "42:TEST"), session=MockedSession(), **kwargs)
        self._me = BOT_USER

    def add_result_for(self, method: type[TelegramMethod[Any]], ok: bool = True, result: Any = None,
                       error_code: int = 200, description: str | None = None,
                       retry_after: int | None = None) -> None:
        """Queue the answer for the next call of `method`: a result, or (ok=False) an error
        such as error_code=403, description="Forbidden: bot was blocked by the user"."""
        content: dict[str, Any] = {"ok": ok, "result": _dump(result), "description": description,
                                   "error_code": None if ok else error_code}
        if retry_after is not None:
            content["parameters"] = {"retry_after": retry_after}
        status_code = 200 if ok else error_code
        self.session.add_response(method, status_code, self.session.json_dumps(content))

    def get_request(self) -> TelegramMethod[Any]:
        """Remove and return the most recent request."""
        return self.session.requests.pop()


def _dump(value: Any) -> Any:
    if isinstance(value, TelegramObject):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    return value
