"""CallbackData factories shared by several routers. Only ids and codes go in here,
never text: callback_data is limited to 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class MenuCb(CallbackData, prefix="menu"):
    action: str  # profile | language | help | admin | newtask | mytasks | tasks | my


class NavCb(CallbackData, prefix="nav"):
    action: str  # back | cancel


class PickCb(CallbackData, prefix="pick"):
    """A choice inside a dialog: field is the step (region, directions...), code the value;
    code "done" finishes a multi-select, "skip" skips an optional step."""

    field: str
    code: str


class TaskCb(CallbackData, prefix="tk"):
    """A coordinator's action on a task: ids only.

    action: list (page) | open | roster | msg | msg_send | time | place | cancel |
    cancel_yes | send | later"""

    action: str
    task_id: int = 0
    page: int = 0


class NewTaskCb(CallbackData, prefix="nt"):
    """Buttons of the /newtask dialog other than choices: confirm | edit | field (code =
    the field to edit) | preview (back to the preview)."""

    action: str
    code: str = ""


class AdminCb(CallbackData, prefix="adm"):
    """action: menu | invite | grants | audit | region (code = ISO region) | skip."""

    action: str
    code: str = ""


class StatsCb(CallbackData, prefix="st"):
    """/stats: action menu (the period picker) | period (p = a period code) | custom (type
    a range) | regions (the region list) | report (the file for p). r: "" for the default
    scope (a coordinator's regions, an admin's whole country) or one region's ISO code."""

    action: str
    p: str = ""
    r: str = ""


class EmergencyCb(CallbackData, prefix="em"):
    """declare | close (emergency_id) | close_yes (emergency_id) | declare_yes | skip_notes"""

    action: str
    emergency_id: int = 0


class CalloutCb(CallbackData, prefix="cod"):
    """Buttons of the /callout dialog: tpl (code = template) | region (code) | skip_place |
    skill (code) | skills_done | send | wait (cycle the wave wait) | night (wake everyone or not)."""

    action: str
    code: str = ""
