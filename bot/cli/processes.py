"""`birge web` and `birge worker`: the bot as several processes behind one token.

- `birge web` serves Telegram's webhook (bot/infra/webhook.py) and handles updates; with
  REDIS_URL it never runs the delivery sender or the scheduler (a single web process
  without Redis runs them itself, as `birge run` does). Any number may run behind a reverse
  proxy; with REDIS_URL they share dialogs' per-user isolation, the outgoing limiter and
  the ids of updates handled. setWebhook is called once per configuration, by whichever
  process starts first.
- `birge worker` runs the delivery sender and the scheduler, but only while it holds the
  worker lease in Redis: several may run, exactly one is active, another takes over
  within 10 s of its death. A worker that loses the lease exits (status 1) at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import signal
from urllib.parse import urlsplit

from aiogram import Bot
from aiohttp import web

from bot.app import SHUTDOWN_GRACE_SECONDS, Application
from bot.infra.handled_updates import FORGET_EVERY_SECONDS, DatabaseUpdateLedger, RedisUpdateLedger, UpdateLedger
from bot.infra.shared import Lease, WakeChannel, prefix_for
from bot.infra.webhook import WebhookHandler, health

log = logging.getLogger(__name__)

WEBHOOK_ELECTION_SECONDS = 24 * 3600  # a process calls setWebhook again after this, at most


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


class WebApplication(Application):
    """One `birge web` process."""

    handler: WebhookHandler | None = None
    runner: web.AppRunner | None = None
    port: int | None = None

    async def serve(self) -> None:
        """Prepare, register the webhook, listen (returns once listening)."""
        url, secret = self.settings.require_webhook()
        await self.prepare()
        assert self.dispatcher is not None and self.bot is not None and self.services is not None
        ledger: UpdateLedger
        if self.redis is not None:
            ledger = RedisUpdateLedger(self.redis, prefix_for(self.settings.require_token()))
        else:  # one process, which runs the scheduler itself (_on_startup)
            ledger = DatabaseUpdateLedger(self.services.db, self.services.clock)
            self.services.scheduler.add_interval_job("forget-handled-updates", ledger.forget_old, FORGET_EVERY_SECONDS)
        self.handler = WebhookHandler(self.dispatcher, self.bot, secret, ledger, **self.dispatcher.workflow_data)
        app = web.Application()
        self.handler.register(app, path=_path_of(url))
        app.router.add_get("/health", health)
        self.services.delivery.events.start()  # subscribers of what this process enqueues (sender or not)
        if self.redis is not None:
            self.services.delivery.remote_wake = WakeChannel(self.redis, prefix_for(self.settings.require_token())).publish
        await self.dispatcher.emit_startup(bot=self.bot, **self.dispatcher.workflow_data)
        await self._set_webhook(url, secret)
        self.runner = web.AppRunner(app, access_log=None, shutdown_timeout=SHUTDOWN_GRACE_SECONDS)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.webhook_host, self.settings.webhook_port)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # started: it has a server
        log.info("serving the webhook %s on %s:%s", url, self.settings.webhook_host, self.port)

    async def _set_webhook(self, url: str, secret: str) -> None:
        assert self.bot is not None
        allowed = self.allowed_updates()
        wanted = hashlib.sha256(f"{url}|{secret}|{','.join(allowed)}|{self.settings.webhook_max_connections}"
                                .encode()).hexdigest()
        if self.redis is not None:
            key = f"{prefix_for(self.settings.require_token())}:webhook"
            previous = await self.redis.set(key, wanted, get=True, ex=WEBHOOK_ELECTION_SECONDS)
            if isinstance(previous, bytes) and previous.decode() == wanted:
                log.info("webhook already set by another process")
                return
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=allowed,
                                   max_connections=self.settings.webhook_max_connections)
        log.info("webhook set: %s (%s)", url, ", ".join(allowed))

    async def run(self, *, handle_signals: bool = True) -> None:
        stop = _stop_event() if handle_signals else asyncio.Event()
        await self.serve()
        try:
            await stop.wait()
        finally:
            await self.shutdown()

    async def shutdown(self) -> None:
        """Stop listening, let updates being handled finish, close everything."""
        if self.runner is not None:
            await self.runner.cleanup()
            self.runner = None
        if self.handler is not None and not await self.handler.wait_handled(SHUTDOWN_GRACE_SECONDS):
            log.warning("stopping with updates still being handled")
        assert self.services is not None and self.bot is not None
        self.services.scheduler.shutdown()
        await self.services.delivery.stop()  # the sender if it runs here, and the events
        await self.bot.session.close()
        self.services.charts.close()
        await self.services.db.close()
        if self.redis is not None:
            await self.redis.aclose()

    async def _on_startup(self, bot: Bot) -> None:
        """With REDIS_URL a web process sends direct replies only: the sender and the
        scheduler are the worker's. A single web process without Redis runs them itself."""
        if self.redis is None:
            await super()._on_startup(bot)


def _path_of(url: str) -> str:
    return urlsplit(url).path or "/"


class WorkerApplication(Application):
    """One `birge worker` process."""

    lease: Lease | None = None
    active = False

    async def run(self, *, handle_signals: bool = True) -> int:  # type: ignore[override]  # an exit status
        self.settings.require_redis("worker")
        stop = _stop_event() if handle_signals else asyncio.Event()
        await self.prepare()
        assert self.redis is not None and self.services is not None and self.bot is not None
        self.lease = Lease(self.redis, f"{prefix_for(self.settings.require_token())}:worker-lease")
        log.info("worker waiting for the lease")
        status = 0
        try:
            acquired = asyncio.create_task(self.lease.acquire())
            stopping = asyncio.create_task(stop.wait())
            await asyncio.wait({acquired, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if acquired.done():
                stopping.cancel()
                status = await self._work(stop)
            else:
                acquired.cancel()
        finally:
            await self._close()
        return status

    async def _work(self, stop: asyncio.Event) -> int:
        assert self.lease is not None and self.services is not None and self.bot is not None
        log.info("worker active: sending and running the scheduler")
        self.active = True
        await self.services.delivery.start(self.bot)
        self.services.scheduler.start()
        kept = asyncio.create_task(self.lease.keep())
        assert self.redis is not None
        waking = asyncio.create_task(WakeChannel(self.redis, prefix_for(self.settings.require_token()))
                                     .listen(self.services.delivery.wake))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({kept, stopping}, return_when=asyncio.FIRST_COMPLETED)
        lost = kept.done()
        kept.cancel()
        stopping.cancel()
        waking.cancel()
        self.services.scheduler.shutdown()
        await self.services.delivery.stop()
        if not lost:
            await self.lease.release()
        self.active = False
        return 1 if lost else 0

    async def _close(self) -> None:
        assert self.services is not None and self.bot is not None
        await self.bot.session.close()
        self.services.charts.close()
        await self.services.db.close()
        if self.redis is not None:
            await self.redis.aclose()
