"""Writing a Kazakh (or Russian) Cyrillic name the ways people write it in other scripts.

Systems:
- "russian": Russian Cyrillic, as Kazakh names are spelled in Russian documents
  (Айгүл -> Айгуль, Қасымов -> Касымов, Ілияс -> Илияс);
- "passport": the Latin transliteration of Kazakhstan's passports (ICAO 9303 style:
  Ж ZH, Х KH, Ц TS, Ы Y, Й I, Ю IU, Я IA, Kazakh letters without diacritics);
- "english": a common English spelling (Yerlan, Kassymova, Zhumabayeva, Aliya);
- "latin2021": the Kazakh Latin alphabet of 2021 (ä ğ q ñ ö ū ü ı ş ç j);
- "latin2018": the 2018 variant with acutes (á ǵ ń ó ú ý, ı for И/Й, sh ch);
- "latin2017": the 2017 variant with apostrophes (a' g' n' o' u' y' i' s' c').

Output keeps the capitalisation of each word's first letter. Used to generate test and
benchmark names; folding (folding.py) brings every system back to one key.
"""

from __future__ import annotations

import re

SYSTEMS = ("russian", "passport", "english", "latin2021", "latin2018", "latin2017")

_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "ф": "f", "ц": "ts", "ъ": "", "ь": "", "э": "e",
}
_TABLES: dict[str, dict[str, str]] = {
    "russian": {"ә": "а", "ғ": "г", "қ": "к", "ң": "н", "ө": "о", "ұ": "у", "ү": "у",
                "һ": "х", "і": "и"},
    "passport": {**_COMMON, "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u",
                 "ү": "u", "һ": "h", "і": "i", "ё": "e", "ж": "zh", "и": "i", "й": "i",
                 "у": "u", "х": "kh", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
                 "ю": "iu", "я": "ia", "ъ": "ie"},
    "english": {**_COMMON, "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u",
                "ү": "u", "һ": "h", "і": "i", "ё": "yo", "ж": "zh", "и": "i", "й": "y",
                "у": "u", "х": "kh", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
                "ю": "yu", "я": "ya"},
    "latin2021": {**_COMMON, "ә": "ä", "ғ": "ğ", "қ": "q", "ң": "ñ", "ө": "ö", "ұ": "ū",
                  "ү": "ü", "һ": "h", "і": "ı", "ё": "io", "ж": "j", "и": "i", "й": "i",
                  "у": "u", "х": "h", "ч": "ç", "ш": "ş", "щ": "şş", "ы": "y",
                  "ю": "iu", "я": "ia"},
    "latin2018": {**_COMMON, "ә": "á", "ғ": "ǵ", "қ": "q", "ң": "ń", "ө": "ó", "ұ": "u",
                  "ү": "ú", "һ": "h", "і": "i", "ё": "ıo", "ж": "j", "и": "ı", "й": "ı",
                  "у": "ý", "х": "h", "ч": "ch", "ш": "sh", "щ": "shch", "ы": "y",
                  "ю": "ıý", "я": "ıa"},
    "latin2017": {**_COMMON, "ә": "a'", "ғ": "g'", "қ": "q", "ң": "n'", "ө": "o'", "ұ": "u",
                  "ү": "u'", "һ": "h", "і": "i", "ё": "i'o", "ж": "j", "и": "i'", "й": "i'",
                  "у": "y'", "х": "h", "ч": "c'", "ш": "s'", "щ": "s's'", "ы": "y",
                  "ю": "i'y'", "я": "i'a"},
}
_CYRILLIC_WORD = re.compile(r"[а-яёәғқңөұүһі]+", re.IGNORECASE)
_VOWELS = set("аәеёиоөуұүыіэюя")
_FRONT_VOWELS = set("әөүіе")


def _russian_word(word: str) -> str:
    out = "".join(_TABLES["russian"].get(ch, ch) for ch in word)
    if out.endswith("л") and _FRONT_VOWELS & set(word):
        out += "ь"  # Айгүл -> Айгуль, Әсел -> Асель
    return out


def _english_word(word: str) -> str:
    table = _TABLES["english"]
    out = []
    for index, ch in enumerate(word):
        before = word[index - 1] if index else ""
        after = word[index + 1] if index + 1 < len(word) else ""
        if ch == "е" and (not before or before in _VOWELS):
            out.append("ye")  # Ерлан -> Yerlan, Тоқаева -> Tokayeva
        elif ch == "с" and before in _VOWELS and after in _VOWELS:
            out.append("ss")  # Қасымова -> Kassymova, Әсел -> Assel
        elif ch == "и" and after == "я":
            out.append("i")  # Алия -> Aliya
        else:
            out.append(table.get(ch, ch))
    return "".join(out)


def _word(word: str, system: str) -> str:
    lower = word.lower()
    if system == "russian":
        out = _russian_word(lower)
    elif system == "english":
        out = _english_word(lower)
    else:
        table = _TABLES[system]
        out = "".join(table.get(ch, ch) for ch in lower)
    if word[:1].isupper() and out:
        out = out[0].upper() + out[1:]
    return out


def transliterate(text: str, system: str) -> str:
    """`text` with every Cyrillic word written in `system` (one of SYSTEMS)."""
    if system not in _TABLES:
        raise ValueError(f"unknown system {system!r}; expected one of {', '.join(SYSTEMS)}")
    return _CYRILLIC_WORD.sub(lambda match: _word(match.group(), system), text)
