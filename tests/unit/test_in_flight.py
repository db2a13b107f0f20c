"""A stopping bot waits for the updates it is handling (bot.app.InFlightUpdates)."""

from __future__ import annotations

import asyncio

from bot.infra.in_flight import InFlightUpdates


async def test_wait_idle_waits_for_updates_being_handled() -> None:
    tracker = InFlightUpdates()
    assert await tracker.wait_idle(0.01)  # nothing running
    release = asyncio.Event()
    finished: list[str] = []

    async def slow_handler(event: object, data: dict) -> str:
        await release.wait()
        finished.append("done")
        return "handled"

    running = asyncio.create_task(tracker(slow_handler, object(), {}))
    await asyncio.sleep(0)
    assert not await tracker.wait_idle(0.05)  # still handling: a stop would wait

    waiter = asyncio.create_task(tracker.wait_idle(5))
    release.set()
    assert await waiter
    assert await running == "handled"
    assert finished == ["done"]


async def test_a_failing_handler_does_not_leave_the_tracker_busy() -> None:
    tracker = InFlightUpdates()

    async def failing(event: object, data: dict) -> None:
        raise RuntimeError("boom")

    try:
        await tracker(failing, object(), {})
    except RuntimeError:
        pass
    assert await tracker.wait_idle(0.01)
