"""The signed start parameter of a reconnection group's deep link.

`/find` in a group answers with `https://t.me/<bot>?start=find_g<group>_<signature>`;
a request made through it posts short status lines to that group. The signature (an
HMAC-SHA256 of the group id, 12 bytes in URL-safe base64: 16 characters) is keyed by a
secret derived from the bot token, so nobody can make a link naming a group the bot was
never asked from. The whole parameter stays within Telegram's 64 characters of
[A-Za-z0-9_-] (at most 6 + 13 + 1 + 16 = 36)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

PREFIX = "find_g"
SIGNATURE_BYTES = 12
# Any "find_g..." parameter reaches the /find handler, signed or not: a bad one then
# opens a private request with a word about the link.
PATTERN = r"^find(_g[A-Za-z0-9_-]{1,58})?$"
_SIGNED = re.compile(r"find_g(\d{1,15})_([A-Za-z0-9_-]{16})")


def link_key(bot_token: str) -> bytes:
    """The signing key: derived from the token, so it is never the token itself."""
    return hmac.new(bot_token.encode(), b"birge:reconnection-group-link", hashlib.sha256).digest()


def _signature(key: bytes, group: int) -> str:
    digest = hmac.new(key, f"{PREFIX}{group}".encode(), hashlib.sha256).digest()[:SIGNATURE_BYTES]
    return base64.urlsafe_b64encode(digest).decode()


def group_payload(key: bytes, chat_id: int) -> str:
    """The start parameter for a group (its id is negative; the link carries its digits)."""
    group = abs(chat_id)
    return f"{PREFIX}{group}_{_signature(key, group)}"


def group_of(key: bytes, payload: str) -> int | None:
    """The group chat id a genuine parameter names; None for anything forged or altered."""
    matched = _SIGNED.fullmatch(payload)
    if matched is None:
        return None
    group = int(matched.group(1))
    if not hmac.compare_digest(matched.group(2), _signature(key, group)):
        return None
    return -group
