"""Inviting a coordinator: region -> organisation (typed, or Skip) -> a one-time link
`https://t.me/<bot>?start=inv_<code>` (admins only; whoever opens it: claim.py)."""

from __future__ import annotations

from aiogram import Bot, html
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.roles import INVITE_PREFIX, MAX_ORGANISATION_LENGTH, AccessService, parse_organisation
from bot.config import Settings
from bot.domain.catalog import REGION_BY_CODE, REGIONS
from bot.infra.i18n import LocalTime
from handlers.admin.menu import admin_menu_keyboard, admin_menu_text
from handlers.callbacks import AdminCb
from handlers.keyboards import nav_buttons
from handlers.ui import answer_stale, drop_keyboard_of, sender_id, show


class InviteDialog(StatesGroup):
    region = State()
    organisation = State()


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
    await show(query, admin_menu_text(), admin_menu_keyboard())


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
    if isinstance(query.message, Message):
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
    organisation = parse_organisation(message.text or "")
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
        message, sender_id(message), region, organisation, state, access, bot, settings, local_time, locale
    )


async def organisation_not_text(message: Message) -> None:
    await message.answer(
        _("Please type the organisation name as text, or press Skip."), reply_markup=_organisation_keyboard()
    )


async def region_typed(message: Message) -> None:
    await message.answer(_("Please choose the region with the buttons below."), reply_markup=_region_keyboard())


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
    await message.answer("\n".join(lines), reply_markup=admin_menu_keyboard())


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
