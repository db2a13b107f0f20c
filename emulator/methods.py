"""The Bot API methods the fake serves. Parameters arrive decoded and checked against the
Bot API's field list (emulator/request_check.py: presence, types, documented limits);
each method adds the rules only it knows (text length after entity parsing, chat and
message existence, command names) and answers with Telegram's own error wording."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from .api_marks import api
from .errors import ApiError, bad_request
from .html_check import HtmlError, parse_html, strip_text
from .markup import check_reply_markup
from .profile_methods import ProfileMethods
from .spec import load as load_spec
from .state import ChatState, FakeMessage, UploadedFile
from .world import World

Handler = Callable[[dict[str, Any]], Awaitable[Any]]
_SPEC = load_spec()

_CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)


# An administrator's rights as getChatMember returns them; the fake's bot admin may delete
# messages and pin them, nothing else.
_ALL_RIGHTS = ("can_manage_chat", "can_delete_messages", "can_manage_video_chats", "can_restrict_members",
               "can_promote_members", "can_change_info", "can_invite_users", "can_post_stories",
               "can_edit_stories", "can_delete_stories", "can_send_welcome_messages", "can_pin_messages")
_ADMIN_RIGHTS = {"can_manage_chat", "can_delete_messages", "can_pin_messages", "can_invite_users"}


class BotApi(ProfileMethods):
    """Implementations of the served methods over the state a FakeTelegram keeps."""

    def __init__(self, fake: World) -> None:
        self.fake = fake
        self.handlers: dict[str, tuple[str, Handler]] = {}
        for attr in dir(type(self)):
            name = getattr(getattr(type(self), attr), "__api_name__", None)
            if name:
                self.handlers[name.lower()] = (name, getattr(self, attr))

    # --- bot and updates ----------------------------------------------------------------

    @api("getMe")
    async def get_me(self, params: dict[str, Any]) -> Any:
        return {**self.fake.bot_user, "can_join_groups": True, "can_read_all_group_messages": False,
                "supports_inline_queries": False}

    @api("getUpdates")
    async def get_updates(self, params: dict[str, Any]) -> Any:
        if self.fake.webhook_url:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        return await self.fake.updates.get(
            offset=int(params.get("offset") or 0),
            limit=int(params.get("limit") or 100),
            timeout=float(params.get("timeout") or 0),
            allowed_updates=params.get("allowed_updates"),
        )

    @api("setWebhook")
    async def set_webhook(self, params: dict[str, Any]) -> Any:
        self.fake.webhook_url = params.get("url") or None
        self.fake.webhook_secret = params.get("secret_token") or None
        self.fake.webhook_max_connections = int(params.get("max_connections") or 40)
        self.fake.updates.set_allowed(params.get("allowed_updates"))
        if params.get("drop_pending_updates"):
            self.fake.updates.drop_all()
        self.fake.notifier.notify()
        return True

    @api("deleteWebhook")
    async def delete_webhook(self, params: dict[str, Any]) -> Any:
        self.fake.webhook_url = None
        self.fake.webhook_secret = None
        if params.get("drop_pending_updates"):
            self.fake.updates.drop_all()
        return True

    @api("getWebhookInfo")
    async def get_webhook_info(self, params: dict[str, Any]) -> Any:
        info: dict[str, Any] = {"url": self.fake.webhook_url or "", "has_custom_certificate": False,
                                "pending_update_count": len(self.fake.updates.deliverable(set(), 10_000))}
        if self.fake.webhook_url:
            info["max_connections"] = self.fake.webhook_max_connections
        return info

    @api("close")
    async def close(self, params: dict[str, Any]) -> Any:
        return True

    @api("logOut")
    async def log_out(self, params: dict[str, Any]) -> Any:
        return True

    # --- chats and messages -------------------------------------------------------------

    @api("getChat")
    async def get_chat(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params, check_blocked=False)
        return {**chat.chat, "accent_color_id": 0, "max_reaction_count": 11,
                "accepted_gift_types": {"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
                                        "premium_subscription": True, "gifts_from_channels": True}}

    @api("getChatMember")
    async def get_chat_member(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params, check_blocked=False)
        user_id = int(params.get("user_id") or 0)
        if user_id == self.fake.bot_id:
            if chat.is_group and chat.bot_admin:
                rights = {name: name in _ADMIN_RIGHTS for name in _ALL_RIGHTS}
                return {"status": "administrator", "user": self.fake.bot_user, "can_be_edited": False,
                        "is_anonymous": False, **rights}
            return {"status": "member", "user": self.fake.bot_user}
        user = self.fake.users.get(user_id) if hasattr(self.fake, "users") else None
        if user is None:
            raise bad_request("user not found")
        status = chat.member_status.get(user_id, "member")
        if status == "kicked":
            return {"status": "kicked", "user": user.user_json, "until_date": 0}
        return {"status": status, "user": user.user_json}

    @api("sendChatAction")
    async def send_chat_action(self, params: dict[str, Any]) -> Any:
        self._chat(params)
        if params.get("action") not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        return True

    @api("sendMessage")
    async def send_message(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params)
        self._check_reply_to(chat, params)
        text, entities = _formatted(params, "text", limit=_SPEC.max_length("sendMessage", "text"))
        markup = check_reply_markup(params.get("reply_markup"))
        return self._deliver(chat, params, text=text, entities=entities, source=params.get("text"),
                             reply_markup=markup).to_api()

    @api("sendVenue")
    async def send_venue(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params)
        self._check_reply_to(chat, params)
        latitude, longitude = float(params["latitude"]), float(params["longitude"])
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise bad_request("wrong latitude or longitude")
        if not str(params.get("title") or "").strip() or not str(params.get("address") or "").strip():
            raise bad_request("venue title and address must be non-empty")
        location = {"latitude": latitude, "longitude": longitude}
        venue = {"location": location, "title": str(params["title"]), "address": str(params["address"])}
        markup = check_reply_markup(params.get("reply_markup"))
        return self._deliver(chat, params, text=None, content={"venue": venue, "location": location},
                             reply_markup=markup).to_api()

    @api("sendDocument")
    async def send_document(self, params: dict[str, Any]) -> Any:
        return await self._send_file(params, "document")

    @api("sendPhoto")
    async def send_photo(self, params: dict[str, Any]) -> Any:
        return await self._send_file(params, "photo")

    @api("sendMediaGroup")
    async def send_media_group(self, params: dict[str, Any]) -> Any:
        """An album of photos or of documents (2-10 items of one type, checked with the
        request): a message per item sharing one media_group_id, each with its own caption.
        Only photos and documents are served (nothing in the bot sends video or audio)."""
        chat = self._chat(params)
        self._check_reply_to(chat, params)
        media = list(params["media"])
        kinds = {item.get("type") for item in media}
        if not kinds <= {"photo", "document"}:
            raise bad_request(f"the emulator serves albums of photos or documents, not {sorted(kinds)}")
        prepared = []
        for item in media:
            kind = str(item["type"])
            caption, entities = _formatted(item, "caption", limit=_SPEC.max_length(f"send{kind.title()}", "caption"))
            prepared.append((kind, self._file(item.get("media"), kind), item.get("caption"), caption, entities))
        group = f"{chat.id}-{chat.last_message_id + 1}"
        self._admit(chat, count=len(prepared))  # the album is admitted or refused whole
        messages = []
        for kind, stored, source, caption, entities in prepared:
            content = self._file_content(kind, stored, caption, entities)
            content["media_group_id"] = group
            messages.append(self._deliver(chat, params, source=source, content=content, file=stored,
                                          admitted=True).to_api())
        return messages

    @api("copyMessage")
    async def copy_message(self, params: dict[str, Any]) -> Any:
        source = self._chat(params, key="from_chat_id", check_blocked=False)
        chat = self._chat(params)
        original = source.messages.get(int(params.get("message_id") or 0))
        if original is None or original.deleted:
            raise bad_request("message to copy not found")
        markup = check_reply_markup(params.get("reply_markup"))
        copy = self._deliver(chat, params, text=original.text, entities=list(original.entities),
                             source=original.source, reply_markup=markup, content=dict(original.content),
                             file=original.file)
        return {"message_id": copy.message_id}

    @api("editMessageText")
    async def edit_message_text(self, params: dict[str, Any]) -> Any:
        message = self._editable(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text, entities = _formatted(params, "text", limit=_SPEC.max_length("editMessageText", "text"))
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        if (text, entities, markup) == (message.text, message.entities, _inline(message.reply_markup)):
            raise bad_request(_NOT_MODIFIED)
        self._admit(self.fake.chats[message.chat_id])
        message.text, message.entities, message.source = text, entities, params.get("text")
        message.parse_mode = params.get("parse_mode")
        return self._edited(message, markup)

    @api("editMessageReplyMarkup")
    async def edit_message_reply_markup(self, params: dict[str, Any]) -> Any:
        message = self._editable(params)
        markup = check_reply_markup(params.get("reply_markup"), inline_only=True)
        if markup == _inline(message.reply_markup):
            raise bad_request(_NOT_MODIFIED)
        self._admit(self.fake.chats[message.chat_id])
        return self._edited(message, markup)

    @api("deleteMessage")
    async def delete_message(self, params: dict[str, Any]) -> Any:
        chat = self._chat(params, check_blocked=False)
        message = chat.messages.get(int(params.get("message_id") or 0))
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        if chat.is_group and not message.from_bot and not chat.bot_admin:
            raise bad_request("message can't be deleted")
        message.deleted = True
        self.fake.notifier.notify()
        return True

    @api("answerCallbackQuery")
    async def answer_callback_query(self, params: dict[str, Any]) -> Any:
        record = self.fake.callback_queries.get(str(params.get("callback_query_id")))
        if record is None or record.answered:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        record.answer = params
        return True

    @api("getFile")
    async def get_file(self, params: dict[str, Any]) -> Any:
        stored = self.fake.files.get(str(params.get("file_id")))
        if stored is None:
            raise bad_request("invalid file_id")
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": stored.size, "file_path": stored.file_path}

    # --- helpers ------------------------------------------------------------------------

    def _chat(self, params: dict[str, Any], key: str = "chat_id", *, check_blocked: bool = True) -> ChatState:
        chat = self.fake.find_chat(params.get(key))
        if chat is None:
            raise bad_request("chat not found")
        if check_blocked and chat.id in self.fake.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _check_reply_to(self, chat: ChatState, params: dict[str, Any]) -> None:
        reply = params.get("reply_parameters") or {}
        wanted = reply.get("message_id") or params.get("reply_to_message_id")  # or the legacy field
        allowed = reply.get("allow_sending_without_reply") or params.get("allow_sending_without_reply")
        if wanted and wanted not in chat.messages and not allowed:
            raise bad_request("message to be replied not found")

    def _editable(self, params: dict[str, Any]) -> FakeMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")  # the fake has no inline mode
        chat = self._chat(params)
        message = chat.messages.get(int(params.get("message_id") or 0))
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message

    def _edited(self, message: FakeMessage, markup: dict[str, Any] | None) -> dict[str, Any]:
        message.reply_markup = markup
        message.edited += 1
        message.edit_date = int(time.time())
        self.fake.record_event(message)
        return message.to_api()

    async def _send_file(self, params: dict[str, Any], kind: str) -> Any:
        chat = self._chat(params)
        self._check_reply_to(chat, params)
        caption, entities = _formatted(params, "caption", limit=_SPEC.max_length(f"send{kind.title()}", "caption"))
        markup = check_reply_markup(params.get("reply_markup"))
        stored = self._file(params.get(kind), kind)
        content = self._file_content(kind, stored, caption, entities)
        return self._deliver(chat, params, source=params.get("caption"), reply_markup=markup,
                             content=content, file=stored).to_api()

    @staticmethod
    def _file_content(kind: str, stored: UploadedFile, caption: str | None,
                      entities: list[dict[str, Any]]) -> dict[str, Any]:
        if kind == "photo":
            media: Any = [{"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                           "width": 800, "height": 600, "file_size": stored.size}]
        else:
            media = {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                     "file_name": stored.file_name, "file_size": stored.size}
            if stored.mime_type:
                media["mime_type"] = stored.mime_type
        content: dict[str, Any] = {kind: media}
        if caption:
            content["caption"] = caption
            if entities:
                content["caption_entities"] = entities
        return content

    def _file(self, value: Any, kind: str) -> UploadedFile:
        if isinstance(value, UploadedFile):
            return self.fake.store_file(value.data, file_name=value.file_name, mime_type=value.mime_type)
        if not value:
            raise bad_request(f"there is no {kind} in the request")
        if isinstance(value, str) and value in self.fake.files:
            return self.fake.files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self.fake.store_file(b"", file_name=value.rsplit("/", 1)[-1] or None)
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _admit(self, chat: ChatState, count: int = 1) -> None:
        """The flood limits: a send or an edit in `chat` counts, or is refused with 429."""
        self.fake.limiter.admit(
            chat.id, is_group=chat.is_group, global_per_second=self.fake.global_rate_limit,
            per_chat_per_second=self.fake.per_chat_rate_limit, group_per_minute=self.fake.group_rate_limit_per_minute,
            per_chat_burst=self.fake.per_chat_burst, count=count,
        )

    def _deliver(self, chat: ChatState, params: dict[str, Any], *, admitted: bool = False,
                 **fields: Any) -> FakeMessage:
        """Create a bot message in `chat` once the flood limits admit it (`admitted`: they did,
        for the whole album it belongs to)."""
        if not admitted:
            self._admit(chat)
        message = FakeMessage(chat=chat.chat, message_id=chat.new_message_id(), sender=self.fake.bot_user,
                              from_bot=True, date=int(time.time()), parse_mode=params.get("parse_mode"), **fields)
        chat.messages[message.message_id] = message
        self.fake.stats.sent[chat.id] += 1
        self.fake.record_event(message)
        return message


def _formatted(params: dict[str, Any], key: str, *, limit: int) -> tuple[str | None, list[dict[str, Any]]]:
    """Visible text and entities of `params[key]` (text: required; caption: optional)."""
    raw = params.get(key)
    if raw is None and key == "caption":
        return None, []
    raw = "" if raw is None else str(raw)
    if str(params.get("parse_mode") or "").lower() == "html":
        try:
            text, entities = parse_html(raw)
        except HtmlError as error:
            raise bad_request(f"can't parse entities: {error}") from None
    else:
        text, entities = raw, list(params.get(f"{key}_entities" if key == "caption" else "entities") or [])
    text, entities = strip_text(text, entities)
    if key == "text" and not text:
        raise bad_request("message text is empty")
    if len(text) > limit:
        raise bad_request("message is too long" if key == "text" else "message caption is too long")
    return (text or None) if key == "caption" else text, entities


def _inline(markup: dict[str, Any] | None) -> dict[str, Any] | None:
    return markup if markup and "inline_keyboard" in markup else None
