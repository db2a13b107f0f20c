"""Administration: coordinator invites, the list of roles, the audit log; and the
invite deep link (`/start inv_<code>`) that anyone may open.

Two sibling routers under one parent: `invites` (public, checked first so only
`inv_` payloads are taken from /start) and `admin panel`, guarded for every update by
`RequireRole(admin=True)` (handlers/access_guard.py), so a forged button or a typed
/admin from a non-admin is refused politely and written to the audit log.
"""

from __future__ import annotations

import logging
from collections import defaultdict

from aiogram import Bot, F, Router, html
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.menus import MenuService
from bot.access.roles import (
    ADMIN,
    INVITE_PREFIX,
    MAX_ORGANISATION_LENGTH,
    AccessService,
    parse_organisation,
)
from bot.config import Settings
from bot.domain.catalog import REGION_BY_CODE, REGIONS
from bot.infra.i18n import LocalTime
from bot.volunteers.service import VolunteerService
from handlers.access_guard import RequireRole
from handlers.callbacks import MenuCb, NavCb
from handlers.common.menu import send_main_menu
from handlers.keyboards import nav_buttons
from handlers.ui import answer_stale, drop_keyboard_of, show

log = logging.getLogger(__name__)

AUDIT_ENTRIES_SHOWN = 20
# Leave room under Telegram's 4096 for the heading and the "...and N more" line.
LIST_TEXT_BUDGET = 3800


class AdminCb(CallbackData, prefix="adm"):
    """action: menu | invite | grants | audit | region (code = ISO region) | skip."""

    action: str
    code: str = ""


class InviteDialog(StatesGroup):
    region = State()
    organisation = State()


def build_admin_router() -> Router:
    router = Router(name="admin")
    router.include_routers(_build_invite_claim_router(), _build_admin_panel_router())
    return router


# ---------------------------------------------------------------------------------------
# Public: opening an invite link


async def open_invite(
    message: Message,
    command: CommandObject,
    access: AccessService,
    volunteers: VolunteerService,
    menus: MenuService,
    locale: str,
) -> None:
    user_id = message.from_user.id
    code = (command.args or "")[len(INVITE_PREFIX):]
    claimed = await access.claim_invite(code, user_id) if code else None
    registered = await volunteers.is_registered(user_id)
    if claimed is None:
        await message.answer(
            _(
                "Sorry, this invitation link is invalid, expired or already used. "
                "Ask the administrator who sent it for a new one."
            )
        )
    else:
        region = _(REGION_BY_CODE[claimed.region].name)
        lines = [_("🎉 You are now a coordinator of <b>{region}</b>.").format(region=html.quote(region))]
        if claimed.organisation:
            lines.append(_("Organisation: {name}").format(name=html.quote(claimed.organisation)))
        lines.append("")
        lines.append(
            _(
                "As a coordinator you can create tasks for the volunteers of this region "
                "and see who responds. Your volunteers' contacts are shown only to you."
            )
        )
        if not registered:
            lines.append("")
            lines.append(_("If you also want to volunteer yourself, register with /start."))
        # The coordinator's commands (and keyboard, for a registered volunteer) at once.
        keyboard = await menus.keyboard_for_reply(message.bot, user_id, guess_locale=locale)
        await message.answer("\n".join(lines), reply_markup=keyboard)
    if registered:
        await send_main_menu(message, user_id, access)
    elif claimed is None:
        await message.answer(_("Send /start to register as a volunteer, or /help to learn more."))


def _build_invite_claim_router() -> Router:
    router = Router(name="admin-invites")
    router.message.register(open_invite, CommandStart(deep_link=True, magic=F.args.startswith(INVITE_PREFIX)))

    return router


# ---------------------------------------------------------------------------------------
# Admins only


async def admin_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await message.answer(_admin_menu_text(), reply_markup=_admin_menu_keyboard())


async def admin_button(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    if query.message is not None:
        await query.message.answer(_admin_menu_text(), reply_markup=_admin_menu_keyboard())


async def back_to_menu(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    await show(query, _admin_menu_text(), _admin_menu_keyboard())


async def start_invite(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    await state.set_state(InviteDialog.region)
    await show(query, _region_prompt(), _region_keyboard())


async def pick_region(query: CallbackQuery, callback_data: AdminCb, state: FSMContext) -> None:
    if await state.get_state() != InviteDialog.region.state or callback_data.code not in REGION_BY_CODE:
        await answer_stale(query)
        return
    await query.answer()
    await state.set_state(InviteDialog.organisation)
    prompt_id = query.message.message_id if query.message is not None else None
    await state.set_data({"region": callback_data.code, "prompt_id": prompt_id})
    await show(query, _organisation_prompt(callback_data.code), _organisation_keyboard())


async def back_from_region(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.clear()
    await show(query, _admin_menu_text(), _admin_menu_keyboard())


async def back_from_organisation(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    await state.set_data({})
    await state.set_state(InviteDialog.region)
    await show(query, _region_prompt(), _region_keyboard())


async def skip_organisation(
    query: CallbackQuery,
    state: FSMContext,
    access: AccessService,
    bot: Bot,
    settings: Settings,
    local_time: LocalTime,
    locale: str,
) -> None:
    data = await state.get_data()
    if await state.get_state() != InviteDialog.organisation.state or data.get("region") not in REGION_BY_CODE:
        await answer_stale(query)
        return
    await query.answer()
    if query.message is not None:
        await drop_keyboard_of(bot, query.message.chat.id, query.message.message_id)
        await _create_invite(
            query.message, query.from_user.id, data["region"], None, state, access, bot, settings, local_time, locale
        )


async def type_organisation(
    message: Message,
    state: FSMContext,
    access: AccessService,
    bot: Bot,
    settings: Settings,
    local_time: LocalTime,
    locale: str,
) -> None:
    data = await state.get_data()
    region = data.get("region")
    if region not in REGION_BY_CODE:  # damaged dialog data: start the step again
        await state.set_state(InviteDialog.region)
        await message.answer(_region_prompt(), reply_markup=_region_keyboard())
        return
    organisation = parse_organisation(message.text)
    if organisation is None:
        await message.answer(
            _(
                "The organisation name should be 2 to {max} characters long and contain letters. "
                "Please type it again, or press Skip."
            ).format(max=MAX_ORGANISATION_LENGTH),
            reply_markup=_organisation_keyboard(),
        )
        return
    if data.get("prompt_id"):
        await drop_keyboard_of(bot, message.chat.id, int(data["prompt_id"]))
    await _create_invite(
        message, message.from_user.id, region, organisation, state, access, bot, settings, local_time, locale
    )


async def organisation_not_text(message: Message) -> None:
    await message.answer(
        _("Please type the organisation name as text, or press Skip."), reply_markup=_organisation_keyboard()
    )


async def region_typed(message: Message) -> None:
    await message.answer(_("Please choose the region with the buttons below."), reply_markup=_region_keyboard())


async def show_grants(query: CallbackQuery, access: AccessService) -> None:
    await query.answer()
    await show(query, await _grants_text(access), _back_to_menu_keyboard())


async def show_audit(query: CallbackQuery, access: AccessService, local_time: LocalTime, locale: str) -> None:
    await query.answer()
    await show(query, await _audit_text(access, local_time, locale), _back_to_menu_keyboard())


# Any other admin button (old or forged): still guarded above, then explained here.
async def unknown_admin_button(query: CallbackQuery) -> None:
    await answer_stale(query)


def _build_admin_panel_router() -> Router:
    router = Router(name="admin-panel")
    guard = RequireRole(admin=True, dialogs=(InviteDialog,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)

    router.message.register(admin_command, Command("admin"), flags={"action": "admin.menu"})
    router.callback_query.register(admin_button, MenuCb.filter(F.action == "admin"), flags={"action": "admin.menu"})

    router.callback_query.register(back_to_menu, AdminCb.filter(F.action == "menu"), flags={"action": "admin.menu"})

    # -- invite a coordinator: region -> organisation (or skip) -> link ------------------

    router.callback_query.register(start_invite, AdminCb.filter(F.action == "invite"), flags={"action": "admin.invite"})
    router.callback_query.register(pick_region, AdminCb.filter(F.action == "region"), flags={"action": "admin.invite"})

    router.callback_query.register(back_from_region, NavCb.filter(F.action == "back"), StateFilter(InviteDialog.region), flags={"action": "admin.invite"})
    router.callback_query.register(back_from_organisation, 
        NavCb.filter(F.action == "back"), StateFilter(InviteDialog.organisation), flags={"action": "admin.invite"}
    )

    router.callback_query.register(skip_organisation, AdminCb.filter(F.action == "skip"), flags={"action": "admin.invite.create"})
    router.message.register(type_organisation, StateFilter(InviteDialog.organisation), F.text, flags={"action": "admin.invite.create"})

    router.message.register(organisation_not_text, StateFilter(InviteDialog.organisation), flags={"action": "admin.invite.create"})
    router.message.register(region_typed, StateFilter(InviteDialog.region), flags={"action": "admin.invite"})

    # -- lists -------------------------------------------------------------------------

    router.callback_query.register(show_grants, AdminCb.filter(F.action == "grants"), flags={"action": "admin.grants"})
    router.callback_query.register(show_audit, AdminCb.filter(F.action == "audit"), flags={"action": "admin.audit"})

    router.callback_query.register(unknown_admin_button, AdminCb.filter(), flags={"action": "admin.unknown"})

    return router


async def _create_invite(
    message: Message,
    admin_id: int,
    region: str,
    organisation: str | None,
    state: FSMContext,
    access: AccessService,
    bot: Bot,
    settings: Settings,
    local_time: LocalTime,
    locale: str,
) -> None:
    await state.clear()  # first: a second delivery of the same step finds no dialog
    invite = await access.create_invite(admin_id, region, organisation)
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={INVITE_PREFIX}{invite.code}"
    lines = [
        _("✅ An invitation for a coordinator of <b>{region}</b> is ready.").format(
            region=html.quote(_(REGION_BY_CODE[region].name))
        )
    ]
    if organisation:
        lines.append(_("Organisation: {name}").format(name=html.quote(organisation)))
    lines.append("")
    lines.append(
        _("Send this link to the person you are inviting. It works once, until {expires} ({timezone}):").format(
            expires=html.quote(local_time.datetime(invite.expires_at, locale, fmt="short")),
            timezone=html.quote(settings.timezone),
        )
    )
    lines.append(html.quote(link))
    await message.answer("\n".join(lines), reply_markup=_admin_menu_keyboard())


# ---------------------------------------------------------------------------------------
# Texts and keyboards (call inside a handler: they are translated when built)


def _admin_menu_text() -> str:
    return "🛡 <b>" + _("Administration") + "</b>\n\n" + _("What would you like to do?")


def _admin_menu_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="➕ " + _("Invite a coordinator"), callback_data=AdminCb(action="invite"))
    builder.button(text="👥 " + _("Coordinators and admins"), callback_data=AdminCb(action="grants"))
    builder.button(text="📜 " + _("Recent audit log"), callback_data=AdminCb(action="audit"))
    builder.adjust(1)
    return builder.as_markup()


def _back_to_menu_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text="⬅️ " + _("Back"), callback_data=AdminCb(action="menu").pack())]]
    )


def _region_prompt() -> str:
    return _("Which region will the new coordinator work in?")


def _region_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for region in REGIONS:
        builder.button(text=_(region.name), callback_data=AdminCb(action="region", code=region.code))
    builder.adjust(2)
    builder.row(*nav_buttons(back=True))
    return builder.as_markup()


def _organisation_prompt(region: str) -> str:
    return (
        _("Region: <b>{region}</b>").format(region=html.quote(_(REGION_BY_CODE[region].name)))
        + "\n\n"
        + _(
            "Type the name of the coordinator's organisation (up to {max} characters), "
            "or press Skip if there is none."
        ).format(max=MAX_ORGANISATION_LENGTH)
    )


def _organisation_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=_("Skip ➡️"), callback_data=AdminCb(action="skip").pack())],
            nav_buttons(back=True),
        ]
    )


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


# ---------------------------------------------------------------------------------------
# Small helpers


__all__ = ["AdminCb", "InviteDialog", "build_admin_router"]
