"""Name matching across Kazakh and Russian Cyrillic and the Latin spellings of names.

    fold_name(text) -> FoldedName          phonetic word keys, patronymics, initials
    compare_names(a, b) -> NameMatch       matched (the decision) and score (for ranking)
    names_match(a, b) -> bool
    search_keys(name) -> frozenset[str]    every blocking key of a name
    stored.py                              the same search in a database (words, vocabulary)
    NameIndex                              add / remove / search among many records
    transliterate(text, system)            Kazakh Cyrillic in the Latin systems people use

Pure functions: no I/O. Matching a name never proves two records are one person; the
phone number is the strong key, a name match is only "possibly the same person".
"""

from bot.domain.names.compare import NameMatch, compare_folded, compare_names, names_match, word_similarity
from bot.domain.names.folding import FoldedName, canonical_word, fold_name, fold_word
from bot.domain.names.index import NameHit, NameIndex, search_keys, word_keys
from bot.domain.names.scripts import SYSTEMS, transliterate

__all__ = [
    "FoldedName",
    "NameHit",
    "NameIndex",
    "NameMatch",
    "SYSTEMS",
    "canonical_word",
    "compare_folded",
    "compare_names",
    "fold_name",
    "fold_word",
    "names_match",
    "search_keys",
    "transliterate",
    "word_keys",
    "word_similarity",
]
