"""/mytasks end to end over the fake Bot API: the list with counts and pages, a task's
roster (phones only for its region's coordinators and admins), changing the time or
place and cancelling (the people signed up are told through the delivery queue, in their
language), "message everyone signed up", and forged or stale presses."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from emulator import FakeTelegram, FakeUser
from handlers.callbacks import TaskCb
from storage.models import DeliveryBroadcast, DeliveryMessage, Task
from tests.support.clock import ManualClock
from tests.support.coordinator import (
    Texts,
    answer,
    answer_of,
    audit,
    everything_accepted,
    make_task,
    register,
    sign_up,
    tasks_in_db,
    wait_text,
)
from tests.support.e2e import ADMIN_ID, RunningBot

COORDINATOR = 840_001
OTHER_COORDINATOR = 840_002  # Astana


async def setup(bot: RunningBot, fake: FakeTelegram) -> tuple[FakeUser, Task, dict[str, FakeUser]]:
    """A coordinator of Almaty with a task: two going (ru, kk), one offered a freed place
    (en), one on the waitlist (ru), one who cancelled (ru)."""
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75", organisation="Жасыл Ел")
    await bot.services.access.grant(OTHER_COORDINATOR, "coordinator", region="KZ-71")
    task = await make_task(bot, COORDINATOR, title="Уборка <парка> & сквера", slots=3)
    people = {}
    for offset, (key, locale, status, name) in enumerate([
        ("going_ru", "ru", "going", "<b>Ерлан</b> & Co"),
        ("going_kk", "kk", "going", "Әсел Нұрланқызы"),
        ("offered_en", "en", "offered", "Dana Smith"),
        ("waiting_ru", "ru", "waitlisted", "Олег Ким"),
        ("cancelled_ru", "ru", "cancelled", "Пётр Ли"),
    ]):
        telegram_id = 850_000 + offset
        volunteer_id = await register(bot, telegram_id, name=name, locale=locale)
        await sign_up(bot, task.id, volunteer_id, status)
        people[key] = fake.user(telegram_id, language_code=locale)
    return fake.user(COORDINATOR, language_code="ru"), task, people


async def open_task(user: FakeUser, t: Texts, title: str) -> None:
    await user.send_text("/mytasks")
    await wait_text(user, t("My tasks"))
    await user.press("1. " + title if len("1. " + title) <= 40 else ("1. " + title)[:39] + "…")
    await user.wait_for_message(lambda m: "👥 " + t("Who signed up") in m.button_texts())


async def test_list_pages_and_counts(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    t = Texts(bot, "ru")
    user, first, _people = await setup(bot, fake)
    for day in range(3, 14):  # eleven more, starting later
        await make_task(bot, COORDINATOR, title=f"Задача {day:02d}", starts_in=timedelta(days=day))
    cancelled = await make_task(bot, COORDINATOR, title="Отменённая", starts_in=timedelta(days=1))
    await bot.services.tasks.cancel(cancelled.id, COORDINATOR)
    await make_task(bot, OTHER_COORDINATOR, region="KZ-71", title="Чужая")  # not listed
    listing = await answer(user, "/mytasks", t("My tasks"))
    assert t("(page {page} of {pages})", page=1, pages=2) in listing.text
    buttons = user.button_texts(listing)
    # Upcoming first by start (the cancelled one, though sooner, goes to the end).
    assert buttons[0] == "1. Уборка <парка> & сквера" and buttons[1] == "2. Задача 03"
    assert buttons[-1] == "▶️" and len(buttons) == 11
    assert "<парка> & сквера" in listing.text  # escaped: shown as typed
    assert "👥 " + t("{going} of {slots}", going=3, slots=3) in listing.text  # going, going, offered
    assert t("waitlist: {count}", count=1) in listing.text
    await user.press("▶️")
    page2 = await user.wait_for_message(lambda m: "◀️" in m.button_texts())
    assert t("(page {page} of {pages})", page=2, pages=2) in page2.text
    assert user.button_texts(page2) == ["11. Задача 12", "12. Задача 13", "13. Отменённая", "◀️"]
    await user.press("13. Отменённая")
    card = await user.wait_for_message(lambda m: "👥 " + t("Who signed up") in m.button_texts())
    assert t("Status: {status}", status=t("cancelled")) in card.text
    assert user.button_texts(card) == ["👥 " + t("Who signed up"), "⬅️ " + t("My tasks")]  # no changes any more
    await user.press("⬅️ " + t("My tasks"))
    back = await user.wait_for_message(lambda m: "▶️" in m.button_texts() or "◀️" in m.button_texts())
    assert t("(page {page} of {pages})", page=2, pages=2) in back.text
    # Another coordinator sees only their own task.
    other = fake.user(OTHER_COORDINATOR, language_code="ru")
    theirs = await answer(other, "/mytasks", t("My tasks"))
    assert other.button_texts(theirs) == ["1. Чужая"] and "Уборка" not in theirs.text
    assert first.status == "open"
    await everything_accepted(fake)


async def test_roster_phones_and_who_may_open_it(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    user, task, _people = await setup(bot, fake)
    await open_task(user, t, task.title)
    card = user.last_message
    assert t("Signed up: {going} of {slots}", going=3, slots=3) in card.text
    assert t("Waitlist: {count}", count=1) in card.text
    await user.press("👥 " + t("Who signed up"))
    roster = await user.wait_for_message(lambda m: "Ерлан" in (m.text or ""))
    assert "1. <b>Ерлан</b> & Co — +7 701 085 00 00" in roster.text  # escaped, with the phone (grouped)
    assert "2. Әсел Нұрланқызы — +7 701 085 00 01" in roster.text
    assert "3. Dana Smith — +7 701 085 00 02 (" + t("confirming") + ")" in roster.text
    assert t("Waitlist: {count}", count=1) in roster.text and "1. Олег Ким — +7 701 085 00 03" in roster.text
    assert "Пётр Ли" not in roster.text

    # An admin may open it (by pressing a button with the task's id) and sees the phones.
    admin = fake.user(ADMIN_ID, language_code="ru")
    admin_menu = await admin.ask("/mytasks")
    pressed = await admin.press_data(TaskCb(action="roster", task_id=task.id).pack(), admin_menu.message_id)
    await answer_of(fake, pressed)
    seen = await admin.wait_for_message(lambda m: "Ерлан" in (m.text or ""))
    assert "+7 701 085 00 00" in seen.text

    # Another region's coordinator and a volunteer cannot: refused, audited.
    other = fake.user(OTHER_COORDINATOR, language_code="ru")
    other_menu = await other.ask("/mytasks")
    for action in ("roster", "open", "cancel_yes", "time", "msg"):
        refused = await answer_of(fake, await other.press_data(TaskCb(action=action, task_id=task.id).pack(),
                                                               other_menu.message_id))
        assert refused["text"] == t("Sorry, this task belongs to another region's coordinators.")
    volunteer = fake.user(850_000, language_code="ru")
    refused = await answer_of(fake, await volunteer.press_data(TaskCb(action="roster", task_id=task.id).pack(),
                                                               other_menu.message_id))
    assert refused["text"] == t("Sorry, only coordinators can do this.")
    entries = [(e.actor_telegram_id, e.action, e.target) for e in await audit(bot, "task.") if not e.allowed]
    assert entries == [
        (OTHER_COORDINATOR, "task.roster", str(task.id)), (OTHER_COORDINATOR, "task.open", str(task.id)),
        (OTHER_COORDINATOR, "task.cancel", str(task.id)), (OTHER_COORDINATOR, "task.edit", str(task.id)),
        (OTHER_COORDINATOR, "task.message", str(task.id)), (850_000, "task.roster", None),
    ]
    assert "Ерлан" not in " ".join(m.text or "" for m in other.messages + volunteer.messages)
    # A task that does not exist: politely stale.
    gone = await answer_of(fake, await user.press_data(TaskCb(action="open", task_id=99_999).pack(),
                                                       card.message_id))
    assert gone.get("show_alert")
    [stored] = [x for x in await tasks_in_db(bot) if x.id == task.id]
    assert stored.status == "open"
    await everything_accepted(fake)


async def test_changing_the_time_and_place_tells_those_signed_up(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    user, task, people = await setup(bot, fake)
    await open_task(user, t, task.title)
    end_question = t("When does it end? Type the time, for example {example}, or the date and time if it ends "
                     "on another day.", example="XX").split("XX")[0]
    card = user.last_message
    await user.press("🕒 " + t("Change the time"))
    start_q = await wait_text(user, "Asia/Almaty")
    assert start_q.message_id == card.message_id  # the card turned into the question: one edit
    # Back from the end returns to the start, Back from the start to the task's card.
    await answer(user, "06.03 12:00", end_question)
    await user.press("⬅️ " + t("Back"))
    again = await wait_text(user, "Asia/Almaty")
    await user.press("⬅️ " + t("Back"))
    card = await user.wait_for_message(lambda m: "🕒 " + t("Change the time") in m.button_texts())
    assert card.message_id == again.message_id  # and back into the card
    await user.press("🕒 " + t("Change the time"))
    await wait_text(user, "Asia/Almaty")
    assert t("This moment has already passed. Please type a date and time in the future.") in \
        (await answer(user, "01.03.2026 10:00", "Asia/Almaty")).text
    await answer(user, "06.03 12:00", end_question)
    before = t("The end must be after the start ({start}). Please type it again.", start="XX").split("XX")[0]
    assert before in (await answer(user, "11:00", before)).text
    await user.send_text("15:30")
    saved = await wait_text(user, t("✅ Saved."))
    assert t.n("{count} volunteer signed up is being told.", "{count} volunteers signed up are being told.", 3) \
        in saved.text
    [stored] = [x for x in await tasks_in_db(bot) if x.id == task.id]
    assert stored.starts_at.isoformat() == "2026-03-06T07:00:00+00:00"
    local_time = bot.services.local_time
    for key in ("going_ru", "going_kk", "offered_en"):
        person = people[key]
        tt = Texts(bot, person.language_code)
        note = await wait_text(person, tt("The time of a task you signed up for has changed."))
        assert "Уборка <парка> & сквера" in note.text
        assert local_time.span(stored.starts_at, stored.ends_at, person.language_code) in note.text
    # The place: a location pin (the typed address is kept).
    await user.press("📍 " + t("Change the place"))
    await wait_text(user, "📎")
    await user.send_location(43.25, 76.95)
    await wait_text(user, t("✅ Saved."))
    note = await wait_text(people["going_ru"], t("The place of a task you signed up for has changed."))
    assert "Парк 28 панфиловцев" in note.text and "43.25000, 76.95000" in note.text
    await fake.wait_idle()
    for key in ("waiting_ru", "cancelled_ru"):
        assert people[key].messages == []  # only those holding a place
    await everything_accepted(fake)


async def test_cancel_tells_signed_up_and_waitlisted(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    user, task, people = await setup(bot, fake)
    await open_task(user, t, task.title)
    card = user.last_message
    await user.press("❌ " + t("Cancel the task"))
    ask = await wait_text(user, t("Cancel this task? This cannot be undone."))
    assert t.n("{count} volunteer signed up will be told.", "{count} volunteers signed up will be told.", 3) in ask.text
    assert t.n("{count} person on the waitlist will be told.", "{count} people on the waitlist will be told.", 1) \
        in ask.text
    # Back first: nothing changes.
    await user.press("⬅️ " + t("Back"))
    await user.wait_for_message(lambda m: "❌ " + t("Cancel the task") in m.button_texts())
    assert [x.status for x in await tasks_in_db(bot)] == ["open"]
    await user.press("❌ " + t("Cancel the task"))
    await wait_text(user, t("Cancel this task? This cannot be undone."))
    confirm_message = user.last_message
    await user.press("❌ " + t("Yes, cancel the task"))
    done = await wait_text(user, t("❌ The task is cancelled."))
    assert t.n("{count} volunteer is being told.", "{count} volunteers are being told.", 4) in done.text
    assert [x.status for x in await tasks_in_db(bot)] == ["cancelled"]
    for key in ("going_ru", "going_kk", "offered_en", "waiting_ru"):
        tt = Texts(bot, people[key].language_code)
        note = await wait_text(people[key], tt("A task has been cancelled by its coordinator."))
        assert "Уборка <парка> & сквера" in note.text
    # A second press of the old confirmation, or of the old card's buttons: nothing more.
    again = await answer_of(fake, await user.press_data(
        TaskCb(action="cancel_yes", task_id=task.id).pack(), confirm_message.message_id))
    assert again["text"] == t("This task is no longer open for changes.")
    for action in ("time", "place", "msg", "cancel"):
        stale = await answer_of(fake, await user.press_data(TaskCb(action=action, task_id=task.id).pack(),
                                                            card.message_id))
        assert stale["text"] == t("This task is no longer open for changes.")
    await fake.wait_idle()
    assert people["cancelled_ru"].messages == []
    assert len(people["going_ru"].messages) == 1
    assert [e.action for e in await audit(bot, "task.cancel")] == ["task.cancel"]
    await everything_accepted(fake)


async def test_message_everyone_signed_up(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    user, task, people = await setup(bot, fake)
    await open_task(user, t, task.title)
    await user.press("✉️ " + t("Message everyone signed up"))
    prompt = t("Type the message for everyone signed up (up to {max} characters). "
               "They will get it with the task's title.", max=3000)
    await wait_text(user, prompt)
    await user.send_sticker()
    assert t("I can only read text here. Please type your answer.") in (await wait_text(user, prompt)).text
    too_long = t("The message should be 1 to {max} characters long. Please shorten it and send it again.", max=3000)
    assert too_long in (await answer(user, "я" * 3001, prompt)).text
    text = "<b>Сбор</b> в 9:00 у входа & не опаздывайте!\nВозьмите воду."
    await user.send_text(text)
    confirm = await user.wait_for_message(lambda m: "✉️ " + t("Send") in m.button_texts())
    assert text in confirm.text  # escaped: shown as typed
    assert t.n("Send this message to {count} volunteer signed up for <b>{title}</b>?",
               "Send this message to {count} volunteers signed up for <b>{title}</b>?", 3,
               title="X").split("<b>")[0] in confirm.text
    await user.press("✉️ " + t("Send"))
    await wait_text(user, t.n("✉️ The message is on its way to {count} volunteer.",
                              "✉️ The message is on its way to {count} volunteers.", 3))
    for key in ("going_ru", "going_kk", "offered_en"):
        got = await wait_text(people[key], text)
        assert got.text.splitlines()[1] == "Уборка <парка> & сквера"  # the title as a header
    # A double tap on Send: nothing more goes out.
    again = await answer_of(fake, await user.press_data(TaskCb(action="msg_send", task_id=task.id).pack(),
                                                        confirm.message_id))
    assert again.get("show_alert")
    await fake.wait_idle()
    assert len(people["going_ru"].messages) == 1
    assert people["waiting_ru"].messages == [] and people["cancelled_ru"].messages == []
    async with bot.services.db.sessionmaker() as session:
        rows = list(await session.execute(select(DeliveryMessage.chat_id, DeliveryMessage.lane, DeliveryMessage.status)))
    assert sorted(rows) == sorted((people[key].id, 1, "sent") for key in ("going_ru", "going_kk", "offered_en"))
    await everything_accepted(fake)


async def test_two_changes_in_the_same_instant_are_both_told(bot: RunningBot, fake: FakeTelegram) -> None:
    _user, task, people = await setup(bot, fake)
    tasks = bot.services.tasks
    first = await tasks.change_place(task.id, "Сквер у театра", None, None, COORDINATOR)
    second = await tasks.change_place(task.id, "Сквер у цирка", None, None, COORDINATOR)  # the clock stands still
    assert first is not None and second is not None and (first.notified, second.notified) == (3, 3)
    await wait_text(people["going_ru"], "Сквер у цирка")
    assert "Сквер у театра" in people["going_ru"].messages[0].text
    await bot.services.tasks.cancel(task.id, COORDINATOR)
    assert await tasks.change_place(task.id, "Другое место", None, None, COORDINATOR) is None  # not live any more
    assert await tasks.cancel(task.id, COORDINATOR) is None  # cancelling twice tells nobody twice
    await everything_accepted(fake)


async def test_cancel_withdraws_cards_held_for_the_quiet_hours(bot: RunningBot, fake: FakeTelegram,
                                                                clock: ManualClock) -> None:
    t = Texts(bot, "ru")
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    user = fake.user(COORDINATOR, language_code="ru")
    people = [fake.user(860_000 + n, language_code="ru") for n in range(3)]
    for person in people:
        await register(bot, person.id)
    clock.advance(hours=12)  # 23:00 in Almaty: routine cards wait for 08:00
    task = await make_task(bot, COORDINATOR, title="Ночная задача", starts_in=timedelta(days=1, hours=11))
    await open_task(user, t, task.title)
    await user.press("📣 " + t("Send to matching volunteers"))
    held = await wait_text(user, t.n("📣 Sending the task to {count} volunteer.",
                                     "📣 Sending the task to {count} volunteers.", 3))
    assert t("It is quiet hours now: the cards go out at {time}.", time="XX").split("XX")[0] in held.text
    async with bot.services.db.sessionmaker() as session:
        queued = await session.scalar(select(func.count()).select_from(DeliveryMessage)
                                      .where(DeliveryMessage.status == "queued"))
    assert queued == 3
    await open_task(user, t, task.title)
    await user.press("❌ " + t("Cancel the task"))
    await wait_text(user, t("Cancel this task? This cannot be undone."))
    await user.press("❌ " + t("Yes, cancel the task"))
    await wait_text(user, t("❌ The task is cancelled."))
    async with bot.services.db.sessionmaker() as session:
        left = await session.scalar(select(func.count()).select_from(DeliveryMessage)
                                    .where(DeliveryMessage.chat_id.in_([p.id for p in people])))
        broadcast = await session.scalar(select(DeliveryBroadcast).where(DeliveryBroadcast.key == f"task:{task.id}:offer"))
    assert left == 0 and broadcast is not None and broadcast.total == 0
    [entry] = await audit(bot, "task.cancel")
    assert entry.details == {"withdrawn_cards": 3}
    clock.advance(hours=10)  # the next morning
    bot.services.delivery.wake()
    await fake.wait_idle()
    assert [person.messages for person in people] == [[], [], []]
    await everything_accepted(fake)
