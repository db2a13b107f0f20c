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


def test_hours_by_month_are_charted_with_hours_as_their_labels() -> None:
    from datetime import date, datetime, timezone
    from zoneinfo import ZoneInfo

    from bot.infra.i18n import make_i18n
    from bot.stats.figures import Breakdown, Kind, Labels, Row, SectionFigures, StatsQuery
    from bot.stats.periods import Period
    from bot.stats.report import translator
    from bot.stats.service import StatsResult

    hours = Breakdown("hours_by_month", "Hours approved by month", "Month", "Hours approved",
                      (Row("2026-03", 14.5, basis=5), Row("2026-04", 8.0, basis=2), Row("2026-05", 0.0, basis=0),
                       Row("2026-06", 1234.25, basis=40)),
                      labels=Labels.MONTH, chart=Chart.COLUMNS, kind=Kind.HOURS)
    query = StatsQuery(None, Period(date(2026, 3, 1), date(2026, 6, 30)), ZoneInfo("Asia/Almaty"),
                       datetime(2026, 7, 1, tzinfo=timezone.utc))
    result = StatsResult(query, (SectionFigures("attendance", "Attendance and hours", (), (hours,)).protected(),))
    [spec] = charts.chart_specs(result, "ru", translator(make_i18n("kk"), "ru"))
    assert (spec.key, spec.title, spec.kind) == ("hours_by_month", "Утверждённые часы по месяцам", Chart.COLUMNS)
    assert spec.labels == ("Март 2026", "Апрель 2026", "Май 2026", "Июнь 2026")
    # April's hours are made of two approved rows: no bar, "< 5"; March, the smallest other
    # month, is withheld with it and drawn the same way. Hours keep their decimal below 100
    # (whole hours above, so that twelve labels fit).
    assert spec.values == (0, 0, 0.0, 1234.25) and spec.hidden == (True, True, False, False)
    assert [text.replace("\xa0", " ") for text in spec.texts] == ["< 5", "< 5", "0,0", "1 234"]
    assert spec.note == ("«< 5»: часы менее чем 5 утверждённых записей, или скрыты, "
                         "чтобы их нельзя было вычислить")
    png = charts.render_png(spec)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and Image.open(io.BytesIO(png)).size == (1080, 810)
    assert 10_000 < len(png) < 500_000
