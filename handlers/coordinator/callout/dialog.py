"""The /callout dialog's screens: at most four steps (what, where, how many and from when,
skills; the region is asked first only of someone with several), then a preview with
the waves counted and Send."""

from __future__ import annotations

from datetime import datetime

from aiogram import html
from aiogram.exceptions import TelegramBadRequest
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.callouts.cards import CalloutCards
from bot.callouts.drafts import CalloutDraft
from bot.callouts.service import CalloutService
from bot.domain.callouts import TEMPLATES, WAVE_WAIT_CHOICES, CalloutStatus
from bot.domain.catalog import REGION_BY_CODE, SKILLS
from bot.domain.emergencies import is_night
from handlers.callbacks import CalloutCb
from handlers.keyboards import CHECK, nav_buttons
from handlers.ui import keep_live
from storage.models import Callout


class CalloutStates(StatesGroup):
    what = State()
    region = State()
    where = State()
    count = State()
    skills = State()
    preview = State()
    message = State()  # a message to everyone coming (data: callout_id)
    hours = State()  # new hours for one person (data: hours_id, callout_id)


def _button(text: str, action: str, code: str = "") -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=CalloutCb(action=action, code=code).pack())


def _pairs(buttons: list[InlineKeyboardButton]) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + 2] for i in range(0, len(buttons), 2)]


async def get_draft(state: FSMContext) -> CalloutDraft:
    return CalloutDraft.from_data((await state.get_data()).get("draft"))


async def keep_draft(state: FSMContext, draft: CalloutDraft) -> None:
    await state.update_data(draft=draft.to_data())


async def ask_what(message: Message, state: FSMContext, lead: str = "") -> None:
    await state.set_state(CalloutStates.what)
    rows = _pairs([_button(_(t.text), "tpl", t.code) for t in TEMPLATES])
    rows.append(nav_buttons(back=False))
    text = (lead + "\n\n" if lead else "") + _("<b>1/4</b> What is needed? Type it, or choose:")
    sent = await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    await keep_live(state, sent)


async def ask_region(message: Message, state: FSMContext, regions: list[str]) -> None:
    await state.set_state(CalloutStates.region)
    rows = _pairs([_button(_(REGION_BY_CODE[code].name), "region", code) for code in regions])
    rows.append(nav_buttons(back=False))
    sent = await message.answer(_("Which region?"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    await keep_live(state, sent)


async def ask_where(message: Message, state: FSMContext) -> None:
    await state.set_state(CalloutStates.where)
    rows = [[_button(_("Skip ➡️"), "skip_place")], nav_buttons(back=False)]
    sent = await message.answer(_("<b>2/4</b> Where? Type the address or send a location pin, or press Skip."),
                                reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    await keep_live(state, sent)


async def ask_count(message: Message, state: FSMContext, hint: str = "") -> None:
    await state.set_state(CalloutStates.count)
    text = (hint + "\n\n" if hint else "") + _(
        "<b>3/4</b> How many people, and from when? Type a number for now (<code>20</code>), or a number and a "
        "time today (<code>20 18:30</code>).")
    sent = await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=[nav_buttons(back=False)]))
    await keep_live(state, sent)


def skills_keyboard(chosen: list[str]) -> InlineKeyboardMarkup:
    rows = _pairs([_button((CHECK if choice.code in chosen else "") + _(choice.name), "skill", choice.code)
                   for choice in SKILLS])
    rows.append([_button(_("Done ➡️"), "skills_done")])
    rows.append(nav_buttons(back=False))
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def ask_skills(message: Message, state: FSMContext, draft: CalloutDraft) -> None:
    await state.set_state(CalloutStates.skills)
    sent = await message.answer(_("<b>4/4</b> Required skills? Tick any (or none), then press Done."),
                                reply_markup=skills_keyboard(draft.required_skills))
    await keep_live(state, sent)


def unsaved(draft: CalloutDraft, now: datetime, coordinator_id: int, locale: str) -> Callout:
    """The draft as a call-out (not stored), to show the card volunteers will get."""
    start = draft.start()
    return Callout(id=0, region=draft.region or "", text=draft.text or "", place=draft.place, latitude=draft.latitude,
                   longitude=draft.longitude, needed=draft.needed or 1,
                   starts_at=start if start and start > now else now,
                   required_skills=list(draft.required_skills), status=CalloutStatus.OPEN, wave=0,
                   coordinator_telegram_id=coordinator_id, coordinator_locale=locale, created_at=now)


async def preview(message: Message, state: FSMContext, callouts: CalloutService, cards: CalloutCards, locale: str,
                  coordinator_id: int, *, in_place: bool = False) -> None:
    draft = await get_draft(state)
    await state.set_state(CalloutStates.preview)
    now = callouts.clock.now()
    emergency = await callouts.emergency_for(draft.region or "")
    card = cards.text(unsaved(draft, now, coordinator_id, locale), locale,
                      emergency_name=emergency.name if emergency else None,
                      safety_notes=emergency.safety_notes if emergency else None)
    waves = await callouts.preview(draft)
    lines = ["👀 <b>" + _("Preview: this is what volunteers get") + "</b>", "", card, "", "—"]
    labels = (_("Wave 1, volunteers for emergencies in the region: {count}"),
              _("Wave 2, the rest of the region: {count}"),
              _("Wave 3, neighbouring regions: {count}"))
    for label, wave in zip(labels, waves, strict=True):
        lines.append("🌊 " + label.format(count=len(wave.recipients)))
    lines.append(ngettext("The next wave goes out after {minutes} minute if fewer than needed are coming.",
                          "The next wave goes out after {minutes} minutes if fewer than needed are coming.",
                          draft.wave_wait_minutes).format(minutes=draft.wave_wait_minutes))
    asleep = sum(wave.asleep for wave in waves)
    night = is_night(now, callouts.tz)
    if night and not draft.wake_at_night:
        lines.append("🌙 " + _("Night: only volunteers who chose “any time for emergencies” are woken. Waking "
                              "everyone would add {count}.").format(count=asleep))
    elif night:
        lines.append("🌙 " + _("Night: everyone is woken, not only those who chose “any time for emergencies”."))
    rows = [[_button("📣 " + _("Send"), "send")],
            [_button("⏱ " + _("Next wave after: {minutes} min").format(minutes=draft.wave_wait_minutes), "wait")]]
    if night:
        rows.append([_button("🌙 " + (_("Wake only “any time” people") if draft.wake_at_night
                                     else _("Wake everyone (+{count})").format(count=asleep)), "night")])
    rows.append(nav_buttons(back=False))
    markup = InlineKeyboardMarkup(inline_keyboard=rows)
    text = "\n".join(lines)
    if in_place:
        try:
            await message.edit_text(text, reply_markup=markup)
            return
        except TelegramBadRequest as error:
            if "not modified" in str(error).lower():
                return
    sent = await message.answer(text, reply_markup=markup)
    await keep_live(state, sent)


def next_wait(current: int) -> int:
    choices = list(WAVE_WAIT_CHOICES)
    return choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]


def live_list(live: list[Callout]) -> str:
    """The call-outs already active in the coordinator's regions (to avoid two for one need)."""
    if not live:
        return ""
    lines = ["⚠️ " + _("Already active in your regions:")]
    for callout in live[:5]:
        lines.append(f"• #{callout.id} " + html.quote(callout.text[:60]) + " · "
                     + _(REGION_BY_CODE[callout.region].name if callout.region in REGION_BY_CODE else callout.region)
                     + " · " + _("needed: {needed}").format(needed=callout.needed))
    return "\n".join(lines)
