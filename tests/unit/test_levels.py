"""Levels (bot/domain/levels.py) and certificate codes and periods (bot/domain/certificates.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.domain.certificates import (
    ALPHABET,
    PeriodChoice,
    code_from_deep_link,
    new_code,
    normalize_code,
    period_for,
)
from bot.domain.levels import LEVELS, level_for, progress, raised


@pytest.mark.parametrize(("hours", "tasks", "code"), [
    (0, 0, "newcomer"),
    (9.99, 50, "newcomer"),  # both thresholds are needed
    (10, 2, "newcomer"),
    (10, 3, "active"),
    (49.5, 40, "active"),
    (50, 10, "experienced"),
    (149.999, 30, "mentor"),  # stored hours are rounded to 2 decimals: 150
    (149.99, 30, "experienced"),
    (150, 29, "experienced"),
    (150, 30, "mentor"),
    (10_000, 1_000, "mentor"),
])
def test_level_needs_hours_and_tasks(hours: float, tasks: int, code: str) -> None:
    assert level_for(hours, tasks).code == code


def test_levels_rise_in_both_thresholds() -> None:
    assert [level.rank for level in LEVELS] == list(range(len(LEVELS)))
    for lower, higher in zip(LEVELS, LEVELS[1:], strict=False):
        assert lower.min_hours < higher.min_hours and lower.min_tasks < higher.min_tasks


def test_progress_says_what_is_left() -> None:
    ahead = progress(38, 8)
    assert ahead.level.code == "active" and ahead.next is not None and ahead.next.code == "experienced"
    assert (ahead.hours_left, ahead.tasks_left) == (12, 2)
    only_tasks = progress(60, 4)
    assert only_tasks.next is not None and (only_tasks.hours_left, only_tasks.tasks_left) == (0, 6)
    top = progress(200, 40)
    assert top.level.code == "mentor" and top.next is None
    assert raised(LEVELS[0], LEVELS[1]) and not raised(LEVELS[2], LEVELS[1]) and not raised(LEVELS[1], LEVELS[1])


def test_codes_are_random_readable_and_read_loosely() -> None:
    codes = {new_code() for _ in range(2000)}
    assert len(codes) == 2000
    code = codes.pop()
    assert code.startswith("C-") and len(code) == 16 and code.count("-") == 3
    assert all(ch in ALPHABET for ch in code[2:].replace("-", ""))
    assert normalize_code(code.lower()) == code
    assert normalize_code(" " + code.replace("-", " ") + " ") == code
    assert normalize_code("c-1o1o-2345-6789") == "C-1010-2345-6789"  # O for 0
    assert normalize_code("C-ilIL-2345-6789") == "C-1111-2345-6789"  # I and L for 1
    for bad in ("", "C-7KQ4-9WXM", "C-7KQ4-9WXM-3PRTX", "D-7KQ4-9WXM-3PRT", "C-7KQ4-9WXM-3PRU", "<b>",
                "C-" + "7" * 5000):
        assert normalize_code(bad) is None
    assert code_from_deep_link("cert_" + code) == code
    assert code_from_deep_link("ci_" + code) is None


def test_periods_are_local_years() -> None:
    now = datetime(2026, 1, 1, 0, 30, tzinfo=ZoneInfo("Asia/Almaty"))
    this = period_for(PeriodChoice.THIS_YEAR, now)
    assert this.key == "2026" and this.since == now.replace(minute=0) and this.until is not None
    assert this.until.year == 2027
    last = period_for(PeriodChoice.LAST_YEAR, now)
    assert last.key == "2025" and last.since is not None and last.since.year == 2025 and last.until == this.since
    assert period_for(PeriodChoice.ALL_TIME, now).key == "all"


def test_org_name_setting(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001 - pytest's Path
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("ORG_NAME", raising=False)
    assert load_settings().org_name == "Birge"
    monkeypatch.setenv("ORG_NAME", "  «Қамқор»   қоғамдық қоры ")
    assert load_settings().org_name == "«Қамқор» қоғамдық қоры"
    for bad in ("   ", "x" * 101, "Birge\x07"):
        monkeypatch.setenv("ORG_NAME", bad)
        with pytest.raises(ConfigError, match="ORG_NAME"):
            load_settings()
