"""/find: a request to check on someone, step by step: name, phone, region, city, the
language to speak, elderly/medical, a message to pass on, the requester's relation,
then a summary with consent. Anyone may use it, registered or not. The phone is shown
back masked (the last two digits): it goes to nobody but the caller who holds the claim."""

from __future__ import annotations

import html

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import get_i18n
from aiogram.utils.i18n import gettext as _

from bot.domain.catalog import REGIONS, SPOKEN_LANGUAGES
from bot.domain.group_links import PATTERN as GROUP_LINK_PATTERN
from bot.domain.group_links import group_of, link_key
from bot.domain.names import fold_name
from bot.domain.people import clean_text, normalize_phone, parse_city, parse_full_name
from bot.domain.reconnection import MAX_MESSAGE_LENGTH, MAX_RELATION_LENGTH, mask_phone
from bot.domain.vocabulary import Vocabulary
from bot.reconnection.requests import Created, NewRequest, RequestService
from handlers.callbacks import NavCb, PickCb
from handlers.keyboards import CHECK, choices_keyboard
from handlers.reconnection.common import FindStates, RcCb, back_cancel_row, nav_keyboard, region_name, skip_keyboard, speak_name
from handlers.reconnection.group import is_member
from handlers.ui import NOT_A_COMMAND, answer_stale, bot_of, buttons_expected_hint, text_expected_hint

ORDER = ("name", "phone", "region", "city", "language", "flags", "message", "relation", "confirm")
FLAGS = (("elderly", "👵 "), ("medical", "💊 "))


def flag_label(code: str) -> str:
    return _("Elderly (70 or older)") if code == "elderly" else _("Needs medical care")


def flags_keyboard(selected: list[str]) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text=(CHECK if code in selected else icon) + flag_label(code),
                                  callback_data=RcCb(action="flag", code=code).pack())] for code, icon in FLAGS]
    rows.append([InlineKeyboardButton(text=_("Done ➡️"), callback_data=RcCb(action="flags_done").pack())])
    rows.append(back_cancel_row())
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def ask(message: Message, state: FSMContext, step: str) -> None:
    data = await state.get_data()
    await state.set_state(getattr(FindStates, step))
    if step == "name":
        await message.answer(_("🔎 <b>Check on someone</b>\nWho should a volunteer call? Type their full name."),
                             reply_markup=nav_keyboard(back=False))
    elif step == "phone":
        await message.answer(_("Their phone number, for example +7 701 234 56 78 (with the country code if it is "
                               "not a Kazakh number). Only the volunteer who calls will see it."),
                             reply_markup=nav_keyboard())
    elif step == "region":
        await message.answer(_("Where are they? Choose the region or type its name."),
                             reply_markup=choices_keyboard("rc_region", REGIONS, columns=2))
    elif step == "city":
        await message.answer(_("Which city, town or district? Type it, or press Skip."), reply_markup=skip_keyboard())
    elif step == "language":
        await message.answer(_("In which language should the volunteer speak to them? Choose or type it."),
                             reply_markup=choices_keyboard("rc_lang", SPOKEN_LANGUAGES, columns=3))
    elif step == "flags":
        await message.answer(_("Is any of this true? Such requests are called first. Tick, then press Done."),
                             reply_markup=flags_keyboard(data.get("flags", [])))
    elif step == "message":
        await message.answer(_("A short message for the volunteer to pass on (up to {max} characters), or press "
                               "Skip.").format(max=MAX_MESSAGE_LENGTH), reply_markup=skip_keyboard())
    elif step == "relation":
        await message.answer(_("Who are you to them? For example: son, niece, neighbour."),
                             reply_markup=nav_keyboard())
    else:
        await message.answer(summary(data), reply_markup=InlineKeyboardMarkup(inline_keyboard=[
            [InlineKeyboardButton(text="✅ " + _("I agree, send"), callback_data=RcCb(action="send").pack())],
            back_cancel_row(),
        ]))


def summary(data: dict) -> str:
    locale = get_i18n().current_locale
    flags = ", ".join(flag_label(code) for code, _icon in FLAGS if code in data.get("flags", [])) or "—"
    rows = [
        (_("Name"), html.escape(data["name"])),
        (_("Phone"), mask_phone(data["phone"])),
        (_("Region"), region_name(data["region"])),
        (_("City or district"), html.escape(data.get("city") or "—")),
        (_("Language to speak"), speak_name(data["language"], locale)),
        (_("Called first"), flags),
        (_("Message"), html.escape(data.get("message") or "—")),
        (_("You are their"), html.escape(data["relation"])),
    ]
    lines = ["<b>" + _("Please check the request:") + "</b>"] + [label + ": " + value for label, value in rows]
    lines += ["", _("I agree that Birge stores this to pass it to a volunteer who calls; the phone number and the "
                    "messages are erased 30 days after the request is closed.")]
    return "\n".join(lines)


async def find_command(message: Message, state: FSMContext) -> None:
    await state.clear()
    await ask(message, state, "name")


async def find_deep_link(message: Message, state: FSMContext, command: CommandObject) -> None:
    """/start find (a plain request) or /start find_g<group>_<signature> from a group's
    button: only a genuine signature makes the group hear of the request."""
    await state.clear()
    payload = command.args or ""
    if payload != "find":
        group = group_of(link_key(bot_of(message).token), payload)
        if group is None:
            await message.answer(_("I could not recognise the group this link came from, so your request will be "
                                   "private: I will write to you here only."))
        else:
            await state.update_data(group=group)
    await ask(message, state, "name")


async def typed(message: Message, state: FSMContext, vocabulary: Vocabulary) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    text = message.text or ""
    if step == "name":
        name = parse_full_name(text)
        if name is None or not fold_name(name):
            await message.answer(_("Please type the name in letters, for example: Айгүл Сейітова."))
            return
        await state.update_data(name=name)
    elif step == "phone":
        phone = normalize_phone(text)
        if phone is None:
            await message.answer(_("This does not look like a phone number. Please type it with digits, for example "
                                   "+7 701 234 56 78."))
            return
        await state.update_data(phone=phone)
    elif step == "region":
        code = vocabulary.region(text).preferred
        if code is None:
            await message.answer(_("I could not find this region. Please choose it with the buttons."))
            return
        await state.update_data(region=code)
    elif step == "city":
        city = parse_city(text)
        if city is None:
            await message.answer(_("Please type the name of the city, town or district, or press Skip."))
            return
        await state.update_data(city=city)
    elif step == "language":
        code = vocabulary.one("languages", text)
        if code is None:
            await message.answer(_("I did not recognise this language. Please choose with the buttons or type its "
                                   "name, for example: Uzbek."))
            return
        await state.update_data(language=code)
    elif step == "message":
        note = clean_text(text)
        if len(note) > MAX_MESSAGE_LENGTH:
            await message.answer(_("This is too long: at most {max} characters, please.").format(max=MAX_MESSAGE_LENGTH))
            return
        await state.update_data(message=note or None)
    elif step == "relation":
        relation = clean_text(text)
        if not relation or len(relation) > MAX_RELATION_LENGTH:
            await message.answer(_("Please say in a few words who you are to them, for example: son."))
            return
        await state.update_data(relation=relation)
    else:
        await message.answer(buttons_expected_hint())
        return
    await ask(message, state, ORDER[ORDER.index(step) + 1])


async def not_text(message: Message) -> None:
    await message.answer(text_expected_hint())


async def picked(query: CallbackQuery, callback_data: PickCb, state: FSMContext) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    field = {"region": "rc_region", "language": "rc_lang"}.get(step)
    valid = {"rc_region": {c.code for c in REGIONS}, "rc_lang": {c.code for c in SPOKEN_LANGUAGES}}
    if not isinstance(query.message, Message) or callback_data.field != field or callback_data.code not in valid[field]:
        await answer_stale(query)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await state.update_data({step: callback_data.code})
    await ask(query.message, state, ORDER[ORDER.index(step) + 1])


async def rc_button(query: CallbackQuery, callback_data: RcCb, state: FSMContext, requests: RequestService,
                    locale: str) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    data = await state.get_data()
    message = query.message
    if not isinstance(message, Message):
        await answer_stale(query)
        return
    action = callback_data.action
    if action == "skip" and step in ("city", "message"):
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await state.update_data({step: None})
        await ask(message, state, ORDER[ORDER.index(step) + 1])
    elif action == "flag" and step == "flags" and callback_data.code in dict(FLAGS):
        flags = set(data.get("flags", [])) ^ {callback_data.code}
        await state.update_data(flags=sorted(flags))
        await query.answer()
        await message.edit_reply_markup(reply_markup=flags_keyboard(sorted(flags)))
    elif action == "flags_done" and step == "flags":
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await ask(message, state, "message")
    elif action == "send" and step == "confirm":
        await query.answer()
        await message.edit_reply_markup(reply_markup=None)
        await state.clear()
        await send(message, query.from_user.id, data, requests, locale)
    else:
        await answer_stale(query)


async def send(message: Message, requester_id: int, data: dict, requests: RequestService, locale: str) -> None:
    flags = data.get("flags", [])
    group = data.get("group")
    if group is not None and not await is_member(bot_of(message), group, requester_id):
        # A genuine link passed on to someone outside the group: the request is theirs
        # alone, and the group hears nothing of it.
        group = None
        await message.answer(_("You are not a member of the group the link came from, so no status lines will be "
                               "posted there: I will write to you here only."))
    result = await requests.create(requester_id, locale, NewRequest(
        full_name=data["name"], phone=data["phone"], region=data["region"], language=data["language"],
        city=data.get("city"), elderly="elderly" in flags, medical="medical" in flags, message=data.get("message"),
        relation=data.get("relation"), group_chat_id=group,
    ))
    if result.outcome == Created.TOO_MANY:
        await message.answer(_("You already have 10 open requests. Please wait until some are answered, or withdraw "
                               "one in /myrequests."))
        return
    if result.outcome == Created.TOO_FAST:
        await message.answer(_("You have sent many requests in the last hour. Please try again a little later."))
        return
    if result.answered:
        text = _("✅ Your request is registered. Reference number: <b>{ref}</b>.\nThis person has already reported "
                 "themselves safe through the bot: see my next message. /myrequests shows your requests.").format(
            ref=result.reference)
    else:
        text = _("✅ Your request is registered. Reference number: <b>{ref}</b>.\nA volunteer will call and I will "
                 "write to you here at every change. /myrequests shows your requests.").format(ref=result.reference)
    if result.outcome == Created.MERGED and not result.answered:
        text += "\n\n" + _("Someone else is already looking for this person. Your requests are joined: one volunteer "
                           "call answers both of you.")
    await message.answer(text)


async def back(query: CallbackQuery, state: FSMContext) -> None:
    step = (await state.get_state() or "").rsplit(":", 1)[-1]
    if not isinstance(query.message, Message) or step not in ORDER or step == "name":
        await answer_stale(query)
        return
    await query.answer()
    await query.message.edit_reply_markup(reply_markup=None)
    await ask(query.message, state, ORDER[ORDER.index(step) - 1])


def build_find_router() -> Router:
    router = Router(name="reconnection-find")
    router.message.filter(F.chat.type == "private")
    router.message.register(find_command, Command("find"))
    router.message.register(find_deep_link, CommandStart(deep_link=True, magic=F.args.regexp(GROUP_LINK_PATTERN)))
    router.message.register(typed, StateFilter(FindStates), F.text, NOT_A_COMMAND)
    router.message.register(not_text, StateFilter(FindStates), ~F.text)
    router.callback_query.register(picked, StateFilter(FindStates), PickCb.filter())
    router.callback_query.register(rc_button, StateFilter(FindStates), RcCb.filter())
    router.callback_query.register(back, StateFilter(FindStates), NavCb.filter(F.action == "back"))
    return router
