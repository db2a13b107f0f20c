"""`birge report --from 2026-01-01 --to 2026-06-30 [--region KZ-75] [--lang kk]
[--format xlsx|csv] --out report.xlsx`: the statistics report as a file."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from bot.config import Settings
from bot.domain.catalog import REGION_BY_CODE
from bot.infra.clock import Clock
from bot.infra.i18n import make_i18n
from bot.stats.charts import ChartRenderer
from bot.stats.periods import PeriodError, checked_range
from bot.stats.report import ReportFormat, build_report, translator
from bot.stats.service import StatsService
from storage.db import Database

PERIOD_ERRORS = {
    PeriodError.ORDER: "--to is before --from",
    PeriodError.FUTURE: "--from is in the future",
    PeriodError.TOO_LONG: "the period is longer than 10 years",
}


def _region(text: str | None) -> str | None:
    if text is None:
        return None
    code = text.strip().upper().replace("KZ", "KZ-", 1).replace("--", "-")
    if code not in REGION_BY_CODE:
        raise ValueError(f"--region: unknown region {text!r}; use an ISO 3166-2:KZ code such as KZ-75")
    return code


async def run_report_command(args: argparse.Namespace, settings: Settings, db: Database) -> int:
    clock = Clock()
    stats = StatsService(db, clock, settings.tz)
    try:
        first, last = date.fromisoformat(args.first), date.fromisoformat(args.last)
    except ValueError:
        print("Error: --from and --to must be dates as YYYY-MM-DD, e.g. 2026-01-01", file=sys.stderr)
        return 2
    try:
        region = _region(args.region)
        period = checked_range(first, last, stats.today())
    except PeriodError as error:
        print(f"Error: {PERIOD_ERRORS[error.reason]}", file=sys.stderr)
        return 2
    except ValueError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 2
    locale = args.lang or settings.default_locale
    result = await stats.compute(None if region is None else frozenset({region}), period)
    renderer = ChartRenderer()
    try:
        report = await build_report(result, locale, translator(make_i18n(settings.default_locale), locale), renderer,
                                    ReportFormat(args.fmt))
    finally:
        renderer.close()
    out = Path(args.out)
    out.write_bytes(report.content)
    print(f"Wrote {out} ({len(report.content):,} bytes).")
    return 0
