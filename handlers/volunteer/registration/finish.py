"""The end of registration: the summary's Confirm registers the volunteer (or links an
imported record with the same phone) and shows the main menu; a minor needs a guardian's
consent, name and phone first."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import AccessService
from bot.volunteers.service import PhoneTakenError, Registration, VolunteerService
from handlers.common.menu import send_main_menu
from handlers.fields.volunteer import FIELDS
from handlers.ui import bot_of
from handlers.volunteer.registration.steps import ask_step, is_minor

REQUIRED = ("full_name", "phone", "birth_year", "region", "directions", "availability", "languages")


def phone_taken_text() -> str:
    return _(
        "This phone number is already registered to another Telegram account. "
        "Please enter a different number, or ask a coordinator for help."
    )


async def finish(
    query: CallbackQuery,
    state: FSMContext,
    year: int,
    volunteers: VolunteerService,
    access: AccessService,
    menus: MenuService,
    locale: str,
) -> None:
    message = query.message
    assert message is not None
    data = await state.get_data()
    reg = dict(data.get("reg") or {})
    missing = [name for name in REQUIRED if not reg.get(name)]
    if missing:  # cannot happen through the buttons; guards forged or very old data
        await ask_step(message, state, missing[0], year=year, hint=_("Please answer this question first."), editing=False)
        return
    minor = is_minor(reg, year)
    if minor and not reg.get("guardian_consent"):
        await ask_step(message, state, "guardian", year=year, editing=True)
        return
    if minor and not (reg.get("guardian_name") and reg.get("guardian_phone")):
        await ask_step(message, state, "guardian_name", year=year, editing=True)
        return
    registration = Registration(
        full_name=reg["full_name"],
        phone=reg["phone"],
        birth_year=int(reg["birth_year"]),
        region=reg["region"],
        locale=locale,
        city=reg.get("city"),
        directions=list(reg.get("directions") or []),
        skills=list(reg.get("skills") or []),
        availability=list(reg.get("availability") or []),
        languages=list(reg.get("languages") or []),
        guardian_consent=minor,
        guardian_name=reg.get("guardian_name") if minor else None,
        guardian_phone=reg.get("guardian_phone") if minor else None,
    )
    try:
        result = await volunteers.register(query.from_user.id, registration)
    except PhoneTakenError:
        await ask_step(message, state, "phone", year=year, hint=phone_taken_text(), editing=True)
        return
    await state.clear()
    text = _("Thank you, {name}! You are registered as a Birge volunteer. I will send you tasks that fit you.").format(
        name=FIELDS["full_name"].show(registration.full_name)
    )
    if result.linked_to_import:
        text += "\n\n" + _("I found your earlier record with this phone number and linked it to your Telegram account.")
    # Registered: the command menu and the main keyboard of a volunteer (or coordinator);
    # it replaces the reply keyboard of the typed steps (Back, Cancel).
    await message.answer(text, reply_markup=await menus.keyboard_for_reply(bot_of(query), query.from_user.id))
    await send_main_menu(message, query.from_user.id, access)  # type: ignore[arg-type]  # checked to be a Message above
