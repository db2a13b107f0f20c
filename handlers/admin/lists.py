"""What admins can read: the granted roles and the recent audit log, each in one message."""

from __future__ import annotations

from collections import defaultdict

from aiogram import html
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.access.roles import ADMIN, AccessService
from bot.domain.catalog import REGION_BY_CODE
from bot.infra.i18n import LocalTime
from handlers.admin.menu import back_to_menu_keyboard
from handlers.ui import show

AUDIT_ENTRIES_SHOWN = 20
# Leave room under Telegram's 4096 for the heading and the "...and N more" line.
LIST_TEXT_BUDGET = 3800


async def show_grants(query: CallbackQuery, access: AccessService) -> None:
    await query.answer()
    await show(query, await _grants_text(access), back_to_menu_keyboard())


async def show_audit(query: CallbackQuery, access: AccessService, local_time: LocalTime, locale: str) -> None:
    await query.answer()
    await show(query, await _audit_text(access, local_time, locale), back_to_menu_keyboard())


async def _grants_text(access: AccessService) -> str:
    grants = await access.all_grants()
    admins = sorted(access.admin_ids | {g.telegram_id for g in grants if g.role == ADMIN})
    coordinators: dict[int, list[str]] = defaultdict(list)
    for grant in grants:
        if grant.role == ADMIN:
            continue
        region = REGION_BY_CODE.get(grant.region)
        entry = html.quote(_(region.name)) if region else html.quote(grant.region)
        if grant.organisation:
            entry += " (" + html.quote(grant.organisation) + ")"
        coordinators[grant.telegram_id].append(entry)

    lines = ["👥 <b>" + _("Coordinators and admins") + "</b>", "", "<b>" + _("Administrators") + "</b>"]
    for admin_id in admins:
        mark = " (ADMIN_IDS)" if admin_id in access.admin_ids else ""
        lines.append(f"• <code>{admin_id}</code>{mark}")
    lines += ["", "<b>" + _("Coordinators") + "</b>"]
    if not coordinators:
        lines.append(_("No coordinators yet. Use “Invite a coordinator” to add one."))
    items = [f"• <code>{user_id}</code>: " + ", ".join(regions) for user_id, regions in sorted(coordinators.items())]
    return _fit(lines, items)


async def _audit_text(access: AccessService, local_time: LocalTime, locale: str) -> str:
    entries = await access.recent_audit(AUDIT_ENTRIES_SHOWN)
    lines = ["📜 <b>" + _("Recent audit log") + "</b>", ""]
    if not entries:
        lines.append(_("The audit log is empty."))
    items = []
    for entry in entries:
        mark = "✅" if entry.allowed else "⛔"
        actor = f"<code>{entry.actor_telegram_id}</code>" if entry.actor_telegram_id is not None else "CLI"
        target = f" → {html.quote(entry.target[:40])}" if entry.target else ""
        when = html.quote(local_time.datetime(entry.at, locale, fmt="short"))
        items.append(f"{mark} {when} · {actor} · {html.quote(entry.action)}{target}")
    return _fit(lines, items)


def _fit(head: list[str], items: list[str]) -> str:
    """Head lines plus as many items as fit in one message, then "...and N more"."""
    text = "\n".join(head)
    for shown, item in enumerate(items):
        if len(text) + 1 + len(item) > LIST_TEXT_BUDGET:
            rest = len(items) - shown
            return text + "\n" + ngettext("…and {count} more entry", "…and {count} more entries", rest).format(count=rest)
        text += "\n" + item
    return text
