"""A volunteer's fields, as registration and /profile ask them: one `FieldSpec` each in
`FIELDS`, keyed by the field name (the same name `Registration` and
`VolunteerService.update` use)."""

from __future__ import annotations

from bot.domain.catalog import AVAILABILITY, DIRECTIONS, REGIONS, SKILLS, SPOKEN_LANGUAGES
from bot.domain.texts import N_
from handlers.fields.specs import FieldSpec

FULL_NAME = FieldSpec(
    "full_name", "text", N_("Full name"), N_("What is your full name? Please type your first and last name.")
)
PHONE = FieldSpec(
    "phone",
    "phone",
    N_("Phone"),
    N_("What is your phone number? Press “Share my contact” below, or type it, for example +7 701 234 56 78."),
)
BIRTH_YEAR = FieldSpec(
    "birth_year",
    "year",
    N_("Year of birth"),
    N_("What year were you born? For example 1995. You can also type your age."),
)
REGION = FieldSpec("region", "single", N_("Region"), N_("Which region do you live in?"), choices=REGIONS)
CITY = FieldSpec(
    "city",
    "text",
    N_("City or district"),
    N_("Which city, town or district? Type it, or press Skip."),
    optional=True,
)
DIRECTIONS_FIELD = FieldSpec(
    "directions",
    "multi",
    N_("Directions"),
    N_("Which directions interest you? Tick one or more, then press Done."),
    choices=DIRECTIONS,
    min_selected=1,
    columns=1,
)
SKILLS_FIELD = FieldSpec(
    "skills",
    "multi",
    N_("Skills"),
    N_("What skills do you have? Tick any that apply (or none), then press Done."),
    choices=SKILLS,
    min_selected=0,
)
AVAILABILITY_FIELD = FieldSpec(
    "availability",
    "multi",
    N_("Availability"),
    N_("When can you help? Tick one or more, then press Done."),
    choices=AVAILABILITY,
    min_selected=1,
    columns=1,
)
LANGUAGES_FIELD = FieldSpec(
    "languages",
    "multi",
    N_("Languages"),
    N_("Which languages do you speak? Tick them, type the names of any others (for example: Uzbek, German), "
       "then press Done."),
    choices=SPOKEN_LANGUAGES,
    min_selected=1,
    columns=3,
    open_choices=True,
)
GUARDIAN_NAME = FieldSpec(
    "guardian_name",
    "text",
    N_("Parent or guardian"),
    N_("What is the name of your parent or guardian who agrees? Please type their first name and surname."),
)
GUARDIAN_PHONE = FieldSpec(
    "guardian_phone",
    "phone",
    N_("Phone of the parent or guardian"),
    N_("What is their phone number? For example +7 701 234 56 78. The coordinators of the tasks you sign up for "
       "will see it, to reach them if needed."),
    own_contact=False,
)

FIELDS: dict[str, FieldSpec] = {
    spec.name: spec
    for spec in (
        FULL_NAME,
        PHONE,
        BIRTH_YEAR,
        REGION,
        CITY,
        DIRECTIONS_FIELD,
        SKILLS_FIELD,
        AVAILABILITY_FIELD,
        LANGUAGES_FIELD,
        GUARDIAN_NAME,
        GUARDIAN_PHONE,
    )
}
# Fields of a volunteer's own profile card (the guardian is shown for minors only).
PERSON_FIELDS = ("full_name", "phone", "birth_year", "region", "city", "directions", "skills", "availability",
                 "languages")
GUARDIAN_FIELDS = ("guardian_name", "guardian_phone")
