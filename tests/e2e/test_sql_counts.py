"""What the main presses cost in SQL, counted with SQLAlchemy's `before_cursor_execute`
(statements) and `begin` (transactions) while the bot handles the update: one unit of
work per update (storage/db.py, bot/infra/units.py), reads in one read transaction
without SQLite's write lock, writes in one write transaction, the person and the task
read once. The figures are in the README's Architecture section; a change that reads
more should be a decision, so the bounds are the measured figures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from emulator import FakeTelegram
from tests.e2e.test_tasks_newtask import coordinator, is_preview, questions, to_title_step
from tests.support.coordinator import Texts, answer, answer_of, register, wait_text
from tests.support.databases import ON_POSTGRESQL
from tests.support.e2e import RunningBot
from tests.support.registration import ASK_PHONE, Dialog
from tests.support.sql_count import SqlCount, count_sql, install_marker
from tests.support.volunteer_tasks import add_task, add_volunteer

COORDINATOR = 500_001
GO = "✅ I'll go"
# (transactions, statements) as measured on SQLite; the README quotes them. PostgreSQL adds
# one statement where a write locks the task's row first (SQLite's writers take turns at
# BEGIN IMMEDIATE instead).
LOCK = int(ON_POSTGRESQL)
ILL_GO = (2, 9 + LOCK)
CONFIRM = (4, 16)  # /newtask: the task, its audit entry, the dialog state, how many match
SEND = (4, 18)  # the task's cards: matching, offers and the delivery queue in one transaction
REGISTRATION_STEP = (3, 12)  # typing the name: mostly the dialog's state and data


async def measured(bot: RunningBot, fake: FakeTelegram, action: Callable[[], Awaitable[Any]]) -> SqlCount:
    """Run `action` (a press and waiting for its answer) with the bot otherwise idle, and
    count what the updates it caused ran."""
    assert bot.app is not None and bot.app.dispatcher is not None
    install_marker(bot.app.dispatcher)
    await fake.wait_idle()
    with count_sql(bot.services.db.engine) as count:
        await action()
        await fake.wait_idle()
    print(count)  # pytest -s shows what ran, to re-measure
    return count


def within(count: SqlCount, bound: tuple[int, int]) -> bool:
    return count.transactions <= bound[0] and len(count.statements) <= bound[1]


def reads(count: SqlCount, table: str) -> int:
    """SELECTs from `table`, not counting a row lock (SELECT id ... FOR UPDATE), which
    loads nothing."""
    return sum(1 for sql in count.statements if sql.lstrip().upper().startswith("SELECT")
               and f"FROM {table}" in " ".join(sql.split()) and not sql.rstrip().upper().endswith("FOR UPDATE"))


async def test_ill_go_on_a_card(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.user(COORDINATOR, language_code="en")
    task = await add_task(bot.services.db, bot.clock, slots=3)
    await add_volunteer(bot.services.db, bot.clock, 700_001, locale="en")
    user = fake.user(700_001, language_code="en")
    await user.ask("/my")  # the person has used the bot before: their menu is set up
    await bot.services.offers.broadcast_task(task.id, COORDINATOR, "en")
    card = await user.wait_for_message(lambda m: GO in m.button_texts())

    async def press() -> None:
        answered = await answer_of(fake, await user.press(GO, message_id=card.message_id))
        assert answered["text"] == "✅ You are signed up! See you there."
        redrawn = await user.wait_for_message(lambda m: "You are signed up." in (m.text or ""))
        assert "Places left: 2 of 3" in redrawn.text

    count = await measured(bot, fake, press)
    assert within(count, ILL_GO), str(count)  # required: at most 2 and 10
    # The person (volunteer) and the task are each read once.
    assert reads(count, "volunteers") == 1 and reads(count, "telegram_users") == 1, str(count)  # one query
    assert reads(count, "tasks") == 1, str(count)
    writes = [sql.split()[0] for sql in count.statements if not sql.lstrip().upper().startswith("SELECT")]
    assert writes == ["UPDATE", "INSERT", "UPDATE"], str(count)  # a place, the sign-up, the offer's answer


async def test_confirm_and_send_in_newtask(bot: RunningBot, fake: FakeTelegram) -> None:
    t = Texts(bot, "ru")
    q = questions(t)
    for n in range(2):
        fake.user(820_100 + n, language_code="ru")
        await register(bot, 820_100 + n)
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
    preview = await user.wait_for_message(is_preview(t))

    async def confirm() -> None:
        await user.press("✅ " + t("Confirm"), message_id=preview.message_id)
        await wait_text(user, t("✅ The task is created and open."))

    confirmed = await measured(bot, fake, confirm)
    done = user.last_message

    async def send() -> None:
        await user.press("📣 " + t("Send"), message_id=done.message_id)
        await wait_text(user, t.n("📣 Sending the task to {count} volunteer.",
                                  "📣 Sending the task to {count} volunteers.", 2))

    sent = await measured(bot, fake, send)
    assert within(confirmed, CONFIRM), str(confirmed)
    assert within(sent, SEND), str(sent)


async def test_a_registration_step(bot: RunningBot, fake: FakeTelegram) -> None:
    d = Dialog(bot, fake, 701_001, "en", language_code="en")
    await d.to_name()

    async def step() -> None:
        await d.say("Aigerim Nurlanovna", ASK_PHONE)

    count = await measured(bot, fake, step)
    assert within(count, REGISTRATION_STEP), str(count)

