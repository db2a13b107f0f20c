"""Importing volunteers from a spreadsheet (`birge volunteers import FILE`).

The file
    `.csv` (UTF-8, with or without BOM; comma or semicolon, whichever the header row uses
    more) or `.xlsx` (first sheet). Row 1 is the header: any of the columns
    full_name, phone, telegram_id, birth_year, region, city, directions, skills,
    availability, languages (spoken), locale
    in any order and case ("Full Name" works too); other columns are ignored and named in
    the summary. The header needs a `phone` or a `telegram_id` column, else the file is
    refused (exit status 2) before anything is written. Completely empty rows are skipped.
    Row numbers are the spreadsheet's own (header = row 1; empty rows count, and a quoted
    CSV cell with a line break does not shift them).

A row is bad (reported with its spreadsheet row number and every reason, nothing of it
written) when
    full_name is missing or invalid (bot.domain.people.parse_full_name); it has neither
    phone nor telegram_id; the phone is not a valid number (normalize_phone: +7 assumed,
    8 7xx... accepted); telegram_id is not a positive number; birth_year gives an age
    outside 7..100; region, a direction, a skill, an availability or a language is
    unknown; locale is not kk/ru/en; city is invalid; it repeats a phone or telegram_id of an earlier row of the same file
    ("duplicate of row N"); it matches the same volunteer as an earlier row; or its phone
    belongs to one stored volunteer and its telegram_id to another.
    Names are read by bot.domain.vocabulary, exactly as the registration dialog reads a
    typed answer: case, punctuation, Kazakh/Russian letters, Kazakh Latin, plural or
    singular and a small typo do not matter. Region: an ISO code (KZ-75, kz-75, KZ75),
    its name in kk, ru or en, or its centre ("Караганда", "Өскемен"); a name two regions
    share counts as the likelier ("Алматы": the city KZ-75; "Алматы облысы" is KZ-19), and
    a typo that fits two regions is refused. Directions, skills, availability and spoken
    languages: codes or names in any of the three languages ("emergencies", "ЧС",
    "поисково-спасательные", "elderly care"; "казахский", "Uzbek"), separated by `;` or `,`.

Matching and updating
    A row updates the volunteer with its phone, else the one with its telegram_id, else a
    new volunteer is created (source "import", status active, no consent: the person still
    has to consent in the bot, where VolunteerService.register links them by phone).
    Re-importing a file therefore updates instead of duplicating, and an unchanged row is
    counted as "unchanged" and not written.
    An empty cell never erases what is stored.
    A volunteer who registered through the bot (consent_at set) is the owner of their data:
    a row only fills the fields they left empty and never overwrites a name, phone, region
    etc. they gave themselves (the spreadsheet is older and second-hand; the bot's data was
    confirmed by the person). Deleted volunteers are never matched and so never revived
    (their phone and Telegram id were erased anyway).

Work is done in batches of BATCH_SIZE valid rows (and at every progress mark), one
transaction each: one query finds
the stored volunteers for the batch's phones and Telegram ids, new volunteers and their
direction/skill rows are bulk-inserted (executemany; ids come back with RETURNING),
changed ones are bulk-updated (SQLite gets a 64 MB page cache for it). A crash loses at most the batch in flight, and running the
import again is idempotent.

The error list: whenever there are bad rows the CLI writes all of them to
`<file>.errors.csv` next to the input (row, reason, then the original columns) and shows
the first 50; a clean run removes a stale error list of an earlier run.
"""

from bot.domain.vocabulary import Vocabulary
from bot.importer.reader import COLUMNS, ImportFileError
from bot.importer.rows import VolunteerRow, parse_row
from bot.importer.service import BATCH_SIZE, BadRow, ImportReport, VolunteerImporter, write_errors

__all__ = [
    "BATCH_SIZE",
    "COLUMNS",
    "BadRow",
    "ImportFileError",
    "ImportReport",
    "Vocabulary",
    "VolunteerImporter",
    "VolunteerRow",
    "parse_row",
    "write_errors",
]
