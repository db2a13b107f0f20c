"""/reconnection for coordinators (admins: every region): how many requests are in
each state in their regions, and the cases that need help (name, place, the person's
message). Never a list of phone numbers."""

from __future__ import annotations

import html

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import UserRoles
from bot.domain.reconnection import RequestStatus
from bot.reconnection.checkins import SafetyCheckinService
from bot.reconnection.notify import Notifier
from bot.reconnection.overview import Overview
from handlers.access_guard import RequireRole
from handlers.reconnection.common import region_name


async def overview_command(message: Message, roles: UserRoles, overview: Overview, notifier: Notifier,
                           safety_checkins: SafetyCheckinService, locale: str) -> None:
    regions = None if roles.is_admin else sorted(roles.coordinator_regions)
    counts, needing = await overview.of(regions)
    lines = ["<b>" + _("Family reconnection") + "</b>"]
    for status in RequestStatus:
        lines.append(f"{notifier.status_name(status, locale)}: {counts.get(status, 0)}")
    if needing:
        lines += ["", "<b>" + _("Need help:") + "</b>"]
        for request in needing:
            place = ", ".join(p for p in (request.city, region_name(request.region)) if p)
            line = f"• {html.escape(request.full_name)}, {html.escape(place)}"
            if request.note:
                line += " — «" + html.escape(request.note) + "»"
            lines.append(line)
    rounds = await safety_checkins.latest(regions)
    if rounds:
        lines += ["", "<b>" + _("“Are you safe?” check-in:") + "</b>"]
        for count in rounds:
            lines.append(_("{region}: safe {safe}, need help {help}, no answer {no_answer}").format(
                region=region_name(count.region), safe=count.safe, help=count.help, no_answer=count.no_answer))
    await message.answer("\n".join(lines))


def build_reconnection_coordinator_router() -> Router:
    router = Router(name="reconnection-coordinator")
    guard = RequireRole(coordinator=True, action="reconnection.overview")
    router.message.middleware(guard)
    router.message.register(overview_command, Command("reconnection"))
    return router
