"""The form typed names are compared in, whatever script and spelling they come in.

`fold("Қарағанды облысы") == fold("Qaraǵandy oblysy") == "karagandi oblisi"`: case,
punctuation, Kazakh and Russian Cyrillic, Kazakh Latin (2018 and 2021 alphabets) and
common English transliterations all end up as one rough Latin spelling. `key()` then
drops filler words, cuts a common ending from each word ("выходные", "выходным",
"weekends" -> one stem) and joins what is left, so "Нур-Султан" and "Нурсултан" meet.

The folding is lossy on purpose (и/ы/й/y are one letter, double letters are one):
it only ever compares a person's text with a short list of known names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable

# Cyrillic (Russian and Kazakh letters) -> rough Latin.
_CYRILLIC = {
    "а": "a", "ә": "a", "б": "b", "в": "v", "г": "g", "ғ": "g", "д": "d", "е": "e", "ё": "e",
    "ж": "zh", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "k", "л": "l", "м": "m", "н": "n",
    "ң": "n", "о": "o", "ө": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "u",
    "ү": "u", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh",
    "ъ": "", "ы": "i", "і": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia", "ў": "u",
}
# Latin letters of the Kazakh Latin alphabets (and Turkish/Uzbek ones people use) that
# carry more than a diacritic.
_LATIN_SPECIAL = {"ş": "sh", "ç": "ch", "ı": "i", "ğ": "g", "ǵ": "g", "ñ": "n", "ŋ": "n", "ß": "ss"}
_LATIN_RULES = (
    (re.compile(r"dzh|dj"), "zh"),
    (re.compile(r"j"), "zh"),
    (re.compile(r"kh"), "h"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"c(?!h)"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"w"), "v"),
)
_NOT_WORD = re.compile(r"[\W_]+")  # letters of other scripts (中文, العربية) stay
_REPEATS = re.compile(r"([a-z])\1+")

# Endings cut from a word (after folding), longest first; at least MIN_STEM letters stay.
# Russian case and plural endings, English plurals and the Kazakh "-ша" ("in a language":
# қазақша). Not the Kazakh plural (-лар, -дар...): "Павлодар" would lose its "-дар".
_ENDINGS = tuple(
    sorted(
        (
            "iami", "iakh", "iah", "ami", "iam", "ogo", "ego", "omu", "emu", "aia", "uiu", "iiu",
            "iia", "ies", "sha", "she", "ih", "ii", "ie",
            "iu", "ia", "oi", "ei", "om", "em", "im", "am", "ov", "ev", "es", "oe", "ee",
            "a", "e", "i", "o", "u", "s",
        ),
        key=len,
        reverse=True,
    )
)
MIN_STEM = 4


def fold(text: str) -> str:
    """Lower-case rough Latin with words separated by single spaces."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(_LATIN_SPECIAL.get(ch) or _CYRILLIC.get(ch, ch) for ch in text)
    # Remaining diacritics (ä, ö, ü, ū, é...) go; letters without a decomposition stay.
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = _NOT_WORD.sub(" ", text)
    for pattern, replacement in _LATIN_RULES:
        text = pattern.sub(replacement, text)
    text = _REPEATS.sub(r"\1", text)
    return " ".join(text.split())


def stem(word: str) -> str:
    """The word without one common ending (never shorter than MIN_STEM letters)."""
    if len(word) <= MIN_STEM or word.isdigit():
        return word
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            return word[: -len(ending)]
    return word


def words(text: str) -> list[str]:
    """The folded, stemmed words of a text."""
    return [stem(word) for word in fold(text).split()]


def key(text: str, ignore: Collection[str] = ()) -> str:
    """The comparison key of a name: its stemmed words without `ignore`d ones, joined."""
    return join(word for word in words(text) if word not in ignore)


def join(parts: Iterable[str]) -> str:
    return "".join(parts)


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours counts once), or
    limit + 1 as soon as it is certain to exceed `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, char_b in enumerate(b, start=1):
            cost = 0 if char_a == char_b else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                value = min(value, previous2[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def typo_limit(length: int) -> int:
    """How many typos a key of this length may carry and still be recognised."""
    if length < 5:
        return 0
    return 1 if length < 9 else 2
