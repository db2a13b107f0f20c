"""Translator workflow for the gettext catalogs under locales/.

    python -m bot.catalogs update   # extract texts from the code, refresh messages.pot and every .po
    python -m bot.catalogs check    # list untranslated, fuzzy, missing or obsolete messages; exit 1 if any
    python -m bot.catalogs compile  # write .mo files (the bot also does this on start)

The tests call `problems()` so a catalog that misses a string fails the suite.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.config import SUPPORTED_LOCALES
from bot.infra.i18n import DOMAIN, LOCALES_DIR, compile_catalogs

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("bot", "handlers")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "N_": None,
    "__": None,
    "lazy_gettext": None,
    "_t": None,  # TaskService._t: notices rendered outside an update, in the recipient's language
}


def extract(root: Path = PROJECT_ROOT) -> Catalog:
    """Every message id used in the code, as a fresh template."""
    template = Catalog(project="birge", domain=DOMAIN, charset="utf-8")
    for folder in SOURCE_DIRS:
        for _filename, lineno, message, comments, context in extract_from_dir(
            root / folder,
            method_map=[("**.py", "python")],
            keywords=KEYWORDS,
            comment_tags=("TRANSLATORS:",),
            strip_comment_tags=True,
        ):
            template.add(message, None, [(f"{folder}/{_filename}", lineno)], auto_comments=comments, context=context)
    return template


_PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")
_TAG = re.compile(r"</?[a-z-]+")


def _markup_of(text: str) -> tuple[Counter, Counter]:
    """The format placeholders and HTML tags a text uses: a translation must keep them."""
    return Counter(_PLACEHOLDER.findall(text)), Counter(_TAG.findall(text))


def _message_ids(catalog: Iterable) -> set[str]:
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def read_catalog(locale: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    with (locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def problems(locales_dir: Path = LOCALES_DIR, root: Path = PROJECT_ROOT) -> list[str]:
    """Everything a translator still has to do; empty when the catalogs are complete and current."""
    found: list[str] = []
    source_ids = _message_ids(extract(root))
    for locale in SUPPORTED_LOCALES:
        catalog = read_catalog(locale, locales_dir)
        catalog_ids = _message_ids(catalog)
        for missing in sorted(source_ids - catalog_ids):
            found.append(f"{locale}: not in catalog (run `python -m bot.catalogs update`): {missing!r}")
        for obsolete in sorted(catalog_ids - source_ids):
            found.append(f"{locale}: no longer used in the code: {obsolete!r}")
        for message in catalog:
            if not message.id:
                continue
            key = message.id if isinstance(message.id, str) else message.id[0]
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy:
                found.append(f"{locale}: fuzzy: {key!r}")
            elif not all(strings):
                found.append(f"{locale}: untranslated: {key!r}")
            elif isinstance(message.string, tuple) and len(message.string) != catalog.num_plurals:
                found.append(f"{locale}: needs {catalog.num_plurals} plural forms: {key!r}")
            else:
                ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
                expected = _markup_of(str(ids[-1]))
                for text in strings:
                    if _markup_of(str(text)) != expected:
                        found.append(f"{locale}: placeholders or HTML tags differ from the original: {key!r}")
                        break
    return found


def update(locales_dir: Path = LOCALES_DIR, root: Path = PROJECT_ROOT) -> None:
    template = extract(root)
    with (locales_dir / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=0, omit_header=False, sort_output=True, no_location=True)
    for locale in SUPPORTED_LOCALES:
        po_path = locales_dir / locale / "LC_MESSAGES" / f"{DOMAIN}.po"
        catalog = read_catalog(locale, locales_dir)
        # No fuzzy matching: a guessed translation of a similar text is worse than none.
        catalog.update(template, no_fuzzy_matching=True, update_header_comment=False)
        catalog.obsolete.clear()
        with po_path.open("wb") as handle:
            write_po(handle, catalog, width=0, sort_output=True, no_location=True)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    action = args[0] if args else "check"
    if action == "update":
        update()
        print("messages.pot and the kk, ru, en catalogs are updated; now translate the empty entries.")
        return 0
    if action == "compile":
        written = compile_catalogs()
        print(f"compiled {len(written)} catalog(s)")
        return 0
    if action == "check":
        found = problems()
        for line in found:
            print(line)
        print("catalogs are complete" if not found else f"{len(found)} problem(s)")
        return 1 if found else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
