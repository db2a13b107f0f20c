"""The webhook endpoint of `birge web` (aiogram's aiohttp integration).

Every request must carry the secret given to setWebhook in X-Telegram-Bot-Api-Secret-Token:
a wrong or missing one gets 401 and a log line, and its body is never read. A good one is
answered 200 at once and the update handled afterwards (Telegram does not wait; a slow
handler cannot make it retry). An update id already seen (a retry, or a second replica
getting it) is answered 200 and dropped: handled once."""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import BaseRequestHandler
from aiohttp import web

from bot.infra.handled_updates import UpdateLedger

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class WebhookHandler(BaseRequestHandler):
    def __init__(self, dispatcher: Dispatcher, bot: Bot, secret: str, ledger: UpdateLedger, **data: Any) -> None:
        super().__init__(dispatcher=dispatcher, handle_in_background=True, **data)
        self.bot = bot
        self.secret = secret
        self.ledger = ledger
        self.refused = 0
        self.duplicates = 0

    def verify_secret(self, telegram_secret_token: str, bot: Bot) -> bool:
        return secrets.compare_digest(telegram_secret_token.encode(), self.secret.encode())

    async def resolve_bot(self, request: web.Request) -> Bot:
        return self.bot

    async def close(self) -> None:
        """The application closes the bot's session itself."""

    async def handle(self, request: web.Request) -> web.Response:
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), self.bot):
            self.refused += 1
            log.warning("webhook request from %s refused: %s secret token", request.remote,
                        "wrong" if SECRET_HEADER in request.headers else "no")
            return web.Response(status=401, text="Unauthorized")
        try:
            update = await request.json(loads=self.bot.session.json_loads)
            update_id = int(update["update_id"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=400, text="Bad Request: not an update")
        if not await self.ledger.first_time(update_id):
            self.duplicates += 1
            log.info("update %s delivered again: already handled, dropped", update_id)
            return web.json_response({})
        task = asyncio.create_task(self._background_feed_update(bot=self.bot, update=update))
        self._background_feed_update_tasks.add(task)
        task.add_done_callback(self._background_feed_update_tasks.discard)
        return web.json_response({})

    async def wait_handled(self, timeout: float) -> bool:
        """Wait for updates being handled (a stopping process); False if some were left."""
        tasks = set(self._background_feed_update_tasks)
        if not tasks:
            return True
        _, pending = await asyncio.wait(tasks, timeout=timeout)
        return not pending


async def health(_: web.Request) -> web.Response:
    return web.Response(text="ok")
