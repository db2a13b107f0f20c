"""Deciding whether two written names can be one person's, and the labelled table."""

from __future__ import annotations

import pytest

from bot.domain.names import compare_names, fold_name, names_match, word_similarity
from tests.support.name_pairs import load_table

MIN_PRECISION = 0.97
MIN_RECALL = 0.95


@pytest.mark.parametrize(
    "group",
    [
        ["Нұрсұлтан Бекқайыров", "Нурсултан Беккаиров", "Nursultan Bekkairov", "Bekkairov Nursultan"],
        ["Айгүл", "Айгуль", "Aigul", "Aıgúl"],
        ["Жанар", "Zhanar", "Janar"],
        ["Ғалымжан", "Галымжан", "Galymzhan", "Ǵalymjan"],
        ["Шынар", "Shynar", "Şynar"],
        ["Хасанов", "Khasanov", "Hasanov"],
    ],
)
def test_the_issues_examples_match(group: list[str]) -> None:
    for a in group:
        for b in group:
            assert names_match(a, b), (a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Айгүл Сейітова", "Айгерім Сейітова"),  # different given names, one surname
        ("Айгүл Сейітова", "Айгүл Нұрланова"),  # one given name, different surnames
        ("Алия Оспанова", "Алина Оспанова"),  # listed names one letter apart
        ("Марат Ахметов", "Мұрат Ахметов"),
        ("Серік Қасымов", "Берік Қасымов"),
        ("Ерлан Нұрланов", "Ерлан Нұржанов"),  # surnames built on different names
        ("Ілияс Серікбаев", "Ілияс Берікбаев"),
        ("Мадина Қалиева", "Мадина Алиева"),
        ("Александр Иванов", "Александра Иванова"),
        ("Дана", "Дина"),  # short words must be equal
        ("Ерлан Маратұлы Нұрланов", "Ерлан Серікұлы Нұрланов"),  # different fathers
        ("А. Иванов", "Сергей Иванов"),
    ],
)
def test_different_people_do_not_match(a: str, b: str) -> None:
    assert not names_match(a, b)
    assert not names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Nursultan Bekkairov", "Nursultna Bekkairov"),  # transposition
        ("Айгерім Сейітова", "Айгерм Сейітова"),  # deletion
        ("Kairat Smagulov", "Kairat Smaglov"),
        ("Дмитрий Соколов", "Дмитрий Сококлов"),  # insertion
        ("Ekaterina Novikova", "Ekaterina Nivikova"),  # substitution
        ("Нұрсұлтан", "Нурсултна"),
    ],
)
def test_one_letter_typos_match(a: str, b: str) -> None:
    assert names_match(a, b)


def test_order_and_patronymic_are_optional() -> None:
    assert names_match("Сейітова Айгүл Нұрланқызы", "Aigul Seitova")
    assert names_match("Айгүл Нұрланқызы Сейітова", "Айгуль Нурлановна Сеитова")
    assert names_match("Қайрат Серік ұлы Смағұлов", "Kairat Serikuly Smagulov")
    assert names_match("Иванов Александр Сергеевич", "Alexander Ivanov")


def test_two_typos_only_in_the_vowels_of_long_words() -> None:
    assert names_match("Ерлан Төлеуғалиев", "Ерлан Тулеугалиев")
    assert not names_match("Айгүл Әділғалиева", "Айгүл Әділеталиева")


def test_misspelt_patronymic() -> None:
    assert names_match("Денис Артёмоивч Макаров", "Денис Артёмович Макаров")
    assert names_match("Әсел Әділқезы Ерғалибаева", "Äsel Ädılqyzy Erğalibaeva")
    # A surname built on the father's name is not taken for his patronymic...
    assert not names_match("Айгерім Абзалқызы Абылайғалиева", "Aigerim Abzalova")
    # ...and a misspelt patronymic is no evidence on its own.
    assert not names_match("Ерлан Артёмоивч", "Ерлан Артёмович")


def test_a_part_of_a_name_is_not_enough() -> None:
    # One word in common is too weak to offer as "possibly the same person"...
    assert not names_match("Айгүл", "Айгүл Сейітова")
    assert not names_match("Ерлан Нұрланұлы", "Ерлан Сейітов")
    # ...unless an initial agrees, or both names are that one word.
    assert names_match("Н. Бекқайыров", "Нұрсұлтан Бекқайыров")
    assert names_match("А. С. Иванов", "Александр Сергеевич Иванов")
    assert names_match("Aigul", "Айгүл")
    # A missing surname with the same father still pairs two words.
    assert names_match("Ерлан Нұрланұлы", "Ерлан Нұрланұлы Сейітов")


def test_score_ranks_exact_above_typos_and_partial_names() -> None:
    exact = compare_names("Nursultan Bekkairov", "Нұрсұлтан Бекқайыров")
    typo = compare_names("Nursultan Bekkairov", "Nursultan Bekkaitov")
    with_father = compare_names("Nursultan Bekkairov", "Нұрсұлтан Асқарұлы Бекқайыров")
    different = compare_names("Nursultan Bekkairov", "Нұрлан Бекқайыров")
    assert exact.matched and typo.matched and with_father.matched and not different.matched
    assert exact.score == 1.0
    assert 1.0 > typo.score > different.score
    assert 1.0 > with_father.score > different.score
    assert 0.0 <= different.score < 1.0


def test_compare_accepts_folded_names_and_is_symmetric() -> None:
    a, b = fold_name("Нұрсұлтан Бекқайыров"), "Bekkairov Nursultan"
    assert compare_names(a, b) == compare_names(b, a) == compare_names("Нұрсұлтан Бекқайыров", b)


def test_word_similarity_rules() -> None:
    assert word_similarity("nursultan", "nursultan") == 1.0
    assert 0.85 < word_similarity("nursultan", "nursultna") < 1.0
    assert word_similarity("alia", "alina") == 0.0  # both listed names
    assert word_similarity("dana", "dina") == 0.0  # too short to forgive a typo
    assert word_similarity("nurlanov", "nurjanov") == 0.0  # different names at the head
    assert not names_match("Ерланбаев Абзал", "Ержанбаев Абзал")  # нб folds as мб
    assert word_similarity("bauirjanov", "batirjanov") == 0.0  # Батыр-жан is not listed
    assert not names_match("Алексей Андреев", "Андрей Алексеев")
    assert names_match("Бауржанов Абзал", "Бауыржанов Абзал")  # a listed other spelling
    assert word_similarity("seitova", "seitva") > 0.8
    assert word_similarity("mukhamedzhanov", "mokhamedzhanuv") > 0.8  # two typos in a long word
    assert word_similarity("sokolov", "sobolev") == 0.0


def test_labelled_table_precision_and_recall() -> None:
    rows = load_table()
    assert len(rows) >= 300
    true_pos = false_pos = false_neg = 0
    wrong = []
    for a, b, same, case in rows:
        matched = names_match(a, b)
        assert matched == names_match(b, a), (a, b)
        true_pos += matched and same
        false_pos += matched and not same
        false_neg += same and not matched
        if matched != same:
            wrong.append((case, a, b, same))
    precision = true_pos / (true_pos + false_pos)
    recall = true_pos / (true_pos + false_neg)
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (precision, recall, wrong)


def test_labelled_table_is_balanced_and_unique() -> None:
    rows = load_table()
    same = sum(1 for row in rows if row[2])
    assert same >= 150 and len(rows) - same >= 150
    assert len({(a, b) for a, b, _, _ in rows}) == len(rows)
    cases = {case for _, _, _, case in rows}
    assert {"issue", "script", "script-ru", "order", "patronymic", "typo", "given", "surname", "single"} <= cases
