"""/callout: the dialog (what -> where -> how many and from when -> skills -> preview ->
Send) and the quick form `/callout 20 Sandbags needed at Sairan dam` (their region,
asked only if they have several; from now; straight to the preview). Coordinators of
the same region see each other's active call-outs first. Send writes the call-out and
its first wave in one transaction on the emergency lane, then the preview becomes the
live board (board.py).

Guarded by RequireRole(coordinator=True); the region is checked against the person's
roles when picked and again at Send."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.callouts.board import BoardService
from bot.callouts.cards import CalloutCards
from bot.callouts.drafts import CalloutDraft, CountError, parse_count, parse_place, parse_what
from bot.callouts.service import CalloutService
from bot.domain.callouts import MAX_PEOPLE, TEMPLATE_BY_CODE, QuickFormError, parse_quick
from bot.domain.catalog import SKILL_BY_CODE
from bot.emergencies.service import regions_of
from bot.reconnection.buttons import HelpCalloutCb
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import CalloutCb
from handlers.coordinator.callout import board
from handlers.coordinator.callout.dialog import (
    CalloutStates,
    ask_count,
    ask_region,
    ask_skills,
    ask_what,
    ask_where,
    get_draft,
    keep_draft,
    live_list,
    next_wait,
    preview,
    skills_keyboard,
)
from handlers.coordinator.callout.from_case import callout_from_case
from handlers.ui import NOT_A_COMMAND, answer_stale, drop_keyboard, drop_live_keyboard, live_button, sender_id, text_expected_hint

ACTION = {"action": "callout.create"}


def _region_refused() -> str:
    return _("Sorry, you can only call out volunteers in the regions you coordinate.")


def _quick_hint(error: QuickFormError) -> str:
    first = {
        QuickFormError.NO_NUMBER: _("Start with the number of people."),
        QuickFormError.PEOPLE: _("The number of people must be from 1 to {max}.").format(max=MAX_PEOPLE),
        QuickFormError.TEXT: _("Say what is needed in 3 to 500 characters."),
    }.get(error, "")
    return (first + "\n" if first else "") + _(
        "Quick form: <code>/callout 20 Sandbags needed at Sairan dam</code> — the number of people, then what is "
        "needed. Or send /callout alone for the step-by-step dialog.")


async def callout_command(message: Message, command: CommandObject, state: FSMContext, roles: UserRoles,
                          callouts: CalloutService, callout_cards: CalloutCards, locale: str) -> None:
    await state.clear()
    regions = regions_of(roles)
    live = live_list(await callouts.live_in(regions))
    draft = CalloutDraft(region=regions[0] if len(regions) == 1 else None)
    await state.set_data({"regions": regions})
    if command.args is None or not command.args.strip():
        await keep_draft(state, draft)
        await ask_what(message, state, lead="🚨 <b>" + _("Call-out") + "</b>" + ("\n\n" + live if live else ""))
        return
    quick = parse_quick(command.args)
    if isinstance(quick, QuickFormError):
        await state.clear()
        await message.answer(_quick_hint(quick))
        return
    draft.text, draft.needed = quick.text, quick.people
    await keep_draft(state, draft)
    await state.update_data(quick=True)
    if live:
        await message.answer(live)
    if draft.region is None:
        await ask_region(message, state, regions)
        return
    await preview(message, state, callouts, callout_cards, locale, sender_id(message))




async def typed_what(message: Message, state: FSMContext) -> None:
    text = parse_what(message.text or "")
    if text is None:
        await message.answer(_("Say what is needed in 3 to 500 characters."))
        return
    draft = await get_draft(state)
    draft.text, draft.template = text, None
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await _after_what(message, state, draft)


async def _after_what(message: Message, state: FSMContext, draft: CalloutDraft) -> None:
    if draft.region is None:
        await ask_region(message, state, (await state.get_data()).get("regions", []))
    else:
        await ask_where(message, state)


async def button(query: CallbackQuery, callback_data: CalloutCb, state: FSMContext, raw_state: str | None,
                 roles: UserRoles, access: AccessService, callouts: CalloutService, callout_cards: CalloutCards,
                 boards: BoardService, locale: str) -> None:
    message = query.message
    if not isinstance(message, Message) or not await live_button(query, state):
        await answer_stale(query)
        return
    action, code = callback_data.action, callback_data.code
    draft = await get_draft(state)
    expected = {"tpl": CalloutStates.what, "region": CalloutStates.region, "skip_place": CalloutStates.where,
                "skill": CalloutStates.skills, "skills_done": CalloutStates.skills, "send": CalloutStates.preview,
                "wait": CalloutStates.preview, "night": CalloutStates.preview}.get(action)
    if expected is None or raw_state != expected.state:
        await answer_stale(query)
        return
    if action == "tpl":
        template = TEMPLATE_BY_CODE.get(code)
        if template is None:
            await answer_stale(query)
            return
        await query.answer()
        draft.text, draft.template = _(template.text), template.code
        await keep_draft(state, draft)
        await drop_keyboard(message)
        await _after_what(message, state, draft)
    elif action == "region":
        if code not in (await state.get_data()).get("regions", []) or not roles.can_coordinate(code):
            await refuse(query, access, "callout.create.region", target=code[:16], message=_region_refused())
            return
        await query.answer()
        draft.region = code
        await keep_draft(state, draft)
        await drop_keyboard(message)
        if (await state.get_data()).get("quick"):
            await preview(message, state, callouts, callout_cards, locale, query.from_user.id)
        else:
            await ask_where(message, state)
    elif action == "skip_place":
        await query.answer()
        draft.place = None
        await keep_draft(state, draft)
        await drop_keyboard(message)
        await ask_count(message, state)
    elif action == "skill":
        if code not in SKILL_BY_CODE:
            await answer_stale(query)
            return
        await query.answer()
        chosen = draft.required_skills
        draft.required_skills = [c for c in chosen if c != code] if code in chosen else [*chosen, code]
        await keep_draft(state, draft)
        await message.edit_reply_markup(reply_markup=skills_keyboard(draft.required_skills))
    elif action == "skills_done":
        await query.answer()
        await drop_keyboard(message)
        await preview(message, state, callouts, callout_cards, locale, query.from_user.id)
    elif action in ("wait", "night"):
        await query.answer()
        if action == "wait":
            draft.wave_wait_minutes = next_wait(draft.wave_wait_minutes)
        else:
            draft.wake_at_night = not draft.wake_at_night
        await keep_draft(state, draft)
        await preview(message, state, callouts, callout_cards, locale, query.from_user.id, in_place=True)
    else:  # send
        await _send(query, message, state, draft, roles, access, callouts, boards, locale)


async def _send(query: CallbackQuery, message: Message, state: FSMContext, draft: CalloutDraft, roles: UserRoles,
                access: AccessService, callouts: CalloutService, boards: BoardService, locale: str) -> None:
    if draft.region is None or not draft.text or not draft.needed:
        await state.clear()
        await answer_stale(query)
        return
    sent = await callouts.create(draft, query.from_user.id, locale, roles)
    if sent is None:
        await state.clear()
        await refuse(query, access, "callout.create.region", target=draft.region, message=_region_refused())
        return
    await state.clear()
    await query.answer(_("Sent to the first wave: {count}.").format(count=sent.queued))
    await board.show_board(message, sent.callout_id, boards)


async def typed_place(message: Message, state: FSMContext) -> None:
    place = parse_place(message.text or "")
    if place is None:
        await message.answer(_("Please type the address in 2 to 300 characters, or send a location pin."))
        return
    draft = await get_draft(state)
    draft.place = place
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await ask_count(message, state)


async def location(message: Message, state: FSMContext) -> None:
    assert message.location is not None
    draft = await get_draft(state)
    draft.latitude = round(message.location.latitude, 6)
    draft.longitude = round(message.location.longitude, 6)
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await ask_count(message, state)


async def typed_count(message: Message, state: FSMContext, callouts: CalloutService) -> None:
    try:
        people, start = parse_count(message.text or "", callouts.clock.now(), callouts.tz)
    except CountError as error:
        hint = {
            "people": _("The number of people must be from 1 to {max}.").format(max=MAX_PEOPLE),
            "time": _("I could not read the time. Type it as 18:30."),
            "past": _("That time has passed today. Type a later time, or only the number for now."),
        }[error.code]
        await drop_live_keyboard(message, state)
        await ask_count(message, state, hint=hint)
        return
    draft = await get_draft(state)
    draft.needed = people
    draft.starts_at = start.isoformat() if start else None
    await keep_draft(state, draft)
    await drop_live_keyboard(message, state)
    await ask_skills(message, state, draft)


async def not_text(message: Message) -> None:
    await message.answer(text_expected_hint())


async def buttons_expected(message: Message) -> None:
    await message.answer(_("Please choose with the buttons above."))


def build_callout_router() -> Router:
    router = Router(name="callout")
    guard = RequireRole(coordinator=True, dialogs=(CalloutStates,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    on_message, on_button = router.message.register, router.callback_query.register
    on_message(callout_command, Command("callout"), flags=ACTION)
    on_message(typed_what, StateFilter(CalloutStates.what), F.text, NOT_A_COMMAND, flags=ACTION)
    on_message(typed_place, StateFilter(CalloutStates.where), F.text, NOT_A_COMMAND, flags=ACTION)
    on_message(location, StateFilter(CalloutStates.where), F.location, flags=ACTION)
    on_message(typed_count, StateFilter(CalloutStates.count), F.text, NOT_A_COMMAND, flags=ACTION)
    on_message(not_text, StateFilter(CalloutStates.what, CalloutStates.where, CalloutStates.count), ~F.text,
               flags=ACTION)
    on_message(buttons_expected, StateFilter(CalloutStates.region, CalloutStates.skills, CalloutStates.preview),
               NOT_A_COMMAND, flags=ACTION)
    on_button(button, CalloutCb.filter(), flags=ACTION)
    on_button(callout_from_case, HelpCalloutCb.filter(), flags=ACTION)
    router.include_router(board.build_board_router())
    return router
