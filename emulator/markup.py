"""Rules on `reply_markup` that Telegram applies beyond its field list: an inline button
does exactly one thing (a button with neither callback_data nor url is refused), a URL is
http(s) or tg://, labels are not empty, at most 100 buttons, and edits take only inline
keyboards. Shapes, types and the 64 bytes of callback_data (the commonest production
surprise once it holds Cyrillic or Kazakh text) are checked before, from the field list
(emulator/request_check.py)."""

from __future__ import annotations

from typing import Any

from .errors import bad_request

_INLINE_ACTIONS = (
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_MAX_BUTTONS = 100


def check_reply_markup(markup: dict[str, Any] | None, *, inline_only: bool = False) -> dict[str, Any] | None:
    """Apply Telegram's rules to a checked `reply_markup`; return it, or None when absent."""
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        _check_inline(markup["inline_keyboard"])
    elif inline_only:
        raise bad_request("inline keyboard expected")
    elif "keyboard" in markup:
        _check_keyboard(markup["keyboard"])
    return markup


def _count(rows: list[list[Any]]) -> None:
    if sum(len(row) for row in rows) > _MAX_BUTTONS:
        raise bad_request("reply markup is too long")


def _check_inline(rows: list[list[dict[str, Any]]]) -> None:
    _count(rows)
    for row in rows:
        for button in row:
            if not button["text"]:
                raise bad_request("can't parse inline keyboard button: Text must be non-empty")
            actions = [name for name in _INLINE_ACTIONS if name in button]
            if not actions:
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if len(actions) > 1:
                raise bad_request(
                    "can't parse inline keyboard button: exactly one of the optional fields must be used"
                )
            if "url" in button and not button["url"].startswith(("http://", "https://", "tg://")):
                raise bad_request("BUTTON_URL_INVALID")


def _check_keyboard(rows: list[list[dict[str, Any]]]) -> None:
    _count(rows)
    for row in rows:
        for button in row:
            if not button["text"]:
                raise bad_request("can't parse keyboard button: Text must be non-empty")
