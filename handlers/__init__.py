"""The handlers: one subpackage per role (common, volunteer, coordinator, admin), the
field mechanism (fields/) and the UI pieces every screen shares (ui.py, keyboards.py,
callbacks.py, access_guard.py, people_text.py).

`build_routers()` is the router tree in the order updates try it; routers are built
fresh for each dispatcher (a Router can be attached to one dispatcher only, and tests
build many). Handlers are module-level functions with what they need as typed
parameters; each module's `build_*_router` only registers them."""

from __future__ import annotations

from aiogram import Router

from handlers.admin.router import build_admin_router
from handlers.common.cancel import build_cancel_router
from handlers.common.emergency import build_emergency_info_router
from handlers.common.errors import build_errors_router
from handlers.common.fallback import build_fallback_router
from handlers.common.help import build_help_router
from handlers.common.start import build_start_router
from handlers.common.verify import build_verify_router
from handlers.coordinator.attendance import build_attendance_router
from handlers.coordinator.callout.router import build_callout_router
from handlers.coordinator.emergency import build_emergency_router
from handlers.coordinator.lifecycle import build_lifecycle_router
from handlers.coordinator.mytasks.router import build_mytasks_router
from handlers.coordinator.newtask.router import build_newtask_router
from handlers.coordinator.stats.router import build_stats_router
from handlers.coordinator.walkins import build_walkins_router
from handlers.reconnection.router import build_group_routers, build_reconnection_routers
from handlers.volunteer.callout_card import build_callout_card_router
from handlers.volunteer.certificate import build_certificate_router
from handlers.volunteer.checkin import build_checkin_router
from handlers.volunteer.profile.router import build_profile_router
from handlers.volunteer.registration.router import build_registration_router
from handlers.volunteer.reminders import build_reminders_router
from handlers.volunteer.task_card import build_task_card_router
from handlers.volunteer.tasks import build_volunteer_tasks_router


def build_routers() -> list[Router]:
    return [
        build_errors_router(),
        *build_group_routers(),  # in group chats only the reconnection feature answers
        build_cancel_router(),  # /cancel wins in every dialog
        build_admin_router(),  # deep links with invite codes come before a plain /start
        *build_reconnection_routers(),  # /find, /safe (and their deep links), /myrequests, /calls
        build_newtask_router(),
        build_attendance_router(),
        build_walkins_router(),
        build_mytasks_router(),
        build_stats_router(),
        build_lifecycle_router(),
        build_callout_router(),
        build_emergency_router(),
        build_emergency_info_router(),
        build_callout_card_router(),
        build_task_card_router(),
        build_reminders_router(),
        build_volunteer_tasks_router(),
        build_checkin_router(),  # /start ci_<code> before a plain /start
        build_verify_router(),  # /start cert_<code> too; /verify
        build_certificate_router(),
        build_start_router(),
        build_registration_router(),
        build_profile_router(),
        build_help_router(),
        build_fallback_router(),  # last: stale buttons and unexpected input
    ]
