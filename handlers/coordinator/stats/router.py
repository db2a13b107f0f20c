"""/stats: the period picker (this month, last month, this quarter, this year, or a
typed range), the figures as one message with charts as photos under it, and the
report as an XLSX document.

Guarded by RequireRole(coordinator=True); every press checks afresh that the person may
see the regions it names (a coordinator only theirs; an admin any, or the whole
country), so a forged or stale button is refused and written to the audit log."""

from __future__ import annotations

import asyncio

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InputMediaPhoto, Message
from aiogram.types.media_union import MediaUnion
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.access.roles import AccessService, UserRoles
from bot.stats.charts import ChartRenderer, chart_specs
from bot.stats.format import period_text
from bot.stats.periods import Period, PeriodError, from_code, parse_range
from bot.stats.report import build_report, translator
from bot.stats.service import StatsService
from bot.stats.text import stats_text
from handlers.access_guard import RequireRole, refuse
from handlers.callbacks import StatsCb
from handlers.coordinator.stats.screens import (
    custom_keyboard,
    custom_prompt,
    figures_keyboard,
    may_change_region,
    period_error_text,
    picker_keyboard,
    picker_text,
    regions_keyboard,
    scope_name,
    scope_of,
)
from handlers.ui import (
    NOT_A_COMMAND,
    AnyMessage,
    answer_stale,
    drop_live_keyboard,
    keep_live,
    replace,
    show,
    text_expected_hint,
)

ALBUM_MAX = 10  # photos in one album (sendMediaGroup)


class StatsDialog(StatesGroup):
    custom_range = State()  # waiting for a typed period; FSM data "r": the region button's value


def _refusal() -> str:
    return _("Sorry, you can see the figures of your own regions only.")


async def stats_command(message: Message, state: FSMContext, roles: UserRoles) -> None:
    await state.clear()
    await message.answer(picker_text(scope_of(roles, "") or None), reply_markup=picker_keyboard(roles, ""))


async def menu_button(query: CallbackQuery, callback_data: StatsCb, state: FSMContext, roles: UserRoles,
                      access: AccessService) -> None:
    regions = scope_of(roles, callback_data.r)
    if regions is False:
        await refuse(query, access, "stats.view", message=_refusal(), target=callback_data.r)
        return
    await query.answer()
    await state.clear()
    await show(query, picker_text(regions), picker_keyboard(roles, callback_data.r))


async def regions_button(query: CallbackQuery, callback_data: StatsCb, state: FSMContext, roles: UserRoles) -> None:
    if not may_change_region(roles):
        await answer_stale(query)
        return
    await query.answer()
    await state.clear()
    await show(query, "🗺 " + _("Whose figures?"), regions_keyboard(roles, callback_data.r))


async def custom_button(query: CallbackQuery, callback_data: StatsCb, state: FSMContext, roles: UserRoles,
                        access: AccessService) -> None:
    if scope_of(roles, callback_data.r) is False:
        await refuse(query, access, "stats.view", message=_refusal(), target=callback_data.r)
        return
    await query.answer()
    await state.set_state(StatsDialog.custom_range)
    await state.update_data(r=callback_data.r)
    shown = await show(query, custom_prompt(), custom_keyboard(callback_data.r))
    if shown is not None:
        await keep_live(state, shown)


async def custom_typed(message: Message, state: FSMContext, roles: UserRoles, access: AccessService,
                       stats: StatsService, charts: ChartRenderer, i18n: I18n, locale: str) -> None:
    region = str((await state.get_data()).get("r", ""))
    regions = scope_of(roles, region)
    if regions is False:
        await state.clear()
        await refuse(message, access, "stats.view", message=_refusal(), target=region)
        return
    try:
        period = parse_range(message.text or "", stats.today())
    except PeriodError as error:
        await message.answer(period_error_text(error.reason), reply_markup=custom_keyboard(region))
        return
    await drop_live_keyboard(message, state)
    await state.clear()
    await _send_figures(message, regions, period, region, stats, charts, i18n, locale, in_place=False)


async def custom_not_text(message: Message) -> None:
    await message.answer(text_expected_hint())


async def period_button(query: CallbackQuery, callback_data: StatsCb, state: FSMContext, roles: UserRoles,
                        access: AccessService, stats: StatsService, charts: ChartRenderer, i18n: I18n,
                        locale: str) -> None:
    regions = scope_of(roles, callback_data.r)
    if regions is False:
        await refuse(query, access, "stats.view", message=_refusal(), target=callback_data.r)
        return
    period = from_code(callback_data.p, stats.today())
    if period is None or query.message is None:
        await answer_stale(query)
        return
    await query.answer(_("Counting…"))
    await state.clear()
    await _send_figures(query.message, regions, period, callback_data.r, stats, charts, i18n, locale, in_place=True)


async def report_button(query: CallbackQuery, callback_data: StatsCb, roles: UserRoles, access: AccessService,
                        stats: StatsService, charts: ChartRenderer, i18n: I18n, locale: str) -> None:
    regions = scope_of(roles, callback_data.r)
    if regions is False:
        await refuse(query, access, "stats.report", message=_refusal(), target=callback_data.r)
        return
    period = from_code(callback_data.p, stats.today())
    if period is None or query.message is None:
        await answer_stale(query)
        return
    await query.answer(_("Preparing the report…"))
    result = await stats.compute(regions, period)
    report = await build_report(result, locale, translator(i18n, locale), charts)
    caption = _("Statistics report: {scope}, {period}").format(scope=scope_name(regions),
                                                                 period=period_text(period, locale))
    await query.message.answer_document(BufferedInputFile(report.content, report.filename), caption=caption[:1024])


async def _send_figures(target: AnyMessage, regions: frozenset[str] | None, period: Period, region: str,
                        stats: StatsService, charts: ChartRenderer, i18n: I18n, locale: str, *,
                        in_place: bool) -> None:
    """The figures (the pressed picker becomes them), then the charts as one album (a
    single photo when there is one chart): one screen on a phone, one request. The
    charts are drawn while the figures travel."""
    result = await stats.compute(regions, period)
    tr = translator(i18n, locale)
    text, markup = stats_text(result, locale, tr), figures_keyboard(period.code, region)
    specs = chart_specs(result, locale, tr)
    drawing = asyncio.ensure_future(charts.render(specs))
    try:
        if in_place and isinstance(target, Message):
            await replace(target, text, markup)
        else:
            await target.answer(text, reply_markup=markup)
    except BaseException:
        drawing.cancel()
        raise
    pngs = await drawing
    photos: list[MediaUnion] = [InputMediaPhoto(media=BufferedInputFile(png, f"{spec.key}.png"), caption=spec.title)
                                for spec, png in zip(specs, pngs, strict=True)]
    for first in range(0, len(photos), ALBUM_MAX):
        album = photos[first:first + ALBUM_MAX]
        if len(album) == 1:
            await target.answer_photo(album[0].media, caption=album[0].caption)
        else:
            await target.answer_media_group(album)


def build_stats_router() -> Router:
    router = Router(name="stats")
    guard = RequireRole(coordinator=True, dialogs=(StatsDialog,))
    router.message.middleware(guard)
    router.callback_query.middleware(guard)
    flags = {"action": "stats.view"}
    router.message.register(stats_command, Command("stats"), flags=flags)
    router.callback_query.register(menu_button, StatsCb.filter(F.action == "menu"), flags=flags)
    router.callback_query.register(regions_button, StatsCb.filter(F.action == "regions"), flags=flags)
    router.callback_query.register(custom_button, StatsCb.filter(F.action == "custom"), flags=flags)
    router.callback_query.register(period_button, StatsCb.filter(F.action == "period"), flags=flags)
    router.callback_query.register(report_button, StatsCb.filter(F.action == "report"),
                                   flags={"action": "stats.report"})
    router.callback_query.register(answer_stale, StatsCb.filter(), flags=flags)
    router.message.register(custom_typed, StateFilter(StatsDialog.custom_range), F.text, NOT_A_COMMAND, flags=flags)
    router.message.register(custom_not_text, StateFilter(StatsDialog.custom_range), ~F.text, flags=flags)
    return router
