"""A call-out from a family reconnection case: the "📣 Call out volunteers" button under a
"needs help" alert opens the /callout dialog with the region and a short text from the
case filled in (the name, the place and the person's words; never the phone number, and
phone-like runs in the words are dropped), then asks the usual steps from "where" on and
ends at the usual preview, where the coordinator confirms with Send.

Only a coordinator of the case's region (or an admin): the router's guard checks the
role, this handler the region. A press on a case that is no longer "needs help" (or
erased) is answered as stale, a forged id too."""

from __future__ import annotations

from aiogram import html
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.callouts.drafts import CalloutDraft
from bot.domain.callouts import MAX_TEXT_LENGTH
from bot.domain.catalog import REGION_BY_CODE
from bot.domain.people import clean_text
from bot.domain.reconnection import without_phones
from bot.reconnection.buttons import HelpCalloutCb
from bot.reconnection.calls import CallService
from handlers.access_guard import refuse
from handlers.coordinator.callout.dialog import ask_where, keep_draft
from handlers.ui import answer_stale
from storage.models import ReconnectionRequest


def case_text(request: ReconnectionRequest) -> str:
    """The call-out's text from the case, in the coordinator's language, within the limit."""
    region = _(REGION_BY_CODE[request.region].name) if request.region in REGION_BY_CODE else request.region
    place = ", ".join(part for part in (request.city, region) if part)
    text = _("{name} ({place}) was reached by a relay caller and needs help.").format(
        name=request.full_name, place=place)
    if request.note:
        text += " «" + clean_text(without_phones(request.note)) + "»"
    text = without_phones(text)
    return text if len(text) <= MAX_TEXT_LENGTH else text[:MAX_TEXT_LENGTH - 1] + "…"


async def callout_from_case(query: CallbackQuery, callback_data: HelpCalloutCb, state: FSMContext, roles: UserRoles,
                            access: AccessService, calls: CallService) -> None:
    message = query.message
    request = await calls.needing_help(callback_data.request_id)
    if not isinstance(message, Message) or request is None:
        await answer_stale(query)
        return
    if not roles.can_coordinate(request.region):
        await refuse(query, access, "callout.create.region", target=request.region[:16],
                     message=_("Sorry, you can only call out volunteers in the regions you coordinate."))
        return
    await query.answer()
    await state.clear()
    await state.set_data({"regions": [request.region]})
    draft = CalloutDraft(region=request.region, text=case_text(request))
    await keep_draft(state, draft)
    await message.answer("🚨 <b>" + _("Call-out for a family reconnection case") + "</b>\n"
                         + _("What is needed: {text}").format(text=html.quote(draft.text or "")) + "\n"
                         + _("The phone number is not included. You will see the preview before anything is sent."))
    await ask_where(message, state)
