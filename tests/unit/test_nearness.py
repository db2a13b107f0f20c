"""Where a call-out is and the order of its wave (bot/domain/nearness.py): skills first,
then the distance band (same city, within 30 km, within 100 km, farther, unknown), then
reliability, then kilometres."""

from __future__ import annotations

from datetime import datetime, timezone

from bot.domain.eligibility import Candidate
from bot.domain.gazetteer import City, gazetteer
from bot.domain.nearness import Band, Site, home_of, locate, nearness, rank_by_nearness

G = gazetteer()
ALMATY, KASKELEN, KONAEV = G.named("Алматы"), G.named("Қаскелең"), G.named("Қонаев")
TALDYKORGAN, ASTANA = G.named("Талдықорған"), G.named("Астана")
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def person(volunteer_id: int, skill_score: int = 0, reliability: float = 0.5) -> Candidate:
    return Candidate(volunteer_id=volunteer_id, telegram_id=volunteer_id, locale="en", skill_score=skill_score,
                     reliability=reliability, offers_last_week=0, last_active=EPOCH)


def test_the_pin_wins_then_a_city_in_the_place_then_the_region_centre() -> None:
    pinned = locate("KZ-19", "Каскелен", 43.87, 77.06)
    assert pinned is not None and pinned.source == "pin" and pinned.city == KONAEV
    steppe = locate("KZ-35", None, 47.0, 70.0)
    assert steppe is not None and steppe.city is None and steppe.point == (47.0, 70.0)
    named = locate("KZ-19", "Каскелен, трасса на Бишкек")
    assert named is not None and (named.source, named.city) == ("place", KASKELEN)
    # A place naming no city, or a far city (a street "Сатпаева" in Almaty): the centre.
    for place in (None, "Sairan dam, north gate", "Сатпаева 30", "x" * 300):
        site = locate("KZ-75", place)
        assert site is not None and (site.source, site.city) == ("region", ALMATY)
    assert locate("KZ-19", None).city == KONAEV  # type: ignore[union-attr]  # a known region always has a centre
    assert locate("KZ-99", "Алматы") is None  # not a region, no pin


def test_a_volunteers_home_is_their_typed_city_or_the_city_region() -> None:
    assert home_of("Talgar", "KZ-19") == G.named("Талғар")
    assert home_of("Каскелен", "KZ-75") == KASKELEN  # lives in Kaskelen, volunteers in Almaty
    assert home_of(None, "KZ-75") == ALMATY and home_of("Медеу", "KZ-75") == ALMATY
    assert home_of(None, "KZ-19") is None and home_of("село Жана-Жол", "KZ-19") is None


def test_bands() -> None:
    in_almaty = Site(ALMATY.point, ALMATY, "region")
    assert nearness(in_almaty, ALMATY) == (Band.SAME_CITY, 0.0)
    assert nearness(in_almaty, KASKELEN)[0] == Band.NEAR  # about 28 km
    assert nearness(in_almaty, KONAEV)[0] == Band.REGIONAL  # about 70 km
    assert nearness(in_almaty, TALDYKORGAN)[0] == Band.FAR
    assert nearness(in_almaty, None) == (Band.UNKNOWN, float("inf"))
    assert nearness(None, ALMATY)[0] == Band.UNKNOWN


def test_skills_first_then_band_then_reliability_then_kilometres() -> None:
    site = Site(ALMATY.point, ALMATY, "region")
    homes: dict[int, City | None] = {1: TALDYKORGAN, 2: ALMATY, 3: KASKELEN, 4: None, 5: KONAEV, 6: ASTANA,
                                     7: ALMATY, 8: TALDYKORGAN, 9: ASTANA}
    people = [person(1, reliability=1.0), person(2, reliability=0.2), person(3), person(4, reliability=1.0),
              person(5), person(6, skill_score=1), person(7, reliability=0.9), person(8), person(9)]
    ranked = [c.volunteer_id for c in rank_by_nearness(people, homes, site)]
    # A skilled volunteer far away first; then Almaty (more reliable first), Kaskelen,
    # Konaev, the far ones (more reliable, then nearer: Taldykorgan before Astana), unknown.
    assert ranked == [6, 7, 2, 3, 5, 1, 8, 9, 4]


def test_no_site_falls_back_to_skills_and_reliability() -> None:
    ranked = rank_by_nearness([person(1), person(2, reliability=0.9), person(3, skill_score=2)], {1: ALMATY}, None)
    assert [c.volunteer_id for c in ranked] == [3, 2, 1]
