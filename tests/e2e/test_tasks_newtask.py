"""/newtask end to end over the fake Bot API: the dialog in Russian, bad input at each
step, Back and Edit, region scope, refusals; Confirm shows how many volunteers match."""

from __future__ import annotations

from datetime import datetime, timezone

from emulator import FakeTelegram, FakeUser
from handlers.callbacks import NewTaskCb, PickCb, TaskCb
from tests.support.clock import ManualClock
from tests.support.coordinator import (
    Texts,
    answer,
    answer_of,
    audit,
    everything_accepted,
    register,
    tasks_in_db,
    wait_text,
)
from tests.support.e2e import ADMIN_ID, RunningBot

COORDINATOR = 810_001


async def coordinator(bot: RunningBot, fake: FakeTelegram, *regions: str, organisation: str | None = "Жасыл Ел",
                      user_id: int = COORDINATOR) -> FakeUser:
    for region in regions or ("KZ-75",):
        await bot.services.access.grant(user_id, "coordinator", region=region, organisation=organisation)
    return fake.user(user_id, language_code="ru")


async def test_newtask_happy_path_in_russian(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    t = Texts(bot, "ru")
    for number, skills in enumerate((("medical",), ("medical", "driving"), ())):
        await register(bot, 820_000 + number, skills=skills)
    await register(bot, 820_010, skills=("medical",), region="KZ-71")  # another region
    user = await coordinator(bot, fake)

    await user.send_text("/newtask")
    title_q = await wait_text(user, t("What is the task? Type a short title ({min} to {max} characters).",
                                      min=3, max=200))
    assert t("New task") in title_q.text  # the heading and the first question: one message
    assert user.button_texts(title_q) == ["✖️ " + t("Cancel")]  # the first step: no Back
    await user.send_text("Уборка <b>& парка")
    await wait_text(user, t("Describe the task: what volunteers will do, what to bring, whom to ask for "
                            "(up to {max} characters). Or press Skip.", max=2000))
    await user.send_text("Собираем мусор.\nПерчатки выдадим.")
    direction_q = await wait_text(user, t("Which direction does the task belong to?"))
    assert user.button_texts(direction_q)[-2:] == ["⬅️ " + t("Back"), "✖️ " + t("Cancel")]
    await user.press(t("Ecology"))
    place_q = await wait_text(user, t("Where? Type the address or a landmark, or send a location pin (📎 → Location)."))
    assert place_q.message_id == direction_q.message_id  # a pressed question turns into the next one
    await user.send_location(43.2389, 76.8897)
    start_q = await wait_text(user, "Asia/Almaty")
    assert "03.03.2026 10:00" in start_q.text and "03.03 10:00" in start_q.text  # examples: tomorrow
    await user.send_text("05.03.2026 10:00")
    await wait_text(user, "13:00")  # the end's example: three hours after the start
    await user.send_text("14:00")
    await wait_text(user, t("How many volunteers are needed? Type a number from {min} to {max}.", min=1, max=500))
    await user.send_text("10")
    await wait_text(user, t("Which skills must volunteers have? Tick any (or none), then press Done."))
    await user.press(t("First aid or medical"))
    ticked = await user.wait_for_message(lambda m: "✅ " + t("First aid or medical") in m.button_texts())
    await user.press(t("Done ➡️"), message_id=ticked.message_id)
    preview = await user.wait_for_message(lambda m: "✅ " + t("Confirm") in m.button_texts())
    text = preview.text
    assert "Уборка <b>& парка" in text  # escaped on the way: shown exactly as typed
    assert "Собираем мусор.\nПерчатки выдадим." in text
    assert t("Ecology") in text and t("Almaty") in text and "43.23890, 76.88970" in text
    assert "10:00" in text and "14:00" in text
    assert f"{t('Volunteers needed')}: 10" in text
    assert f"{t('Required skills')}: {t('First aid or medical')}" in text
    assert f"{t('Minimum age')}: 16" in text
    assert f"{t('Organisation')}: Жасыл Ел" in text

    await user.press("✅ " + t("Confirm"))
    done = await wait_text(user, t("✅ The task is created and open."))
    assert t.n("{count} volunteer matches this task.", "{count} volunteers match this task.", 2) in done.text
    assert t("Send it to them?") in done.text
    assert user.button_texts(done) == ["📣 " + t("Send"), t("Not now")]

    [task] = await tasks_in_db(bot)
    assert (task.title, task.status, task.region, task.direction, task.slots, task.min_age) == \
        ("Уборка <b>& парка", "open", "KZ-75", "ecology", 10, 16)
    assert task.starts_at == datetime(2026, 3, 5, 5, 0, tzinfo=timezone.utc)  # 10:00 in Almaty (UTC+5)
    assert task.ends_at == datetime(2026, 3, 5, 9, 0, tzinfo=timezone.utc)
    assert (task.latitude, task.longitude, task.place) == (43.2389, 76.8897, None)
    assert task.required_skills == ["medical"] and task.organisation == "Жасыл Ел"
    assert task.coordinator_telegram_id == COORDINATOR
    # A second press on the old Confirm creates nothing.
    answer = await answer_of(fake, await user.press_data(NewTaskCb(action="confirm").pack(), preview.message_id))
    assert answer.get("show_alert")
    assert len(await tasks_in_db(bot)) == 1
    # "Not now": the question's buttons go away; nothing is sent.
    later = await answer_of(fake, await user.press(t("Not now"), message_id=done.message_id))
    assert later["text"] == t("OK. You can send it later from /mytasks.")
    await user.wait_for_message(lambda m: m.message_id == done.message_id and not m.button_texts())
    await everything_accepted(fake)


async def test_confirm_then_send_reaches_the_matching_volunteers(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    matching_people = [fake.user(820_100 + n, language_code="ru") for n in range(2)]
    for person in matching_people:
        await register(bot, person.id)
    outsider = fake.user(820_110, language_code="ru")
    await register(bot, outsider.id, directions=("health",))  # another direction
    user = await coordinator(bot, fake)
    await to_title_step(user, t)
    await answer(user, "Субботник", q["description"])
    await user.press(t("Skip ➡️"))
    await wait_text(user, q["direction"])
    await user.press(t("Ecology"))
    await wait_text(user, q["place"])
    await answer(user, "Парк Горького", q["start"])
    await answer(user, "07.03 10:00", q["end"])
    await answer(user, "13:00", q["slots"])
    await answer(user, "5", q["skills"])
    await user.press(t("Done ➡️"))
    await user.wait_for_message(is_preview(t))
    await user.press("✅ " + t("Confirm"))
    done = await wait_text(user, t.n("{count} volunteer matches this task.", "{count} volunteers match this task.", 2))
    await user.press("📣 " + t("Send"), message_id=done.message_id)
    await wait_text(user, t.n("📣 Sending the task to {count} volunteer.",
                              "📣 Sending the task to {count} volunteers.", 2))
    # The delivery engine's progress message appears, and is edited in place as the cards go out.
    progress = await wait_text(user, "Субботник")
    assert t("Sent: {sent} of {total}", sent=0, total=2).split(":")[0] in progress.text
    for person in matching_people:
        card = await wait_text(person, "Субботник")
        assert card.button_texts()  # the volunteer side's card, with its buttons
    await fake.wait_idle()
    assert outsider.messages == []
    bot.clock.advance(seconds=30)  # the progress message is edited at most every few seconds
    edited = await user.wait_for_message(
        lambda m: m.message_id == progress.message_id and t("Sent: {sent} of {total}", sent=2, total=2) in (m.text or ""), after=progress.message_id - 1)
    assert edited.edited
    # A second press of Send: the button is gone; a forged press sends nothing new.
    again = await answer_of(fake, await user.press_data(TaskCb(action="send", task_id=(await tasks_in_db(bot))[0].id)
                                                        .pack(), done.message_id))
    assert not again.get("show_alert")
    await wait_text(user, t("The task has already been sent to the matching volunteers."))
    await fake.wait_idle()
    assert [len(person.messages) for person in matching_people] == [1, 1]
    await everything_accepted(fake)


async def test_menu_buttons_for_coordinators(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    await register(bot, COORDINATOR)
    await register(bot, 830_002)
    user = await coordinator(bot, fake)
    menu = await user.ask("/start", lambda m: "➕ " + t("New task") in m.button_texts())
    assert "📋 " + t("My tasks") in menu.button_texts()
    await user.press("📋 " + t("My tasks"), message_id=menu.message_id)
    await wait_text(user, t("You have no tasks yet. Create one with /newtask."))
    await user.press("➕ " + t("New task"), message_id=menu.message_id)
    await wait_text(user, questions(t)["title"])
    volunteer = fake.user(830_002, language_code="ru")
    menu = await volunteer.ask("/start", lambda m: bool(m.button_texts()))
    assert "➕ " + t("New task") not in menu.button_texts()
    await everything_accepted(fake)


def questions(t: Texts) -> dict[str, str]:
    return {
        "region": t("Which region is the task in?"),
        "title": t("What is the task? Type a short title ({min} to {max} characters).", min=3, max=200),
        "description": t("Describe the task: what volunteers will do, what to bring, whom to ask for "
                         "(up to {max} characters). Or press Skip.", max=2000),
        "direction": t("Which direction does the task belong to?"),
        "place": "📎",
        "start": "Asia/Almaty",
        "end": t("When does it end? Type the time, for example {example}, or the date and time if it ends "
                 "on another day.", example="XX").split("XX")[0],
        "slots": t("How many volunteers are needed? Type a number from {min} to {max}.", min=1, max=500),
        "skills": t("Which skills must volunteers have? Tick any (or none), then press Done."),
        "min_age": t("What is the minimum age of volunteers? Type a number from {min} to {max}.", min=7, max=100),
    }


def is_preview(t: Texts):  # noqa: ANN201
    return lambda m: "✅ " + t("Confirm") in m.button_texts()


async def to_title_step(user: FakeUser, t: Texts) -> None:
    await user.send_text("/newtask")
    await wait_text(user, questions(t)["title"])


async def test_bad_input_at_each_step_is_re_asked(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    text_only = t("I can only read text here. Please type your answer.")
    buttons_only = t("Please choose with the buttons below.")
    user = await coordinator(bot, fake)
    await to_title_step(user, t)
    title_hint = t("The title should be {min} to {max} characters long. Please type it again.", min=3, max=200)
    await user.send_sticker()
    assert text_only in (await wait_text(user, q["title"])).text
    assert title_hint in (await answer(user, "x" * 5000, q["title"])).text
    assert title_hint in (await answer(user, "ab", q["title"])).text
    await answer(user, "Уборка парка", q["description"])
    # Description: a photo, then too long; then Skip.
    await user.send_photo()
    assert text_only in (await wait_text(user, q["description"])).text
    too_long = await answer(user, "д" * 2001, q["description"])
    assert t("The description can be up to {max} characters long. Please shorten it, or press Skip.", max=2000) \
        in too_long.text
    await user.press(t("Skip ➡️"))
    direction_q = await wait_text(user, q["direction"])
    # Direction: typed text instead of a button; a forged code; an older copy of the question.
    assert buttons_only in (await answer(user, "экология", q["direction"])).text
    live = user.last_message
    forged = await answer_of(fake, await user.press_data(PickCb(field="task_direction", code="nope").pack(),
                                                         live.message_id))
    assert forged.get("show_alert")
    stale = await answer_of(fake, await user.press_data(PickCb(field="task_direction", code="ecology").pack(),
                                                        direction_q.message_id))
    assert stale.get("show_alert")
    await user.press(t("Ecology"), message_id=live.message_id)
    await wait_text(user, q["place"])
    await user.send_voice()
    assert t("Please type the address as text, or send a location pin.") in (await wait_text(user, q["place"])).text
    await answer(user, "ул. Абая, 10", q["start"])
    # Start: nonsense, a past moment, no such date.
    unreadable = t("I could not read this date and time. Please type it like {example}.", example="03.03.2026 10:00")
    assert unreadable in (await answer(user, "завтра утром", q["start"])).text
    past = t("This moment has already passed. Please type a date and time in the future.")
    assert past in (await answer(user, "01.03.2026 10:00", q["start"])).text
    assert past in (await answer(user, "02.03.2026 10:59", q["start"])).text  # it is 11:00 there now
    no_such = t("There is no such date or time. Please check it and type it again.")
    assert no_such in (await answer(user, "31.02 10:00", q["start"])).text
    await answer(user, "05.03 10:00", q["end"])
    # End: before the start, equal to it, a sticker.
    before = t("The end must be after the start ({start}). Please type it again.", start="XX").split("XX")[0]
    assert before in (await answer(user, "09:00", q["end"])).text
    assert before in (await answer(user, "10:00", q["end"])).text
    await user.send_sticker()
    assert text_only in (await wait_text(user, q["end"])).text
    await answer(user, "05.03 18:30", q["slots"])
    # Slots: 0, 10000, words.
    slots_hint = t("Please type the number of volunteers needed: a whole number from {min} to {max}.", min=1, max=500)
    for bad in ("0", "10000", "пять"):
        assert slots_hint in (await answer(user, bad, q["slots"])).text
    await answer(user, "500", q["skills"])
    # Skills: typed text; a forged skill; Done with none ticked is fine.
    assert buttons_only in (await answer(user, "водитель", q["skills"])).text
    forged = await answer_of(fake, await user.press_data(PickCb(field="task_skills", code="flying").pack(),
                                                         user.last_message.message_id))
    assert forged.get("show_alert")
    await user.press(t("Done ➡️"))
    preview = await user.wait_for_message(is_preview(t))
    assert "ул. Абая, 10" in preview.text and "18:30" in preview.text
    assert f"{t('Volunteers needed')}: 500" in preview.text and f"{t('Required skills')}: —" in preview.text
    # Text at the preview: buttons are expected.
    assert buttons_only in (await answer(user, "да", buttons_only)).text
    assert await tasks_in_db(bot) == []  # nothing is saved before Confirm
    await everything_accepted(fake)


async def test_back_and_edit(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    user = await coordinator(bot, fake)
    await to_title_step(user, t)
    await answer(user, "Посадка деревьев", q["description"])
    await user.press("⬅️ " + t("Back"))  # from the description back to the title
    await wait_text(user, q["title"])
    await answer(user, "Посадка <деревьев>", q["description"])
    await user.press(t("Skip ➡️"))
    await wait_text(user, q["direction"])
    await user.press(t("Ecology"))
    await wait_text(user, q["place"])
    await answer(user, "Ботанический сад", q["start"])
    await answer(user, "05.03 10:00", q["end"])
    await answer(user, "12:00", q["slots"])
    await user.press("⬅️ " + t("Back"))  # slots -> end
    await wait_text(user, q["end"])
    await answer(user, "13:00", q["slots"])
    await answer(user, "3", q["skills"])
    await user.press(t("Done ➡️"))
    preview = await user.wait_for_message(is_preview(t))
    assert "Посадка <деревьев>" in preview.text and "13:00" in preview.text
    # Edit the title.
    await user.press("✏️ " + t("Edit"))
    menu = await user.wait_for_message(lambda m: t("Minimum age") in m.button_texts())
    assert t("Region") not in user.button_texts(menu)  # one region: nothing to choose
    await user.press(t("Title"))
    await wait_text(user, q["title"])
    await user.send_text("Посадка деревьев весной")
    preview = await user.wait_for_message(is_preview(t))
    assert "Посадка деревьев весной" in preview.text
    # Edit the time: a start after the old end asks for the end as well.
    await user.press("✏️ " + t("Edit"))
    await user.wait_for_message(lambda m: t("Time") in m.button_texts())
    await user.press(t("Time"))
    await wait_text(user, q["start"])
    await answer(user, "06.03 15:00", q["end"])
    await user.send_text("17:00")
    preview = await user.wait_for_message(is_preview(t))
    assert "15:00" in preview.text and "17:00" in preview.text
    # Edit the minimum age (bad, then good).
    await user.press("✏️ " + t("Edit"))
    await user.wait_for_message(lambda m: t("Minimum age") in m.button_texts())
    await user.press(t("Minimum age"))
    await wait_text(user, q["min_age"])
    bad_age = t("Please type the minimum age as a number from {min} to {max}.", min=7, max=100)
    assert bad_age in (await answer(user, "5", q["min_age"])).text
    await user.send_text("18")
    preview = await user.wait_for_message(is_preview(t))
    assert f"{t('Minimum age')}: 18" in preview.text
    # Edit -> Back returns to the preview; Back from the preview goes to the last step.
    await user.press("✏️ " + t("Edit"))
    await user.wait_for_message(lambda m: t("Minimum age") in m.button_texts())
    await user.press("⬅️ " + t("Back"))
    await user.wait_for_message(is_preview(t))
    await user.press("⬅️ " + t("Back"))
    await wait_text(user, q["skills"])
    await user.press(t("Done ➡️"))
    await user.wait_for_message(is_preview(t))
    await user.press("✅ " + t("Confirm"))
    await wait_text(user, t("✅ The task is created and open."))
    [task] = await tasks_in_db(bot)
    assert task.title == "Посадка деревьев весной" and task.min_age == 18 and task.place == "Ботанический сад"
    assert task.starts_at == datetime(2026, 3, 6, 10, 0, tzinfo=timezone.utc)
    assert task.ends_at == datetime(2026, 3, 6, 12, 0, tzinfo=timezone.utc)
    # Cancel works at any step.
    await to_title_step(user, t)
    await user.press("✖️ " + t("Cancel"))
    await wait_text(user, t("Cancelled."))
    assert len(await tasks_in_db(bot)) == 1
    await everything_accepted(fake)


async def test_non_coordinator_is_refused_and_audited(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    await register(bot, 830_001)
    volunteer = fake.user(830_001, language_code="ru")
    reply = await volunteer.ask("/newtask")
    assert reply.text == t("Sorry, only coordinators can do this.")
    pressed = await answer_of(fake, await volunteer.press_data(NewTaskCb(action="confirm").pack(), reply.message_id))
    assert pressed["text"] == t("Sorry, only coordinators can do this.")
    entries = await audit(bot, "task.")
    assert [(e.actor_telegram_id, e.action, e.allowed) for e in entries] == [
        (830_001, "task.create", False), (830_001, "task.create", False)]
    assert await tasks_in_db(bot) == []
    await everything_accepted(fake)


async def test_region_scope(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    # A coordinator of two regions picks among them; a forged region button is refused.
    user = await coordinator(bot, fake, "KZ-75", "KZ-79")
    await user.send_text("/newtask")
    picker = await wait_text(user, q["region"])
    assert user.button_texts(picker) == [t("Almaty"), t("Shymkent"), "✖️ " + t("Cancel")]
    pressed = await answer_of(fake, await user.press_data(PickCb(field="task_region", code="KZ-71").pack(),
                                                          picker.message_id))
    assert pressed["text"] == t("Sorry, you can only create tasks for the regions you coordinate.")
    [entry] = await audit(bot, "task.create.region")
    assert (entry.actor_telegram_id, entry.allowed, entry.target) == (COORDINATOR, False, "KZ-71")
    await user.press(t("Shymkent"))
    title_q = await wait_text(user, q["title"])
    assert "⬅️ " + t("Back") in user.button_texts(title_q)  # back to the region
    # The role is revoked mid-dialog: the next step is refused and the dialog closed.
    await bot.services.access.revoke(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.access.revoke(COORDINATOR, "coordinator", region="KZ-79")
    assert (await user.ask("Уборка")).text == t("Sorry, only coordinators can do this.")
    # A coordinator of Almaty alone has no region step; a forged Astana button changes nothing.
    single = await coordinator(bot, fake, "KZ-75", user_id=COORDINATOR + 1)
    await single.send_text("/newtask")
    title_q = await wait_text(single, q["title"])
    forged = await answer_of(fake, await single.press_data(PickCb(field="task_region", code="KZ-71").pack(),
                                                           title_q.message_id))
    assert forged.get("show_alert")
    await answer(single, "Уборка", q["description"])
    await single.press(t("Skip ➡️"))
    await wait_text(single, q["direction"])
    await single.press(t("Ecology"))
    await wait_text(single, q["place"])
    await answer(single, "Парк", q["start"])
    await answer(single, "05.03 10:00", q["end"])
    await answer(single, "12:00", q["slots"])
    await answer(single, "2", q["skills"])
    await single.press(t("Done ➡️"))
    preview = await single.wait_for_message(is_preview(t))
    assert f"{t('Region')}: {t('Almaty')}" in preview.text
    await single.press("✅ " + t("Confirm"))
    await wait_text(single, t("✅ The task is created and open."))
    assert [task.region for task in await tasks_in_db(bot)] == ["KZ-75"]
    # An admin sees every region.
    admin = fake.user(ADMIN_ID, language_code="ru")
    await admin.send_text("/newtask")
    picker = await wait_text(admin, q["region"])
    assert len(admin.button_texts(picker)) == 21
    await everything_accepted(fake)


async def test_the_dialog_survives_a_restart(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    user = await coordinator(bot, fake)
    await to_title_step(user, t)
    await answer(user, "Помощь приюту", q["description"])
    await user.press(t("Skip ➡️"))
    await wait_text(user, q["direction"])
    await bot.restart()
    await user.press(t("Ecology"))  # the same live buttons work after the restart
    await wait_text(user, q["place"])
    await answer(user, "Приют «Дом»", q["start"])
    await answer(user, "04.03.2026 09:00", q["end"])
    await answer(user, "04.03.2026 18:00", q["slots"])
    await answer(user, "4", q["skills"])
    await user.press(t("Done ➡️"))
    preview = await user.wait_for_message(is_preview(t))
    assert "Помощь приюту" in preview.text and "Приют «Дом»" in preview.text
    await user.press("✅ " + t("Confirm"))
    await wait_text(user, t("✅ The task is created and open."))
    assert [(task.title, task.slots) for task in await tasks_in_db(bot)] == [("Помощь приюту", 4)]
    await everything_accepted(fake)
