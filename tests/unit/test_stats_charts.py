"""Charts: PNG images 1080 px wide, drawn in a worker thread while the event loop
keeps running."""

from __future__ import annotations

import asyncio
import io
import threading

import pytest
from PIL import Image

import bot.stats.charts as charts
from bot.stats.charts import ChartRenderer, ChartSpec
from bot.stats.figures import Chart

DIRECTIONS = ChartSpec(key="by_direction", title="Бағыт бойынша", kind=Chart.BARS,
                       labels=("Денсаулық сақтау", "Экология", "Тарихи-мәдени мұра", "Қарттарға қамқорлық"),
                       values=(1234, 56, 0, 0), hidden=(False, False, False, True), note="«< 5»: 5-тен аз")
MONTHS = ChartSpec(key="new_by_month", title="New volunteers by month", kind=Chart.COLUMNS,
                   labels=tuple(f"Month {i} 2026" for i in range(1, 121)), values=tuple(range(120)),
                   hidden=tuple(False for _ in range(120)))


@pytest.fixture
def renderer() -> ChartRenderer:
    renderer = ChartRenderer()
    yield renderer
    renderer.close()


@pytest.mark.parametrize("spec", [DIRECTIONS, MONTHS], ids=["bars", "columns"])
def test_a_chart_is_a_png_1080_px_wide(spec: ChartSpec) -> None:
    png = charts.render_png(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert image.size == (1080, 810)
    assert 10_000 < len(png) < 500_000


async def test_charts_are_drawn_off_the_event_loop(renderer: ChartRenderer, monkeypatch: pytest.MonkeyPatch) -> None:
    threads: list[str] = []
    original = charts.render_png

    def watched(spec: ChartSpec) -> bytes:
        threads.append(threading.current_thread().name)
        return original(spec)

    monkeypatch.setattr(charts, "render_png", watched)
    rendering = asyncio.create_task(renderer.render([MONTHS, DIRECTIONS, MONTHS]))
    ticks = 0
    while not rendering.done():
        await asyncio.sleep(0.001)
        ticks += 1
    pngs = rendering.result()
    assert [len(png) > 10_000 for png in pngs] == [True, True, True]
    assert threads and all(name.startswith("charts") for name in threads)
    assert threading.current_thread().name not in threads
    # The loop went on running other work while the three charts were drawn.
    assert ticks >= 5
