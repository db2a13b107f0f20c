"""The name index finds what a full comparison with every record would find."""

from __future__ import annotations

import random

from bot.domain.names import SYSTEMS, NameIndex, compare_names, fold_name, search_keys, transliterate
from tests.support.name_pairs import load_table

GIVEN = ["Нұрсұлтан", "Айгүл", "Айгерім", "Алия", "Алина", "Ерлан", "Еркін", "Марат", "Мұрат",
         "Серік", "Берік", "Жанар", "Ғалымжан", "Шынар", "Әсел", "Қуаныш", "Дәурен", "Мөлдір",
         "Александр", "Юлия", "Дмитрий", "Наталья"]
SURNAMES = ["Бекқайыров", "Сейітова", "Нұрланов", "Нұржанов", "Хасанов", "Ахметова", "Оспанов",
            "Серікбаев", "Берікбаев", "Құдайбергенов", "Иванов", "Кузнецова", "Мұхамеджанов",
            "Абылайғалиева", "Әділғалиев", "Әділеталиев", "Төлеуғалиев", "Тулеугалиев", "Абзалова",
            "Бауыржанов", "Батыржанов", "Алексеев"]
FATHERS = ["Асқарұлы", "Маратқызы", "Сергеевич", "Нұрланқызы", "Абзалқызы", "Артёмович",
           "Мұратовна", "Әділұлы", "", ""]


def _typo(text: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(text) - 1)
    if text[position] == " " or text[position - 1] == " ":
        return text
    kind = rng.choice(("drop", "swap", "double"))
    if kind == "drop":
        return text[:position] + text[position + 1:]
    if kind == "swap":
        return text[:position - 1] + text[position] + text[position - 1] + text[position + 1:]
    return text[:position] + text[position] + text[position:]


def generated_names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    names = []
    for _ in range(count):
        parts = [rng.choice(GIVEN), rng.choice(SURNAMES)]
        rng.shuffle(parts)
        father = rng.choice(FATHERS)
        if father:
            parts.append(father)
        name = " ".join(parts)
        system = rng.choice(SYSTEMS + ("kazakh",))
        if system != "kazakh":
            name = transliterate(name, system)
        for _ in range(2):
            if rng.random() < 0.3:
                name = _typo(name, rng)
        names.append(name)
    return names


def test_search_equals_a_full_scan() -> None:
    records = generated_names(800, seed=1)
    index = NameIndex()
    index.add_many(enumerate(records))
    assert len(index) == 800
    queries = generated_names(150, seed=2) + ["Айгүл", "Н. Бекқайыров", "Nursultan", "А. Иванов",
                                               "Ахметова Ә.", "Z. Kuznetsova", "Ю. Кузнецова"]
    for query in queries:
        expected = {i for i, name in enumerate(records) if compare_names(query, name).matched}
        hits = index.search(query)
        assert {hit.record_id for hit in hits} == expected, query
        scores = [hit.score for hit in hits]
        assert scores == sorted(scores, reverse=True)


def test_matched_table_pairs_share_a_search_key() -> None:
    for a, b, _, _ in load_table():
        if compare_names(a, b).matched and fold_name(a).strong_count and fold_name(b).strong_count:
            assert search_keys(a) & search_keys(b), (a, b)


def test_add_replace_remove() -> None:
    index = NameIndex()
    index.add("R-1", "Нұрсұлтан Бекқайыров")
    index.add("R-2", "Nursultan Bekkairov")
    index.add("R-3", "Айгүл Сейітова")
    assert [hit.record_id for hit in index.search("Bekkairov Nursultan")] == ["R-1", "R-2"]
    assert index.search("Bekkairov Nursultan", limit=1)[0].record_id == "R-1"
    assert [hit.record_id for hit in index.search("Aigul Seitova")] == ["R-3"]

    index.add("R-1", "Айгерім Сейітова")  # same id again: the name is replaced
    assert [hit.record_id for hit in index.search("Bekkairov Nursultan")] == ["R-2"]
    assert [hit.record_id for hit in index.search("Aigerim Seitova")] == ["R-1"]
    assert "R-1" in index and len(index) == 3
    assert index.name_of("R-1") == fold_name("Айгерім Сейітова")

    index.remove("R-2")
    index.remove("R-404")  # unknown ids are ignored
    assert index.search("Bekkairov Nursultan") == []
    assert "R-2" not in index and len(index) == 2
    index.remove("R-1")
    index.remove("R-3")
    assert len(index) == 0
    # Nothing of the removed words is left behind.
    assert index._records_by_word == {} and index._words_by_key == {} and index._one_word == set()
    assert index._by_first_letter == {}


def test_nothing_to_search_with() -> None:
    index = NameIndex()
    index.add(1, "Айгүл Сейітова")
    assert index.search("") == []
    assert index.search("!!! 123") == []
    assert index.search("А.") == []
    assert search_keys("") == frozenset()


def test_search_keys_keep_patronymics_apart() -> None:
    keys = search_keys("Санжар Асқарұлы")
    assert "w:sanjar" in keys and "p:askar" in keys and "w:askar" not in keys
    assert search_keys("Sanzhar Askaruly") == keys
