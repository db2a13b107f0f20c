"""Check-in by QR code and deep link, attendance, hours, thanks and ratings.

- checkin.py: the task's check-in code, checking in and out, the roster's hand marks;
- hours.py: attendance written at each task's end (a scheduler job), hours approved or
  corrected by the coordinator, the volunteer's totals, the thank-you and the rating;
- walkins.py: scans by people not signed up, accepted (present) or dismissed by the coordinator.

The rules (window, outcome, hours, "has the task ended") are in bot/domain/attendance.py;
reliability for matching in bot/domain/eligibility.py."""

from bot.attendance.checkin import CheckinService, CheckResult
from bot.attendance.format import format_hours
from bot.attendance.hours import CLOSE_DUE_EVERY_SECONDS, HoursService, HoursSheet, Totals
from bot.attendance.walkins import WalkInService

__all__ = ["CLOSE_DUE_EVERY_SECONDS", "CheckResult", "CheckinService", "HoursService", "HoursSheet", "WalkInService",
           "Totals", "format_hours"]
