"""Whether two written names can be the same person's name, and how closely.

Guarantee (on folded words, see folding.py):
- a word matches a word when equal, or within one typo (two for words of 12 letters
  or more) — except that words of four letters or fewer must be equal, two different
  listed given names never match ("Алия"/"Алина", "Марат"/"Мұрат"), and neither do two
  words that begin with different listed names ("Нұрланов"/"Нұржанов");
- names match when their words pair up in any order and
  * at least two words pair up (or one word and an initial, or both names are one word),
  * and not both names keep a word that found no pair: "Айгүл Сейітова" and
    "Айгерім Сейітова", or "Айгүл Сейітова" and "Айгүл Нұрланова", do not match;
- a patronymic pairs only with a patronymic; a name written without one still matches
  the same name with one, but two different patronymics do not match.

The score (0..1) ranks candidates: the weighted share of words paired, times how
closely they are spelled. It is no probability; `matched` is the decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.domain.names.folding import KNOWN_GIVEN_NAMES, FoldedName, fold_name

MIN_FUZZY_LENGTH = 5  # shorter words must be spelled exactly alike (after folding)
LONG_WORD_LENGTH = 12  # from this length two typos are forgiven
MIN_HEAD_LENGTH = 3
WORD_WEIGHT = 1.0
PATRONYMIC_WEIGHT = 0.5
INITIAL_WEIGHT = 0.25


@dataclass(frozen=True, slots=True)
class NameMatch:
    matched: bool
    score: float


@lru_cache(maxsize=65536)
def name_head(word: str) -> str | None:
    """The longest listed given name the word begins with ("serikbaev" -> "serik")."""
    for end in range(len(word), MIN_HEAD_LENGTH - 1, -1):
        if word[:end] in KNOWN_GIVEN_NAMES:
            return word[:end]
    return None


def allowed_typos(a: str, b: str) -> int:
    if min(len(a), len(b)) < MIN_FUZZY_LENGTH:
        return 0
    return 2 if max(len(a), len(b)) >= LONG_WORD_LENGTH else 1


@lru_cache(maxsize=262144)
def word_similarity(a: str, b: str) -> float:
    """1.0 for equal folded words, 0.8-0.95 for a forgiven typo, 0.0 otherwise."""
    if a == b:
        return 1.0
    if a in KNOWN_GIVEN_NAMES and b in KNOWN_GIVEN_NAMES:
        return 0.0
    head_a, head_b = name_head(a), name_head(b)
    if head_a and head_b and not (head_a.startswith(head_b) or head_b.startswith(head_a)):
        return 0.0
    allowed = allowed_typos(a, b)
    if not allowed:
        return 0.0
    distance = OSA.distance(a, b, score_cutoff=allowed)
    if distance > allowed:
        return 0.0
    return 1.0 - distance / max(len(a), len(b))


def _pair_greedily(left: tuple[str, ...], right: tuple[str, ...], similarity) -> tuple[list[float], set[int], set[int]]:
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
    patronymics, free_pa, free_pb = _pair_greedily(a.patronymics, b.patronymics, word_similarity)
    # Initials of one name pair with the other's unpaired words, then with its initials.
    rest_a = [a.words[i] for i in free_a] + [a.patronymics[i] for i in free_pa]
    rest_b = [b.words[i] for i in free_b] + [b.patronymics[i] for i in free_pb]
    initials_a, initials_b = list(a.initials), list(b.initials)
    initials = _pair_initials(initials_a, rest_b) + _pair_initials(initials_b, rest_a)
    initials += _pair_initials(initials_a, initials_b)
    unexplained_a = len(rest_a) + len(initials_a)
    unexplained_b = len(rest_b) + len(initials_b)
    strong = len(words) + len(patronymics)
    enough = strong >= 2 or (strong == 1 and initials >= 1) or (
        strong == 1 and a.strong_count == 1 and b.strong_count == 1)
    matched = enough and not (unexplained_a > 0 and unexplained_b > 0)
    total = max(_weight(a), _weight(b))
    score = 0.0
    if total:
        score = (WORD_WEIGHT * sum(words) + PATRONYMIC_WEIGHT * sum(patronymics)
                 + INITIAL_WEIGHT * initials) / total
    return NameMatch(matched, round(min(score, 1.0), 4))


def _folded(name: str | FoldedName) -> FoldedName:
    return name if isinstance(name, FoldedName) else fold_name(name)


def compare_names(a: str | FoldedName, b: str | FoldedName) -> NameMatch:
    """Compare two names as typed (or already folded)."""
    return compare_folded(_folded(a), _folded(b))


def names_match(a: str | FoldedName, b: str | FoldedName) -> bool:
    return compare_names(a, b).matched
