"""Administration: coordinator invites (invites.py), the list of roles and the audit
log (lists.py); and the invite deep link anyone may open (claim.py).

Two sibling routers under one parent: the invite claim (public, checked first so only
`inv_` payloads are taken from /start) and the admin panel, guarded for every update by
`RequireRole(admin=True)` (handlers/access_guard.py), so a forged button or a typed
/admin from a non-admin is refused politely and written to the audit log.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter

from handlers.access_guard import RequireRole
from handlers.admin import invites, lists
from handlers.admin.claim import build_invite_claim_router
from handlers.admin.invites import InviteDialog
from handlers.admin.menu import admin_button, admin_command, back_to_menu, unknown_admin_button
from handlers.callbacks import AdminCb, MenuCb, NavCb


def _action(name: str) -> dict[str, str]:
    return {"action": name}


def _build_admin_panel_router() -> Router:
    router = Router(name="admin-panel")
    guard = RequireRole(admin=True, dialogs=(InviteDialog,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    on_button, on_message = router.callback_query.register, router.message.register
    on_message(admin_command, Command("admin"), flags=_action("admin.menu"))
    on_button(admin_button, MenuCb.filter(F.action == "admin"), flags=_action("admin.menu"))
    on_button(back_to_menu, AdminCb.filter(F.action == "menu"), flags=_action("admin.menu"))
    # Invite a coordinator: region -> organisation (or skip) -> link.
    on_button(invites.start_invite, AdminCb.filter(F.action == "invite"), flags=_action("admin.invite"))
    on_button(invites.pick_region, AdminCb.filter(F.action == "region"), flags=_action("admin.invite"))
    on_button(invites.back_from_region, NavCb.filter(F.action == "back"), StateFilter(InviteDialog.region),
              flags=_action("admin.invite"))
    on_button(invites.back_from_organisation, NavCb.filter(F.action == "back"),
              StateFilter(InviteDialog.organisation), flags=_action("admin.invite"))
    on_button(invites.skip_organisation, AdminCb.filter(F.action == "skip"), flags=_action("admin.invite.create"))
    on_message(invites.type_organisation, StateFilter(InviteDialog.organisation), F.text,
               flags=_action("admin.invite.create"))
    on_message(invites.organisation_not_text, StateFilter(InviteDialog.organisation),
               flags=_action("admin.invite.create"))
    on_message(invites.region_typed, StateFilter(InviteDialog.region), flags=_action("admin.invite"))
    on_button(lists.show_grants, AdminCb.filter(F.action == "grants"), flags=_action("admin.grants"))
    on_button(lists.show_audit, AdminCb.filter(F.action == "audit"), flags=_action("admin.audit"))
    on_button(unknown_admin_button, AdminCb.filter(), flags=_action("admin.unknown"))
    return router


def build_admin_router() -> Router:
    router = Router(name="admin")
    router.include_routers(build_invite_claim_router(), _build_admin_panel_router())
    return router


__all__ = ["InviteDialog", "build_admin_router"]
