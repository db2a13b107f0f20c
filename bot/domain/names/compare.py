"""Whether two written names can be the same person's name, and how closely.

Guarantee (on folded words, see folding.py):
- a word matches a word when equal, or within one typo (two for words of 12 letters
  or more that differ in vowels only), counted on the folded keys or on them with
  я, ю, ц spelled out — except that words of four letters or fewer must be equal,
  two different listed given names never match ("Алия"/"Алина", "Марат"/"Мұрат"),
  nor two words that are different listed names (alone or with -жан, -бек, -бай...)
  with the same ending ("Нұрланов"/"Нұржанов", "Бауыржанов"/"Батыржанов",
  "Серікбаев"/"Берікбаев"), nor a listed given name and a surname-looking word
  ("Алексей"/"Алексеев");
- names match when their words pair up in any order and
  * at least two words pair up (or one word and an initial, or both names are one word),
  * and not both names keep a word that found no pair: "Айгүл Сейітова" and
    "Айгерім Сейітова", or "Айгүл Сейітова" and "Айгүл Нұрланова", do not match;
- a patronymic pairs only with a patronymic; a name written without one still matches
  the same name with one, but two different patronymics do not match. A word one typo
  away from a patronymic of the other name's father ("Артёмоивч" for "Артёмович") is
  not held against a match, though it does not count as a pair.

The score (0..1) ranks candidates: the weighted share of words paired, times how
closely they are spelled. It is no probability; `matched` is the decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.domain.names.folding import ALIASES, KNOWN_GIVEN_NAMES, PATRONYMIC_ENDINGS, FoldedName, fold_name, spelled_out

MIN_FUZZY_LENGTH = 5  # shorter words must be spelled exactly alike (after folding)
LONG_WORD_LENGTH = 12  # from this length two typos are forgiven
MIN_HEAD_LENGTH = 3
WORD_WEIGHT = 1.0
PATRONYMIC_WEIGHT = 0.5
INITIAL_WEIGHT = 0.25
MISSPELT_PATRONYMIC_SIMILARITY = 0.9
_NO_VOWELS = str.maketrans("", "", "aeiouyq")  # y = я, q = ю


@dataclass(frozen=True, slots=True)
class NameMatch:
    matched: bool
    score: float


# Kazakh names are often a name and one of these (Батыр-жан, Серік-бай, Ер-ғали).
NAME_ELEMENTS = ("jan", "bek", "bai", "bol", "bolat", "gali", "gul", "nur", "xan", "bergen")
# Russian-style surname endings; no listed given name ends so except Лев, Яков.
SURNAME_ENDINGS = ("ov", "ova", "ev", "eva")


def _listed(prefix: str) -> str | None:
    return prefix if prefix in KNOWN_GIVEN_NAMES else ALIASES.get(prefix)


@lru_cache(maxsize=65536)
def name_heads(word: str) -> dict[str, str]:
    """Listed names a word begins with, by what follows them: "batirjanov" ->
    {"janov": "batir", "ov": "batirjan"}. Folding writes нб as мб, so "erjambaev"
    begins with "erjan"."""
    heads: dict[str, str] = {}
    for end in range(MIN_HEAD_LENGTH, len(word) + 1):
        prefix = word[:end]
        head = _listed(prefix)
        if head is None and prefix.endswith("m") and word.startswith("b", end):
            head = _listed(prefix[:-1] + "n")
        if head is None:
            continue
        heads[word[end:]] = head
        for element in NAME_ELEMENTS:
            if word.startswith(element, end):
                heads[word[end + len(element):]] = head + element
    return heads


def _different_names_same_ending(a: str, b: str) -> bool:
    """Нұрлан-ов / Нұржан-ов, Бауыржан-ов / Батыр-жан-ов, Серік-баев / Берік-баев."""
    heads_a, heads_b = name_heads(a), name_heads(b)
    return any(heads_b.get(rest, head) != head for rest, head in heads_a.items())


def _given_name_and_surname(a: str, b: str) -> bool:
    """A listed given name against a surname-looking word: Алексей / Алексеев."""
    if (a in KNOWN_GIVEN_NAMES) == (b in KNOWN_GIVEN_NAMES):
        return False
    name, other = (a, b) if a in KNOWN_GIVEN_NAMES else (b, a)
    return other.endswith(SURNAME_ENDINGS) and not name.endswith(SURNAME_ENDINGS)


def consonants(word: str) -> str:
    return word.translate(_NO_VOWELS)


def allowed_typos(a: str, b: str) -> int:
    """Typos forgiven between two folded words: none when one is short (by its length
    with я, ю, ц spelled out), two between long words differing in vowels only
    (Төлеуғалиев / Тулеугалиев), else one."""
    shorter, longer = sorted((len(spelled_out(a)), len(spelled_out(b))))
    if shorter < MIN_FUZZY_LENGTH:
        return 0
    return 2 if longer >= LONG_WORD_LENGTH and consonants(a) == consonants(b) else 1


@lru_cache(maxsize=262144)
def word_similarity(a: str, b: str) -> float:
    """1.0 for equal folded words, 0.8-0.95 for a forgiven typo, 0.0 otherwise."""
    if a == b:
        return 1.0
    if a in KNOWN_GIVEN_NAMES and b in KNOWN_GIVEN_NAMES:
        return 0.0
    if _different_names_same_ending(a, b) or _given_name_and_surname(a, b):
        return 0.0
    allowed = allowed_typos(a, b)
    if not allowed:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=allowed)
    if distance > allowed:
        long_a, long_b = spelled_out(a), spelled_out(b)
        if long_a == a and long_b == b:
            return 0.0
        distance = OSA.distance(long_a, long_b, score_cutoff=allowed)
        if distance > allowed:
            return 0.0
    return 1.0 - distance / max(len(a), len(b))


def patronymic_similarity(a: str, b: str) -> float:
    """Fathers' names compared as whole patronymics ("adil" and "adi" as "adiluli" and
    "adiuli"), so that a typo in a short father's name is judged on the whole word."""
    return 1.0 if a == b else word_similarity(a + "uli", b + "uli")


def _misspelt_patronymic(word: str, father: str) -> bool:
    """A word one typo away from a patronymic of `father` ("artemoivc" for "artem"), and
    not a surname ("Абзалова" may be a surname built on the father's name)."""
    if word.endswith(SURNAME_ENDINGS):
        return False
    word, father = spelled_out(word), spelled_out(father)
    return len(father) >= MIN_HEAD_LENGTH and any(
        OSA.distance(word, father + ending, score_cutoff=1) <= 1 for ending in PATRONYMIC_ENDINGS)


def _pair_misspelt_patronymics(words: list[str], fathers: list[str]) -> int:
    """Pair words of one name with the other's patronymics they misspell; both lists
    lose what was paired. Returns the number of pairs."""
    paired = 0
    for father in list(fathers):
        for index, word in enumerate(words):
            if _misspelt_patronymic(word, father):
                del words[index]
                fathers.remove(father)
                paired += 1
                break
    return paired


def _pair_greedily(left: tuple[str, ...], right: tuple[str, ...], similarity: Callable[[str, str], float]
                   ) -> tuple[list[float], set[int], set[int]]:
    """Pair words best-first; returns the similarities and the unpaired indexes."""
    options = []
    for i, a in enumerate(left):
        for j, b in enumerate(right):
            value = similarity(a, b)
            if value > 0:
                options.append((value, i, j))
    options.sort(key=lambda option: -option[0])
    taken_left: set[int] = set()
    taken_right: set[int] = set()
    paired: list[float] = []
    for value, i, j in options:
        if i not in taken_left and j not in taken_right:
            taken_left.add(i)
            taken_right.add(j)
            paired.append(value)
    return paired, set(range(len(left))) - taken_left, set(range(len(right))) - taken_right


def _pair_initials(initials: list[str], words: list[str]) -> int:
    """Pair initials with words (or initials) that begin with them; both lists lose
    what was paired. Returns the number of pairs."""
    paired = 0
    for letter in list(initials):
        for index, word in enumerate(words):
            if word.startswith(letter):
                del words[index]
                initials.remove(letter)
                paired += 1
                break
    return paired


def _weight(name: FoldedName) -> float:
    return (WORD_WEIGHT * len(name.words) + PATRONYMIC_WEIGHT * len(name.patronymics)
            + INITIAL_WEIGHT * len(name.initials))


def compare_folded(a: FoldedName, b: FoldedName) -> NameMatch:
    words, free_a, free_b = _pair_greedily(a.words, b.words, word_similarity)
    fathers, free_fa, free_fb = _pair_greedily(a.patronymics, b.patronymics, patronymic_similarity)
    words_a = [a.words[i] for i in free_a]
    words_b = [b.words[i] for i in free_b]
    fathers_a = [a.patronymics[i] for i in free_fa]
    fathers_b = [b.patronymics[i] for i in free_fb]
    # A patronymic with a typo in its ending was read as a word: it explains that word
    # (no conflict) but is no evidence of its own.
    misspelt = _pair_misspelt_patronymics(words_a, fathers_b) + _pair_misspelt_patronymics(words_b, fathers_a)
    # Initials of one name pair with the other's unpaired words, then with its initials.
    rest_a, rest_b = words_a + fathers_a, words_b + fathers_b
    initials_a, initials_b = list(a.initials), list(b.initials)
    initials = _pair_initials(initials_a, rest_b) + _pair_initials(initials_b, rest_a)
    initials += _pair_initials(initials_a, initials_b)
    unexplained_a = len(rest_a) + len(initials_a)
    unexplained_b = len(rest_b) + len(initials_b)
    strong = len(words) + len(fathers)
    fathers += [MISSPELT_PATRONYMIC_SIMILARITY] * misspelt
    enough = strong >= 2 or (strong == 1 and initials >= 1) or (
        strong == 1 and a.strong_count == 1 and b.strong_count == 1)
    matched = enough and not (unexplained_a > 0 and unexplained_b > 0)
    total = max(_weight(a), _weight(b))
    score = 0.0
    if total:
        score = (WORD_WEIGHT * sum(words) + PATRONYMIC_WEIGHT * sum(fathers)
                 + INITIAL_WEIGHT * initials) / total
    return NameMatch(matched, round(min(score, 1.0), 4))


def _folded(name: str | FoldedName) -> FoldedName:
    return name if isinstance(name, FoldedName) else fold_name(name)


def compare_names(a: str | FoldedName, b: str | FoldedName) -> NameMatch:
    """Compare two names as typed (or already folded)."""
    return compare_folded(_folded(a), _folded(b))


def names_match(a: str | FoldedName, b: str | FoldedName) -> bool:
    return compare_names(a, b).matched
