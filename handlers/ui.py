"""The small UI pieces every screen uses, written once: the answer to a stale or forged
button, the hints for input of the wrong kind, turning the pressed message into the next
screen, taking buttons off a message, and telling the live question's buttons from old
ones. Texts are translated when built: call these inside a handler."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.types import (
    CallbackQuery,
    InaccessibleMessage,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram.utils.i18n import gettext as _

log = logging.getLogger(__name__)


def sender_id(message: Message) -> int:
    """Who sent the message. Birge's routers only see private chats and groups, where
    Telegram always names the sender (only channel posts come without one)."""
    if message.from_user is None:
        raise ValueError(f"message {message.message_id} has no sender")
    return message.from_user.id


def bot_of(event: Message | InaccessibleMessage | CallbackQuery) -> Bot:
    """The bot an update came through (aiogram attaches it to every object it parses)."""
    if event.bot is None:
        raise ValueError("an object not attached to a bot")
    return event.bot


AnyMessage = Message | InaccessibleMessage
AnyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | None
# A typed answer in a dialog, not a command (commands leave or restart dialogs).
NOT_A_COMMAND = ~F.text.startswith("/")
# The FSM data key holding the id of the message whose buttons are live.
LIVE_MESSAGE = "msg"


def stale_text() -> str:
    """The answer to a button that is no longer active (an ended dialog, an old
    question) or was never ours (forged): it changes nothing."""
    return _("This button is no longer active. Send /start to see the menu.")


async def answer_stale(query: CallbackQuery) -> None:
    await query.answer(stale_text(), show_alert=True)


def text_expected_hint() -> str:
    """What to say when a sticker, photo, voice... arrives where text is asked."""
    return _("I can only read text here. Please type your answer.")


def buttons_expected_hint() -> str:
    """What to say when text is typed where a button is expected."""
    return _("Please choose with the buttons below.")


async def replace(message: AnyMessage, text: str, markup: AnyMarkup = None) -> Message:
    """Turn the bot's `message` into the next screen: one edit, where a new message plus
    taking the old buttons off would be two (Telegram counts both against the chat's
    pace). A new message if it cannot be edited (too old, or a reply keyboard, which
    an edit cannot carry); returns the message shown."""
    if isinstance(message, Message) and not isinstance(markup, (ReplyKeyboardMarkup, ReplyKeyboardRemove)):
        try:
            edited = await message.edit_text(text, reply_markup=markup)
            return edited if isinstance(edited, Message) else message
        except TelegramBadRequest as error:
            if "not modified" in str(error).lower():
                return message
            log.info("could not edit message %s: %s", message.message_id, error)
    return await message.answer(text, reply_markup=markup)


async def say(target: AnyMessage, text: str, markup: AnyMarkup = None, *, in_place: bool = False) -> Message:
    """`text` in the chat of `target`: `target` itself edited (`in_place`, when it is the
    bot's message a button was pressed on), else a new message."""
    if in_place:
        return await replace(target, text, markup)
    return await target.answer(text, reply_markup=markup)


async def show(query: CallbackQuery, text: str, markup: AnyMarkup = None) -> Message | None:
    """Replace the pressed message with the next screen (a new message if it can't be
    edited); returns the message now carrying the buttons."""
    if query.message is not None:
        return await replace(query.message, text, markup)
    if query.bot is None:
        return None
    return await query.bot.send_message(query.from_user.id, text, reply_markup=markup)


async def drop_keyboard(message: AnyMessage | None) -> None:
    """Take the buttons off a message (if it still has any: Telegram refuses a no-op edit)."""
    if not isinstance(message, Message) or message.reply_markup is None:
        return
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest:
        pass  # already without buttons, or too old to edit: harmless


async def drop_keyboard_of(bot: Bot | None, chat_id: int, message_id: int) -> None:
    """The same for a message known by its id (an earlier question of the dialog)."""
    if bot is None:
        return
    try:
        await bot.edit_message_reply_markup(chat_id=chat_id, message_id=message_id, reply_markup=None)
    except TelegramBadRequest:
        pass  # already without buttons, or too old to edit: harmless


def is_live(query: CallbackQuery, stored: dict[str, Any]) -> bool:
    """Only the buttons of the dialog's latest question count (older ones are stale);
    `stored` is the FSM data, holding that message's id."""
    return query.message is not None and stored.get(LIVE_MESSAGE) == query.message.message_id


async def live_button(query: CallbackQuery, state: FSMContext) -> bool:
    return is_live(query, await state.get_data())


async def keep_live(state: FSMContext, message: Message) -> None:
    """`message` carries the dialog's live buttons from now on."""
    await state.update_data({LIVE_MESSAGE: message.message_id})


async def drop_live_keyboard(message: Message, state: FSMContext) -> None:
    """A typed answer: the live question's buttons go away (they would be stale)."""
    message_id = (await state.get_data()).get(LIVE_MESSAGE)
    if message_id:
        await drop_keyboard_of(message.bot, message.chat.id, int(message_id))
