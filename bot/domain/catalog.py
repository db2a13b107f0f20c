"""Fixed vocabularies: regions, directions, skills, availability, spoken languages.

Codes are stored in the database and put into callback data; names are English msgids
translated at display time. The order of each tuple is the order of the buttons.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.domain.texts import N_


@dataclass(frozen=True, slots=True)
class Choice:
    code: str
    name: str  # English msgid, translated when shown


# ISO 3166-2:KZ, in force since 2022: three cities of republican significance first,
# then the seventeen regions in alphabetical order of their English names.
REGIONS: tuple[Choice, ...] = (
    Choice("KZ-71", N_("Astana")),
    Choice("KZ-75", N_("Almaty")),
    Choice("KZ-79", N_("Shymkent")),
    Choice("KZ-10", N_("Abai Region")),
    Choice("KZ-11", N_("Akmola Region")),
    Choice("KZ-15", N_("Aktobe Region")),
    Choice("KZ-19", N_("Almaty Region")),
    Choice("KZ-23", N_("Atyrau Region")),
    Choice("KZ-63", N_("East Kazakhstan Region")),
    Choice("KZ-31", N_("Jambyl Region")),
    Choice("KZ-33", N_("Jetisu Region")),
    Choice("KZ-35", N_("Karaganda Region")),
    Choice("KZ-39", N_("Kostanay Region")),
    Choice("KZ-43", N_("Kyzylorda Region")),
    Choice("KZ-47", N_("Mangystau Region")),
    Choice("KZ-59", N_("North Kazakhstan Region")),
    Choice("KZ-55", N_("Pavlodar Region")),
    Choice("KZ-61", N_("Turkistan Region")),
    Choice("KZ-62", N_("Ulytau Region")),
    Choice("KZ-27", N_("West Kazakhstan Region")),
)

# State programme directions (one support centre each).
DIRECTIONS: tuple[Choice, ...] = (
    Choice("health", N_("Health care")),
    Choice("ecology", N_("Ecology")),
    Choice("heritage", N_("Historical and cultural heritage")),
    Choice("emergency", N_("Emergencies and search")),
    Choice("mentoring", N_("Mentoring children")),
    Choice("elderly", N_("Elderly care")),
    Choice("education", N_("Education")),
    Choice("social", N_("Social support")),
)

SKILLS: tuple[Choice, ...] = (
    Choice("medical", N_("First aid or medical")),
    Choice("driving", N_("Car and driving licence")),
    Choice("psychology", N_("Psychology")),
    Choice("languages", N_("Foreign languages")),
    Choice("it", N_("IT")),
    Choice("media", N_("Photo and video")),
    Choice("cooking", N_("Cooking")),
    Choice("construction", N_("Construction")),
    Choice("teaching", N_("Teaching")),
    Choice("legal", N_("Legal")),
)

AVAILABILITY: tuple[Choice, ...] = (
    Choice("weekdays", N_("Weekdays")),
    Choice("evenings", N_("Weekday evenings")),
    Choice("weekends", N_("Weekends")),
    Choice("emergency", N_("Any time for emergencies")),
)

# Languages a volunteer speaks (not the interface language).
SPOKEN_LANGUAGES: tuple[Choice, ...] = (
    Choice("kk", N_("Kazakh")),
    Choice("ru", N_("Russian")),
    Choice("en", N_("English")),
)

# Interface languages, each named in itself: shown before any language is chosen.
INTERFACE_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
)


def _index(choices: tuple[Choice, ...]) -> dict[str, Choice]:
    return {choice.code: choice for choice in choices}


REGION_BY_CODE = _index(REGIONS)
DIRECTION_BY_CODE = _index(DIRECTIONS)
SKILL_BY_CODE = _index(SKILLS)
AVAILABILITY_BY_CODE = _index(AVAILABILITY)
SPOKEN_LANGUAGE_BY_CODE = _index(SPOKEN_LANGUAGES)


def is_region(code: str) -> bool:
    return code in REGION_BY_CODE


def keep_known(codes: list[str] | tuple[str, ...] | set[str], choices: tuple[Choice, ...]) -> list[str]:
    """The codes that exist, once each, in the catalog's order (stale or forged ones drop out)."""
    wanted = set(codes)
    return [choice.code for choice in choices if choice.code in wanted]
