"""/stats screens: who may see which regions, the period picker, the region list, and
the texts for a typed range that cannot be used."""

from __future__ import annotations

from typing import Literal

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.access.roles import UserRoles
from bot.domain.catalog import REGION_BY_CODE, REGIONS
from bot.stats.periods import PeriodError, PeriodKind
from handlers.callbacks import StatsCb

PRESET_NAMES = {
    PeriodKind.THIS_MONTH: lambda: _("This month"),
    PeriodKind.LAST_MONTH: lambda: _("Last month"),
    PeriodKind.THIS_QUARTER: lambda: _("This quarter"),
    PeriodKind.THIS_YEAR: lambda: _("This year"),
}


def scope_of(roles: UserRoles, region: str) -> frozenset[str] | None | Literal[False]:
    """The regions a button's `r` stands for: None = the whole country (admins), a set of
    regions, or False when the person may not see them (forged, or a role revoked)."""
    if region == "":
        return None if roles.is_admin else (frozenset(roles.coordinator_regions) or False)
    if region not in REGION_BY_CODE:
        return False
    if roles.is_admin or region in roles.coordinator_regions:
        return frozenset({region})
    return False


def may_change_region(roles: UserRoles) -> bool:
    return roles.is_admin or len(roles.coordinator_regions) > 1


def scope_name(regions: frozenset[str] | None) -> str:
    if regions is None:
        return _("Kazakhstan (all regions)")
    return ", ".join(_(choice.name) for choice in REGIONS if choice.code in regions)


def picker_text(regions: frozenset[str] | None) -> str:
    return ("📊 <b>" + _("Statistics") + "</b>\n" + scope_name(regions) + "\n\n"
            + _("Choose the period:"))


def picker_keyboard(roles: UserRoles, region: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for kind, name in PRESET_NAMES.items():
        builder.button(text=name(), callback_data=StatsCb(action="period", p=kind.value, r=region))
    builder.button(text="✏️ " + _("Another period…"), callback_data=StatsCb(action="custom", r=region))
    sizes = [2, 2, 1]
    if may_change_region(roles):
        builder.button(text="🗺 " + _("Change the region"), callback_data=StatsCb(action="regions", r=region))
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()


def regions_keyboard(roles: UserRoles, region: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Kazakhstan (all regions)") if roles.is_admin else _("All my regions"),
                   callback_data=StatsCb(action="menu", r=""))
    for choice in REGIONS:
        if roles.is_admin or choice.code in roles.coordinator_regions:
            builder.button(text=_(choice.name), callback_data=StatsCb(action="menu", r=choice.code))
    builder.button(text="⬅️ " + _("Back"), callback_data=StatsCb(action="menu", r=region))
    builder.adjust(1, 2)
    return builder.as_markup()


def figures_keyboard(period_code: str, region: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="📄 " + _("Report (Excel)"), callback_data=StatsCb(action="report", p=period_code, r=region))
    builder.button(text="📅 " + _("Another period"), callback_data=StatsCb(action="menu", r=region))
    builder.adjust(1)
    return builder.as_markup()


def custom_keyboard(region: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text="⬅️ " + _("Back"), callback_data=StatsCb(action="menu", r=region))
    return builder.as_markup()


def custom_prompt() -> str:
    return _("Type the period as two dates, for example <code>01.01.2026–30.06.2026</code>.")


def period_error_text(reason: str) -> str:
    texts = {
        PeriodError.FORMAT: _("I could not read two dates there."),
        PeriodError.DATE: _("One of these dates does not exist."),
        PeriodError.ORDER: _("The period ends before it starts."),
        PeriodError.FUTURE: _("The period starts in the future: there are no figures for it yet."),
        PeriodError.TOO_LONG: _("The period is too long: at most 10 years."),
    }
    return texts.get(reason, texts[PeriodError.FORMAT]) + "\n" + custom_prompt()
