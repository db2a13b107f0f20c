"""Registration by typing instead of tapping, end to end over the fake Bot API: names,
a year as "57" or "69 жас" (confirmed), a region by name (Almaty asked about), lists by
name, "готово"; and a minor whose guardian reaches the coordinator's roster."""

from __future__ import annotations

from datetime import timedelta

from bot.tasks.drafts import TaskDraft
from emulator import FakeTelegram
from handlers.callbacks import TaskCb
from storage.models import Volunteer
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, register, sign_up
from tests.support.e2e import RunningBot
from tests.support.registration import (
    ASK_AVAILABILITY,
    ASK_CITY,
    ASK_DIRECTIONS,
    ASK_GUARDIAN_NAME,
    ASK_GUARDIAN_PHONE,
    ASK_LANGUAGES,
    ASK_NAME,
    ASK_PHONE,
    ASK_REGION,
    ASK_SKILLS,
    ASK_YEAR,
    SUMMARY,
    Dialog,
    assert_fake_accepted_everything,
)

TWO_READINGS = "Did you mean the year {year}, or that you are {age} years old (born in {age_year})?"
AGE_READING = "You are {age}, so you were born in {year}. Is that right?"
ALMATY_ASKED = "{typed} can mean more than one region. Which one?"
GUARDIAN_14_17 = (
    "You are under 18, so we ask for the consent of a parent or guardian. "
    "Do they agree that you volunteer with Birge?"
)
ONE_WORD = (
    "Please type your first name and your surname, for example “Aigerim Nurlanova”: the coordinators need both "
    "to tell volunteers apart."
)


async def test_a_volunteer_who_types_everything(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    d = Dialog(bot, fake, 3001, "ru")
    await d.to_name()
    refusal = await d.say("Айгерим", ASK_NAME)  # one word: refused, saying why
    assert refusal.text.startswith(d.t(ONE_WORD))
    await d.say("Айгерим Нурланова", ASK_PHONE)
    await d.say("8 701 234 56 78", ASK_YEAR)

    # "57": the year 1957, or 57 years old? Asked with buttons; 1957 chosen.
    confirm = await d.user.ask("57")
    assert confirm.text == d.t(TWO_READINGS).format(year=1957, age=57, age_year=1969)
    assert confirm.button_texts()[:2] == ["1957", "1969"]
    region = await d.tap("1957", ASK_REGION)
    assert region.message_id == confirm.message_id  # the confirmation became the next question

    # "алматы": the city or the region around it? Asked; the city chosen.
    asked = await d.user.ask("алматы")
    assert asked.text == d.t(ALMATY_ASKED).format(typed="«алматы»")
    assert asked.button_texts()[:3] == [d.t("Almaty"), d.t("Almaty Region"), "🗺 " + d.t("All regions")]
    await d.tap(d.t("Almaty"), ASK_CITY)
    await d.say("Медеуский район", ASK_DIRECTIONS)

    # Directions by name, then "готово".
    ticked = await d.say("здоровье, экология", ASK_DIRECTIONS)
    assert ticked.text.startswith("✅ " + d.t("Ticked: {names}.").format(names=f"{d.t('Health care')}, {d.t('Ecology')}"))
    assert {"✅ " + d.t("Health care"), "✅ " + d.t("Ecology")} <= set(ticked.button_texts())
    skills = await d.say("Готово", ASK_SKILLS)
    assert skills.text.startswith(f"✅ {d.t('Directions')}: {d.t('Health care')}, {d.t('Ecology')}")
    await d.say("нет", ASK_AVAILABILITY)  # no skills
    await d.say("выходные и вечера, готово", ASK_LANGUAGES)  # a list and "done" at once
    summary = await d.say("казахский, узбекский, ГОТОВО", SUMMARY)
    assert f"{d.t('Year of birth')}: 1957" in summary.text
    assert f"{d.t('Phone')}: +7 701 234 56 78" in summary.text
    assert f"{d.t('Languages')}: {d.t('Kazakh')}, {d.t('Russian')}, Узбекский" in summary.text
    await d.confirm()

    volunteer = await bot.services.volunteers.get(3001)
    assert (volunteer.full_name, volunteer.phone, volunteer.birth_year) == ("Айгерим Нурланова", "+77012345678", 1957)
    assert (volunteer.region, volunteer.city) == ("KZ-75", "Медеуский район")
    assert sorted(volunteer.directions) == ["ecology", "health"] and volunteer.skills == []
    assert volunteer.availability == ["evenings", "weekends"]
    assert volunteer.languages == ["kk", "ru", "uz"]  # the interface language was pre-ticked
    assert volunteer.guardian_consent_at is None
    assert_fake_accepted_everything(fake)


async def test_an_age_typed_in_kazakh_and_refusals_that_do_not_repeat(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 3002, "kk")
    await d.to_year()
    refusals = []
    for typed in ("білмеймін", "білмеймін", "білмеймін"):
        refusals.append((await d.say(typed, ASK_YEAR)).text)
    assert len(set(refusals)) == 3  # the same mistake three times: three different answers
    assert all(text.startswith(d.t("I could not find a year of birth in that.")) for text in refusals)
    future = await d.say("2030", ASK_YEAR)
    assert future.text.startswith(d.t("The year {year} has not come yet.").format(year=2030))
    young = await d.say("5 жас", ASK_YEAR)
    assert young.text.startswith(d.t(
        "Born in {year}, you would be {age} this year, and volunteers must be at least {min_age}."
    ).format(year=2021, age=5, min_age=7))

    confirm = await d.user.ask("69 жас")
    assert confirm.text == d.t(AGE_READING).format(age=69, year=1957)
    await d.tap("✏️ " + d.t("No"), ASK_YEAR)  # not what was meant: the question again
    assert (await d.user.ask("69 жас")).text == d.t(AGE_READING).format(age=69, year=1957)
    await d.tap("✅ " + d.t("Yes, {year}").format(year=1957), ASK_REGION)

    # A region typed in Latin Kazakh: taken at once, and said so on top of the next question.
    city = await d.say("Shymkent qalasy", ASK_CITY)
    assert city.text.startswith(f"✅ {d.t('Region')}: {d.t('Shymkent')}")
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)
    await d.say("ТЖ", ASK_DIRECTIONS)  # Kazakh for "emergencies"
    await d.say("дайын", ASK_SKILLS)
    await d.say("DONE", ASK_AVAILABILITY)
    await d.say("демалыс күндері", ASK_AVAILABILITY)
    await d.say("Дайын.", ASK_LANGUAGES)
    await d.say("дайын", SUMMARY)
    await d.confirm()
    volunteer = await bot.services.volunteers.get(3002)
    assert (volunteer.birth_year, volunteer.region, volunteer.directions) == (1957, "KZ-79", ["emergency"])
    assert volunteer.availability == ["weekends"] and volunteer.languages == ["kk"]
    assert_fake_accepted_everything(fake)


async def test_a_typo_in_a_region_is_confirmed_and_a_list_names_what_it_did_not_know(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    d = Dialog(bot, fake, 3003, "en")
    await d.to_region()
    confirm = await d.say("Qaragnda oblysy", "Did you mean this region?")  # one letter missing
    assert confirm.button_texts()[0] == d.t("Karaganda Region")
    await d.tap(d.t("Karaganda Region"), ASK_CITY)
    await d.tap(d.t("Skip ➡️"), ASK_DIRECTIONS)
    pasted = await d.say("health, ecology. " * 300, ASK_DIRECTIONS)  # 5,100 characters: no list, said so briefly
    assert len(pasted.text) < 600 and "✅" not in "".join(pasted.button_texts())
    note = await d.say("elderly care, knitting <b>", ASK_DIRECTIONS)
    assert "«knitting &lt;b&gt;»" in note.source  # named back as typed, escaped
    assert "✅ " + d.t("Elderly care") in note.button_texts()
    await d.tap(d.t("Done ➡️"), ASK_SKILLS)
    volunteer_before = await bot.services.volunteers.get(3003)
    assert volunteer_before is None
    assert_fake_accepted_everything(fake)


COORDINATOR = 860_001
SECOND_COORDINATOR = 860_002  # Astana only


async def test_a_minors_guardian_reaches_only_the_coordinators_who_may_see_phones(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    d = Dialog(bot, fake, 3004, "ru")
    await d.to_year()  # Aigerim Nurlanovna, her own phone +7 701 234 56 78
    await d.say("2011", GUARDIAN_14_17)
    await d.tap("✅ " + d.t("My parent/guardian agrees"), ASK_GUARDIAN_NAME)
    await d.say("Сәуле Серікова", ASK_GUARDIAN_PHONE)
    await d.say("+7 701 777 00 11", ASK_REGION)
    await d.finish_from_region(region="Almaty")
    await d.confirm()
    minor = await bot.services.volunteers.get(3004)
    assert (minor.guardian_name, minor.guardian_phone) == ("Сәуле Серікова", "+77017770011")

    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.access.grant(SECOND_COORDINATOR, "coordinator", region="KZ-71")
    now = bot.services.clock.now()
    task = await bot.services.tasks.create(TaskDraft(
        region="KZ-75", title="Субботник", description="", direction="ecology", place="Парк",
        starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=3), slots=5, min_age=14,
    ), COORDINATOR)
    await sign_up(bot, task.id, minor.id, "going")
    adult = await register(bot, 3005, name="Ерлан Беков", birth_year=1990)
    await sign_up(bot, task.id, adult, "going")

    t = Texts(bot, "ru")

    async def roster_of(telegram_id: int) -> str:
        user = fake.user(telegram_id, language_code="ru")
        menu = await user.ask("/mytasks")
        pressed = await user.press_data(TaskCb(action="roster", task_id=task.id).pack(), menu.message_id)
        await answer_of(fake, pressed)
        return (await user.wait_for_message(lambda m: "Субботник" in (m.text or ""))).text

    guardian_line = "👪 " + t("Parent or guardian: {guardian}", guardian="Сәуле Серікова, +7 701 777 00 11")
    roster = await roster_of(COORDINATOR)
    assert "1. Aigerim Nurlanovna — +7 701 234 56 78\n    " + guardian_line in roster
    assert "2. Ерлан Беков — +7 701 000 30 05" in roster and roster.count("👪") == 1  # an adult has no guardian line

    # Another region's coordinator cannot open the roster at all.
    other = fake.user(SECOND_COORDINATOR, language_code="ru")
    menu = await other.ask("/mytasks")
    refused = await answer_of(fake, await other.press_data(TaskCb(action="roster", task_id=task.id).pack(),
                                                           menu.message_id))
    assert refused["text"] == t("Sorry, this task belongs to another region's coordinators.")
    # The task's owner, moved to another region, still sees the roster but no phones and no guardian.
    await bot.services.access.revoke(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-71")
    roster = await roster_of(COORDINATOR)
    assert "Ерлан Беков" in roster and "Сәуле" not in roster and "👪" not in roster and "+7 701" not in roster

    # /delete_me erases the guardian with the rest.
    await bot.services.volunteers.delete(3004)
    async with bot.services.db.sessionmaker() as session:
        erased = await session.get(Volunteer, minor.id)
    assert (erased.guardian_name, erased.guardian_phone, erased.guardian_consent_at) == (None, None, None)
    assert_fake_accepted_everything(fake)
