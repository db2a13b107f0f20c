"""The figures as one chat message (HTML), in the person's language."""

from __future__ import annotations

from html import escape

from bot.domain.statistics import SUPPRESSED
from bot.domain.texts import N_
from bot.stats.figures import Labels
from bot.stats.format import SUPPRESSED_NOTE, Translate, figure_text, period_text, regions_text, row_label, row_text
from bot.stats.service import StatsResult

# Breakdowns the chat shows as text (the months are a chart).
TEXT_BREAKDOWNS = ("by_direction", "by_region", "by_age", "by_language", "by_waves")


def stats_text(result: StatsResult, locale: str, tr: Translate) -> str:
    query = result.query
    lines = [
        "📊 <b>" + escape(regions_text(query.regions, tr)) + "</b>",
        escape(tr(N_("Period: {period}")).format(period=period_text(query.period, locale))),
    ]
    for section in result.sections:
        lines += ["", f"<b>{escape(tr(section.title))}</b>"]
        lines += [f"{escape(tr(figure.label))}: <b>{escape(figure_text(figure, locale))}</b>"
                  for figure in section.figures]
        for breakdown in section.breakdowns:
            if breakdown.key not in TEXT_BREAKDOWNS or breakdown.labels is not Labels.MSGID:
                continue
            rows = [row for row in breakdown.rows if row.value]
            if not rows or (query.regions is not None and len(query.regions) == 1 and breakdown.key == "by_region"):
                continue
            lines += ["", f"<i>{escape(tr(breakdown.title))}</i>"]
            lines += [f"{escape(row_label(breakdown, row, locale, tr))}: {escape(row_text(row, locale, breakdown.kind))}"
                      for row in rows]
    lines += ["", escape(tr(SUPPRESSED_NOTE)
                         .format(suppressed=SUPPRESSED))]
    return "\n".join(lines)
