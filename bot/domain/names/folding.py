"""Folding a written name into phonetic word keys that every script of it shares.

Guarantee: the same name written in Kazakh Cyrillic, Russian Cyrillic, the 2021 Kazakh
Latin alphabet, the 2017-2018 Latin variants (apostrophes, acutes), passport (ICAO)
transliteration or a common English spelling folds to the same keys:
"Нұрсұлтан Бекқайыров", "Нурсултан Беккаиров", "Nursultan Bekkairov" and
"Bekkairov Nursultan" all give the words {"nursultan", "bekairov"}. Case, punctuation,
soft and hard signs, doubled letters and word order do not matter.

A key is lower-case ASCII in which the sounds that scripts write differently get one
letter each: ж/zh/j/dzh/дж -> "j", ш/sh/ş/s'/щ/shch/şş (and сх/skh) -> "w",
ч/ch/ç/c' -> "c", х/һ/kh/h -> "x", ы/і/и/й/y/ı -> "i", ә/ä/á/a' -> "a", ө/ö/ó -> "o",
ұ/ү/у/ū/ü/ú/ý -> "u", қ/q -> "k", ғ/ğ/ǵ -> "g", ң/ñ/ń -> "n", е/э/ё/ye/yo -> "e",
я/ya/ia -> "y", ю/yu/iu -> "q", ц/ts -> "h" (so "Aliya" -> "aly", "Yulia" -> "qly").

Patronymics (-ұлы, -қызы, -uly, -kyzy, written joined or apart, and Russian -ович,
-евич, -овна, -евна, -ична) are kept apart from the other words as the father's name
("Асқарұлы" and "Аскарович" both give "askar"), so that matching can treat them as
optional. Single letters, and two-letter words followed by a dot ("Zh."), are initials.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from bot.domain.names.given_names import GIVEN_NAMES
from bot.domain.people import MAX_NAME_LENGTH, clean_text

# Apostrophe-like characters people type in the 2017 Latin alphabet (a', g', s'...).
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb`\u00b4\u2032\u02b9"
_TO_APOSTROPHE = str.maketrans({ch: "'" for ch in _APOSTROPHES})
_WORD = re.compile(r"(?:[^\W\d_]|[\u0300-\u036f'])+")

# Upper-case letters are placeholders while folding (the input is case-folded first):
# W = sh, C = ch, J = zh, X = kh. They become w, c, j, x at the end, letters that no
# longer occur on their own by then.
_LETTERS = str.maketrans({
    # Kazakh and Russian Cyrillic
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e",
    "ё": "e", "ж": "J", "з": "z", "и": "i", "й": "i", "і": "i", "к": "k", "қ": "k",
    "л": "l", "м": "m", "н": "n", "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ұ": "u", "ү": "u", "ф": "f", "х": "X", "һ": "X",
    "ц": "ts", "ч": "C", "ш": "W", "щ": "W", "ъ": "", "ы": "i", "ь": "", "э": "e",
    "ю": "iu", "я": "ia",
    # Ukrainian and Belarusian letters that appear in names
    "ї": "i", "є": "e", "ў": "u", "ґ": "g",
    # Latin letters whose meaning differs from their base letter
    "ş": "W", "ș": "W", "š": "W", "ç": "C", "č": "C", "ć": "C", "ž": "J",
    "ı": "i", "ý": "u", "ł": "l", "ø": "o", "đ": "d", "æ": "ae", "œ": "oe",
})

# Latin spellings, longest first at each position; see _latin_sound for the rest.
_LATIN = re.compile(r"shch|dzh|zh|dj|sh|ch|kh|gh|ph|th|ck|ye|yo|[jqcwhyx]")
_LATIN_SOUNDS = {
    "shch": "W", "dzh": "J", "zh": "J", "dj": "J", "sh": "W", "ch": "C", "kh": "X",
    "gh": "g", "ph": "f", "th": "t", "ck": "k", "ye": "e", "j": "J", "q": "k",
    "c": "k", "w": "v", "h": "X", "y": "i",
}
# ё written "io" (Kazakh Latin alphabets: Soloviov, Fiodor) between consonants.
_IO = re.compile(r"(?<=[b-df-hj-np-tv-zCJWX])io(?=[b-df-hj-np-tv-zCJWX])")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_MARKERS = str.maketrans({"W": "w", "C": "c", "J": "j", "X": "x"})
_NOT_LETTER = re.compile(r"[^a-zA-Z]")
_REPEATS = re.compile(r"(.)\1+")

_PARTICLES = frozenset({"uli", "kizi", "ugli", "ogli"})  # "Нұрлан ұлы", "Asqar qyzy"
_PATRONYMIC_SUFFIXES = (("uli", 6), ("kizi", 7), ("ovic", 7), ("evic", 7), ("ovna", 7),
                        ("evna", 7), ("icna", 7))
PATRONYMIC_ENDINGS = ("uli", "kizi", "ovic", "evic", "ovna", "evna")


_COMPACT = (("ia", "y"), ("iu", "q"), ("ts", "h"))


def _compact(sounds: str) -> str:
    for pair, letter in _COMPACT:
        sounds = sounds.replace(pair, letter)
    return sounds


_SPELLED_OUT = str.maketrans({"y": "ia", "q": "iu", "h": "ts"})


def spelled_out(key: str) -> str:
    """A key with я, ю, ц written as two letters again ("kyrat" -> "kiarat"): a typo that
    swaps letters is one edit in this form, a typo that drops я or ц in the key itself."""
    return key.translate(_SPELLED_OUT)


def _latin_sound(match: re.Match[str]) -> str:
    found = match.group()
    if found == "yo":  # Фёдор / Fyodor, Семён / Semyon; a word-initial yo stays "io"
        return "io" if match.start() == 0 else "e"
    if found == "x":  # Xasanov / Xenia at the start; Maxim, Alexander inside
        return "X" if match.start() == 0 else "ks"
    return _LATIN_SOUNDS[found]


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """The phonetic key of one word (no alias resolution). Empty if it has no letters."""
    text = word.casefold().translate(_TO_APOSTROPHE)
    if "'" in text:
        # 2017 alphabet: s' = ш, c' = ч, y' = у; elsewhere the apostrophe only marks a
        # Kazakh vowel or consonant whose base letter is the key already (a' = ә -> a).
        text = text.replace("s'", "W").replace("c'", "C").replace("y'", "u").replace("'", "")
    written_in_latin = not _CYRILLIC.search(text)
    text = text.translate(_LETTERS)
    if not text.isascii():
        text = "".join(ch for ch in unicodedata.normalize("NFD", text) if not unicodedata.combining(ch))
    latin = _NOT_LETTER.sub("", text)
    if not latin:
        # A script we do not transliterate (Arabic, Chinese...): compare it as written.
        return "".join(ch for ch in text if ch.isalpha())
    latin = _LATIN.sub(_latin_sound, latin)
    if written_in_latin:
        latin = _IO.sub("e", latin)
    # дж = ж (Джумабаев, Жұмабаев); нб sounds мб; сх/skh as ш, since the Kazakh Latin
    # alphabets write Асхат "Ashat".
    latin = latin.replace("dJ", "J").replace("nb", "mb").replace("sX", "W")
    latin = _REPEATS.sub(r"\1", latin)
    # One letter each for я, ю, ц, so that a typo dropping one costs one edit.
    return _compact(latin).translate(_MARKERS)


def _build_aliases() -> tuple[dict[str, str], frozenset[str]]:
    aliases: dict[str, str] = {}
    for spellings in GIVEN_NAMES:
        canonical, *others = (fold_word(spelling) for spelling in spellings)
        for other in others:
            aliases.setdefault(other, canonical)
    return aliases, frozenset(fold_word(spellings[0]) for spellings in GIVEN_NAMES)


ALIASES, KNOWN_GIVEN_NAMES = _build_aliases()


def canonical_word(word: str) -> str:
    """fold_word, then one spelling per listed name ("Julia" -> the key of "Юлия")."""
    key = fold_word(word)
    return ALIASES.get(key, key)


@dataclass(frozen=True, slots=True)
class FoldedName:
    """A name as matching sees it. `words`: given names and surnames in written order;
    `patronymics`: fathers' names taken from patronymics; `initials`: first letters."""

    words: tuple[str, ...]
    patronymics: tuple[str, ...] = ()
    initials: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """Equal for names that fold identically, whatever the order of their words."""
        key = " ".join(sorted(self.words))
        if self.patronymics:
            key += " / " + " ".join(sorted(self.patronymics))
        return key

    @property
    def strong_count(self) -> int:
        return len(self.words) + len(self.patronymics)

    def __bool__(self) -> bool:
        return bool(self.words or self.patronymics or self.initials)


def _patronymic_stem(key: str) -> str | None:
    """The father's name in a patronymic key, looked for in the spelled-out form
    ("Әдіұлы" folds to "adqli", spelled out "adiuli")."""
    sounds = spelled_out(key)
    for suffix, min_length in _PATRONYMIC_SUFFIXES:
        if len(sounds) >= min_length and sounds.endswith(suffix):
            return _compact(sounds[: -len(suffix)])
    return None


def fold_name(text: str) -> FoldedName:
    """Fold a full name as typed (any script, any order, with or without patronymic).
    Only the first 2 * MAX_NAME_LENGTH characters count."""
    # Longer input is no name (parse_full_name refuses it); the cap bounds the work.
    text = clean_text(text[: 4 * MAX_NAME_LENGTH])[: 2 * MAX_NAME_LENGTH].translate(_TO_APOSTROPHE)
    words: list[str] = []
    patronymics: list[str] = []
    initials: list[str] = []
    for match in _WORD.finditer(text):
        raw = match.group().lstrip("'")  # a trailing one can be 2017 s' = ш
        key = canonical_word(raw)
        if not key:
            continue
        letters = sum(ch.isalpha() for ch in raw)
        dotted = text.startswith(".", match.end())
        if letters == 1 or (dotted and letters == 2):
            initials.append(key[0])
        elif key in _PARTICLES:
            if words:  # "Серік ұлы": the word before is the father's name
                patronymics.append(words.pop())
        elif (stem := _patronymic_stem(key)) is not None:
            patronymics.append(ALIASES.get(stem, stem))
        else:
            words.append(key)
    return FoldedName(tuple(words), tuple(patronymics), tuple(initials))
