"""How near a volunteer is to a call-out, and the order of a wave. No I/O.

**Where the call-out is** (`locate`): its location pin if it has one (the city is the
nearest one within PIN_CITY_KM, if any); else a city named in its place ("Каскелен,
трасса", found by bot.domain.gazetteer) in its region or a neighbouring one (a street
named after a far city, "Сатпаева 30" in Almaty, is not taken for it); else the region's
centre (the city itself for Astana, Almaty and Shymkent).

**Where the volunteer is** (`home_of`): the city their free-text `city` names; else, for
the three regions that are one city, that city; else unknown.

**Order of a wave** (`rank_by_nearness`), best first:

1. skill match, as for tasks (bot/domain/eligibility.py): relevant skills first;
2. distance band: SAME_CITY, then NEAR (within 30 km), REGIONAL (within 100 km), FAR,
   and UNKNOWN (no known city) last;
3. reliability (bot/domain/eligibility.py);
4. distance in km (nearer first), then the volunteer id, so the order is total.

The first FIRST_CHUNK of a wave are written and sent first (bot/callouts/service.py),
so in a big wave the nearest good matches are the first to hear.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import IntEnum

from bot.domain.cities import CITY_REGIONS
from bot.domain.eligibility import Candidate
from bot.domain.emergencies import neighbours_of
from bot.domain.gazetteer import City, Gazetteer, Point, distance_km, gazetteer

NEAR_KM = 30.0
REGIONAL_KM = 100.0
PIN_CITY_KM = 15.0  # a pin this close to a city's centre is in that city


class Band(IntEnum):
    SAME_CITY = 0
    NEAR = 1
    REGIONAL = 2
    FAR = 3
    UNKNOWN = 4


@dataclass(frozen=True, slots=True)
class Site:
    """Where a call-out is: a point, and the city it is in when known."""

    point: Point
    city: City | None
    source: str  # "pin" | "place" | "region"


def locate(region: str, place: str | None = None, latitude: float | None = None, longitude: float | None = None,
           places: Gazetteer | None = None) -> Site | None:
    """Where a call-out is (see the module docstring); None for an unknown region
    without a pin."""
    places = places or gazetteer()
    if latitude is not None and longitude is not None:
        point = Point(latitude, longitude)
        return Site(point, places.nearest(point, PIN_CITY_KM), "pin")
    if place:
        allowed = {region, *neighbours_of(region)}
        named = [city for city in places.candidates(place) if city.region in allowed]
        if named:
            city = next((c for c in named if c.region == region), named[0])
            return Site(city.point, city, "place")
    centre = places.centre_of(region)
    return Site(centre.point, centre, "region") if centre else None


def home_of(city_text: str | None, region: str | None, places: Gazetteer | None = None) -> City | None:
    """The city a volunteer lives in, as far as we can tell (see the module docstring)."""
    places = places or gazetteer()
    found = places.find(city_text, region) if city_text else None
    if found is None and region in CITY_REGIONS:
        return places.centre_of(region)
    return found


def nearness(site: Site | None, home: City | None) -> tuple[Band, float]:
    """The band and the distance in km (infinite when unknown)."""
    if home is None or site is None:
        return Band.UNKNOWN, math.inf
    if site.city is not None and home == site.city:
        return Band.SAME_CITY, 0.0
    km = distance_km(site.point, home.point)
    if km <= NEAR_KM:
        return Band.NEAR, km
    return (Band.REGIONAL if km <= REGIONAL_KM else Band.FAR), km


def rank_by_nearness(candidates: Iterable[Candidate], homes: Mapping[int, City | None],
                     site: Site | None) -> list[Candidate]:
    """The order of a call-out's wave (see the module docstring). `homes`: volunteer id
    -> their city (missing: unknown)."""
    known: dict[City | None, tuple[Band, float]] = {}  # a few cities for thousands of people

    def key(candidate: Candidate) -> tuple[int, Band, float, float, int]:
        home = homes.get(candidate.volunteer_id)
        near = known.get(home)
        if near is None:
            near = known[home] = nearness(site, home)
        return -candidate.skill_score, near[0], -candidate.reliability, near[1], candidate.volunteer_id

    return sorted(candidates, key=key)
