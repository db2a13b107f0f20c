"""/certificate: the volunteer chooses a period (this year, last year, all time) and gets
a PDF certificate of their hours (bot/certificates). A sticker or text at the period
step, a forged or old period button get a polite answer and change nothing; /cancel
and the Cancel button leave."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.certificates import CertificateService, IssueStatus
from bot.domain.certificates import PeriodChoice
from bot.volunteers.service import VolunteerService
from handlers.keyboards import nav_buttons
from handlers.ui import NOT_A_COMMAND, answer_stale, bot_of, buttons_expected_hint, is_live, keep_live, say, sender_id
from handlers.volunteer.profile.card import not_registered_text
from storage.models import Certificate

PERIOD_ICONS = ((PeriodChoice.THIS_YEAR, "📅 "), (PeriodChoice.LAST_YEAR, "🗓 "), (PeriodChoice.ALL_TIME, "♾ "))


class CertCb(CallbackData, prefix="cert"):
    period: str


class CertStates(StatesGroup):
    period = State()  # FSM data: msg (the question's id)


def period_keyboard() -> InlineKeyboardMarkup:
    labels = {PeriodChoice.THIS_YEAR: _("This year"), PeriodChoice.LAST_YEAR: _("Last year"),
              PeriodChoice.ALL_TIME: _("All time")}
    return InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=icon + labels[choice], callback_data=CertCb(period=choice.value).pack())
         for choice, icon in PERIOD_ICONS],
        nav_buttons(back=False),
    ])


def question_text() -> str:
    return "📜 " + _("A certificate of your volunteer hours. For which period?")


async def certificate_command(message: Message, state: FSMContext, volunteers: VolunteerService) -> None:
    if not await volunteers.is_registered(sender_id(message)):
        await message.answer(not_registered_text())
        return
    await state.clear()
    await state.set_state(CertStates.period)
    asked = await message.answer(question_text(), reply_markup=period_keyboard())
    await keep_live(state, asked)


async def period_chosen(query: CallbackQuery, callback_data: CertCb, state: FSMContext,
                        certificates: CertificateService, locale: str) -> None:
    if not is_live(query, await state.get_data()) or callback_data.period not in set(PeriodChoice):
        await answer_stale(query)  # an old question's button, or a forged period: nothing changes
        return
    await query.answer()
    await state.clear()
    result = await certificates.issue(query.from_user.id, PeriodChoice(callback_data.period), locale)
    if query.message is None:
        return
    if result.status == IssueStatus.NOT_REGISTERED:
        await say(query.message, not_registered_text(), None, in_place=True)
        return
    if result.status == IssueStatus.NOTHING or result.certificate is None:
        await say(query.message, _("There are no approved hours in this period yet, so there is nothing to "
                                   "certify. Hours count once the task's coordinator approves them."), None,
                  in_place=True)
        return
    certificate = result.certificate
    await say(query.message, "⏳ " + _("Preparing your certificate…"), None, in_place=True)
    username = (await bot_of(query).me()).username or ""
    data = await certificates.pdf(certificate, username, locale)
    await query.message.answer_document(
        BufferedInputFile(data, filename=f"birge-certificate-{certificate.code}.pdf"),
        caption=caption(certificates, certificate, locale))


def caption(certificates: CertificateService, certificate: Certificate, locale: str) -> str:
    lines = ["📜 " + _("Certificate No. {code}").format(code=certificate.code)]
    lines += [f"{label}: {value}" for label, value in certificates.facts(certificate, locale)]
    lines += ["", _("Anyone can check it: the QR code on it, or /verify {code}").format(code=certificate.code)]
    return "\n".join(lines)


async def period_expected(message: Message, state: FSMContext) -> None:
    """Text, a sticker, a photo... where a period button is expected: asked again."""
    await message.answer(buttons_expected_hint())
    asked = await message.answer(question_text(), reply_markup=period_keyboard())
    await keep_live(state, asked)


async def stale_period(query: CallbackQuery) -> None:
    await answer_stale(query)


def build_certificate_router() -> Router:
    router = Router(name="certificate")
    router.message.register(certificate_command, Command("certificate"))
    router.callback_query.register(period_chosen, StateFilter(CertStates.period), CertCb.filter())
    router.callback_query.register(stale_period, CertCb.filter())
    router.message.register(period_expected, StateFilter(CertStates.period), NOT_A_COMMAND)
    return router
