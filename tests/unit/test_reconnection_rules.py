"""The reconnection rules with no I/O: outcomes, reference numbers, masking, phones in
group messages."""

from __future__ import annotations

import pytest

from bot.domain.reconnection import (
    MAX_ATTEMPTS,
    Outcome,
    RequestStatus,
    ask_id_of,
    looks_like_phone,
    mask_phone,
    reference,
    status_after,
)


@pytest.mark.parametrize(("outcome", "status"), [
    (Outcome.SAFE, RequestStatus.SAFE), (Outcome.NEEDS_HELP, RequestStatus.NEEDS_HELP),
    (Outcome.WRONG_NUMBER, RequestStatus.WRONG_NUMBER), (Outcome.NO_ANSWER, RequestStatus.OPEN),
])
def test_an_outcome_counts_an_attempt_and_sets_the_status(outcome: Outcome, status: RequestStatus) -> None:
    assert status_after(outcome, 0) == (status, 1)


def test_the_fifth_no_answer_closes_the_request() -> None:
    assert status_after(Outcome.NO_ANSWER, MAX_ATTEMPTS - 2) == (RequestStatus.OPEN, MAX_ATTEMPTS - 1)
    assert status_after(Outcome.NO_ANSWER, MAX_ATTEMPTS - 1) == (RequestStatus.NOT_REACHED, MAX_ATTEMPTS)


def test_reference_numbers_read_back_in_latin_or_cyrillic() -> None:
    assert reference(1) == "R-1001" and reference(3821) == "R-4821"
    assert ask_id_of("R-4821") == 3821 and ask_id_of("р-4821") == 3821 and ask_id_of("r 1001") == 1
    assert ask_id_of("R-999") is None and ask_id_of("4821") is None and ask_id_of("R-abc") is None


def test_a_phone_is_shown_to_its_requester_masked() -> None:
    assert mask_phone("+77015551234") == "+••• 34"
    assert "555" not in mask_phone("+77015551234")


@pytest.mark.parametrize(("text", "phone"), [
    ("Позвоните маме +7 701 555 66 77, она в Алматы", True),
    ("87015556677", True),
    ("тел. 8 (701) 555-66-77", True),
    ("Спасибо всем!", False),
    ("R-4821: reached, safe", False),
    ("встреча в 10:30, 12 человек", False),
])
def test_phones_in_group_messages_are_noticed(text: str, phone: bool) -> None:
    assert looks_like_phone(text) is phone
