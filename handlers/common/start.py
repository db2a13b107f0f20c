"""/start, deep links and the language choice (/language and the menu's Language button).

/start: a registered volunteer gets the main menu; someone in the middle of a dialog gets
its current step again (continue, never restart); anyone else starts registration. A
payload no router took earlier is a plain /start (a feature's deep link is a
`CommandStart(deep_link=True, magic=F.args.startswith(prefix))` handler in a router
included before this one, as the coordinator invite `inv_...` is).

`register_resumer(StatesGroup, resumer)` tells how to ask a dialog's current step again
(`await resumer(message, state, clock, settings)`), used by /start and after a language
change.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiogram import F, Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import StatesGroup
from aiogram.types import CallbackQuery, Message, User
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.access.menus import MenuService
from bot.access.roles import AccessService
from bot.access.users import UserService
from bot.config import SUPPORTED_LOCALES, Settings
from bot.domain.catalog import INTERFACE_LANGUAGES
from bot.emergencies.service import EmergencyService
from bot.infra.clock import Clock
from bot.volunteers.service import VolunteerService
from handlers.callbacks import LanguageCb, MenuCb
from handlers.common.emergency import emergency_banner
from handlers.common.greeting import greets_in_all_languages
from handlers.common.menu import send_main_menu
from handlers.keyboards import language_keyboard
from handlers.ui import AnyMessage, answer_stale, bot_of, sender_id
from handlers.volunteer.registration.steps import RegStates, ask_step, begin, step_of, year_of
from handlers.volunteer.registration.steps import resume as resume_registration

Resumer = Callable[[AnyMessage, FSMContext, Clock, Settings], Awaitable[None]]

_RESUMERS: dict[str, Resumer] = {RegStates.__full_group_name__: resume_registration}


def register_resumer(group: type[StatesGroup], resumer: Resumer) -> None:
    """`await resumer(message, state, clock, settings)` re-asks the current step of `group`'s dialog."""
    _RESUMERS[group.__full_group_name__] = resumer


def _resumer_for(raw_state: str | None) -> Resumer | None:
    if raw_state is None:
        return None
    return _RESUMERS.get(raw_state.split(":", 1)[0])


def language_name(code: str) -> str:
    return dict(INTERFACE_LANGUAGES).get(code, code)


async def start(message: Message, state: FSMContext, volunteers: VolunteerService, access: AccessService,
                clock: Clock, settings: Settings, locale_chosen: bool, event_from_user: User | None,
                emergencies: EmergencyService, menus: MenuService) -> None:
    """/start, with or without a payload no other router took. While an emergency is
    active in the person's region, a short banner tops the main menu."""
    user_id = sender_id(message)
    raw_state = await state.get_state()
    registered = await volunteers.is_registered(user_id)
    resumer = _resumer_for(raw_state)
    if resumer is not None and not (registered and step_of(raw_state) is not None):
        await resumer(message, state, clock, settings)
        return
    if registered:
        if raw_state is not None:
            await state.clear()
        active = await emergencies.active_for(user_id, await access.roles_of(user_id))
        keyboard = await menus.keyboard_for_reply(bot_of(message), user_id) if active else None
        if keyboard is not None:  # the emergency actions come with the banner
            await message.answer(emergency_banner(active), reply_markup=keyboard)
            await send_main_menu(message, user_id, access)
        else:
            await send_main_menu(message, user_id, access, lead=emergency_banner(active) if active else None)
        return
    await begin(message, state, locale_chosen=locale_chosen, year=year_of(clock, settings),
                greet_all=greets_in_all_languages(event_from_user, locale_chosen))


async def language_command(message: Message) -> None:
    await message.answer(_("Choose the language:"), reply_markup=language_keyboard())


async def language_button(query: CallbackQuery) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(_("Choose the language:"), reply_markup=language_keyboard())


async def language_chosen(
    query: CallbackQuery,
    callback_data: LanguageCb,
    state: FSMContext,
    i18n: I18n,
    users: UserService,
    volunteers: VolunteerService,
    access: AccessService,
    clock: Clock,
    settings: Settings,
    menus: MenuService,
) -> None:
    code = callback_data.code
    message = query.message
    if code not in SUPPORTED_LOCALES or message is None:
        await answer_stale(query)
        return
    user_id = query.from_user.id
    await users.set_locale(user_id, code)
    registered = await volunteers.is_registered(user_id)
    if registered:
        await volunteers.update(user_id, locale=code)
    # The command menu in the new language at once; the keyboard goes with the reply.
    keyboard = await menus.keyboard_for_reply(bot_of(query), user_id)
    raw_state = await state.get_state()
    step = step_of(raw_state)
    with i18n.use_locale(code):
        await query.answer()
        if step in (None, "language") and not registered:
            # The first /start (or someone unregistered choosing): on to the consent.
            if step is None:
                await begin(message, state, locale_chosen=True, year=year_of(clock, settings))
            else:
                await ask_step(message, state, "consent", year=year_of(clock, settings))
            return
        await message.answer(
            _("The language is now {language}.").format(language=language_name(code)), reply_markup=keyboard
        )
        resumer = _resumer_for(raw_state)
        if resumer is not None and not (registered and step is not None):
            await resumer(message, state, clock, settings)
        elif registered:
            await send_main_menu(message, user_id, access)  # type: ignore[arg-type]  # a /start message, or a checked Message


def build_start_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(language_command, Command("language"))
    router.callback_query.register(language_button, MenuCb.filter(F.action == "language"))
    router.callback_query.register(language_chosen, LanguageCb.filter())
    return router
