"""Name search in a database, the way `NameIndex` searches in memory (the same
guarantee: exactly the records `compare_names` matches are found).

A record is stored as its typed folded words ("w:aigul", "p:serik"); the word of a
one-word name carries ONE_WORD in front ("1w:bekqaiyrov"). A vocabulary maps every
blocking key (`word_keys`) to the typed words having it; it grows with the distinct
words ever stored (thousands), not with records.

A search then reads:
1. the vocabulary rows of the query's keys, kept when `word_similarity` > 0: per query
   word, the stored words that match it (a handful: `NameQuery.groups`);
2. the (record, word) rows having those words (one index range each), and keeps the
   records with words of two of the query's words, or of one when the record has one
   word, or when the query has one word and initials (`NameQuery.candidates`).
Only those records are loaded and compared in full."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bot.domain.names.compare import word_similarity
from bot.domain.names.folding import FoldedName
from bot.domain.names.index import PATRONYMIC, WORD, word_keys

ONE_WORD = "1"
MAX_LENGTH = 64  # of a stored word or key (longer ones are cut, on both sides alike)


def _typed(name: FoldedName) -> list[str]:
    return [WORD + word for word in name.words] + [PATRONYMIC + word for word in name.patronymics]


def _cut(text: str) -> str:
    return text[:MAX_LENGTH]


def stored_words(name: FoldedName) -> frozenset[str]:
    """The rows of a record: its typed words (marked when it is the only one)."""
    words = {_cut(typed) for typed in _typed(name)}
    if name.strong_count == 1:
        return frozenset(ONE_WORD + word for word in words)
    return frozenset(words)


def vocabulary(name: FoldedName) -> frozenset[tuple[str, str]]:
    """(blocking key, typed word) for each word of a record."""
    return frozenset((_cut(key), _cut(kind + word))
                     for kind, words in ((WORD, name.words), (PATRONYMIC, name.patronymics))
                     for word in words for key in word_keys(word, kind))


@dataclass(frozen=True, slots=True)
class NameQuery:
    """The stored words matching each query word, and whether one matching word is
    enough for any record (a one-word query with initials: they are compared in full)."""

    groups: tuple[frozenset[str], ...]
    one_is_enough: bool

    @property
    def words(self) -> frozenset[str]:
        """The rows to read: every matching word, alone or in a one-word name."""
        plain = frozenset().union(*self.groups)
        return plain | {ONE_WORD + word for word in plain}

    def candidates(self, rows: Iterable[tuple[int, str]]) -> set[int]:
        """The records to compare, from the (record, stored word) rows read."""
        group_of: dict[str, set[int]] = {}
        for number, group in enumerate(self.groups):
            for word in group:
                group_of.setdefault(word, set()).add(number)
        matched: dict[int, set[int]] = {}
        found: set[int] = set()
        for record_id, word in rows:
            if word.startswith(ONE_WORD) or self.one_is_enough:
                found.add(record_id)
            else:
                matched.setdefault(record_id, set()).update(group_of.get(word, ()))
        found.update(record_id for record_id, groups in matched.items() if len(groups) >= 2)
        return found


def query_keys(name: FoldedName) -> frozenset[str]:
    """Step 1: the vocabulary keys to read."""
    return frozenset(_cut(key) for typed in _typed(name)
                     for key in word_keys(typed[len(WORD):], typed[:len(WORD)]))


def name_query(name: FoldedName, found: Iterable[tuple[str, str]]) -> NameQuery | None:
    """Step 2 from the vocabulary rows read (key, typed word); None: nothing can match."""
    by_key: dict[str, set[str]] = {}
    for key, typed in found:
        by_key.setdefault(key, set()).add(typed)
    groups = []
    for typed in _typed(name):
        kind, word = typed[:len(WORD)], typed[len(WORD):]
        similar = set().union(*(by_key.get(_cut(key), set()) for key in word_keys(word, kind)))
        groups.append(frozenset(other for other in similar
                                if other.startswith(kind) and word_similarity(word, other[len(kind):]) > 0))
    if not any(groups):
        return None
    return NameQuery(tuple(group for group in groups if group), len(groups) == 1 and bool(name.initials))
