"""The signed start parameter of a group's /find link (bot/domain/group_links.py)."""

from __future__ import annotations

import re

from bot.domain.group_links import PATTERN, group_of, group_payload, link_key

KEY = link_key("123456:AAE-token")


def test_a_signed_parameter_fits_telegrams_rule_and_names_its_group() -> None:
    for chat_id in (-1, -1001234567, -999999999999999):
        payload = group_payload(KEY, chat_id)
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,64}", payload)
        assert re.fullmatch(PATTERN, payload)
        assert group_of(KEY, payload) == chat_id


def test_anything_else_names_no_group() -> None:
    payload = group_payload(KEY, -1001234567)
    digits, signature = payload.removeprefix("find_g").split("_", 1)
    assert group_of(link_key("123456:another-token"), payload) is None
    assert group_of(KEY, f"find_g{digits}") is None
    assert group_of(KEY, f"find_g{int(digits) + 1}_{signature}") is None
    assert group_of(KEY, payload + "x") is None
    for n in range(len(signature)):
        altered = signature[:n] + ("A" if signature[n] != "A" else "B") + signature[n + 1:]
        assert group_of(KEY, f"find_g{digits}_{altered}") is None
    assert group_of(KEY, "find") is None
