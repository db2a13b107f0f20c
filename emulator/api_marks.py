"""How the fake's method implementations are marked and keyed (shared by its method modules)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def api(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mark a BotApi coroutine as serving the Telegram method `name`."""
    def mark(func: Callable[..., Any]) -> Callable[..., Any]:
        func.__api_name__ = name  # type: ignore[attr-defined]  # a marker attribute the registry reads
        return func
    return mark


def scope_key(scope: Any) -> str:
    return json.dumps(scope or {"type": "default"}, sort_keys=True)
