"""Periodic jobs (APScheduler). Jobs read what is due from the database on each run and
keep nothing in memory, so a restart loses nothing; times come from the injected clock
(tests move the clock and call the job functions directly).

Started in the dispatcher's startup (inside the running loop), shut down on stop."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone

from apscheduler.schedulers.asyncio import AsyncIOScheduler

log = logging.getLogger(__name__)

EXPIRE_PROMOTIONS_EVERY_SECONDS = 30
EXPIRE_CLAIMS_EVERY_SECONDS = 30  # relay callers' 20-minute claims
RETENTION_EVERY_SECONDS = 3600  # erasing reconnection phones and messages
CALLOUT_WAVES_EVERY_SECONDS = 15


class Scheduler:
    def __init__(self) -> None:
        self._jobs: list[tuple[str, Callable[[], Awaitable[object]], float, bool]] = []
        self._scheduler: AsyncIOScheduler | None = None

    def add_interval_job(self, name: str, job: Callable[[], Awaitable[object]], seconds: float, *,
                         at_start: bool = False) -> None:
        """Register a job before start(); it runs every `seconds`, one run at a time, and
        with `at_start` once at once when the scheduler starts (what fell due while the
        bot was stopped)."""
        self._jobs.append((name, job, seconds, at_start))

    @property
    def job_names(self) -> list[str]:
        return [name for name, *_ in self._jobs]

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def start(self) -> None:
        if self.running:
            return
        self._scheduler = AsyncIOScheduler()
        for name, job, seconds, at_start in self._jobs:
            # The trigger's own wall clock: when to look, not what is due (that is the
            # injected clock's business, inside the job).
            first = {"next_run_time": datetime.now(timezone.utc)} if at_start else {}
            self._scheduler.add_job(_guarded(name, job), "interval", seconds=seconds, id=name, name=name,
                                    max_instances=1, coalesce=True, **first)
        self._scheduler.start()

    def shutdown(self) -> None:
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None


def _guarded(name: str, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
    async def run() -> None:
        try:
            await job()
        except asyncio.CancelledError:
            # The bot is stopping while this run was under way: what it had not committed
            # is done again by the next run after a start (jobs keep nothing in memory).
            # Not re-raised: APScheduler would log the cancellation as a crash.
            log.info("scheduled job %s stopped with the bot", name)
        except Exception:  # noqa: BLE001 - a failing run must not stop the next ones
            log.exception("scheduled job %s failed", name)

    return run
