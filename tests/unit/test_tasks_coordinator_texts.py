"""Coordinator screens that are hard to reach end to end: a roster longer than one
message, phones hidden, and what Send reports for each kind of broadcast plan."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from bot.infra.i18n import LocalTime, make_i18n
from handlers.coordinator.mytasks.screens import broadcast_text, roster_text

NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def english():  # noqa: ANN201
    i18n = make_i18n("en")
    with i18n.context(), i18n.use_locale("en"):
        yield i18n


def row(number: int, status: str = "going") -> SimpleNamespace:
    return SimpleNamespace(volunteer_id=number, full_name=f"<Volunteer> & {number:03d}", phone=f"+7701000{number:04d}",
                           status=status, signed_up_at=NOW)


def test_a_long_roster_fits_one_message(english) -> None:  # noqa: ANN001
    task = SimpleNamespace(title="Big <event>", slots=500)
    rows = [row(n) for n in range(1, 481)] + [row(n, "waitlisted") for n in range(481, 521)]
    text = roster_text(task, rows, phones=True)
    assert len(text) < 4096
    assert "1. &lt;Volunteer&gt; &amp; 001 — +7 701 000 00 01" in text  # HTML source: escaped
    assert text.splitlines()[-1].startswith("…and ") and text.splitlines()[-1].endswith(" more entries")
    hidden = roster_text(task, rows[:3] + rows[-2:], phones=False)
    assert "+7 701" not in hidden and "+7701" not in hidden and "&lt;Volunteer&gt; &amp; 520" in hidden


@dataclass
class Plan:
    queued: int = 0
    already_offered: int = 0
    capped: int = 0
    send_at: datetime | None = None
    held: bool = False
    reason: str | None = None


def test_what_send_reports(english) -> None:  # noqa: ANN001
    local_time = LocalTime(ZoneInfo("Asia/Almaty"))
    assert broadcast_text(Plan(queued=1), local_time, "en") == "📣 Sending the task to 1 volunteer."
    held = broadcast_text(Plan(queued=3, capped=2, held=True, send_at=NOW + timedelta(hours=10)), local_time, "en")
    assert held.splitlines() == [
        "📣 Sending the task to 3 volunteers.",
        "It is quiet hours now: the cards go out at 02.03.2026, 21:00.",
        "2 volunteers have already had today's maximum of task offers and are skipped.",
    ]
    assert broadcast_text(Plan(already_offered=4), local_time, "en") == \
        "The task has already been sent to the matching volunteers."
    assert broadcast_text(Plan(), local_time, "en").startswith("No volunteers match this task yet.")
    assert broadcast_text(Plan(reason="closed"), local_time, "en") == "This task is not open, so it cannot be sent."
