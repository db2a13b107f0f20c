"""Declaring and closing an emergency (coordinators of the regions, admins).

Declare: name -> affected regions (only their own; preselected when they have one) ->
safety notes (or Skip) -> preview -> Declare. Close: a confirmation, then its open
call-outs are closed (stand-down, hours) and everyone who took part is told it is over.
Every update is guarded by RequireRole(coordinator=True); the regions and the
emergency are checked again against the person's roles when it is declared or closed."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import AccessService, UserRoles
from bot.callouts.lifecycle import CalloutLifecycle
from bot.domain.catalog import REGION_BY_CODE
from bot.domain.emergencies import EmergencyStatus
from bot.emergencies.service import EmergencyService, parse_name, parse_notes, regions_of
from bot.reconnection.checkins import SafetyCheckinService
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import EmergencyCb, PickCb
from handlers.common.emergency import region_names
from handlers.keyboards import CHECK, nav_buttons
from handlers.ui import (
    NOT_A_COMMAND,
    answer_stale,
    bot_of,
    drop_live_keyboard,
    keep_live,
    live_button,
    show,
    text_expected_hint,
)

ACTION = {"action": "emergency.declare"}
CLOSE = {"action": "emergency.close"}


class DeclareEmergency(StatesGroup):
    name = State()
    regions = State()
    notes = State()
    preview = State()


def _regions_keyboard(allowed: list[str], chosen: list[str]) -> InlineKeyboardMarkup:
    rows, row = [], []
    for code in allowed:
        mark = CHECK if code in chosen else ""
        row.append(InlineKeyboardButton(text=mark + _(REGION_BY_CODE[code].name),
                                        callback_data=PickCb(field="emregion", code=code).pack()))
        if len(row) == 2:
            rows.append(row)
            row = []
    if row:
        rows.append(row)
    rows.append([InlineKeyboardButton(text=_("Done ➡️"), callback_data=PickCb(field="emregion", code="done").pack())])
    rows.append(nav_buttons(back=False))
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _preview(data: dict) -> tuple[str, InlineKeyboardMarkup]:
    lines = ["🆘 <b>" + html.quote(data["name"]) + "</b>",
             _("Regions: {regions}").format(regions=region_names(data["chosen"]))]
    if data.get("notes"):
        lines.append("⚠️ <b>" + _("Safety") + ":</b> " + html.quote(data["notes"]))
    lines += ["", _("While it is active, people in these regions see the emergency actions in their menu, and "
                    "call-outs there carry the safety notes.")]
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text="🆘 " + _("Declare"), callback_data=EmergencyCb(action="declare_yes").pack())],
        nav_buttons(back=False),
    ])
    return "\n".join(lines), markup


async def start_declare(query: CallbackQuery, state: FSMContext, roles: UserRoles) -> None:
    await query.answer()
    allowed = regions_of(roles)
    await state.clear()
    await state.set_state(DeclareEmergency.name)
    await state.set_data({"allowed": allowed, "chosen": allowed[:1] if len(allowed) == 1 else []})
    if isinstance(query.message, Message):
        sent = await query.message.answer("🆘 <b>" + _("Declare an emergency") + "</b>\n"
                                          + _("Name it in a few words, for example “Flood in Kyzylorda”."),
                                          reply_markup=InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=False)]))
        await keep_live(state, sent)


async def typed_name(message: Message, state: FSMContext) -> None:
    name = parse_name(message.text or "")
    if name is None:
        await message.answer(_("Please type a name of {min} to {max} characters.").format(min=3, max=120))
        return
    await state.update_data(name=name)
    await drop_live_keyboard(message, state)
    data = await state.get_data()
    if len(data["allowed"]) == 1:
        await _ask_notes(message, state)
        return
    await state.set_state(DeclareEmergency.regions)
    sent = await message.answer(_("Which regions are affected? Tick them, then press Done."),
                                reply_markup=_regions_keyboard(data["allowed"], data["chosen"]))
    await keep_live(state, sent)


async def picked_region(query: CallbackQuery, callback_data: PickCb, state: FSMContext, roles: UserRoles,
                        access: AccessService) -> None:
    data = await state.get_data()
    if not await live_button(query, state) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    chosen: list[str] = list(data.get("chosen", []))
    code = callback_data.code
    if code == "done":
        if not chosen:
            await query.answer(_("Tick at least one region."), show_alert=True)
            return
        await query.answer()
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask_notes(query.message, state)
        return
    if code not in data.get("allowed", []) or not roles.can_coordinate(code):
        await refuse(query, access, "emergency.declare.region", target=code,
                     message=_("Sorry, you can only declare an emergency for the regions you coordinate."))
        return
    await query.answer()
    chosen = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
    await state.update_data(chosen=chosen)
    await query.message.edit_reply_markup(reply_markup=_regions_keyboard(data["allowed"], chosen))


async def _ask_notes(message: Message, state: FSMContext) -> None:
    await state.set_state(DeclareEmergency.notes)
    sent = await message.answer(
        _("Safety notes for volunteers: curfew hours, places to avoid, what to bring. Type them, or press Skip."),
        reply_markup=InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text=_("Skip ➡️"), callback_data=EmergencyCb(action="skip_notes").pack())],
            nav_buttons(back=False)]))
    await keep_live(state, sent)


async def typed_notes(message: Message, state: FSMContext) -> None:
    notes = parse_notes(message.text or "")
    if notes is None:
        await message.answer(_("Please keep the notes under {max} characters.").format(max=1000))
        return
    await state.update_data(notes=notes)
    await drop_live_keyboard(message, state)
    await _show_preview(message, state)


async def skip_notes(query: CallbackQuery, state: FSMContext) -> None:
    if not await live_button(query, state) or not isinstance(query.message, Message):
        await answer_stale(query)
        return
    await query.answer()
    await state.update_data(notes="")
    await query.message.edit_reply_markup(reply_markup=None)
    await _show_preview(query.message, state)


async def _show_preview(message: Message, state: FSMContext) -> None:
    await state.set_state(DeclareEmergency.preview)
    text, markup = _preview(await state.get_data())
    sent = await message.answer(text, reply_markup=markup)
    await keep_live(state, sent)


async def declare(query: CallbackQuery, state: FSMContext, roles: UserRoles, access: AccessService,
                  emergencies: EmergencyService, menus: MenuService, safety_checkins: SafetyCheckinService) -> None:
    if await state.get_state() != DeclareEmergency.preview.state or not await live_button(query, state):
        await answer_stale(query)
        return
    data = await state.get_data()
    emergency = await emergencies.declare(query.from_user.id, roles, data["name"], list(data["chosen"]),
                                          data.get("notes") or "")
    if emergency is None:
        await refuse(query, access, "emergency.declare.region", target=",".join(data["chosen"]),
                     message=_("Sorry, you can only declare an emergency for the regions you coordinate."))
        await state.clear()
        return
    await state.clear()
    await query.answer()
    # Family reconnection's check-in: every volunteer of these regions is asked once,
    # with one tap, whether they are safe (answers per region in /reconnection).
    await safety_checkins.ask_regions(emergency.regions)
    await show(query, _("🆘 Emergency declared: {name}.").format(name=html.quote(emergency.name)) + "\n"
               + _("People in these regions now see the emergency actions in their menu. Call volunteers out "
                   "with /callout.") + "\n"
               + _("Volunteers in these regions are asked once whether they are safe: see /reconnection."))
    keyboard = await menus.keyboard_for_reply(bot_of(query), query.from_user.id)
    if keyboard is not None and isinstance(query.message, Message):
        await query.message.answer(_("The menu below has been updated."), reply_markup=keyboard)


async def ask_close(query: CallbackQuery, callback_data: EmergencyCb, roles: UserRoles, access: AccessService,
                    emergencies: EmergencyService) -> None:
    emergency = await emergencies.get(callback_data.emergency_id)
    if emergency is None or emergency.status != EmergencyStatus.ACTIVE:
        await answer_stale(query)
        return
    if not emergencies.may_manage(emergency, roles):
        await refuse(query, access, "emergency.close", target=str(emergency.id))
        return
    await query.answer()
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text="🏁 " + _("Yes, close it"),
                              callback_data=EmergencyCb(action="close_yes", emergency_id=emergency.id).pack())],
        nav_buttons(back=False)])
    await show(query, _("Close the emergency “{name}”? Its open call-outs are closed, everyone coming is stood "
                        "down, and everyone who took part is told it is over.").format(name=html.quote(emergency.name)),
               markup)


async def close(query: CallbackQuery, callback_data: EmergencyCb, roles: UserRoles, access: AccessService,
                emergencies: EmergencyService, callout_life: CalloutLifecycle, menus: MenuService) -> None:
    emergency = await emergencies.get(callback_data.emergency_id)
    if emergency is None or emergency.status != EmergencyStatus.ACTIVE:
        await answer_stale(query)
        return
    if not emergencies.may_manage(emergency, roles):
        await refuse(query, access, "emergency.close", target=str(emergency.id))
        return
    calls = await callout_life.close_of_emergency(emergency.id, query.from_user.id)
    closed = await emergencies.close(emergency.id, query.from_user.id, roles)
    if closed is None:
        await answer_stale(query)
        return
    await query.answer()
    await show(query, "🏁 " + _("The emergency “{name}” is closed. Call-outs closed: {calls}. People told: {people}.")
               .format(name=html.quote(emergency.name), calls=calls, people=closed.announced))
    keyboard = await menus.keyboard_for_reply(bot_of(query), query.from_user.id)
    if keyboard is not None and isinstance(query.message, Message):
        await query.message.answer(_("The menu below has been updated."), reply_markup=keyboard)


async def not_text(message: Message) -> None:
    await message.answer(text_expected_hint())


def build_emergency_router() -> Router:
    router = Router(name="emergency")
    guard = RequireRole(coordinator=True, dialogs=(DeclareEmergency,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    router.callback_query.register(start_declare, EmergencyCb.filter(F.action == "declare"), flags=ACTION)
    router.message.register(typed_name, StateFilter(DeclareEmergency.name), F.text, NOT_A_COMMAND, flags=ACTION)
    router.callback_query.register(picked_region, StateFilter(DeclareEmergency.regions),
                                   PickCb.filter(F.field == "emregion"), flags=ACTION)
    router.message.register(typed_notes, StateFilter(DeclareEmergency.notes), F.text, NOT_A_COMMAND, flags=ACTION)
    router.callback_query.register(skip_notes, StateFilter(DeclareEmergency.notes),
                                   EmergencyCb.filter(F.action == "skip_notes"), flags=ACTION)
    router.callback_query.register(declare, EmergencyCb.filter(F.action == "declare_yes"), flags=ACTION)
    router.callback_query.register(ask_close, EmergencyCb.filter(F.action == "close"), flags=CLOSE)
    router.callback_query.register(close, EmergencyCb.filter(F.action == "close_yes"), flags=CLOSE)
    router.message.register(not_text, StateFilter(DeclareEmergency.name, DeclareEmergency.notes), ~F.text,
                            flags=ACTION)
    return router
