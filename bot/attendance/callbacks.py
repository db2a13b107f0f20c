"""The buttons of check-in and attendance (ids only: callback_data is limited to 64 bytes)."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class CheckinCb(CallbackData, prefix="ci"):
    """A volunteer's: leave (check out) | rate (stars 1-5)."""

    action: str
    task_id: int
    stars: int = 0


class AttendanceCb(CallbackData, prefix="att"):
    """A coordinator's: qr | roster | present | absent (volunteer_id) | hours | approve |
    fix (volunteer_id: correct one person's hours) | wi_ask_yes | wi_ask_no (a walk-in:
    confirm accepting / dismissing) | wi_yes | wi_no (accept / dismiss)."""

    action: str
    task_id: int
    volunteer_id: int = 0
    page: int = 0
