"""/delete_me: erase the person's data after a confirmation; anonymous figures stay."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.menus import MenuService
from bot.attendance import HoursService
from bot.infra.i18n import LocalTime
from bot.volunteers.service import VolunteerService
from handlers.ui import AnyMessage, bot_of, drop_keyboard, sender_id
from handlers.volunteer.profile.card import ProfileCb, not_registered_text, send_profile


def confirm_keyboard(volunteer_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="🗑 " + _("Yes, delete"), callback_data=ProfileCb(action="delete_yes", ref=volunteer_id))
    builder.button(text=_("No, keep"), callback_data=ProfileCb(action="delete_no", ref=volunteer_id))
    builder.adjust(2)
    return builder.as_markup()


async def delete_command(message: Message, state: FSMContext, volunteers: VolunteerService) -> None:
    await _ask(message, sender_id(message), state, volunteers)


async def delete_button(query: CallbackQuery, state: FSMContext, volunteers: VolunteerService) -> None:
    await query.answer()
    if query.message is not None:
        await drop_keyboard(query.message)
        await _ask(query.message, query.from_user.id, state, volunteers)


async def confirmed(
    query: CallbackQuery,
    callback_data: ProfileCb,
    state: FSMContext,
    volunteers: VolunteerService,
    menus: MenuService,
) -> None:
    user_id = query.from_user.id
    volunteer = await volunteers.get(user_id)
    if volunteer is None or volunteer.id != callback_data.ref:
        # Pressed twice, or the data is already gone (or was registered anew since):
        # this button no longer deletes anything.
        await query.answer(_("There is nothing to delete: your data is already erased."), show_alert=True)
        await drop_keyboard(query.message)
        return
    await query.answer()
    await drop_keyboard(query.message)
    # Worded now, in the person's language, before that language is forgotten.
    goodbye = _(
        "Your personal data has been deleted. Thank you for everything you have done as a volunteer!\n\n"
        "You can register again at any time with /start."
    )
    await volunteers.delete(user_id)
    await state.clear()
    # The chat's language choice stays (registering again continues in it); the
    # volunteer's menu and keyboard go.
    keyboard = await menus.keyboard_for_reply(bot_of(query), user_id)
    if query.message is not None:
        await query.message.answer(goodbye, reply_markup=keyboard)


async def kept(query: CallbackQuery, volunteers: VolunteerService, hours: HoursService, local_time: LocalTime,
               locale: str) -> None:
    await query.answer()
    await drop_keyboard(query.message)
    if query.message is None:
        return
    volunteer = await volunteers.get(query.from_user.id)
    if volunteer is None:
        await query.message.answer(not_registered_text())
        return
    await query.message.answer(_("Good, nothing was deleted."))
    await send_profile(query.message, volunteer, locale, local_time, totals=await hours.totals(query.from_user.id))


def build_delete_router() -> Router:
    router = Router(name="profile_delete")
    router.message.register(delete_command, Command("delete_me"))
    router.callback_query.register(delete_button, ProfileCb.filter(F.action == "delete"))
    router.callback_query.register(confirmed, ProfileCb.filter(F.action == "delete_yes"))
    router.callback_query.register(kept, ProfileCb.filter(F.action == "delete_no"))
    return router


async def _ask(target: AnyMessage, user_id: int, state: FSMContext, volunteers: VolunteerService) -> None:
    volunteer = await volunteers.get(user_id)
    if volunteer is None:
        await target.answer(
            _("You are not registered, so there is nothing to delete. Send /start to register.")
        )
        return
    if await state.get_state() is not None:
        await state.clear()  # leave any half-finished step: this question comes first
    await target.answer(
        _(
            "<b>Delete your data?</b>\n\n"
            "I will erase your name, phone number, birth year, city, spoken languages, "
            "your Telegram id and anything you wrote yourself.\n\n"
            "For volunteering statistics I keep, without your name: your region, "
            "directions, skills, age group, interface language, when you registered "
            "and the hours you volunteered.\n\n"
            "This cannot be undone."
        )
        + "\n\n"
        + _("Only the language you chose stays with this chat, so that I can keep answering you in it."),
        reply_markup=confirm_keyboard(volunteer.id),
    )
