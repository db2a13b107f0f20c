"""How people's contact details are shown (HTML-safe): phones grouped as people read
them (bot.domain.people.format_phone), a minor's parent or guardian under their name.
Call inside a handler (texts are translated when built)."""

from __future__ import annotations

from typing import Any

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.domain.people import format_phone

EMPTY = "—"


def phone_text(phone: str | None) -> str:
    """"+7 701 061 00 01", escaped; "—" when there is none."""
    return html.quote(format_phone(phone)) if phone else EMPTY


def guardian_text(name: str | None, phone: str | None) -> str:
    """"Name, +7 701 …", escaped; "not given" when neither is on record."""
    parts = [html.quote(name)] if name else []
    if phone:
        parts.append(phone_text(phone))
    return ", ".join(parts) if parts else _("not given")


def roster_contact(row: Any) -> str:
    """What follows a name in a coordinator's roster (for those who may see phones):
    " — phone", and for a minor a second line with the parent or guardian."""
    text = f" — {phone_text(row.phone)}" if row.phone else ""
    name, phone = getattr(row, "guardian_name", None), getattr(row, "guardian_phone", None)
    if name or phone or getattr(row, "guardian_consent_at", None):
        text += "\n    👪 " + _("Parent or guardian: {guardian}").format(guardian=guardian_text(name, phone))
    return text
