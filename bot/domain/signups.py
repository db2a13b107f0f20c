"""A volunteer's place on a task: its statuses, and what a press on a task card can come to.

A sign-up holds a place while going or offered (a freed place held for a promoted
waitlister); it is active (the person has something on this task) while it holds a place
or waits on the waitlist."""

from __future__ import annotations

from enum import StrEnum


class SignupStatus(StrEnum):
    GOING = "going"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # promoted from the waitlist, holds a place until confirmed or expired
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # a promoted waitlister who did not confirm in time
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    @property
    def holds_slot(self) -> bool:
        return self in HOLDS_SLOT

    @property
    def is_active(self) -> bool:
        return self in ACTIVE_SIGNUPS


# Tuples for SQL (`Signup.status.in_(...)`) and for `status in ...` on values that may be None.
HOLDS_SLOT: tuple[SignupStatus, ...] = (SignupStatus.GOING, SignupStatus.OFFERED)
ACTIVE_SIGNUPS: tuple[SignupStatus, ...] = (*HOLDS_SLOT, SignupStatus.WAITLISTED)


class OfferResponse(StrEnum):
    """What a volunteer answered to a task card (`task_offers.response`)."""

    GOING = "going"
    WAITLISTED = "waitlisted"
    DECLINED = "declined"


class Outcome(StrEnum):
    """What a press on a task card (or in /my) came to."""

    GOING = "going"  # a place was taken
    WAITLISTED = "waitlisted"
    CONFIRMED = "confirmed"  # a promoted waitlister confirmed
    DECLINED = "declined"
    CANCELLED = "cancelled"
    ALREADY = "already"  # a repeated press: they already have this
    FULL = "full"  # no place left (may join the waitlist)
    FREE = "free"  # joining the waitlist while a place is free: take the place instead
    CLOSED = "closed"  # cancelled, done or started
    NOT_OFFERED = "not_offered"  # not sent to them and not eligible
    BUSY = "busy"  # holds a place on an overlapping task
    EXPIRED = "expired"  # a promotion not confirmed in time
    NOT_SIGNED_UP = "not_signed_up"
    NOT_REGISTERED = "not_registered"
    MISSING = "missing"  # no such task
