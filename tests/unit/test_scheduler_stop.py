"""Stopping the scheduler lets a run going on finish (APScheduler's own shutdown cancels
it, which cut a job off mid-query when `birge sandbox` was stopped right after start)."""

from __future__ import annotations

import asyncio

from bot.infra.scheduler import Scheduler


async def test_stop_lets_the_run_going_on_finish() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    runs: list[str] = []

    async def job() -> None:
        runs.append("started")
        started.set()
        await release.wait()
        runs.append("finished")

    scheduler = Scheduler()
    scheduler.add_interval_job("slow", job, 0.05, at_start=True)
    scheduler.start()
    await asyncio.wait_for(started.wait(), 5)
    stopping = asyncio.create_task(scheduler.stop())
    for _ in range(20):  # stop waits for the run, however many times the loop turns
        await asyncio.sleep(0)
    assert not stopping.done() and runs == ["started"]
    release.set()
    await asyncio.wait_for(stopping, 5)
    assert runs == ["started", "finished"] and not scheduler.running
