"""Typed names -> catalog codes (bot.domain.vocabulary): many real spellings in all three
scripts, and what must not match."""

from __future__ import annotations

import pytest

from bot.domain.catalog import AVAILABILITY, DIRECTIONS, REGIONS, SKILLS, SPOKEN_LANGUAGES
from bot.domain.folding import edit_distance, fold, key
from bot.domain.vocabulary import Vocabulary
from bot.infra.i18n import make_i18n


@pytest.fixture(scope="module")
def vocabulary() -> Vocabulary:
    return Vocabulary.build()


@pytest.fixture(scope="module")
def with_catalogs() -> Vocabulary:
    i18n = make_i18n("kk")
    return Vocabulary.build(lambda msgid: [i18n.gettext(msgid, locale=locale) for locale in ("kk", "ru", "en")])


@pytest.mark.parametrize(
    ("typed", "codes"),
    [
        # cities of republican significance, in every script and old names
        ("Шымкент", ("KZ-79",)), ("Shymkent", ("KZ-79",)), ("шымкент ", ("KZ-79",)), ("Чимкент", ("KZ-79",)),
        ("Астана", ("KZ-71",)), ("Astana", ("KZ-71",)), ("Нур-Султан", ("KZ-71",)), ("Нурсултан", ("KZ-71",)),
        ("Nur-Sultan", ("KZ-71",)), ("Nursultan", ("KZ-71",)), ("Астана қаласы", ("KZ-71",)),
        ("Almaty qalasy", ("KZ-75",)), ("Алматы қаласы", ("KZ-75",)), ("г. Алматы", ("KZ-75",)),
        ("город Алматы", ("KZ-75",)), ("Almaty city", ("KZ-75",)), ("Алма-Ата", ("KZ-75",)),
        # Almaty alone: the city or the region around it, the city first
        ("Алматы", ("KZ-75", "KZ-19")), ("Almaty", ("KZ-75", "KZ-19")), ("АЛМАТЫ", ("KZ-75", "KZ-19")),
        ("Алматинская область", ("KZ-19",)), ("Алматы облысы", ("KZ-19",)), ("Almaty oblysy", ("KZ-19",)),
        ("Almaty Region", ("KZ-19",)), ("алматинская обл.", ("KZ-19",)), ("Қонаев", ("KZ-19",)),
        # regions by name, by their centre, in Kazakh Latin, with typos of folding
        ("Караганда", ("KZ-35",)), ("Қарағанды", ("KZ-35",)), ("Qaragandy oblysy", ("KZ-35",)),
        ("Карагандинская область", ("KZ-35",)), ("из Караганды", ("KZ-35",)), ("Темиртау", ("KZ-35",)),
        ("Ақтөбе", ("KZ-15",)), ("Aqtobe", ("KZ-15",)), ("Актюбинская обл", ("KZ-15",)),
        ("Өскемен", ("KZ-63",)), ("Усть-Каменогорск", ("KZ-63",)), ("ВКО", ("KZ-63",)), ("ШҚО", ("KZ-63",)),
        ("Восточно - Казахстанская область", ("KZ-63",)), ("East Kazakhstan", ("KZ-63",)),
        ("западно–казахстанская   ОБЛАСТЬ", ("KZ-27",)), ("Орал", ("KZ-27",)), ("Уральск", ("KZ-27",)),
        ("СКО", ("KZ-59",)), ("Петропавл", ("KZ-59",)), ("Солтүстік Қазақстан облысы", ("KZ-59",)),
        ("Жетісу", ("KZ-33",)), ("Zhetysu", ("KZ-33",)), ("Jetisu Region", ("KZ-33",)), ("Талдыкорган", ("KZ-33",)),
        ("Тараз", ("KZ-31",)), ("Jambyl", ("KZ-31",)), ("Zhambyl oblysy", ("KZ-31",)),
        ("Туркестан", ("KZ-61",)), ("Түркістан облысы", ("KZ-61",)), ("Turkistan", ("KZ-61",)),
        ("ЮКО", ("KZ-61", "KZ-79")), ("South Kazakhstan", ("KZ-61", "KZ-79")),
        ("Жезказган", ("KZ-62",)), ("Ұлытау", ("KZ-62",)), ("Семей", ("KZ-10",)), ("Абай облысы", ("KZ-10",)),
        ("Кокшетау", ("KZ-11",)), ("Akmola", ("KZ-11",)), ("Mangystau", ("KZ-47",)), ("Ақтау", ("KZ-47",)),
        ("Kostanay", ("KZ-39",)), ("Қостанай", ("KZ-39",)), ("Qyzylorda", ("KZ-43",)), ("Кызылорда", ("KZ-43",)),
        ("Павлодар", ("KZ-55",)), ("Я живу в Павлодаре", ("KZ-55",)), ("Atyrau", ("KZ-23",)),
        ("KZ-75", ("KZ-75",)), ("kz75", ("KZ-75",)), ("KZ 62", ("KZ-62",)),
    ],
)
def test_region_spellings(vocabulary: Vocabulary, typed: str, codes: tuple[str, ...]) -> None:
    assert vocabulary.region(typed).codes == codes


@pytest.mark.parametrize(
    ("typed", "codes"),
    [("Шымкет", ("KZ-79",)), ("Карганда", ("KZ-35",)), ("Североказахстанская", ("KZ-59",)), ("Pavlodr", ("KZ-55",))],
)
def test_a_small_typo_is_a_guess(vocabulary: Vocabulary, typed: str, codes: tuple[str, ...]) -> None:
    match = vocabulary.region(typed)
    assert match.codes == codes and not match.exact
    assert match.preferred == codes[0]


@pytest.mark.parametrize(
    "typed",
    ["Mars", "Москва", "Бишкек", "Ташкент", "Казахстан", "область", "город", "привет", "123", "", "KZ-99", "🙂"],
)
def test_not_a_region(vocabulary: Vocabulary, typed: str) -> None:
    match = vocabulary.region(typed)
    assert match.codes == () and match.code is None and match.preferred is None


def test_ambiguous_names_prefer_the_likeliest_but_have_no_single_code(vocabulary: Vocabulary) -> None:
    almaty = vocabulary.region("Алматы")
    assert almaty.code is None and almaty.preferred == "KZ-75" and almaty.exact


@pytest.mark.parametrize(
    ("kind", "typed", "codes"),
    [
        ("directions", "здоровье, экология", ["health", "ecology"]),
        ("directions", "Здоровье и экология", ["health", "ecology"]),
        ("directions", "emergencies", ["emergency"]), ("directions", "Emergency", ["emergency"]),
        ("directions", "ЧС", ["emergency"]), ("directions", "чс", ["emergency"]), ("directions", "Ч.С.", ["emergency"]),
        ("directions", "поисково-спасательные", ["emergency"]), ("directions", "Поисково спасательные работы", ["emergency"]),
        ("directions", "ЧС и поиск людей", ["emergency"]), ("directions", "Төтенше жағдайлар", ["emergency"]),
        ("directions", "elderly care", ["elderly"]), ("directions", "Elderly", ["elderly"]),
        ("directions", "пожилые", ["elderly"]), ("directions", "забота о пожилых", ["elderly"]),
        ("directions", "Қарттарға күтім", ["elderly"]), ("directions", "ДЕНСАУЛЫҚ САҚТАУ", ["health"]),
        ("directions", "healthcare; Ecology; Education", ["health", "ecology", "education"]),
        ("directions", "наставничество детей", ["mentoring"]), ("directions", "mentoring", ["mentoring"]),
        ("directions", "тарихи-мәдени мұра", ["heritage"]), ("directions", "Heritage", ["heritage"]),
        ("directions", "социальная помощь", ["social"]), ("directions", "білім беру", ["education"]),
        ("skills", "IT, первая помощь", ["it", "medical"]), ("skills", "водитель", ["driving"]),
        ("skills", "Photo and video", ["media"]), ("skills", "фото", ["media"]), ("skills", "юрист", ["legal"]),
        ("skills", "аспаз, құрылыс", ["cooking", "construction"]), ("skills", "psychologist", ["psychology"]),
        ("availability", "выходные, вечера", ["weekends", "evenings"]), ("availability", "по выходным", ["weekends"]),
        ("availability", "weekends", ["weekends"]), ("availability", "Weekend", ["weekends"]),
        ("availability", "будни", ["weekdays"]), ("availability", "в будние дни", ["weekdays"]),
        ("availability", "демалыс күндері", ["weekends"]), ("availability", "кешке", ["evenings"]),
        ("availability", "any time", ["emergency"]), ("availability", "в любое время при ЧС", ["emergency"]),
        ("languages", "казахский, русский", ["kk", "ru"]), ("languages", "қазақша, орысша, ағылшынша", ["kk", "ru", "en"]),
        ("languages", "Русский язык", ["ru"]), ("languages", "по-английски", ["en"]), ("languages", "на английском", ["en"]),
        ("languages", "Qazaq tili", ["kk"]), ("languages", "English, Russian", ["en", "ru"]),
        ("languages", "узбекский", ["uz"]), ("languages", "Uzbek, German", ["uz", "de"]), ("languages", "өзбек тілі", ["uz"]),
        ("languages", "уйгурский", ["ug"]), ("languages", "Türkçe", ["tr"]), ("languages", "китайский", ["zh"]),
        ("languages", "kyrgyz", ["ky"]), ("languages", "немецкий язык", ["de"]),
        ("languages", "Deutsch", ["de"]), ("languages", "中文", ["zh"]), ("languages", "العربية", ["ar"]),
        ("languages", "кыргызча", ["ky"]), ("languages", "en", ["en"]),
    ],
)
def test_list_names(vocabulary: Vocabulary, kind: str, typed: str, codes: list[str]) -> None:
    picked = vocabulary.pick(kind, typed)
    assert (picked.codes, picked.unknown, picked.done) == (codes, [], False)


@pytest.mark.parametrize(
    ("kind", "typed", "unknown"),
    [
        ("directions", "музыка", ["музыка"]), ("directions", "спорт, экология", ["спорт"]),
        ("directions", "1234", ["1234"]), ("skills", "juggling", ["juggling"]),
        ("availability", "никогда", ["никогда"]), ("languages", "klingon", ["klingon"]),
        ("languages", "эльфийский", ["эльфийский"]),
    ],
)
def test_unknown_list_items_come_back_as_typed(vocabulary: Vocabulary, kind: str, typed: str, unknown: list[str]) -> None:
    assert vocabulary.pick(kind, typed).unknown == unknown


def test_a_list_can_end_with_done(vocabulary: Vocabulary) -> None:
    picked = vocabulary.pick("directions", "здоровье, экология, готово")
    assert (picked.codes, picked.done) == (["health", "ecology"], True)
    assert vocabulary.pick("availability", "дайын").done


@pytest.mark.parametrize("typed", ["готово", "Готово!", "ГОТОВО", " готово. ", "дайын", "Дайын", "done", "Done",
                                   "DONE", "Done ➡️", "далее", "келесі", "ok"])
def test_done_words(vocabulary: Vocabulary, typed: str) -> None:
    assert vocabulary.is_done(typed)


@pytest.mark.parametrize("typed", ["экология", "не готово", "готово экология", "", "нет"])
def test_not_done(vocabulary: Vocabulary, typed: str) -> None:
    assert not vocabulary.is_done(typed)


def test_skip_and_back_words(vocabulary: Vocabulary) -> None:
    assert all(vocabulary.is_skip(t) for t in ("Пропустить", "skip", "Skip ➡️", "өткізу", "жоқ", "-", "нет"))
    assert not vocabulary.is_skip("Медеу")
    assert all(vocabulary.is_back(t) for t in ("⬅️ Назад", "назад", "Артқа", "back"))
    assert not vocabulary.is_back("Алматы")


def test_every_catalog_name_in_every_language_is_understood(with_catalogs: Vocabulary) -> None:
    i18n = make_i18n("kk")
    for locale in ("kk", "ru", "en"):
        for choice in REGIONS:
            name = i18n.gettext(choice.name, locale=locale)
            assert choice.code in with_catalogs.region(name).codes, (locale, name)
            assert with_catalogs.region(choice.code).code == choice.code
        for kind, choices in (("directions", DIRECTIONS), ("skills", SKILLS), ("availability", AVAILABILITY),
                              ("languages", SPOKEN_LANGUAGES)):
            for choice in choices:
                name = i18n.gettext(choice.name, locale=locale)
                assert with_catalogs.pick(kind, name).codes == [choice.code], (kind, locale, name)
                assert with_catalogs.pick(kind, f"  {name.upper()}  ").codes == [choice.code]
                assert with_catalogs.pick(kind, choice.code).codes == [choice.code]


def test_no_name_means_two_codes_in_a_list_kind(vocabulary: Vocabulary) -> None:
    for kind in ("directions", "skills", "availability"):
        shared = {key: codes for key, codes in vocabulary._tables[kind].items() if len(codes) > 1}
        assert shared == {}, kind


@pytest.mark.parametrize(
    ("a", "b"),
    [("Қарағанды облысы", "Qaraǵandy oblysy"), ("Жетісу", "Jetisu"), ("Шымкент", "Shymkent"), ("Ёлка", "елка"),
     ("Өскемен", "Oskemen"), ("Нур-Султан", "Nur Sultan")],
)
def test_folding_meets_across_scripts(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_keys_ignore_endings_and_spaces() -> None:
    assert key("выходные") == key("выходным") == key("выходных")
    assert key("emergencies") == key("Emergency")
    assert key("Нур-Султан") == key("Нурсултан")


@pytest.mark.parametrize(("a", "b", "distance"), [("kitten", "sitting", 3), ("abcd", "abdc", 1), ("same", "same", 0)])
def test_edit_distance(a: str, b: str, distance: int) -> None:
    assert edit_distance(a, b, 5) == distance
    assert edit_distance(a, b, 1) == min(distance, 2)  # past the limit: limit + 1


def test_a_pasted_letter_is_no_name(vocabulary: Vocabulary) -> None:
    letter = "Алматы, здоровье, экология. " * 400
    assert vocabulary.region(letter).codes == ()
    picked = vocabulary.pick("directions", letter)
    assert picked.codes == [] and len(picked.unknown) == 1 and len(picked.unknown[0]) <= 41
