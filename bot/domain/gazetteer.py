"""Which city a typed text names, and how far apart two places are. No I/O.

The cities are bot/domain/cities.py's (about 90: every region's centre and the other
cities and towns). A text is compared through bot.domain.folding like the registration
vocabulary: case, punctuation, script (Kazakh, Russian, Latin) and common endings do not
matter, words saying "city" ("г.", "қаласы") and filler ("я живу в") are dropped:

    gazetteer().find("г. Алматы") == gazetteer().find("Almaty") == gazetteer().find("Алма-Ата")

1. the whole text is a known name -> that city; a word saying "region" ("Алматы облысы")
   means a region, not a city -> None;
2. else, the whole text with a Kazakh case ending cut ("Алматыда", "Астанадан");
3. else, the whole text with a typo or two (`folding.typo_limit`: none under 5 letters);
4. else, the first known name inside a longer text ("Алматы, Медеуский район"), exactly,
   unless a street or region word stands next to it in the same part (between commas):
   "ул. Сатпаева", "Абая даңғылы", "Алматы облысы" name no city.

Distances are great-circle (haversine) on a sphere of the Earth's mean radius: Almaty to
Astana is about 970 km. Lookups are cached (`CACHE_LIMIT` texts)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from bot.domain import cities
from bot.domain.folding import edit_distance, fold, join, stem, typo_limit, words
from bot.domain.vocabulary import CITY_WORDS, FILLER_WORDS, MAX_TYPED_LENGTH, REGION_WORDS

EARTH_RADIUS_KM = 6371.0088
CACHE_LIMIT = 20_000
_LONGEST_NAME_WORDS = 3
# Kazakh case endings after a city's name (folded): locative "-да/-та/-нда", ablative
# "-дан/-тан/-нан" and their front-vowel pairs.
_KAZAKH_ENDINGS = ("ndan", "nden", "dan", "den", "tan", "ten", "nda", "nde", "da", "de", "ta", "te")
STREET_WORDS = frozenset(word for text in cities.STREET_WORDS for word in words(text))
_DROPPED = CITY_WORDS | FILLER_WORDS
_MARKERS = REGION_WORDS | STREET_WORDS
_PARTS = re.compile(r"[,;()\n/]+")


class Point(NamedTuple):
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class City:
    name: str  # as the bot writes it (Kazakh)
    region: str  # ISO 3166-2:KZ
    latitude: float
    longitude: float

    @property
    def point(self) -> Point:
        return Point(self.latitude, self.longitude)


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.latitude, a.longitude, b.latitude, b.longitude))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Gazetteer:
    """Build once (`gazetteer()` shares one) and look up as often as needed."""

    def __init__(self) -> None:
        self.cities: list[City] = []
        self._by_key: dict[str, list[City]] = {}  # stemmed key -> cities (usually one)
        self._raw: dict[str, list[City]] = {}  # folded key, unstemmed -> cities (for endings and typos)
        self._by_first_letter: dict[str, list[str]] = {}
        self._by_name: dict[str, City] = {}
        self._cache: dict[str, tuple[City, ...]] = {}

    @classmethod
    def build(cls) -> Gazetteer:
        gazetteer = cls()
        for region, latitude, longitude, names in cities.CITIES:
            city = City(names[0], region, latitude, longitude)
            gazetteer.cities.append(city)
            gazetteer._by_name[city.name] = city
            for name in names:
                gazetteer._add(gazetteer._by_key, join(w for w in words(name) if w not in _DROPPED), city)
                gazetteer._add(gazetteer._raw, join(w for w in fold(name).split() if w not in _DROPPED), city)
        for raw in gazetteer._raw:
            if typo_limit(len(raw)):
                gazetteer._by_first_letter.setdefault(raw[0], []).append(raw)
        return gazetteer

    @staticmethod
    def _add(table: dict[str, list[City]], key: str, city: City) -> None:
        if key and city not in table.setdefault(key, []):
            table[key].append(city)

    # --- looking up ---------------------------------------------------------------------------

    def named(self, name: str) -> City:
        """A city by the name the bot writes it by (cities.py's first name)."""
        return self._by_name[name]

    def centre_of(self, region: str) -> City | None:
        """The region's administrative centre."""
        name = cities.REGION_CENTRES.get(region)
        return self._by_name[name] if name else None

    def find(self, text: str | None, region: str | None = None) -> City | None:
        """The city a text names (see the module docstring), or None. When a name fits
        several cities, the one in `region` if any, else the first."""
        found = self.candidates(text or "")
        if not found:
            return None
        return next((city for city in found if city.region == region), found[0])

    def candidates(self, text: str) -> tuple[City, ...]:
        cached = self._cache.get(text)
        if cached is None:
            cached = self._candidates(text) if len(text) <= MAX_TYPED_LENGTH else ()
            if len(self._cache) >= CACHE_LIMIT:
                self._cache.clear()
            self._cache[text] = cached
        return cached

    def nearest(self, point: Point, within_km: float) -> City | None:
        """The city whose centre is nearest to `point`, if within `within_km`."""
        best = min(self.cities, key=lambda city: distance_km(point, city.point))
        return best if distance_km(point, best.point) <= within_km else None

    # --- internals ---------------------------------------------------------------------------

    def _candidates(self, text: str) -> tuple[City, ...]:
        parts = [[w for w in fold(part).split() if w not in _DROPPED] for part in _PARTS.split(text)]
        parts = [part for part in parts if part]
        if not parts:
            return ()
        stemmed = [[stem(w) for w in part] for part in parts]
        if not any(_MARKERS.intersection(part) for part in stemmed):
            whole = self._whole(join(w for part in parts for w in part), join(w for part in stemmed for w in part))
            if whole:
                return whole
        for part in stemmed:
            found = self._inside(part)
            if found:
                return found
        return ()

    def _whole(self, raw: str, key: str) -> tuple[City, ...]:
        exact = self._by_key.get(key) or self._raw.get(raw)
        if exact:
            return tuple(exact)
        for ending in _KAZAKH_ENDINGS:
            if raw.endswith(ending) and raw[: -len(ending)] in self._raw:
                return tuple(self._raw[raw[: -len(ending)]])
        return self._typo(raw)

    def _typo(self, raw: str) -> tuple[City, ...]:
        """The cities whose name is closest to `raw` within its typo limit; none on a tie
        between two cities."""
        limit = typo_limit(len(raw))
        if not limit:
            return ()
        best = limit + 1
        closest: set[str] = set()
        for known in self._by_first_letter.get(raw[0], ()):
            allowed = min(limit, typo_limit(len(known)))
            distance = edit_distance(raw, known, allowed)
            if distance > allowed:
                continue
            if distance < best:
                best, closest = distance, {known}
            elif distance == best:
                closest.add(known)
        found = list(dict.fromkeys(city for key in sorted(closest) for city in self._raw[key]))
        return tuple(found) if len(found) == 1 else ()

    def _inside(self, stemmed: list[str]) -> tuple[City, ...]:
        """The first known name in one part of a text (between commas), exactly."""
        markers = _MARKERS
        for start in range(len(stemmed)):
            if stemmed[start] in markers:
                continue
            for length in range(min(_LONGEST_NAME_WORDS, len(stemmed) - start), 0, -1):
                span = stemmed[start:start + length]
                if markers & set(span):
                    continue
                found = self._by_key.get(join(span))
                if not found:
                    continue
                before = stemmed[start - 1] if start else None
                after = stemmed[start + length] if start + length < len(stemmed) else None
                if before in markers or after in markers:
                    break  # a street or a region of that name: look further on
                return tuple(found)
        return ()


@cache
def gazetteer() -> Gazetteer:
    """The one shared gazetteer (built on first use, a few milliseconds)."""
    return Gazetteer.build()
