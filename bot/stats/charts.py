"""Charts as PNG images, readable on a phone: 1080 px wide, large type, the person's
language. Drawn with matplotlib's Agg backend (object API, no pyplot state) in one
worker thread, so the event loop keeps answering while a chart renders."""

from __future__ import annotations

import asyncio
import io
import textwrap
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

import matplotlib

matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from bot.domain.statistics import SUPPRESSED  # noqa: E402
from bot.stats.figures import Chart, Kind, Row  # noqa: E402
from bot.stats.format import CHART_NOTES, Translate, number, row_label, row_text  # noqa: E402
from bot.stats.service import StatsResult  # noqa: E402

_In = TypeVar("_In")
_Out = TypeVar("_Out")

WIDTH_PX = 1080
HEIGHT_PX = 810
DPI = 100
COLOUR = "#2a7ab0"


@dataclass(frozen=True, slots=True)
class ChartSpec:
    key: str  # the breakdown's key
    title: str
    labels: tuple[str, ...]
    values: tuple[float, ...]  # counts or hours; 0 where hidden
    hidden: tuple[bool, ...]  # drawn as "< 5" with no bar
    kind: Chart
    note: str = ""  # under the chart
    texts: tuple[str, ...] = ()  # the values as written over the bars (default: the counts)

    def value_texts(self) -> tuple[str, ...]:
        if self.texts:
            return self.texts
        return tuple(SUPPRESSED if hidden else f"{value:,.0f}".replace(",", " ")
                     for value, hidden in zip(self.values, self.hidden, strict=True))


def chart_specs(result: StatsResult, locale: str, tr: Translate) -> list[ChartSpec]:
    """A chart for each breakdown that asks for one, in section order."""
    specs = []
    for breakdown in result.breakdowns():
        if breakdown.chart is None:
            continue
        rows = breakdown.rows
        specs.append(ChartSpec(
            key=breakdown.key, title=tr(breakdown.title), kind=breakdown.chart,
            labels=tuple(row_label(breakdown, row, locale, tr) for row in rows),
            values=tuple(0 if row.hidden else row.value for row in rows),
            hidden=tuple(row.hidden for row in rows),
            texts=tuple(_value_text(row, locale, breakdown.kind) for row in rows),
            note=tr(CHART_NOTES[breakdown.kind]).format(suppressed=SUPPRESSED)
            if any(row.hidden for row in rows) else ""))
    return specs


def _value_text(row: Row, locale: str, kind: Kind) -> str:
    """As in the tables, but hours from 100 up in whole hours: a twelve-month chart has
    about 80 px per column."""
    if kind is Kind.HOURS and not row.hidden and row.value >= 100:
        return number(row.value, locale)
    return row_text(row, locale, kind)


def render_png(spec: ChartSpec) -> bytes:
    """The chart as PNG bytes, WIDTH_PX x HEIGHT_PX."""
    # Fixed margins, not a layout engine: a layout engine draws the figure twice.
    figure = Figure(figsize=(WIDTH_PX / DPI, HEIGHT_PX / DPI), dpi=DPI)
    canvas = FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    axes.set_title(spec.title, fontsize=28, pad=18)
    positions = list(range(len(spec.values)))
    top = max(spec.values, default=0) or 1
    if spec.kind is Chart.BARS:
        labels = [textwrap.fill(label, 22) for label in spec.labels]
        axes.barh(positions, spec.values, color=COLOUR)
        axes.set_yticks(positions, labels, fontsize=18)
        # The names' column as wide as the widest name, measured (no full draw needed).
        renderer = canvas.get_renderer()
        widest = max((label.get_window_extent(renderer).width for label in axes.get_yticklabels()), default=0)
        figure.subplots_adjust(left=min(0.5, (widest + 30) / WIDTH_PX), right=0.97, top=0.9,
                               bottom=0.14 if spec.note else 0.08)
        axes.invert_yaxis()
        axes.set_xlim(0, top * 1.18)
        axes.tick_params(axis="x", labelsize=16)
        axes.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        for position, value, text in zip(positions, spec.values, spec.value_texts(), strict=True):
            axes.text(value + top * 0.01, position, text, va="center", fontsize=18)
    else:
        step = max(1, len(positions) // 12)  # at most 12 month names under the axis
        slanted = len(positions) > 6  # long month names would run into each other
        bottom = (0.27 if slanted else 0.15) + (0.04 if spec.note else 0)
        figure.subplots_adjust(left=0.1, right=0.98, top=0.9, bottom=bottom)
        axes.bar(positions, spec.values, color=COLOUR)
        names = spec.labels if slanted else tuple(label.replace(" ", "\n", 1) for label in spec.labels)
        axes.set_xticks(positions[::step], names[::step], fontsize=15 if slanted else 16,
                        rotation=40 if slanted else 0, ha="right" if slanted else "center",
                        rotation_mode="anchor")
        axes.set_ylim(0, top * 1.15)
        axes.tick_params(axis="y", labelsize=16)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=6))
        if len(positions) <= 18:
            for position, value, text in zip(positions, spec.values, spec.value_texts(), strict=True):
                axes.text(position, value + top * 0.01, text, ha="center", va="bottom",
                          fontsize=16 if len(positions) <= 8 else 13)  # a year's "123 456" side by side
    axes.spines[["top", "right"]].set_visible(False)
    if spec.note:
        figure.text(0.98, 0.02, spec.note, ha="right", va="bottom", fontsize=15, color="#555555")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


class ChartRenderer:
    """Renders charts in one worker thread (matplotlib objects never cross threads)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="charts")

    async def render(self, specs: list[ChartSpec]) -> list[bytes]:
        loop = asyncio.get_running_loop()
        return [await loop.run_in_executor(self._pool, render_png, spec) for spec in specs]

    async def run(self, function: Callable[[_In], _Out], argument: _In) -> _Out:
        """Another matplotlib drawing (a certificate's PDF) in the same worker thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, function, argument)

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
