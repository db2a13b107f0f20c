"""The gazetteer (bot/domain/gazetteer.py, cities.py): names in Kazakh, Russian and Latin
find one city; unknown text, a region, a street find none; distances are sane."""

from __future__ import annotations

import pytest

from bot.domain.catalog import REGIONS
from bot.domain.cities import CITIES, REGION_CENTRES
from bot.domain.gazetteer import Gazetteer, Point, distance_km, gazetteer

G = gazetteer()


@pytest.mark.parametrize(("typed", "city"), [
    ("Алматы", "Алматы"), ("Almaty", "Алматы"), ("Алма-Ата", "Алматы"), ("г. Алматы", "Алматы"),
    ("Алматы қаласы", "Алматы"), ("ALMATY city", "Алматы"), ("Алмты", "Алматы"), ("Алматыда", "Алматы"),
    ("я живу в Алматы", "Алматы"), ("Алматы, Медеуский район", "Алматы"), ("ул. Сатпаева 22, Алматы", "Алматы"),
    ("Нур-Султан", "Астана"), ("Nursultan", "Астана"), ("Астанадан", "Астана"),
    ("Өскемен", "Өскемен"), ("Усть-Каменогорск", "Өскемен"), ("Ust-Kamenogorsk", "Өскемен"), ("Oskemen", "Өскемен"),
    ("Қаскелең", "Қаскелең"), ("Каскелен", "Қаскелең"), ("Qaskelen", "Қаскелең"),
    ("Қарағанды", "Қарағанды"), ("Караганда", "Қарағанды"), ("Qaragandy", "Қарағанды"),
    ("Капчагай", "Қонаев"), ("Kunaev", "Қонаев"), ("Семипалатинск", "Семей"), ("Форт-Шевченко", "Форт-Шевченко"),
    ("Каскелен, Алматинская область", "Қаскелең"), ("Шу", "Шу"),
])
def test_names_in_three_scripts_old_names_and_typos_find_the_city(typed: str, city: str) -> None:
    found = G.find(typed)
    assert found is not None and found.name == city


@pytest.mark.parametrize("typed", [
    "", "   ", "qwerty", "Медеу", "Алматы облысы", "Almaty Region", "Қарағанды облысы", "ул. Сатпаева 22",
    "Абая даңғылы", "Satpayev street 5", "🙂", "x" * 5000, "<b>Алматы</b>" * 100,
])
def test_unknown_text_a_region_or_a_street_is_no_city(typed: str) -> None:
    assert G.find(typed) is None


def test_every_region_has_a_centre_and_the_data_is_consistent() -> None:
    codes = {region.code for region in REGIONS}
    assert set(REGION_CENTRES) == codes
    for code in codes:
        centre = G.centre_of(code)
        assert centre is not None and centre.region == code
    assert 80 <= len(CITIES) <= 100
    for region, latitude, longitude, names in CITIES:
        assert region in codes and names
        assert 40.5 <= latitude <= 55.5 and 46.5 <= longitude <= 87.5  # inside Kazakhstan's box
    # Every name finds its city and only it (no name is two places, nor a street word).
    for city, (_region, _latitude, _longitude, names) in zip(G.cities, CITIES, strict=True):
        for name in names:
            assert G.candidates(name) == (city,), name


def test_distances_are_sane() -> None:
    almaty, astana = G.named("Алматы"), G.named("Астана")
    assert distance_km(almaty.point, astana.point) == pytest.approx(970, abs=15)
    assert distance_km(almaty.point, almaty.point) == 0
    assert distance_km(almaty.point, G.named("Қаскелең").point) == pytest.approx(28, abs=5)
    assert distance_km(G.named("Шымкент").point, G.named("Тараз").point) == pytest.approx(165, abs=15)
    assert distance_km(almaty.point, astana.point) == distance_km(astana.point, almaty.point)
    assert G.nearest(Point(43.24, 76.90), within_km=15) == almaty  # a pin in Almaty
    assert G.nearest(Point(47.0, 70.0), within_km=15) is None  # the steppe


def test_lookups_are_cached() -> None:
    places = Gazetteer.build()
    first = places.candidates("г. Алматы, Медеуский район")
    assert places.candidates("г. Алматы, Медеуский район") is first
