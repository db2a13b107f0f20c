"""One lookup from typed names to catalog codes, for the registration dialog, /profile
and the spreadsheet import alike.

Names are compared through bot.domain.folding (case, punctuation, script, plural and
common endings do not matter), first exactly, then allowing a typo or two in longer
names (`typo_limit`). A region named by a word two regions share ("Алматы": the city
KZ-75 or Almaty Region KZ-19) comes back with both codes, the likelier first; a word
saying "city" or "region" next to it decides. Lists ("здоровье, экология и ЧС") are read
item by item, longest known name first, and what is not recognised is returned as typed.

    vocabulary = Vocabulary.build()                       # or .build(translations)
    vocabulary.region("Almaty qalasy").codes              -> ("KZ-75",)
    vocabulary.region("Алматы").codes                     -> ("KZ-75", "KZ-19")
    vocabulary.pick("directions", "здоровье, ЧС, готово") -> Picked(["health", "emergency"], [], done=True)

`translations(msgid)` gives the catalog's names in every interface language, so a
button's label typed by hand is always understood even after a translator rewords it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from bot.domain import aliases
from bot.domain.catalog import AVAILABILITY, DIRECTIONS, REGIONS, SKILLS, SPOKEN_LANGUAGES, Choice
from bot.domain.folding import edit_distance, fold, join, stem, typo_limit, words
from bot.domain.languages import names_of_languages

Translations = Callable[[str], Iterable[str]]
LIST_KINDS = ("directions", "skills", "availability", "languages")
KINDS = ("regions", *LIST_KINDS)
_LIST_SEPARATORS = re.compile(r"[;,\n]+")
_LONGEST_NAME_WORDS = 5
_CACHE_LIMIT = 20_000
# Longer text is no name nor a list of names (a pasted letter): not searched at all, so a
# 5,000-character message costs nothing.
MAX_TYPED_LENGTH = 300


def _word_set(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(word for text in texts for word in words(text))


CITY_WORDS = _word_set(aliases.CITY_WORDS)
REGION_WORDS = _word_set(aliases.REGION_WORDS)
FILLER_WORDS = _word_set(aliases.FILLER_WORDS)
LANGUAGE_FILLER_WORDS = _word_set(aliases.LANGUAGE_FILLER_WORDS)
_MARKERS = CITY_WORDS | REGION_WORDS


@dataclass(frozen=True, slots=True)
class RegionMatch:
    """Region codes a typed name may mean, the likeliest first; `exact` when the name is
    known as typed (not a guess through a typo)."""

    codes: tuple[str, ...] = ()
    exact: bool = True

    @property
    def code(self) -> str | None:
        """The region, when there is exactly one."""
        return self.codes[0] if len(self.codes) == 1 else None

    @property
    def preferred(self) -> str | None:
        """What a reader without the means to ask takes: the likeliest of a known name,
        or the only guess through a typo (None when a typo fits two regions)."""
        if not self.codes or (not self.exact and len(self.codes) > 1):
            return None
        return self.codes[0]


@dataclass(slots=True)
class Picked:
    """A typed list: the codes recognised (in the order typed, once each), the items not
    recognised (as typed), and whether it said "done"."""

    codes: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    done: bool = False


@dataclass(slots=True)
class _Word:
    key: str
    typed: str  # the whitespace-separated piece of the original text it came from


class Vocabulary:
    """Build once (it folds a few thousand names) and share; lookups are cached."""

    def __init__(self) -> None:
        # kind -> key -> codes (in the order the names were added: likeliest first)
        self._tables: dict[str, dict[str, list[str]]] = {kind: {} for kind in (*KINDS, "done", "skip", "back")}
        # region key -> [(code, "city" | "region" | "any")]
        self._region_kinds: dict[str, list[tuple[str, str]]] = {}
        self._by_first_letter: dict[str, dict[str, list[str]]] = {}
        self._cache: dict[tuple[str, str], object] = {}

    # --- building --------------------------------------------------------------------------

    @classmethod
    def build(cls, translations: Translations | None = None) -> Vocabulary:
        vocabulary = cls()
        translate = translations or (lambda msgid: ())
        vocabulary._add_regions(translate)
        for kind, choices, names in (
            ("directions", DIRECTIONS, aliases.DIRECTION_NAMES),
            ("skills", SKILLS, aliases.SKILL_NAMES),
            ("availability", AVAILABILITY, aliases.AVAILABILITY_NAMES),
        ):
            vocabulary._add_choices(kind, choices, names, translate)
        vocabulary._add_languages(translate)
        for kind, texts in (("done", aliases.DONE_WORDS), ("skip", aliases.SKIP_WORDS), ("back", aliases.BACK_WORDS)):
            for text in texts:
                vocabulary._add(kind, vocabulary._plain_key(text), kind)
        vocabulary._index_for_typos()
        return vocabulary

    def _add(self, kind: str, key: str, code: str) -> None:
        if not key:
            return
        codes = self._tables[kind].setdefault(key, [])
        if code not in codes:
            codes.append(code)

    def _plain_key(self, text: str, ignore: frozenset[str] = FILLER_WORDS) -> str:
        return join(word for word in words(text) if word not in ignore)

    def _add_regions(self, translate: Translations) -> None:
        def add(name: str, code: str, default_kind: str) -> None:
            found = words(name)
            kind = "city" if CITY_WORDS & set(found) else "region" if REGION_WORDS & set(found) else default_kind
            key = join(word for word in found if word not in _MARKERS and word not in FILLER_WORDS)
            if not key:
                return
            self._add("regions", key, code)
            entries = self._region_kinds.setdefault(key, [])
            if (code, kind) not in entries:
                entries.append((code, kind))

        for choice in REGIONS:
            add(choice.code, choice.code, "any")
            for name in (choice.name, *translate(choice.name), *aliases.REGION_NAMES.get(choice.code, ())):
                add(name, choice.code, "any")
        for choice in REGIONS:
            for name in aliases.REGION_CITY_NAMES.get(choice.code, ()):
                add(name, choice.code, "city")
        for name, codes in aliases.SHARED_REGION_NAMES.items():
            for code in codes:
                add(name, code, "any")

    def _add_choices(
        self, kind: str, choices: tuple[Choice, ...], names: dict[str, tuple[str, ...]], translate: Translations
    ) -> None:
        for choice in choices:
            for name in (choice.code, choice.name, *translate(choice.name), *names.get(choice.code, ())):
                self._add(kind, self._plain_key(name), choice.code)

    def _add_languages(self, translate: Translations) -> None:
        ignore = FILLER_WORDS | LANGUAGE_FILLER_WORDS
        for choice in SPOKEN_LANGUAGES:
            for name in (choice.code, choice.name, *translate(choice.name)):
                self._add("languages", self._plain_key(name, ignore), choice.code)
        for code, names in aliases.LANGUAGE_NAMES.items():
            for name in names:
                self._add("languages", self._plain_key(name, ignore), code)
        for code, local_names in names_of_languages().items():
            self._add("languages", code, code)
            for name in local_names:
                self._add("languages", self._plain_key(name, ignore), code)

    def _index_for_typos(self) -> None:
        for kind, table in self._tables.items():
            by_letter: dict[str, list[str]] = {}
            for key in table:
                if typo_limit(len(key)):
                    by_letter.setdefault(key[0], []).append(key)
            self._by_first_letter[kind] = by_letter

    # --- looking up --------------------------------------------------------------------------

    def region(self, text: str) -> RegionMatch:
        """The region(s) a typed name means (empty when none)."""
        if len(text) > MAX_TYPED_LENGTH:
            return RegionMatch()
        cached = self._cache.get(("regions", text))
        if cached is None:
            cached = self._region(text)
            self._remember(("regions", text), cached)
        return cached  # type: ignore[return-value]  # the cache holds objects; this key only ever a RegionMatch

    def one(self, kind: str, text: str) -> str | None:
        """The one code a typed text names in a list kind, else None."""
        picked = self.pick(kind, text)
        return picked.codes[0] if len(picked.codes) == 1 and not picked.unknown else None

    def pick(self, kind: str, text: str) -> Picked:
        """The codes a typed list names (see the module docstring)."""
        if kind not in LIST_KINDS:
            raise ValueError(f"not a list kind: {kind!r}")
        if len(text) > MAX_TYPED_LENGTH:
            return Picked(unknown=[text[:40] + "…"])
        cached = self._cache.get((kind, text))
        if cached is None:
            cached = self._pick(kind, text)
            self._remember((kind, text), cached)
        picked: Picked = cached  # type: ignore[assignment]  # the cache holds objects; this key only ever a Picked
        return Picked(list(picked.codes), list(picked.unknown), picked.done)

    def is_done(self, text: str) -> bool:
        """"готово", "дайын", "Done ➡️"..."""
        return self._is("done", text)

    def is_skip(self, text: str) -> bool:
        """"пропустить", "жоқ", "skip", a lone dash..."""
        return text.strip() in ("-", "—", "–") or self._is("skip", text)

    def is_back(self, text: str) -> bool:
        """"назад", "артқа", "⬅️ Back"..."""
        return self._is("back", text)

    # --- internals ---------------------------------------------------------------------------

    def _is(self, kind: str, text: str) -> bool:
        return self._plain_key(text) in self._tables[kind]

    def _remember(self, key: tuple[str, str], value: object) -> None:
        if len(self._cache) >= _CACHE_LIMIT:
            self._cache.clear()
        self._cache[key] = value

    def _region(self, text: str) -> RegionMatch:
        found = [word for word in words(text) if word not in FILLER_WORDS]
        marker = "city" if CITY_WORDS & set(found) else "region" if REGION_WORDS & set(found) else None
        core = [word for word in found if word not in _MARKERS]
        key = join(core)
        if not key:
            return RegionMatch()
        if key in self._region_kinds:
            return RegionMatch(self._region_codes(key, marker))
        guesses = self._typo_keys("regions", key)
        if guesses:
            codes: list[str] = []
            for guess in guesses:
                codes += [code for code in self._region_codes(guess, marker) if code not in codes]
            return RegionMatch(tuple(codes), exact=False)
        # A longer sentence ("Алматы, Медеуский район"): the known names inside it.
        codes = []
        exact = True
        for span_codes, span_exact in self._spans("regions", [_Word(word, word) for word in core])[0]:
            codes += [code for code in span_codes if code not in codes]
            exact = exact and span_exact
        return RegionMatch(tuple(codes), exact=exact)

    def _region_codes(self, key: str, marker: str | None) -> tuple[str, ...]:
        entries = self._region_kinds.get(key) or [(code, "any") for code in self._tables["regions"].get(key, [])]
        chosen = [code for code, kind in entries if marker is not None and kind == marker]
        if not chosen:
            chosen = [code for code, kind in entries if kind == "any"] if marker is not None else []
        if not chosen:
            chosen = [code for code, _kind in entries]
        return tuple(dict.fromkeys(chosen))

    def _pick(self, kind: str, text: str) -> Picked:
        ignore = FILLER_WORDS | (LANGUAGE_FILLER_WORDS if kind == "languages" else frozenset())
        picked = Picked()
        for part in _LIST_SEPARATORS.split(text):
            items = [
                _Word(stem(word), piece)
                for piece in part.split()
                for word in fold(piece).split()
                if stem(word) not in ignore
            ]
            if not items:
                continue
            found, unknown = self._spans(kind, items)
            for codes, _exact in found:
                if codes == ["done"]:
                    picked.done = True
                elif len(codes) == 1 and codes[0] not in picked.codes:
                    picked.codes.append(codes[0])
                elif len(codes) > 1:
                    unknown.append(part.strip())
            picked.unknown += [item for item in unknown if item not in picked.unknown]
        return picked

    def _spans(self, kind: str, items: list[_Word]) -> tuple[list[tuple[list[str], bool]], list[str]]:
        """Known names in a run of words, longest first at each position: their codes
        (with `exact`), and the typed pieces no name covers."""
        found: list[tuple[list[str], bool]] = []
        unknown: list[str] = []
        unknown_until = -1  # the position right after the last unknown word
        position = 0
        while position < len(items):
            match = self._span_at(kind, items, position)
            if match is None:
                piece = items[position].typed
                if unknown and unknown_until == position:  # the same unknown phrase goes on
                    if piece != items[position - 1].typed:
                        unknown[-1] += " " + piece
                else:
                    unknown.append(piece)
                position += 1
                unknown_until = position
                continue
            length, codes, exact = match
            found.append((codes, exact))
            position += length
        return found, unknown

    def _span_at(self, kind: str, items: list[_Word], start: int) -> tuple[int, list[str], bool] | None:
        longest = min(len(items) - start, _LONGEST_NAME_WORDS)
        tables = [self._tables[kind]] + ([self._tables["done"]] if kind in LIST_KINDS else [])
        for length in range(longest, 0, -1):
            key = join(item.key for item in items[start : start + length])
            for table in tables:
                if key in table:
                    return length, list(table[key]) if table is not self._tables["done"] else ["done"], True
        for length in range(longest, 0, -1):
            key = join(item.key for item in items[start : start + length])
            guesses = self._typo_keys(kind, key)
            codes = list(dict.fromkeys(code for guess in guesses for code in self._tables[kind][guess]))
            if codes:
                return length, codes, False
        return None

    def _typo_keys(self, kind: str, key: str) -> list[str]:
        """The known keys closest to `key` within its typo limit (all of them on a tie)."""
        limit = typo_limit(len(key))
        if not limit:
            return []
        best, closest = limit + 1, []
        for known in self._by_first_letter[kind].get(key[0], ()):
            allowed = min(limit, typo_limit(len(known)))
            distance = edit_distance(key, known, allowed)
            if distance > allowed:
                continue
            if distance < best:
                best, closest = distance, [known]
            elif distance == best:
                closest.append(known)
        return closest if best <= limit else []
