"""The getUpdates queue with Telegram's long-poll semantics.

An update stays queued until a later getUpdates confirms it with a higher `offset`, so an
answer lost on a dropped connection is delivered again, as in Telegram. A newer poll
ends an older parked one with 409 Conflict, which is what Telegram does when two bot
instances poll the same token."""

from __future__ import annotations

from typing import Any

from .errors import ApiError
from .state import Notifier

# What Telegram sends when the bot has never named `allowed_updates`.
_NOT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CONFLICT = "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"


class UpdateQueue:
    def __init__(self, notifier: Notifier) -> None:
        self._notifier = notifier
        self._pending: list[dict[str, Any]] = []
        self._last_id = 0
        self._allowed: frozenset[str] | None = None
        self._generation = 0
        self._closed = False

    @property
    def settled(self) -> bool:
        """Every pushed update was fetched and confirmed (or dropped as not allowed)."""
        return not self._pending

    def push(self, kind: str, payload: dict[str, Any]) -> dict[str, Any]:
        self._last_id += 1
        update = {"update_id": self._last_id, kind: payload}
        self._pending.append(update)
        self._notifier.notify()
        return update

    def drop_all(self) -> None:
        self._pending.clear()
        self._notifier.notify()

    def close(self) -> None:
        """Release every parked poll with an empty answer (the server is stopping)."""
        self._closed = True
        self._notifier.notify()

    async def get(self, *, offset: int = 0, limit: int = 100, timeout: float = 0,
                  allowed_updates: list[str] | None = None) -> list[dict[str, Any]]:
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) or None
        self._confirm(offset)
        self._generation += 1
        generation = self._generation
        self._notifier.notify()  # wakes an older parked poll so it can step aside
        limit = min(max(limit, 1), 100)

        def ready() -> list[dict[str, Any]] | None:
            if self._closed:
                return []
            if generation != self._generation:
                raise ApiError(409, _CONFLICT)
            self._drop_not_allowed()
            return self._pending[:limit] or None

        return await self._notifier.wait_until(ready, max(timeout, 0)) or []

    # --- webhook delivery (emulator/webhook.py) ----------------------------------------

    def set_allowed(self, allowed_updates: list[str] | None) -> None:
        if allowed_updates is not None:
            self._allowed = frozenset(allowed_updates) or None

    def deliverable(self, skip: set[int], limit: int) -> list[dict[str, Any]]:
        """Pending updates for the webhook, oldest first, except those being posted."""
        self._drop_not_allowed()
        return [update for update in self._pending if update["update_id"] not in skip][:max(0, limit)]

    def delivered(self, update_id: int) -> None:
        """The webhook answered 2xx: the update is done."""
        self._pending = [update for update in self._pending if update["update_id"] != update_id]
        self._notifier.notify()

    def _confirm(self, offset: int) -> None:
        if offset > 0:
            self._pending = [update for update in self._pending if update["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._notifier.notify()

    def _drop_not_allowed(self) -> None:
        def wanted(update: dict[str, Any]) -> bool:
            kind = next(key for key in update if key != "update_id")
            return kind in self._allowed if self._allowed else kind not in _NOT_BY_DEFAULT

        self._pending = [update for update in self._pending if wanted(update)]
