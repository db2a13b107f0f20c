"""Webhook delivery, as Telegram does it once `setWebhook` has a URL: every update is
POSTed (JSON, with `X-Telegram-Bot-Api-Secret-Token` when a secret was set) instead of
waiting for getUpdates; at most `max_connections` requests at once; an answer other
than 2xx (or none) is retried after a short pause, so the bot may see an update twice.

`World.webhook_targets` (a test's reverse proxy) spreads the requests over several
replicas in turn. `log` keeps every attempt (update id, URL, HTTP status or 0)."""

from __future__ import annotations

import asyncio
import itertools
from dataclasses import dataclass
from typing import Any

import aiohttp

from .world import World

RETRY_AFTER = 0.2  # s before a refused or failed delivery is tried again
POST_TIMEOUT = 10.0


@dataclass(frozen=True, slots=True)
class Delivery:
    update_id: int
    url: str
    status: int  # 0: no answer


class WebhookDeliverer:
    def __init__(self, world: World) -> None:
        self.world = world
        self.log: list[Delivery] = []
        self.sent: dict[int, dict[str, Any]] = {}  # every update posted, by id (for redeliver)
        self._posting: set[int] = set()
        self._turn = itertools.count()
        self._task: asyncio.Task[None] | None = None
        self._session: aiohttp.ClientSession | None = None
        self._posts: set[asyncio.Task[None]] = set()
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=POST_TIMEOUT))
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        self._stopping = True  # (a cancel can be lost inside the notifier's wait_for on 3.11)
        self.world.notifier.notify()
        if self._task is not None:
            await asyncio.wait({self._task}, timeout=2.0)
            self._task.cancel()
            self._task = None
        for post in list(self._posts):
            post.cancel()
        await asyncio.gather(*self._posts, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def next_url(self) -> str:
        targets = self.world.webhook_targets or ([self.world.webhook_url] if self.world.webhook_url else [])
        return targets[next(self._turn) % len(targets)]

    async def post(self, update: dict[str, Any], url: str | None = None, *, secret: str | None = None) -> int:
        """POST one update now (to `url` or the next replica); the HTTP status (0: none).
        `secret` replaces the secret setWebhook stored (tests of a forged request)."""
        assert self._session is not None, "the fake server is not started"
        url = url or self.next_url()
        token = secret if secret is not None else self.world.webhook_secret
        headers = {"X-Telegram-Bot-Api-Secret-Token": token} if token else {}
        self.sent[update["update_id"]] = update
        try:
            async with self._session.post(url, json=update, headers=headers) as response:
                await response.read()
                status = response.status
        except (aiohttp.ClientError, TimeoutError):
            status = 0
        self.log.append(Delivery(update["update_id"], url, status))
        self.world.notifier.notify()
        return status

    async def redeliver(self, update_id: int, url: str | None = None) -> int:
        """Post an update that was delivered already once more (Telegram retrying a webhook
        whose answer it did not get)."""
        return await self.post(self.sent[update_id], url)

    def _ready(self) -> list[dict[str, Any]] | None:
        if self._stopping:
            return []
        if not self.world.webhook_url:
            return None
        room = self.world.webhook_max_connections - len(self._posting)
        return self.world.updates.deliverable(self._posting, room) or None

    async def _run(self) -> None:
        while not self._stopping:
            updates = await self.world.notifier.wait_until(self._ready, 1.0)
            for update in updates or []:
                self._posting.add(update["update_id"])
                task = asyncio.create_task(self._deliver(update))
                self._posts.add(task)
                task.add_done_callback(self._posts.discard)

    async def _deliver(self, update: dict[str, Any]) -> None:
        try:
            status = await self.post(update)
            if 200 <= status < 300:
                self.world.updates.delivered(update["update_id"])
            else:
                await asyncio.sleep(RETRY_AFTER)
        finally:
            self._posting.discard(update["update_id"])
            self.world.notifier.notify()
