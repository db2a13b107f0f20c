"""Live updates for the page: one server-sent event stream per browser tab, for the
people shown in it. Whenever the emulator's state changes (its Notifier wakes), the
stream sends what changed in their chats: new, edited and deleted messages, the reply
keyboard and command menu, and the bot's answers to button presses (toasts and alerts)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from aiohttp import web

from ..server import FakeTelegram
from .render import message_json, reply_keyboard_json

HEARTBEAT_SECONDS = 15.0
COALESCE_SECONDS = 0.02  # a burst of changes goes out as one batch


class ChatWatcher:
    """What one stream has sent so far, to send only what changed."""

    def __init__(self, fake: FakeTelegram, people: list[int], closing: Callable[[], bool]) -> None:
        self.fake = fake
        self.closing = closing
        self.people = people
        self.sent_messages: dict[tuple[int, int], tuple[int, bool]] = {}
        self.sent_extras: dict[int, str] = {}
        # Answers given before the stream began are not shown again.
        self.shown_answers = {record.id for record in self.fake.callback_queries.values() if record.answered}

    def _answers(self) -> list[Any]:
        wanted = set(self.people)
        return [record for record in self.fake.callback_queries.values()
                if record.user_id in wanted and record.answered and record.id not in self.shown_answers]

    def _extras(self, person_id: int) -> str:
        user = self.fake.users[person_id]
        return json.dumps({"keyboard": reply_keyboard_json(user.reply_keyboard),
                           "menu": self.fake.menu_seen_by(person_id)}, sort_keys=True, ensure_ascii=False)

    def dirty(self) -> bool | None:
        """True when something the stream shows changed (None otherwise: Notifier style)."""
        if self.closing():
            return True
        for person_id in self.people:
            for message in self.fake.chat_state(person_id).messages.values():
                if self.sent_messages.get((person_id, message.message_id)) != (message.edited, message.deleted):
                    return True
            if self.sent_extras.get(person_id) != self._extras(person_id):
                return True
        return True if self._answers() else None

    def changes(self) -> list[tuple[str, dict[str, Any]]]:
        events: list[tuple[str, dict[str, Any]]] = []
        for person_id in self.people:
            changed = []
            for message in self.fake.chat_state(person_id).messages.values():
                key, signature = (person_id, message.message_id), (message.edited, message.deleted)
                if self.sent_messages.get(key) != signature:
                    self.sent_messages[key] = signature
                    changed.append(message_json(message))
            if changed:
                events.append(("messages", {"person": person_id, "messages": changed}))
            extras = self._extras(person_id)
            if self.sent_extras.get(person_id) != extras:
                self.sent_extras[person_id] = extras
                events.append(("extras", {"person": person_id, **json.loads(extras)}))
        for record in self._answers():
            self.shown_answers.add(record.id)
            answer = record.answer or {}
            if answer.get("text"):
                events.append(("answer", {"person": record.user_id, "message_id": record.message_id,
                                          "text": answer["text"], "alert": bool(answer.get("show_alert"))}))
        return events


async def stream_events(fake: FakeTelegram, request: web.Request, people: list[int],
                        closing: Callable[[], bool]) -> web.StreamResponse:
    """Serve the stream until the tab goes away or `closing()` (the page is stopping)."""
    response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache",
                                           "X-Accel-Buffering": "no"})
    await response.prepare(request)
    watcher = ChatWatcher(fake, people, closing)
    await response.write(b"retry: 1000\n\n")
    try:
        while not closing():
            for event, data in watcher.changes():
                payload = json.dumps(data, ensure_ascii=False)
                await response.write(f"event: {event}\ndata: {payload}\n\n".encode())
            changed = await fake.notifier.wait_until(watcher.dirty, HEARTBEAT_SECONDS)
            if changed is None:
                await response.write(b": ping\n\n")
            else:
                await asyncio.sleep(COALESCE_SECONDS)
    except ConnectionResetError:
        pass  # the tab was closed
    return response
