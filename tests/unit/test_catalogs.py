"""Every text exists in kk, ru and en, and the catalogs match the code."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from bot import catalogs
from bot.config import SUPPORTED_LOCALES
from bot.infra.i18n import LOCALES_DIR, compile_catalogs, make_i18n


def test_catalogs_are_complete_and_current() -> None:
    found = catalogs.problems()
    assert found == [], "\n".join(found[:40])


def _copy_locales(tmp_path: Path) -> Path:
    target = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def test_check_catches_an_untranslated_message(tmp_path: Path) -> None:
    locales = _copy_locales(tmp_path)
    po_path = locales / "kk" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="kk")
    catalog["Back"].string = ""
    with po_path.open("wb") as handle:
        write_po(handle, catalog)
    assert "kk: untranslated: 'Back'" in catalogs.problems(locales)


def test_check_catches_a_text_missing_from_the_catalog(tmp_path: Path) -> None:
    locales = _copy_locales(tmp_path)
    po_path = locales / "ru" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="ru")
    del catalog["Cancelled."]
    with po_path.open("wb") as handle:
        write_po(handle, catalog)
    assert any(line.startswith("ru: not in catalog") and "Cancelled." in line for line in catalogs.problems(locales))


def test_check_catches_a_lost_placeholder(tmp_path: Path) -> None:
    locales = _copy_locales(tmp_path)
    po_path = locales / "en" / "LC_MESSAGES" / "messages.po"
    with po_path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    catalog.add("Hello, {name}!", "Hello!")
    with po_path.open("wb") as handle:
        write_po(handle, catalog)
    found = catalogs.problems(locales)
    assert "en: placeholders or HTML tags differ from the original: 'Hello, {name}!'" in found


def test_catalogs_compile_and_translate(tmp_path: Path) -> None:
    locales = _copy_locales(tmp_path)
    written = compile_catalogs(locales)
    assert {path.parent.parent.name for path in written} == set(SUPPORTED_LOCALES)
    assert compile_catalogs(locales) == []  # up to date: nothing rewritten
    i18n = make_i18n("kk", locales)
    assert i18n.gettext("Back", locale="kk") == "Артқа"
    assert i18n.gettext("Back", locale="ru") == "Назад"
    assert i18n.gettext("Back", locale="en") == "Back"
    assert i18n.gettext("Abai Region", locale="kk") == "Абай облысы"


def test_russian_catalog_has_three_plural_forms() -> None:
    assert catalogs.read_catalog("ru").num_plurals == 3
    assert catalogs.read_catalog("kk").num_plurals in (1, 2)


def test_russian_plural_forms_follow_the_number() -> None:
    i18n = make_i18n("kk")

    def more(n: int, locale: str) -> str:
        return i18n.gettext("…and {count} more entry", "…and {count} more entries", n, locale=locale).format(count=n)

    assert [more(n, "ru") for n in (1, 3, 5, 21, 11)] == [
        "…и ещё 1 запись",
        "…и ещё 3 записи",
        "…и ещё 5 записей",
        "…и ещё 21 запись",
        "…и ещё 11 записей",
    ]
    assert more(5, "kk") == "…және тағы 5 жазба"  # Kazakh nouns do not change after numbers
    assert more(1, "en") == "…and 1 more entry"
    assert more(2, "en") == "…and 2 more entries"
