"""Family reconnection: the rules with no I/O.

A *request* is one person to check on (their name, phone, region, the language to speak
to them); an *ask* is one requester's reference to it (their reference number, message,
relation). Two asks with the same normalised phone share one open request (merged).
A relay caller claims a request for CLAIM_MINUTES with one conditional update; the
outcome closes it, or ("no answer") puts it back in the queue after RETRY_MINUTES, at
most MAX_ATTEMPTS times."""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum

CLAIM_MINUTES = 20
RETRY_MINUTES = 30
MAX_ATTEMPTS = 5
MAX_MESSAGE_LENGTH = 500
MAX_RELATION_LENGTH = 60
MAX_NOTE_LENGTH = 300
MAX_OPEN_ASKS = 10  # open requests per requester
ASKS_PER_HOUR = 5  # new requests per requester in any hour
REFERENCE_PREFIX = "R-"
REFERENCE_BASE = 1000

CLAIM_TIME = timedelta(minutes=CLAIM_MINUTES)
RETRY_TIME = timedelta(minutes=RETRY_MINUTES)


class RequestStatus(StrEnum):
    OPEN = "open"  # in the queue (after "no answer", from next_call_at on)
    CLAIMED = "claimed"  # a caller holds it until claimed_until
    SAFE = "safe"  # reached and safe (or reported safe themselves)
    NEEDS_HELP = "needs_help"  # reached, needs help: the region's coordinators were alerted
    NOT_REACHED = "not_reached"  # MAX_ATTEMPTS calls without an answer
    WRONG_NUMBER = "wrong_number"
    WITHDRAWN = "withdrawn"  # every requester withdrew

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES: tuple[RequestStatus, ...] = (RequestStatus.OPEN, RequestStatus.CLAIMED)


class Outcome(StrEnum):
    """What a caller reports after the call."""

    SAFE = "safe"
    NEEDS_HELP = "help"
    NO_ANSWER = "noanswer"
    WRONG_NUMBER = "wrong"


class SafeSource(StrEnum):
    CALLER = "caller"
    SELF_REPORT = "self"  # "/safe" by the person, matched by phone or confirmed by name


class MatchStatus(StrEnum):
    OFFERED = "offered"
    CONFIRMED = "confirmed"
    REJECTED = "rejected"


class CheckinAnswer(StrEnum):
    SAFE = "safe"
    HELP = "help"


def status_after(outcome: Outcome, attempts_before: int) -> tuple[RequestStatus, int]:
    """The request's status and attempt count after a caller's outcome."""
    attempts = attempts_before + 1
    if outcome == Outcome.SAFE:
        return RequestStatus.SAFE, attempts
    if outcome == Outcome.NEEDS_HELP:
        return RequestStatus.NEEDS_HELP, attempts
    if outcome == Outcome.WRONG_NUMBER:
        return RequestStatus.WRONG_NUMBER, attempts
    if attempts >= MAX_ATTEMPTS:
        return RequestStatus.NOT_REACHED, attempts
    return RequestStatus.OPEN, attempts


def reference(ask_id: int) -> str:
    """Short and readable over the phone: R-1001, R-4821."""
    return f"{REFERENCE_PREFIX}{REFERENCE_BASE + ask_id}"


def ask_id_of(reference_text: str) -> int | None:
    text = reference_text.strip().upper().replace(" ", "")
    for prefix in (REFERENCE_PREFIX, "R", "Р-", "Р"):  # Latin or Cyrillic R
        if text.startswith(prefix) and text[len(prefix):].isdigit():
            number = int(text[len(prefix):]) - REFERENCE_BASE
            return number if number > 0 else None
    return None


def mask_phone(e164: str | None) -> str:
    """A phone shown to its own requester: the last two digits only (+7 *** *** ** 67)."""
    if not e164:
        return "—"
    return "+" + "•" * 3 + " " + e164[-2:]


def phone_digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def looks_like_phone(text: str) -> bool:
    """A group message that seems to carry a phone number (10+ digits in a run of
    digits, spaces, dashes, brackets)."""
    run = 0
    best = 0
    for ch in text:
        if ch.isdigit():
            run += 1
        elif ch in " -()+.\u00a0" and run:
            continue
        else:
            best = max(best, run)
            run = 0
    return max(best, run) >= 10


_PHONE_RUN = re.compile(r"\+?\d[\d \-().\u00a0]{8,}\d")


def without_phones(text: str) -> str:
    """`text` with every phone-like run (10+ digits) replaced by "…" (a case's words
    quoted to many people never carry a number)."""
    return _PHONE_RUN.sub(lambda m: "…" if len(phone_digits(m.group())) >= 10 else m.group(), text)
