"""Simulated people in private chats with the bot (chat id == user id).

Their actions push updates with the JSON real clients produce; their readers show the
chat as the person sees it, and `wait_for_message`/`ask` wait for the bot's reply."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from .html_check import utf16_len
from .state import WAIT, FakeMessage
from .world import World


class FakeUser:
    """One simulated user. Create with `FakeTelegram.user(...)`."""

    def __init__(self, fake: World, user_id: int, first_name: str, last_name: str | None,
                 username: str | None, language_code: str | None) -> None:
        self.fake = fake
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.language_code = language_code
        self.phone_number = f"+7700{user_id % 10_000_000:07d}"  # what a request_contact button shares
        self._seen = 0  # last bot event consumed by wait_for_message or preceding our last action

    @property
    def user_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    @property
    def chat_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            data["last_name"] = self.last_name
        if self.username:
            data["username"] = self.username
        return data

    # --- what the user does -------------------------------------------------------------

    async def send_text(self, text: str) -> FakeMessage:
        """Send a text; a leading "/command" gets its bot_command entity as in real clients."""
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self._send(content)

    async def send_contact(self, phone_number: str | None = None, user_id: int | None = None,
                           first_name: str | None = None) -> FakeMessage:
        """Share a contact; by default the user's own (user_id == own id), as the
        request_contact button does. Pass another user_id to share someone else's."""
        contact = {
            "phone_number": phone_number or self.phone_number,
            "first_name": first_name or self.first_name,
            "user_id": self.id if user_id is None else user_id,
        }
        return self._send({"contact": contact})

    async def send_sticker(self, emoji: str = "👍") -> FakeMessage:
        sticker = {**self._file_ids(), "type": "regular", "width": 512, "height": 512,
                   "is_animated": False, "is_video": False, "emoji": emoji}
        return self._send({"sticker": sticker})

    async def send_photo(self, caption: str | None = None) -> FakeMessage:
        content: dict[str, Any] = {"photo": [{**self._file_ids(), "width": 640, "height": 480, "file_size": 1024}]}
        if caption:
            content["caption"] = caption
        return self._send(content)

    async def send_voice(self, duration: int = 3) -> FakeMessage:
        return self._send({"voice": {**self._file_ids(), "duration": duration, "mime_type": "audio/ogg"}})

    async def send_location(self, latitude: float, longitude: float) -> FakeMessage:
        return self._send({"location": {"latitude": latitude, "longitude": longitude}})

    async def send_document(self, file_name: str = "document.txt", content: bytes = b"",
                            mime_type: str | None = None, caption: str | None = None) -> FakeMessage:
        """Send a file; the bot can fetch `content` back through getFile and the file URL."""
        stored = self.fake.store_file(content, file_name=file_name, mime_type=mime_type)
        document: dict[str, Any] = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                                    "file_name": file_name, "file_size": stored.size}
        if mime_type:
            document["mime_type"] = mime_type
        fields: dict[str, Any] = {"document": document}
        if caption:
            fields["caption"] = caption
        return self._send(fields)

    async def block_bot(self) -> None:
        """Block the bot, as the person does in their Telegram app: sends to them answer
        403 from now on, and the bot gets a my_chat_member update ("kicked")."""
        self.fake.block(self.id)
        self._push_member_change("member", {"status": "kicked", "until_date": 0})

    async def unblock_bot(self) -> None:
        """Unblock (restart) the bot: sends work again; my_chat_member says "member"."""
        self.fake.unblock(self.id)
        self._push_member_change("kicked", {"status": "member"})

    async def press(self, text_or_data: str, *, message_id: int | None = None) -> str | None:
        """Press a button by its visible text (or callback_data).

        Inline buttons are looked up on the given message, else on the newest bot message
        that has one; the press becomes a callback_query and its id is returned. Otherwise
        the current reply keyboard is tried: its button sends its text (or the user's
        contact / location for request_contact / request_location) and None is returned."""
        candidates = [self._message(message_id)] if message_id is not None else reversed(self.messages)
        for message in candidates:
            if message.deleted or "inline_keyboard" not in (message.reply_markup or {}):
                continue
            for button in message.buttons():
                if text_or_data in (button["text"], button.get("callback_data")):
                    if "callback_data" not in button:
                        raise AssertionError(f"Button {button['text']!r} is not a callback button: {button}")
                    return await self.press_data(button["callback_data"], message.message_id)
        keyboard = self.reply_keyboard
        for button in keyboard.buttons() if keyboard else []:
            if button["text"] == text_or_data:
                if button.get("request_contact"):
                    await self.send_contact()
                elif button.get("request_location"):
                    await self.send_location(43.2389, 76.8897)  # Almaty
                else:
                    await self.send_text(button["text"])
                return None
        raise AssertionError(f"No button {text_or_data!r} in the chat with {self.id}; visible: {self._visible_buttons()}")

    async def press_data(self, callback_data: str, message_id: int) -> str:
        """Push a callback_query with any data for any message id (a forged or stale press)."""
        message = self.fake.chat_state(self.id).messages.get(message_id)
        record = self.fake.issue_callback(self.id, message_id, callback_data)
        shown = message.to_api() if message and not message.deleted else \
            {"message_id": message_id, "chat": self.chat_json, "date": 0}  # InaccessibleMessage
        self._mark()
        self.fake.updates.push("callback_query", {
            "id": record.id,
            "from": self.user_json,
            "message": shown,
            "chat_instance": f"ci{self.id}",
            "data": callback_data,
        })
        return record.id

    # --- what the user sees -------------------------------------------------------------

    @property
    def messages(self) -> list[FakeMessage]:
        """The bot's messages in this chat, oldest first (deleted ones flagged, not dropped)."""
        return self.fake.chat_state(self.id).bot_messages()

    @property
    def last_message(self) -> FakeMessage | None:
        """The newest bot message still visible."""
        return next((message for message in reversed(self.messages) if not message.deleted), None)

    @property
    def reply_keyboard(self) -> FakeMessage | None:
        """The bot message whose reply keyboard is shown now (None once removed)."""
        for message in reversed(self.messages):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return message
            if markup.get("remove_keyboard"):
                return None
        return None

    def button_texts(self, message: FakeMessage | None = None) -> list[str]:
        """Texts of the buttons on `message` (default: the last visible bot message)."""
        message = message or self.last_message
        return message.button_texts() if message else []

    @property
    def callback_answers(self) -> list[dict[str, Any]]:
        """answerCallbackQuery params for this user's presses, in pressing order."""
        return [record.answer for record in self.fake.callback_queries.values()
                if record.user_id == self.id and record.answer is not None]

    async def wait_for_message(self, predicate: Callable[[FakeMessage], bool] | None = None, *,
                               timeout: float = WAIT, after: int | None = None) -> FakeMessage:
        """Wait until the bot sends or edits a message here that matches `predicate`.

        By default only bot activity after this user's last action (or after the message
        the previous wait returned) counts, so `send_text(...)` then `wait_for_message()`
        never misses a fast reply and two waits in a row see two different replies.
        `after=<message_id>` instead accepts any send or edit of a newer message."""
        chat = self.fake.chat_state(self.id)
        seen = self._seen

        def match() -> tuple[int, FakeMessage] | None:
            for seq, message in chat.events:
                fresh = message.message_id > after if after is not None else seq > seen
                if fresh and not message.deleted and (predicate is None or predicate(message)):
                    return seq, message
            return None

        found = await self.fake.notifier.wait_until(match, timeout)
        if found is None:
            shown = [(m.message_id, m.text if m.text is not None else m.caption) for m in self.messages[-5:]]
            # A reply the emulator refused (say, a field the Bot API does not have) is the usual cause.
            refused = [(c.method, c.description) for c in self.fake.calls if not c.ok and c.error_code != 429][-3:]
            raise AssertionError(f"No matching bot message for user {self.id} within {timeout} s; last ones: {shown}"
                                 + (f"; requests refused lately: {refused}" if refused else ""))
        self._seen = max(self._seen, found[0])
        return found[1]

    async def ask(self, text: str, predicate: Callable[[FakeMessage], bool] | None = None, *,
                  timeout: float = WAIT) -> FakeMessage:
        """Send `text` and return the bot's next message (or edit) in this chat."""
        await self.send_text(text)
        return await self.wait_for_message(predicate, timeout=timeout)

    # --- internals ----------------------------------------------------------------------

    def _send(self, content: dict[str, Any]) -> FakeMessage:
        chat = self.fake.chat_state(self.id)
        message = FakeMessage(chat=self.chat_json, message_id=chat.new_message_id(), sender=self.user_json,
                              from_bot=False, date=int(time.time()), text=content.pop("text", None),
                              entities=content.pop("entities", []), content=content)
        chat.messages[message.message_id] = message
        self._mark()
        self.fake.updates.push("message", message.to_api())
        return message

    def _push_member_change(self, old_status: str, new_member: dict[str, Any]) -> None:
        old_member: dict[str, Any] = {"status": old_status, "user": self.fake.bot_user}
        if old_status == "kicked":
            old_member["until_date"] = 0
        self._mark()
        self.fake.updates.push("my_chat_member", {
            "chat": self.chat_json,
            "from": self.user_json,
            "date": int(time.time()),
            "old_chat_member": old_member,
            "new_chat_member": {**new_member, "user": self.fake.bot_user},
        })

    def _mark(self) -> None:
        self._seen = self.fake.last_event

    def _message(self, message_id: int) -> FakeMessage:
        message = self.fake.chat_state(self.id).messages.get(message_id)
        if message is None or not message.from_bot:
            raise AssertionError(f"No bot message {message_id} in the chat with {self.id}")
        return message

    def _visible_buttons(self) -> dict[int, list[str]]:
        return {m.message_id: m.button_texts() for m in self.messages if not m.deleted and m.buttons()}

    def _file_ids(self) -> dict[str, str]:
        """Ids of a new (empty) file, known to the fake so the bot may send it back."""
        stored = self.fake.store_file(b"")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id}
