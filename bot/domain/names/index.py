"""Finding the records whose name matches a given name, among many, without comparing
the name with every record.

Guarantee: `NameIndex.search(name)` returns exactly the records whose name
`compare_names` would match with `name`, best score first. Records are found through
blocking keys of their words (`word_keys`): the word itself and the word with any one
letter deleted, in its folded key and with я, ю, ц spelled out (two words one edit
apart in either form share one), plus the consonant skeleton of long words (two
long words differing in vowels only share it). Only the records with words matching
two of the query's words (or one, when either name has a single word or the query has
initials) are compared in full.

`search_keys(name)` gives the same keys for a whole name: records sharing no key with
the query cannot match it. A database keeps names as in stored.py (words, a vocabulary
of keys, the same candidates as here).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from itertools import combinations

from bot.domain.names.compare import (
    LONG_WORD_LENGTH,
    MIN_FUZZY_LENGTH,
    NameMatch,
    compare_folded,
    consonants,
    word_similarity,
)
from bot.domain.names.folding import FoldedName, fold_name, spelled_out

WORD = "w:"
PATRONYMIC = "p:"


def word_keys(word: str, kind: str = WORD) -> frozenset[str]:
    """Blocking keys of one folded word; `kind` keeps patronymics apart from words."""
    keys: set[str] = set()
    for form in {word, spelled_out(word)}:
        keys.add(kind + form)
        if len(form) >= MIN_FUZZY_LENGTH:
            keys.update(kind + form[:i] + form[i + 1:] for i in range(len(form)))
    if len(spelled_out(word)) >= LONG_WORD_LENGTH - 2:
        keys.add(kind + "~" + consonants(word))
    return frozenset(keys)


def _first_letters(name: FoldedName) -> set[str]:
    return {word[0] for word in name.words + name.patronymics} | set(name.initials)


def _typed_words(name: FoldedName) -> list[tuple[str, str]]:
    return [(WORD, word) for word in name.words] + [(PATRONYMIC, word) for word in name.patronymics]


def search_keys(name: str | FoldedName) -> frozenset[str]:
    """Every blocking key of a name (initials have none)."""
    folded = name if isinstance(name, FoldedName) else fold_name(name)
    keys: set[str] = set()
    for kind, word in _typed_words(folded):
        keys |= word_keys(word, kind)
    return frozenset(keys)


@dataclass(frozen=True, slots=True)
class NameHit:
    record_id: Hashable
    score: float


class NameIndex:
    """Records (any hashable id) and their names, in memory."""

    def __init__(self) -> None:
        self._names: dict[Hashable, FoldedName] = {}
        self._records_by_word: dict[str, set[Hashable]] = {}  # "w:aigul" -> ids
        self._words_by_key: dict[str, set[str]] = {}  # blocking key -> typed words
        self._one_word: set[Hashable] = set()  # records whose name has one word in all
        self._by_first_letter: dict[str, set[Hashable]] = {}  # for queries with initials
        self._added: dict[Hashable, int] = {}  # insertion order, to break ties
        self._counter = 0

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._names

    def name_of(self, record_id: Hashable) -> FoldedName:
        return self._names[record_id]

    def add(self, record_id: Hashable, name: str | FoldedName) -> None:
        """Add a record, or replace its name if the id is already there."""
        if record_id in self._names:
            self.remove(record_id)
        folded = name if isinstance(name, FoldedName) else fold_name(name)
        self._names[record_id] = folded
        self._counter += 1
        self._added[record_id] = self._counter
        if folded.strong_count == 1:
            self._one_word.add(record_id)
        for letter in _first_letters(folded):
            self._by_first_letter.setdefault(letter, set()).add(record_id)
        for kind, word in _typed_words(folded):
            typed = kind + word
            records = self._records_by_word.get(typed)
            if records is None:
                records = self._records_by_word[typed] = set()
                for key in word_keys(word, kind):
                    self._words_by_key.setdefault(key, set()).add(typed)
            records.add(record_id)

    def add_many(self, records: Iterable[tuple[Hashable, str | FoldedName]]) -> None:
        for record_id, name in records:
            self.add(record_id, name)

    def remove(self, record_id: Hashable) -> None:
        """Forget a record; unknown ids are ignored."""
        folded = self._names.pop(record_id, None)
        if folded is None:
            return
        self._one_word.discard(record_id)
        del self._added[record_id]
        for letter in _first_letters(folded):
            records = self._by_first_letter[letter]
            records.discard(record_id)
            if not records:
                del self._by_first_letter[letter]
        for kind, word in _typed_words(folded):
            typed = kind + word
            word_records = self._records_by_word.get(typed)
            if word_records is None:
                continue
            word_records.discard(record_id)
            if not word_records:
                del self._records_by_word[typed]
                for key in word_keys(word, kind):
                    words = self._words_by_key[key]
                    words.discard(typed)
                    if not words:
                        del self._words_by_key[key]

    def _records_with_word_like(self, kind: str, word: str) -> set[Hashable]:
        """Records having a word (of the same kind) that matches `word`."""
        similar: set[str] = set()
        for key in word_keys(word, kind):
            similar.update(self._words_by_key.get(key, ()))
        found: set[Hashable] = set()
        for typed in similar:
            if word_similarity(word, typed[len(kind):]) > 0:
                found |= self._records_by_word[typed]
        return found

    def candidates(self, name: FoldedName) -> set[Hashable]:
        """Records that may match: they share matching words with at least two of the
        name's words, or one word when either name has no more than one."""
        per_word = [self._records_with_word_like(kind, word) for kind, word in _typed_words(name)]
        if not per_word:
            return set()
        if len(per_word) == 1:
            # One word: only one-word records can match, or records with a word (or an
            # initial) that the query's initial can pair with.
            alone = per_word[0] & self._one_word
            for letter in set(name.initials):
                alone |= per_word[0] & self._by_first_letter.get(letter, set())
            return alone
        found: set[Hashable] = set()
        for first, second in combinations(per_word, 2):
            found |= first & second
        for records in per_word:
            found |= records & self._one_word  # "Н. Бекқайыров" stored, full name asked
        return found

    def search(self, name: str | FoldedName, limit: int | None = None) -> list[NameHit]:
        """Records whose name matches, best score first (ties by insertion order)."""
        folded = name if isinstance(name, FoldedName) else fold_name(name)
        hits: list[NameHit] = []
        for record_id in self.candidates(folded):
            result: NameMatch = compare_folded(folded, self._names[record_id])
            if result.matched:
                hits.append(NameHit(record_id, result.score))
        hits.sort(key=lambda hit: (-hit.score, self._added[hit.record_id]))
        return hits[:limit] if limit is not None else hits
