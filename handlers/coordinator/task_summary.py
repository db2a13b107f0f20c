"""A task's fields shown one per line, HTML-safe: /newtask's preview and /mytasks' card.
Texts are translated when built: call these inside a handler."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram import html
from aiogram.utils.i18n import gettext as _

from bot.domain.catalog import DIRECTIONS, REGION_BY_CODE, SKILLS, keep_known
from bot.infra.i18n import LocalTime

EMPTY = "—"
DIRECTION_BY_CODE = {choice.code: choice for choice in DIRECTIONS}
SKILL_BY_CODE = {choice.code: choice for choice in SKILLS}


def region_name(code: str | None) -> str:
    region = REGION_BY_CODE.get(code or "")
    return _(region.name) if region else EMPTY


def direction_name(code: str | None) -> str:
    choice = DIRECTION_BY_CODE.get(code or "")
    return _(choice.name) if choice else EMPTY


def skills_names(codes: list[str]) -> str:
    names = [_(SKILL_BY_CODE[code].name) for code in keep_known(list(codes), SKILLS)]
    return ", ".join(names) if names else EMPTY


def place_text(place: str | None, latitude: float | None, longitude: float | None) -> str:
    """HTML-safe place: the address, and the pin's coordinates when there is one."""
    parts = []
    if place:
        parts.append(html.quote(place))
    if latitude is not None and longitude is not None:
        parts.append(f"📍 {latitude:.5f}, {longitude:.5f}")
    return " ".join(parts) if parts else EMPTY


def task_summary(values: dict[str, Any], local_time: LocalTime, locale: str) -> str:
    """The task's fields, one per line, HTML-safe. `values` are a Task's or a draft's
    attributes (title, description, direction, region, place, latitude, longitude,
    starts_at, ends_at, slots, required_skills, min_age, organisation)."""
    starts_at: datetime | None = values.get("starts_at")
    ends_at: datetime | None = values.get("ends_at")
    when = html.quote(local_time.span(starts_at, ends_at, locale)) if starts_at and ends_at else EMPTY
    lines = ["📌 <b>" + html.quote(values.get("title") or EMPTY) + "</b>"]
    if values.get("description"):
        lines.append(html.quote(values["description"]))
    lines.append("")
    slots = values.get("slots")
    rows = [
        (_("Direction"), html.quote(direction_name(values.get("direction")))),
        (_("Region"), html.quote(region_name(values.get("region")))),
        (_("Place"), place_text(values.get("place"), values.get("latitude"), values.get("longitude"))),
        (_("Time"), when),
        (_("Volunteers needed"), str(slots) if slots else EMPTY),
        (_("Required skills"), html.quote(skills_names(values.get("required_skills") or []))),
        (_("Minimum age"), str(values.get("min_age") or EMPTY)),
        (_("Organisation"), html.quote(values.get("organisation") or EMPTY)),
    ]
    lines += [f"{label}: {value}" for label, value in rows]
    return "\n".join(lines)


def task_values(task: Any) -> dict[str, Any]:
    names = ("title", "description", "direction", "region", "place", "latitude", "longitude", "starts_at",
             "ends_at", "slots", "required_skills", "min_age", "organisation")
    return {name: getattr(task, name) for name in names}


__all__ = ["direction_name", "place_text", "region_name", "skills_names", "task_summary", "task_values"]
