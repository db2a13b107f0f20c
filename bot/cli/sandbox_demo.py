"""The sandbox's demo: 300 registered volunteers across six regions and all directions
(names in Kazakh, Russian and Latin spellings), two coordinators, an admin, a few open
tasks and one past task with the hours it gave; and drill volunteers (`--drill N`).

Written straight into the sandbox database (never into the one `birge run` uses), with
fixed random seeds so every demo looks the same."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.access.roles import AccessService
from bot.domain.catalog import AVAILABILITY, DIRECTIONS, SKILLS
from bot.domain.eligibility import EMERGENCY_DIRECTION
from bot.domain.signups import SignupStatus
from bot.domain.tasks import TaskStatus
from bot.domain.volunteers import VolunteerSource, VolunteerStatus
from emulator.sandbox import Person
from storage.db import Database
from storage.models import Signup, Task, TelegramUser, Volunteer

DEMO_VOLUNTEERS = 300
ADMIN_ID = 1_000_001
COORDINATORS = (1_000_002, 1_000_003)
FIRST_VOLUNTEER_ID = 2_000_001
FIRST_DRILL_ID = 8_000_001

# (region, share of the volunteers, towns and districts)
REGIONS = (
    ("KZ-75", 35, ("Медеуский район", "Алмалинский район", "Бостандыкский район", "Әуезов ауданы")),
    ("KZ-71", 25, ("Есіл ауданы", "Алматы ауданы", "Сарыарка")),
    ("KZ-79", 15, ("Әл-Фараби ауданы", "Абайский район")),
    ("KZ-35", 10, ("Караганда", "Темиртау", "Жезқазған")),
    ("KZ-47", 8, ("Ақтау", "Жаңаөзен")),
    ("KZ-63", 7, ("Өскемен", "Риддер")),
)

# (first names, male; female), (surnames in the male form), how the female form is made
KAZAKH = (("Ерлан", "Нұрлан", "Асқар", "Дәурен", "Бауыржан", "Ержан", "Мұрат", "Айдос", "Алмас", "Ғалым", "Серік"),
          ("Айгерім", "Әсел", "Гүлнұр", "Жанар", "Динара", "Мөлдір", "Аружан", "Балжан", "Назерке", "Ақерке", "Сәуле"),
          ("Жұмабеков", "Сапаров", "Төлеуов", "Нұрланов", "Әбдірахманов", "Қасымов", "Ермеков", "Серікбаев",
           "Омаров", "Бекмұханов", "Сейітқалиев"))
RUSSIAN = (("Дмитрий", "Алексей", "Сергей", "Андрей", "Иван", "Максим", "Николай", "Павел", "Артём"),
           ("Анна", "Екатерина", "Ольга", "Мария", "Татьяна", "Наталья", "Елена", "Юлия", "Виктория"),
           ("Иванов", "Смирнов", "Кузнецов", "Попов", "Волков", "Соколов", "Лебедев", "Морозов", "Ким", "Пак"))
LATIN = (("Yerlan", "Timur", "Arman", "Daniyar", "Alibek", "Nursultan", "Ruslan", "Azamat"),
         ("Aigerim", "Madina", "Aliya", "Dana", "Kamila", "Assel", "Zarina", "Saltanat"),
         ("Zhumabekov", "Kassymov", "Nurlanov", "Bekov", "Ermekov", "Omarov", "Seitkali", "Tulegenov"))
UNCHANGED_SURNAMES = frozenset({"Ким", "Пак", "Seitkali"})


@dataclass(frozen=True, slots=True)
class DemoPerson:
    first_name: str
    last_name: str
    locale: str


def make_name(rng: random.Random) -> DemoPerson:
    """A believable name: Kazakh (45 %), Russian (35 %) or a Latin spelling (20 %)."""
    roll = rng.random()
    family, locales = (KAZAKH, ("kk", "kk", "ru")) if roll < 0.45 else \
        (RUSSIAN, ("ru",)) if roll < 0.8 else (LATIN, ("en", "kk", "ru"))
    female = rng.random() < 0.55
    first = rng.choice(family[1] if female else family[0])
    surname = rng.choice(family[2])
    if female and surname not in UNCHANGED_SURNAMES:
        surname += "a" if family is LATIN else "а"
    return DemoPerson(first, surname, rng.choice(locales))


def _at(days: int, hour: int, tz: ZoneInfo, now: datetime) -> datetime:
    local = (now.astimezone(tz) + timedelta(days=days)).date()
    return datetime.combine(local, time(hour), tz).astimezone(timezone.utc)


def _volunteer(telegram_id: int, person: DemoPerson, region: str, city: str, directions: list[str],
               rng: random.Random, now: datetime, number: int) -> Volunteer:
    volunteer = Volunteer(
        telegram_id=telegram_id, full_name=f"{person.first_name} {person.last_name}",
        phone=f"+77{rng.choice(('01', '02', '05', '07', '47', '77'))}{number:07d}",
        birth_year=rng.randint(1962, 2006), region=region, city=city,
        availability=[c.code for c in AVAILABILITY if rng.random() < 0.5] or ["weekends"],
        locale=person.locale, consent_at=now, status=VolunteerStatus.ACTIVE, source=VolunteerSource.BOT,
        hours=0.0, created_at=now, updated_at=now,
    )
    volunteer.directions = directions
    volunteer.skills = [c.code for c in SKILLS if rng.random() < 0.15]
    volunteer.languages = sorted({person.locale if person.locale != "en" else "kk", "ru"}
                                 | ({"en"} if rng.random() < 0.3 else set()))
    return volunteer


async def _has(db: Database, telegram_id: int) -> bool:
    async with db.sessionmaker() as session:
        return bool(await session.scalar(select(func.count()).select_from(Volunteer)
                                         .where(Volunteer.telegram_id == telegram_id)))


async def load_demo(db: Database, access: AccessService, tz: ZoneInfo, now: datetime) -> list[Person]:
    """Fill the database with the demo; return the people to show on the page (nothing
    when the demo is there already)."""
    if await _has(db, FIRST_VOLUNTEER_ID):
        return []
    rng = random.Random(2026)
    people = [Person(ADMIN_ID, "Нұрлан", "Әбенов", "ru", "admin"),
              Person(COORDINATORS[0], "Айгерім", "Сапарова", "kk", "coordinator", "KZ-75"),
              Person(COORDINATORS[1], "Dmitry", "Kim", "en", "coordinator", "KZ-71")]
    await access.grant(ADMIN_ID, "admin")
    await access.grant(COORDINATORS[0], "coordinator", region="KZ-75", organisation="Жасыл Ел")
    await access.grant(COORDINATORS[1], "coordinator", region="KZ-71", organisation="Astana Volunteers")
    volunteers: list[Volunteer] = []
    regions = [region for region, share, _ in REGIONS for _ in range(share)]
    codes = [c.code for c in DIRECTIONS]
    for number in range(DEMO_VOLUNTEERS):
        person = make_name(rng)
        region = regions[number * len(regions) // DEMO_VOLUNTEERS]
        city = rng.choice(next(cities for code, _, cities in REGIONS if code == region))
        directions = sorted({codes[number % len(codes)], *rng.sample(codes, rng.randint(0, 2))})
        telegram_id = FIRST_VOLUNTEER_ID + number
        volunteers.append(_volunteer(telegram_id, person, region, city, directions, rng, now, 5_000_000 + number))
        people.append(Person(telegram_id, person.first_name, person.last_name, person.locale, "volunteer"))
    async with db.session() as session:
        session.add_all(volunteers)
        session.add_all(TelegramUser(telegram_id=p.id, locale=p.language or None, created_at=now, last_seen_at=now)
                        for p in people)
        await session.flush()
        await _tasks(session, volunteers, tz, now)
    return people


async def _tasks(session, volunteers: list[Volunteer], tz: ZoneInfo, now: datetime) -> None:  # noqa: ANN001
    almaty, astana = COORDINATORS
    open_tasks = (
        ("Субботник в парке Первого Президента", "Собираем мусор и красим скамейки. Перчатки выдадим.",
         "ecology", "KZ-75", "Парк Первого Президента, главный вход", 3, 10, 3, 20, almaty, "Жасыл Ел"),
        ("Қарттарға азық-түлік жеткізу", "Себеттерді жинап, мекенжайлар бойынша жеткіземіз. Көлік болса жақсы.",
         "elderly", "KZ-75", "Абай даңғылы 10, қоғамдық орталық", 5, 11, 4, 8, almaty, "Жасыл Ел"),
        ("Blood donor day", "Help donors register and keep the queue moving.",
         "health", "KZ-71", "City blood centre, Kenesary 66", 4, 9, 5, 15, astana, "Astana Volunteers"),
    )
    for title, description, direction, region, place, days, hour, hours, slots, coordinator, org in open_tasks:
        task = Task(title=title, description=description, direction=direction, region=region, place=place,
                    starts_at=_at(days, hour, tz, now), ends_at=_at(days, hour + hours, tz, now), slots=slots,
                    taken=0, required_skills=[], min_age=16, organisation=org, coordinator_telegram_id=coordinator,
                    status=TaskStatus.OPEN, created_at=now, updated_at=now)
        session.add(task)
        await session.flush()
        going = [v for v in volunteers if v.region == region and direction in v.directions][:min(4, slots - 1)]
        for volunteer in going:
            session.add(Signup(task_id=task.id, volunteer_id=volunteer.id, status=SignupStatus.GOING,
                               created_at=now, updated_at=now))
        task.taken = len(going)
    # One past task: done, with the hours it gave to those who came.
    past = Task(title="Эко-марафон: сбор макулатуры", description="Приняли 2 тонны бумаги.", direction="ecology",
                region="KZ-75", place="ТРЦ MEGA, парковка", starts_at=_at(-10, 10, tz, now),
                ends_at=_at(-10, 14, tz, now), slots=10, taken=8, required_skills=[], min_age=16,
                organisation="Жасыл Ел", coordinator_telegram_id=almaty, status=TaskStatus.DONE,
                created_at=now - timedelta(days=14), updated_at=now - timedelta(days=10))
    session.add(past)
    await session.flush()
    came = [v for v in volunteers if v.region == "KZ-75" and "ecology" in v.directions][:8]
    for volunteer in came:
        session.add(Signup(task_id=past.id, volunteer_id=volunteer.id, status=SignupStatus.ATTENDED,
                           created_at=past.created_at, updated_at=past.updated_at))
        volunteer.hours += 4.0


async def add_drill_volunteers(db: Database, count: int, region: str, now: datetime,
                               existing: set[int]) -> list[Person]:
    """`count` simulated volunteers in `region` (those already there from an earlier run
    count); return the new ones. All are adults (20 to 60) available at any time, so
    call-outs reach them day and night; two in three have every direction, emergencies
    included (a call-out's first wave), the others every direction but emergencies (its
    second wave)."""
    rng = random.Random(8)
    people: list[Person] = []
    volunteers: list[Volunteer] = []
    codes = [c.code for c in DIRECTIONS]
    for number in range(count):
        person = make_name(rng)
        telegram_id = FIRST_DRILL_ID + number
        if telegram_id in existing:
            continue
        directions = codes if number % 3 != 2 else [code for code in codes if code != EMERGENCY_DIRECTION]
        volunteer = _volunteer(telegram_id, person, region, "", directions, rng, now, 8_000_000 + number)
        volunteer.birth_year = now.year - rng.randint(20, 60)
        volunteer.city = None
        volunteer.availability = [c.code for c in AVAILABILITY]
        volunteers.append(volunteer)
        people.append(Person(telegram_id, person.first_name, person.last_name, person.locale, "volunteer",
                             simulated=True))
    if volunteers:
        async with db.session() as session:
            session.add_all(volunteers)
            session.add_all(TelegramUser(telegram_id=p.id, locale=p.language or None, created_at=now,
                                         last_seen_at=now) for p in people)
    return people
