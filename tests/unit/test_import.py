"""Spreadsheet import: file formats, header, rows good and bad, matching, re-import."""

from __future__ import annotations

import random
from datetime import datetime, timezone
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from bot.domain.catalog import DIRECTIONS, REGIONS, SKILLS
from bot.domain.people import normalize_phone
from bot.domain.volunteers import VolunteerStatus
from bot.importer import ImportFileError, ImportReport, Vocabulary, VolunteerImporter
from bot.importer.rows import fast_normalize_phone
from bot.infra.i18n import make_i18n, make_vocabulary
from bot.volunteers.service import Registration, VolunteerService
from storage.db import Database
from storage.models import Volunteer, VolunteerDirection, VolunteerSkill
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases

HEADER = "full_name,phone,telegram_id,birth_year,region,city,directions,skills,locale"


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return make_vocabulary(make_i18n("kk"))


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2026, 3, 2, 6, 0, tzinfo=timezone.utc))


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


@pytest.fixture
def importer(db: Database, clock: ManualClock, vocabulary: Vocabulary) -> VolunteerImporter:
    # Small batches so that a few rows already cross batch boundaries.
    return VolunteerImporter(db, clock, vocabulary, batch_size=3)


def write(path: Path, text: str, *, bom: bool = False) -> Path:
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


async def volunteers(db: Database) -> dict[str, Volunteer]:
    """Every volunteer by phone (or by 'tg<id>' when there is no phone)."""
    async with db.session() as session:
        rows = (await session.scalars(select(Volunteer))).all()
    return {v.phone or f"tg{v.telegram_id}": v for v in rows}


async def count(db: Database, model: type) -> int:
    async with db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


def reasons(report: ImportReport) -> dict[int, str]:
    return {bad.row: bad.reason for bad in report.bad}


# --- file formats -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "bom"), [(",", False), (";", False), (",", True), (";", True)], ids=["comma", "semicolon", "comma-bom", "semicolon-bom"]
)
async def test_csv_with_comma_or_semicolon_with_or_without_bom(
    tmp_path: Path, db: Database, importer: VolunteerImporter, delimiter: str, bom: bool
) -> None:
    lines = [
        HEADER,
        "Айгүл Серікова,+7 701 123 45 67,,1995,KZ-75,Алматы,'health;ecology',medical,kk",
        "Ivan Petrov,87021234567,555001,1980,kz-11,,education,,ru",
    ]
    text = "\n".join(line.replace(",", delimiter).replace("'", '"') for line in lines) + "\n"
    report = await importer.import_file(write(tmp_path / "people.csv", text, bom=bom))
    assert (report.created, report.updated, report.unchanged, report.bad) == (2, 0, 0, [])
    stored = await volunteers(db)
    assert stored["+77011234567"].full_name == "Айгүл Серікова"
    assert stored["+77011234567"].directions == ["ecology", "health"]
    assert stored["+77021234567"].telegram_id == 555001
    assert stored["+77021234567"].region == "KZ-11"


async def test_xlsx_with_numbers_as_excel_keeps_them(tmp_path: Path, db: Database, importer: VolunteerImporter) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Phone", "FULL_NAME", " Region ", "Directions", "telegram_id", "birth_year", "notes"])
    sheet.append([77011234567, "Асқар Оспанов", "Алматы облысы", "Здравоохранение; Экология", 42424242, 1990, "x"])
    sheet.append(["+7 702 111 22 33", "Anna Smith", "Akmola", "mentoring", None, 1800.0, None])
    sheet.append([None, None, None, None, None, None, None])  # an empty row: skipped, still counted in numbering
    sheet.append([None, "Dana", "KZ-71", None, 123.0, 2001, None])
    path = tmp_path / "people.xlsx"
    workbook.save(path)

    report = await importer.import_file(path)

    assert report.ignored_columns == ["notes"]
    assert reasons(report) == {3: "invalid birth_year '1800' (the age must be 7-100)"}
    assert (report.rows, report.created) == (3, 2)
    stored = await volunteers(db)
    askar = stored["+77011234567"]
    assert (askar.full_name, askar.telegram_id, askar.birth_year, askar.region) == ("Асқар Оспанов", 42424242, 1990, "KZ-19")
    assert askar.directions == ["ecology", "health"]
    assert stored["tg123"].full_name == "Dana" and stored["tg123"].region == "KZ-71"


# --- header -------------------------------------------------------------------------------


async def test_columns_in_another_order_and_case(tmp_path: Path, db: Database, importer: VolunteerImporter) -> None:
    text = " LOCALE ;Skills;Region;Phone;Full Name;City\nRU;IT, Psychology;Shymkent;+77051234567;Ерлан Қасымов;Шымкент\n"
    report = await importer.import_file(write(tmp_path / "p.csv", text))
    assert report.bad == [] and report.created == 1
    erlan = (await volunteers(db))["+77051234567"]
    assert (erlan.locale, erlan.region, erlan.city, erlan.skills) == ("ru", "KZ-79", "Шымкент", ["it", "psychology"])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "no header row"),
        ("\n\n", "no header row"),
        ("name;mobile\nAnna;+77011234567\n", "no header row"),
        ("full_name,city\nAnna,Almaty\n", "neither a 'phone' nor a 'telegram_id'"),
        ("phone,Phone\n1,2\n", "appears twice"),
        ("+77011234567,Anna\n", "no header row"),
    ],
)
async def test_a_file_without_a_usable_header_is_refused(
    tmp_path: Path, db: Database, importer: VolunteerImporter, content: str, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        await importer.import_file(write(tmp_path / "p.csv", content))
    assert await count(db, Volunteer) == 0


async def test_unreadable_files_are_refused(tmp_path: Path, importer: VolunteerImporter) -> None:
    with pytest.raises(ImportFileError, match="no such file"):
        await importer.import_file(tmp_path / "missing.csv")
    with pytest.raises(ImportFileError, match="unsupported file type .xls"):
        await importer.import_file(write(tmp_path / "old.xls", "phone\n"))
    (tmp_path / "cp1251.csv").write_bytes("phone,full_name\n+77011234567,Иван\n".encode("cp1251"))
    with pytest.raises(ImportFileError, match="not UTF-8"):
        await importer.import_file(tmp_path / "cp1251.csv")
    with pytest.raises(ImportFileError, match="not a readable .xlsx"):
        await importer.import_file(write(tmp_path / "fake.xlsx", "phone\n"))


# --- vocabularies -------------------------------------------------------------------------


def test_every_region_direction_and_skill_is_found_by_code_and_by_each_name(vocabulary: Vocabulary) -> None:
    i18n = make_i18n("kk")
    for choice in REGIONS:
        assert vocabulary.region(choice.code).preferred == choice.code
        for locale in ("kk", "ru", "en"):
            name = i18n.gettext(choice.name, locale=locale)
            assert vocabulary.region(name).preferred == choice.code, (locale, name)
            assert vocabulary.region(f"  {name.upper()}  ").preferred == choice.code
    for kind, choices in (("directions", DIRECTIONS), ("skills", SKILLS)):
        for choice in choices:
            assert vocabulary.pick(kind, choice.code).codes == [choice.code]
            for locale in ("kk", "ru", "en"):
                name = i18n.gettext(choice.name, locale=locale)
                assert vocabulary.pick(kind, f"  {name.upper()}  ").codes == [choice.code], (locale, name)


def test_region_spellings(vocabulary: Vocabulary) -> None:
    for spelling in ("KZ-75", "kz-75", "KZ75", "Алматы", "Almaty qalasy", "Алма-Ата"):
        assert vocabulary.region(spelling).preferred == "KZ-75", spelling  # the city, not Almaty Region
    assert vocabulary.region("almaty region").preferred == "KZ-19"
    assert vocabulary.region("Akmola").preferred == "KZ-11"  # English without " Region"
    assert vocabulary.region("Абай облысы").preferred == "KZ-10"
    assert vocabulary.region("западно–казахстанская   ОБЛАСТЬ").preferred == "KZ-27"  # en dash, extra spaces
    assert vocabulary.region("Восточно - Казахстанская область").preferred == "KZ-63"
    assert vocabulary.region("Mars").preferred is None
    assert vocabulary.region("KZ-99").preferred is None


# The words of the state programme and of the front offices' own sheets: a quarter of
# these rows used to be refused ("unknown direction 'emergencies'").
DESIGN_WORDS = """full_name,phone,region,directions,skills
Айгүл Серікова,+77011230001,Алматы,emergencies,first aid
Ерлан Беков,+77011230002,Almaty qalasy,health care; elderly care,driving
Дана Ли,+77011230003,Нур-Султан,ЧС,IT
Асқар Жұмабаев,+77011230004,Шымкент,Ecology,Photo and video
Мария Ким,+77011230005,Қарағанды облысы,поисково-спасательные,Психолог
Nurlan Abishev,+77011230006,Karaganda,Emergency; Education,teaching
Әлия Қасымова,+77011230007,Алматинская обл.,забота о пожилых,повар
Ivan Petrov,+77011230008,Өскемен,EMERGENCIES and search,юрист
"""


async def test_a_sheet_in_the_designs_own_words_is_imported_whole(
    tmp_path: Path, db: Database, importer: VolunteerImporter
) -> None:
    report = await importer.import_file(write(tmp_path / "design.csv", DESIGN_WORDS))
    assert report.bad == [] and report.created == 8
    stored = await volunteers(db)
    assert [stored[f"+7701123000{n}"].directions for n in range(1, 9)] == [
        ["emergency"], ["elderly", "health"], ["emergency"], ["ecology"], ["emergency"], ["education", "emergency"],
        ["elderly"], ["emergency"],
    ]
    assert [stored[f"+7701123000{n}"].region for n in range(1, 9)] == [
        "KZ-75", "KZ-75", "KZ-71", "KZ-79", "KZ-35", "KZ-35", "KZ-19", "KZ-63",
    ]
    assert [stored[f"+7701123000{n}"].skills for n in range(1, 9)] == [
        ["medical"], ["driving"], ["it"], ["media"], ["psychology"], ["teaching"], ["cooking"], ["legal"],
    ]


async def test_availability_and_spoken_languages_by_name(tmp_path: Path, db: Database, importer: VolunteerImporter) -> None:
    text = (
        "full_name,phone,availability,languages\n"
        "A B,+77011230021,\"выходные, вечера\",\"казахский, русский, узбекский\"\n"
        "C D,+77011230022,Any time for emergencies,English\n"
        "E F,+77011230023,никогда,klingon\n"
    )
    report = await importer.import_file(write(tmp_path / "langs.csv", text))
    assert reasons(report) == {4: "unknown availability 'никогда'; unknown language 'klingon'"}
    stored = await volunteers(db)
    assert stored["+77011230021"].availability == ["evenings", "weekends"]
    assert stored["+77011230021"].languages == ["kk", "ru", "uz"]
    assert (stored["+77011230022"].availability, stored["+77011230022"].languages) == (["emergency"], ["en"])
    # Again with other languages: replaced, not added.
    await importer.import_file(write(tmp_path / "langs2.csv", "full_name,phone,languages\nA B,+77011230021,Türkçe\n"))
    assert (await volunteers(db))["+77011230021"].languages == ["tr"]


async def test_a_typo_is_forgiven_unless_it_fits_two_regions(tmp_path: Path, importer: VolunteerImporter) -> None:
    text = "full_name,phone,region,directions\nA B,+77011230011,Шымкет,экологя\nC D,+77011230012,Аламты,health\n"
    report = await importer.import_file(write(tmp_path / "typos.csv", text))
    assert reasons(report) == {3: "unclear region 'Аламты' (could be KZ-75 or KZ-19)"}
    assert report.created == 1


# --- good and bad rows --------------------------------------------------------------------


MIXED = """full_name,phone,telegram_id,birth_year,region,city,directions,skills,locale
Айгүл Серікова,+7 701 123 45 67,,1995,KZ-75,Алматы,"health, Экология",medical;Психология,kk
Нет Контактов,,,1990,KZ-75,,,,ru
Bad Phone,12345,,1990,KZ-75,,,,en
Too Old,+77021112233,,1900,KZ-75,,,,en
Lost Region,+77021112234,,1990,Atlantis,,,,en
Unknown Direction,+77021112235,,1990,KZ-71,,"health; вязание",,ru
Ivan Petrov,8 (705) 765-43-21,77777,1988,Алматинская область,Қонаев,Наставничество детей;education,"IT, driving",RU
Айгүл Again,87011234567,,1996,KZ-75,,,,kk
,+77021112236,,1990,KZ-75,,,,
Bad Locale,+77021112237,,2019,West Kazakhstan,,,,de
Telegram Only,,9001,,,,,,
Same Telegram,+77021112238,9001,,,,,,
"""


async def test_good_rows_are_imported_and_bad_rows_reported_with_number_and_reason(
    tmp_path: Path, db: Database, clock: ManualClock, importer: VolunteerImporter
) -> None:
    report = await importer.import_file(write(tmp_path / "mixed.csv", MIXED))

    assert reasons(report) == {
        3: "no phone and no telegram_id (one of them is needed)",
        4: "invalid phone '12345'",
        5: "invalid birth_year '1900' (the age must be 7-100)",
        6: "unknown region 'Atlantis'",
        7: "unknown direction 'вязание'",
        9: "duplicate of row 2 (same phone +77011234567)",
        10: "full_name is missing",
        11: "unknown locale 'de' (kk, ru, en or empty)",
        13: "duplicate of row 12 (same telegram_id 9001)",
    }
    assert (report.rows, report.created, report.updated, report.unchanged) == (12, 3, 0, 0)
    assert await count(db, Volunteer) == 3

    stored = await volunteers(db)
    aigul = stored["+77011234567"]
    assert (aigul.full_name, aigul.birth_year, aigul.region, aigul.city, aigul.locale) == (
        "Айгүл Серікова", 1995, "KZ-75", "Алматы", "kk"
    )
    assert aigul.directions == ["ecology", "health"] and aigul.skills == ["medical", "psychology"]
    assert (aigul.source, aigul.status, aigul.consent_at, aigul.telegram_id) == ("import", VolunteerStatus.ACTIVE, None, None)
    assert aigul.languages == []  # the interface language says nothing about the languages spoken
    assert aigul.created_at == aigul.updated_at == clock.now()

    ivan = stored["+77057654321"]
    assert (ivan.telegram_id, ivan.region, ivan.city, ivan.locale) == (77777, "KZ-19", "Қонаев", "ru")
    assert ivan.directions == ["education", "mentoring"] and ivan.skills == ["driving", "it"]
    assert stored["tg9001"].full_name == "Telegram Only" and stored["tg9001"].phone is None
    assert await count(db, VolunteerDirection) == 4 and await count(db, VolunteerSkill) == 4


async def test_a_row_with_many_problems_names_them_all(tmp_path: Path, importer: VolunteerImporter) -> None:
    text = HEADER + "\nX,123,abc,1800,Mars,,foo;health,bar,xx\n"
    report = await importer.import_file(write(tmp_path / "p.csv", text))
    assert reasons(report) == {
        2: "invalid full_name 'X' (2-100 characters with a letter); invalid phone '123'; "
        "invalid telegram_id 'abc' (a positive number); invalid birth_year '1800' (the age must be 7-100); "
        "unknown region 'Mars'; unknown locale 'xx' (kk, ru, en or empty); unknown direction 'foo'; unknown skill 'bar'"
    }


async def test_age_limits_use_the_clock(tmp_path: Path, clock: ManualClock, importer: VolunteerImporter) -> None:
    year = clock.now().year
    text = f"full_name,phone,birth_year\nSeven,+77011234501,{year - 7}\nSix,+77011234502,{year - 6}\nHundred,+77011234503,{year - 100}\nOlder,+77011234504,{year - 101}\n"
    report = await importer.import_file(write(tmp_path / "p.csv", text))
    assert sorted(reasons(report)) == [3, 5]
    assert report.created == 2


# --- matching and re-import ---------------------------------------------------------------


async def test_reimport_updates_instead_of_duplicating(
    tmp_path: Path, db: Database, clock: ManualClock, importer: VolunteerImporter
) -> None:
    path = write(tmp_path / "mixed.csv", MIXED)
    await importer.import_file(path)
    created_at = (await volunteers(db))["+77011234567"].created_at

    again = await importer.import_file(path)
    assert (again.created, again.updated, again.unchanged, len(again.bad)) == (0, 0, 3, 9)

    clock.advance(hours=2)
    changed = MIXED.replace("Айгүл Серікова", "Айгүл Серікқызы").replace('"health, Экология"', "education")
    changed = changed.replace("Telegram Only,,9001", "Telegram Only,+77079998877,9001")
    report = await importer.import_file(write(path, changed))
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert await count(db, Volunteer) == 3
    stored = await volunteers(db)
    aigul = stored["+77011234567"]
    assert aigul.full_name == "Айгүл Серікқызы" and aigul.directions == ["education"]
    assert aigul.skills == ["medical", "psychology"]
    assert aigul.created_at == created_at and aigul.updated_at == clock.now()
    # Matched by the Telegram id, the phone is filled in.
    assert stored["+77079998877"].telegram_id == 9001
    assert await count(db, VolunteerDirection) == 3


async def test_empty_cells_never_erase_stored_values(tmp_path: Path, db: Database, importer: VolunteerImporter) -> None:
    await importer.import_file(write(tmp_path / "a.csv", HEADER + "\nAnna Kim,+77011234567,,1990,KZ-75,Алматы,health,it,ru\n"))
    report = await importer.import_file(write(tmp_path / "b.csv", "phone,full_name,city,directions\n+77011234567,Anna Kim,,\n"))
    assert report.unchanged == 1
    anna = (await volunteers(db))["+77011234567"]
    assert (anna.city, anna.region, anna.directions, anna.skills) == ("Алматы", "KZ-75", ["health"], ["it"])


async def test_phone_of_one_volunteer_and_telegram_id_of_another_is_a_conflict(
    tmp_path: Path, db: Database, importer: VolunteerImporter
) -> None:
    await importer.import_file(write(tmp_path / "a.csv", "full_name,phone,telegram_id\nAnna,+77011234567,\nBoris,+77021234567,5005\n"))
    report = await importer.import_file(write(tmp_path / "b.csv", "full_name,phone,telegram_id\nAnna,+77011234567,5005\n"))
    assert reasons(report) == {
        2: "conflict: the phone +77011234567 belongs to one volunteer and the telegram_id 5005 to another"
    }
    stored = await volunteers(db)
    assert stored["+77011234567"].telegram_id is None and stored["+77021234567"].telegram_id == 5005


async def test_two_rows_reaching_the_same_volunteer_by_different_keys(
    tmp_path: Path, db: Database, importer: VolunteerImporter
) -> None:
    await importer.import_file(write(tmp_path / "a.csv", "full_name,phone,telegram_id\nAnna,+77011234567,5005\n"))
    text = "full_name,phone,telegram_id\nAnna A,+77011234567,\nAnna B,,5005\n"
    report = await importer.import_file(write(tmp_path / "b.csv", text))
    assert reasons(report) == {3: "the same volunteer as row 2 (by phone or telegram_id)"}
    assert (await volunteers(db))["+77011234567"].full_name == "Anna A"


async def test_a_phone_freed_earlier_in_the_file_can_be_taken_later(
    tmp_path: Path, db: Database, clock: ManualClock, vocabulary: Vocabulary
) -> None:
    importer = VolunteerImporter(db, clock, vocabulary, batch_size=100)  # all in one batch
    await importer.import_file(write(tmp_path / "a.csv", "full_name,phone,telegram_id\nAnna,+77011234567,5005\n"))
    # Anna (found by Telegram id) gets a new phone; her old one goes to a new person.
    text = "full_name,phone,telegram_id\nAnna,+77029999999,5005\nBoris,+77011234567,\n"
    report = await importer.import_file(write(tmp_path / "b.csv", text))
    assert (report.created, report.updated, report.bad) == (1, 1, [])
    stored = await volunteers(db)
    assert stored["+77029999999"].full_name == "Anna" and stored["+77011234567"].full_name == "Boris"


async def test_a_volunteer_registered_in_the_bot_is_not_overwritten(
    tmp_path: Path, db: Database, clock: ManualClock, importer: VolunteerImporter
) -> None:
    service = VolunteerService(db, clock)
    await service.register(
        700, Registration(full_name="Әсел Бекова", phone="+77011234567", birth_year=1999, region="KZ-71", locale="kk", directions=["health"])
    )
    text = HEADER + "\nAsel Bekova,+77011234567,,1980,KZ-75,Астана,education,cooking,ru\n"
    report = await importer.import_file(write(tmp_path / "p.csv", text))
    assert report.updated == 1  # only the empty fields were filled
    asel = (await volunteers(db))["+77011234567"]
    assert (asel.full_name, asel.birth_year, asel.region, asel.locale, asel.directions) == (
        "Әсел Бекова", 1999, "KZ-71", "kk", ["health"]
    )
    assert (asel.city, asel.skills) == ("Астана", ["cooking"])  # empty before, filled now
    assert (asel.source, asel.telegram_id) == ("bot", 700) and asel.consent_at is not None
    again = await importer.import_file(write(tmp_path / "p.csv", text))
    assert again.unchanged == 1


async def test_deleted_volunteers_are_not_revived(tmp_path: Path, db: Database, clock: ManualClock, importer: VolunteerImporter) -> None:
    service = VolunteerService(db, clock)
    await service.register(700, Registration(full_name="Әсел Бекова", phone="+77011234567", birth_year=1999, region="KZ-71", locale="kk"))
    await service.delete(700)
    report = await importer.import_file(write(tmp_path / "p.csv", "full_name,phone,telegram_id\nӘсел Бекова,+77011234567,700\n"))
    assert report.created == 1
    async with db.session() as session:
        rows = (await session.scalars(select(Volunteer).order_by(Volunteer.id))).all()
    assert [(v.status, v.phone, v.source) for v in rows] == [
        (VolunteerStatus.DELETED, None, "bot"),
        (VolunteerStatus.ACTIVE, "+77011234567", "import"),
    ]


async def test_an_imported_volunteer_who_registers_in_the_bot_is_linked(
    tmp_path: Path, db: Database, clock: ManualClock, importer: VolunteerImporter
) -> None:
    await importer.import_file(write(tmp_path / "p.csv", HEADER + "\nЕрлан Қасымов,87011234567,,1990,KZ-75,,health,,kk\n"))
    result = await VolunteerService(db, clock).register(
        4242, Registration(full_name="Ерлан Қасымов", phone="+77011234567", birth_year=1990, region="KZ-75", locale="kk")
    )
    assert result.linked_to_import
    assert await count(db, Volunteer) == 1
    erlan = (await volunteers(db))["+77011234567"]
    assert erlan.telegram_id == 4242 and erlan.consent_at == clock.now() and erlan.id == result.volunteer.id


# --- progress and phones --------------------------------------------------------------------


async def test_progress_is_reported_for_large_files(tmp_path: Path, db: Database, clock: ManualClock, vocabulary: Vocabulary) -> None:
    lines = ["phone,full_name"] + [f"+7701{i:07d},Person {i}" for i in range(25)]
    calls: list[tuple[int, int | None]] = []
    importer = VolunteerImporter(db, clock, vocabulary, batch_size=4, progress_every=10)
    report = await importer.import_file(write(tmp_path / "p.csv", "\n".join(lines) + "\n"), progress=lambda d, t: calls.append((d, t)))
    assert report.created == 25
    assert calls == [(10, 25), (20, 25), (25, 25)]


def test_fast_phone_normalisation_agrees_with_the_domain_rule() -> None:
    rnd = random.Random(7)
    samples = ["+7 701 123 45 67", "8 (702) 1234567", "87771234567", "+7 (495) 123-45-67", "+77091234567", "7 700 000 00 00",
               "+8 701 123 45 67", "+1 202 555 0101", "701 123 45 67", "+7 701 123 45 678", "+7 0701234567"]
    for _ in range(3000):
        digits = "".join(rnd.choice("0123456789") for _ in range(rnd.randint(9, 12)))
        samples.append(rnd.choice(["+7", "8", "7", "+", ""]) + rnd.choice(["", " ", "("]) + digits)
    for sample in samples:
        assert fast_normalize_phone(sample) == normalize_phone(sample), sample
