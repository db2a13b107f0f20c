"""Generated people for the name-matching benchmark: Kazakh and Russian given names,
surnames built the way Kazakh surnames are (a name + -ов/-ев, -баев, -беков,
-жанов), Russian surnames, patronymics in the Kazakh and the Russian form, written in
any of the scripts people use, in either order, sometimes with a typo."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from bot.domain.names import SYSTEMS, transliterate

KAZAKH_MALE = """Абай Абзал Абылай Әділ Әділет Азамат Азат Айбар Айбек Айдар Айдос Ақжол Алдияр Әли
Әлібек Әлихан Алмас Алмат Амангелді Аманжол Арман Арлан Асан Әсет Асқар Асхат Ахмет Бағдат
Бақыт Бақытжан Батыр Бауыржан Бейбіт Бекзат Бекжан Берік Болат Ғабит Ғалым Ғалымжан Дамир
Данияр Дархан Дастан Дәулет Дәурен Диас Досжан Ерасыл Ербол Ерболат Ерғали Ержан Еркін Ерлан
Ерман Ермек Ернар Есен Жанболат Жандос Жасұлан Жеңіс Жомарт Жұмабай Жүсіп Ибрагим Иса Ислам
Ілияс Кенжебек Қайрат Қанат Қасым Қуандық Қуаныш Мақсат Марат Мейірхан Мирас Мұрат Мұхтар
Нұрбол Нұрболат Нұржан Нұрлан Нұрлыбек Нұрсұлтан Олжас Омар Ораз Оспан Рахат Руслан Санжар
Самат Саят Сейіт Серік Сұлтан Талғат Темірлан Тимур Төлеген Тұрсын Ұлан Шерхан Шыңғыс""".split()
KAZAKH_FEMALE = """Айгерім Айгүл Айдана Айжан Айнұр Айсұлу Ақбота Ақерке Ақмарал Алия Аружан Әсел
Әсем Аяулым Балжан Балнұр Ботагөз Гаухар Гүлмира Гүлнар Дана Динара Дина Еркеназ Жанар Жансая
Жұлдыз Зарина Іңкәр Қарлығаш Қымбат Ләззат Мадина Майра Маржан Меруерт Мөлдір Назерке Назым
Нұргүл Перизат Раушан Сабина Салтанат Сәуле Сымбат Толғанай Томирис Ұлжан Шолпан Шынар""".split()
RUSSIAN_MALE = """Александр Алексей Андрей Антон Артём Борис Вадим Виктор Владимир Дмитрий Денис Евгений
Егор Иван Игорь Илья Кирилл Константин Максим Михаил Никита Николай Олег Павел Роман Сергей
Юрий""".split()
RUSSIAN_FEMALE = """Алёна Анастасия Анна Валентина Виктория Галина Дарья Екатерина Елена Ирина Ксения
Людмила Марина Мария Наталья Ольга Светлана Татьяна Юлия""".split()
RUSSIAN_SURNAMES = """Иванов Петров Смирнов Кузнецов Попов Соколов Лебедев Козлов Новиков Морозов Волков
Соловьёв Васильев Зайцев Павлов Семёнов Голубев Виноградов Богданов Воробьёв Фёдоров Михайлов
Беляев Тарасов Белов Комаров Орлов Киселёв Макаров Андреев Ковалёв Гусев Титов Баранов Куликов
Алексеев Степанов Яковлев Сергеев Романов Захаров Борисов Королёв Герасимов Пономарёв
Григорьев Лазарев Медведев Ершов Соболев Рябов Поляков Цветков Данилов Жуков Фролов Журавлёв
Николаев Крылов Максимов Сидоров Осипов Белоусов Федотов Егоров Матвеев Бобров Дмитриев
Антонов Тимофеев Никифоров Веселов Филиппов Марков Миронов Щербаков Колесников Карпов""".split()
_RUSSIAN_FATHERS = [name for name in RUSSIAN_MALE if name[-1] not in "ая"]  # not Илья, Никита
KAZAKH_SURNAME_ENDINGS = ("", "", "", "бай", "бек", "жан", "ғали")
SCRIPT_WEIGHTS = {"kazakh": 4, "russian": 4, "passport": 2, "english": 3, "latin2021": 1,
                  "latin2018": 1, "latin2017": 1}


def _surname(root: str, female: bool) -> str:
    """Серік -> Серіков / Серікова; Жұмабай -> Жұмабаев; Әли -> Әлиев."""
    if root.endswith("й"):
        base = root[:-1] + "ев"
    elif root[-1] in "аеиоуыіәөүұ":
        base = root + "ев"
    else:
        base = root + "ов"
    return base + "а" if female else base


def _patronymic(father: str, female: bool, rng: random.Random) -> str:
    if rng.random() < 0.6:
        return father + ("қызы" if female else "ұлы")
    if father.endswith("й"):
        stem = father[:-1] + "ев"
    elif father[-1] in "аеиоуыіәөүұ":
        stem = father + "ев"  # Әли -> Әлиевич
    else:
        stem = father + "ов"
    return stem + ("на" if female else "ич")


@dataclass(frozen=True, slots=True)
class Person:
    given: str
    surname: str
    patronymic: str

    def written(self, rng: random.Random, typo_rate: float = 0.1) -> str:
        """This person's name as someone might type it."""
        parts = [self.given, self.surname]
        if rng.random() < 0.3:
            parts.reverse()
        if self.patronymic and rng.random() < 0.5:
            parts.insert(1 if parts[0] == self.given else 2, self.patronymic)
        text = " ".join(parts)
        systems = list(SCRIPT_WEIGHTS)
        system = rng.choices(systems, weights=[SCRIPT_WEIGHTS[s] for s in systems])[0]
        if system in SYSTEMS:
            text = transliterate(text, system)
        if rng.random() < typo_rate:
            text = typo(text, rng)
        if rng.random() < 0.05:
            text = text.upper()
        return text


def typo(text: str, rng: random.Random) -> str:
    """One slip of the finger inside a word of 5 letters or more: drop, double,
    swap two neighbours, or replace a letter."""
    words = text.split(" ")
    long_words = [i for i, word in enumerate(words) if len(word) >= 6]
    if not long_words:
        return text
    i = rng.choice(long_words)
    word = words[i]
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "drop":
        word = word[:at] + word[at + 1:]
    elif kind == "double":
        word = word[:at] + word[at] + word[at:]
    elif kind == "swap":
        word = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    else:
        letters = "аеинорстлк" if re.search("[а-яёәғқңөұүһі]", word, re.IGNORECASE) else "aeinorstlk"
        word = word[:at] + rng.choice(letters) + word[at + 1:]
    words[i] = word
    return " ".join(words)


def _popular_first(names: list[str]) -> tuple[list[str], list[float]]:
    """Zipf-like weights: the first name of a list is chosen about 40 times as often as
    the last, as real name frequencies are skewed."""
    return names, [1.0 / (rank + 1) ** 0.8 for rank in range(len(names))]


_CHOICES = {key: _popular_first(names) for key, names in {
    "kazakh_male": KAZAKH_MALE, "kazakh_female": KAZAKH_FEMALE, "russian_male": RUSSIAN_MALE,
    "russian_female": RUSSIAN_FEMALE, "russian_surname": RUSSIAN_SURNAMES}.items()}


def _pick(key: str, rng: random.Random) -> str:
    names, weights = _CHOICES[key]
    return rng.choices(names, weights=weights)[0]


def random_person(rng: random.Random) -> Person:
    female = rng.random() < 0.5
    kazakh = rng.random() < 0.75
    if kazakh:
        given = _pick("kazakh_female" if female else "kazakh_male", rng)
        surname = _surname(_pick("kazakh_male", rng) + rng.choice(KAZAKH_SURNAME_ENDINGS), female)
        father = _pick("kazakh_male", rng)
    else:
        given = _pick("russian_female" if female else "russian_male", rng)
        surname = _pick("russian_surname", rng) + ("а" if female else "")
        father = rng.choice(_RUSSIAN_FATHERS)
    patronymic = _patronymic(father, female, rng) if rng.random() < 0.4 else ""
    return Person(given, surname, patronymic)
