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
STOP_GRACE_SECONDS = 10.0  # a run still going at stop may finish this long, then is cancelled


class Scheduler:
    def __init__(self) -> None:
        self._jobs: list[tuple[str, Callable[[], Awaitable[object]], float, bool]] = []
        self._scheduler: AsyncIOScheduler | None = None
        self._runs: set[asyncio.Task[object]] = set()

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
            self._scheduler.add_job(self._guarded(name, job), "interval", seconds=seconds, id=name, name=name,
                                    max_instances=1, coalesce=True, **first)
        self._scheduler.start()

    def shutdown(self) -> None:
        """Stop at once: APScheduler cancels the runs going on (`stop` lets them finish)."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None

    async def stop(self) -> None:
        """No new runs; the runs going on may finish (up to STOP_GRACE_SECONDS), so none
        is cut off mid-transaction; then shut down (which cancels any still going)."""
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.pause()
        runs = set(self._runs)
        if runs:
            await asyncio.wait(runs, timeout=STOP_GRACE_SECONDS)
        self.shutdown()

    def _guarded(self, name: str, job: Callable[[], Awaitable[object]]) -> Callable[[], Awaitable[None]]:
        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._runs.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                # Stopped after the grace period (or the loop is closing): what it had not
                # committed is done again by the next run after a start (jobs keep nothing
                # in memory). Not re-raised: APScheduler would log it as a crash.
                log.info("scheduled job %s stopped with the bot", name)
            except Exception:  # noqa: BLE001 - a failing run must not stop the next ones
                log.exception("scheduled job %s failed", name)
            finally:
                if task is not None:
                    self._runs.discard(task)

        return run
