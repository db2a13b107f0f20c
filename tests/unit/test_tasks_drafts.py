"""The pure rules of a task draft: typed local times to UTC, and the field limits."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.tasks import drafts
from bot.tasks.drafts import TaskDraft, TimeError

TZ = ZoneInfo("Asia/Almaty")  # UTC+5
NOW = datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc)  # 11:00 local, Monday


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("05.03.2026 10:00", utc(2026, 3, 5, 5, 0)),
        ("5.3.2026 9:30", utc(2026, 3, 5, 4, 30)),
        ("05.03 10:00", utc(2026, 3, 5, 5, 0)),  # this year
        ("02.03 12:00", utc(2026, 3, 2, 7, 0)),  # later today
        ("02.03 10:00", utc(2027, 3, 2, 5, 0)),  # passed an hour ago: next year
        ("01.03 10:00", utc(2027, 3, 1, 5, 0)),
        ("  05/03/26  10.00 ", utc(2026, 3, 5, 5, 0)),
    ],
)
def test_start_in_local_time(text: str, expected: datetime) -> None:
    assert drafts.parse_start(text, NOW, TZ) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("завтра", TimeError.FORMAT),
        ("05.03.2026", TimeError.FORMAT),
        ("", TimeError.FORMAT),
        ("02.03.2026 10:59", TimeError.PAST),
        ("01.01.2020 10:00", TimeError.PAST),
        ("31.02 10:00", TimeError.NO_SUCH_DATE),
        ("05.03 25:00", TimeError.NO_SUCH_DATE),
        ("05.13.2026 10:00", TimeError.NO_SUCH_DATE),
        ("05.03.2028 10:00", TimeError.TOO_FAR),
    ],
)
def test_bad_starts(text: str, code: str) -> None:
    with pytest.raises(TimeError) as caught:
        drafts.parse_start(text, NOW, TZ)
    assert caught.value.code == code


def test_29_february_without_a_year_goes_to_the_next_leap_year_only_if_it_exists() -> None:
    with pytest.raises(TimeError) as caught:
        drafts.parse_start("29.02 10:00", NOW, TZ)  # 2027 has none either
    assert caught.value.code == TimeError.NO_SUCH_DATE
    assert drafts.parse_start("29.02.2028 10:00", NOW + timedelta(days=365), TZ) == utc(2028, 2, 29, 5, 0)


def test_end_same_day_or_full_date() -> None:
    start = utc(2026, 3, 5, 5, 0)  # 10:00 local
    assert drafts.parse_end("14:00", start, TZ) == utc(2026, 3, 5, 9, 0)
    assert drafts.parse_end("06.03 09:00", start, TZ) == utc(2026, 3, 6, 4, 0)
    assert drafts.parse_end("06.03.2026 09:00", start, TZ) == utc(2026, 3, 6, 4, 0)
    for text, code in [("09:00", TimeError.BEFORE_START), ("10:00", TimeError.BEFORE_START),
                       ("04.03 12:00", TimeError.BEFORE_START), ("25.03 10:00", TimeError.TOO_LONG),
                       ("later", TimeError.FORMAT), ("24:00", TimeError.NO_SUCH_DATE)]:
        with pytest.raises(TimeError) as caught:
            drafts.parse_end(text, start, TZ)
        assert caught.value.code == code, text


def test_end_without_a_year_across_new_year() -> None:
    start = utc(2026, 12, 31, 15, 0)  # 20:00 local on 31 December
    assert drafts.parse_end("01.01 02:00", start, TZ) == utc(2026, 12, 31, 21, 0)


def test_field_limits() -> None:
    assert drafts.parse_title("  Уборка   парка ") == "Уборка парка"
    assert drafts.parse_title("ab") is None and drafts.parse_title("x" * 201) is None
    assert drafts.parse_title("!!!") is None and drafts.parse_title("x" * 200) == "x" * 200
    assert drafts.parse_description("a\n\n\n\nb") == "a\n\nb"
    assert drafts.parse_description("x" * 2001) is None and drafts.parse_description("   ") is None
    assert drafts.parse_place("ул. Абая, 10") == "ул. Абая, 10" and drafts.parse_place("x") is None
    assert [drafts.parse_slots(v) for v in ("1", "500", "0", "501", "10000", "-3", "2.5", "десять")] == \
        [1, 500, None, None, None, None, None, None]
    assert [drafts.parse_min_age(v) for v in ("7", "100", "6", "101", "x")] == [7, 100, None, None, None]
    assert drafts.parse_message("  hi  ") == "hi"
    assert drafts.parse_message(" ") is None
    assert drafts.parse_message("x" * 3000) == "x" * 3000 and drafts.parse_message("x" * 3001) is None
    assert drafts.parse_message("😀" * 1500) is not None and drafts.parse_message("😀" * 1501) is None  # UTF-16


def test_draft_round_trip_and_completeness() -> None:
    draft = TaskDraft(region="KZ-75", title="Уборка", direction="ecology", latitude=43.2, longitude=76.9,
                      starts_at=utc(2026, 3, 5, 5), ends_at=utc(2026, 3, 5, 9), slots=3,
                      required_skills=["it", "medical", "forged"])
    again = TaskDraft.from_data(draft.to_data())
    assert again.starts_at == draft.starts_at and again.required_skills == ["medical", "it"]
    assert again.complete and again.min_age == 16
    assert TaskDraft(region="KZ-00").missing() == ["region", "title", "direction", "place", "starts_at",
                                                   "ends_at", "slots"]
