"""The coordinator's side of a task's life: "Send the task again" from the 6-hours list
(only to matching volunteers not sent it before), closing a started task early (done,
after a confirmation; the "ended" hook fires once), and refusals: another region's
coordinator (audited), a place offer after the start, a second close."""

from __future__ import annotations

from bot.lifecycle.texts import NoticeCb
from emulator import FakeTelegram
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.task_life import at, local
from tests.support.volunteer_tasks import COORDINATOR, add_task, add_volunteer, task_row

OTHER = 630_900


async def test_send_again_close_early_and_refusals(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    db = bot.services.db
    coordinator = fake.user(COORDINATOR, language_code="en")
    other = fake.user(OTHER, language_code="en")
    first, second = fake.user(630_001), fake.user(630_002)
    clock.set(local(2026, 3, 6, 12))
    await add_volunteer(db, clock, COORDINATOR, locale="en", full_name="Dana Coordinator", directions=["ecology"])
    await bot.services.access.grant(COORDINATOR, "coordinator", region="KZ-75")
    await bot.services.access.grant(OTHER, "coordinator", region="KZ-71")
    await add_volunteer(db, clock, 630_001, locale="en")
    task = await add_task(db, clock, title="Park cleanup", slots=3, starts_at=local(2026, 3, 7, 14),
                          ends_at=local(2026, 3, 7, 18))
    assert (await bot.services.signups.go(task.id, 630_001)).outcome == "going"
    await add_volunteer(db, clock, 630_002, locale="en")  # registered later: not sent the task yet
    ended: list[int] = []

    async def on_ended(_session, ended_task, _now) -> None:  # noqa: ANN001
        ended.append(ended_task.id)

    bot.services.task_hooks.on_ended(on_ended)
    t = Texts(bot, "en")

    # Friday 18:00 "Still coming?" (no answer); Saturday 08:00 the 6-hours list.
    await at(bot, fake, local(2026, 3, 6, 18))
    await first.wait_for_message(lambda m: "Park cleanup" in (m.text or ""))
    await at(bot, fake, local(2026, 3, 7, 8))
    notice = await coordinator.wait_for_message(lambda m: (m.text or "").startswith("👥"), after=0)
    assert "Volunteer 630001" in notice.text
    # Another region's coordinator cannot use it (refused, audited).
    refused = await answer_of(fake, await other.press_data(notice.buttons()[1]["callback_data"], 1))
    assert refused["show_alert"] and await audit(bot, "task.broadcast")
    # "Send the task again": to the matching volunteer not sent it before.
    await coordinator.press("📣 Send the task again", message_id=notice.message_id)
    await wait_text(coordinator, t.n("📣 Sending the task to {count} volunteer.",
                                     "📣 Sending the task to {count} volunteers.", 1))
    await second.wait_for_message(lambda m: "Park cleanup" in (m.text or "") and "✅ I'll go" in m.button_texts())

    # 15:00: under way. Its places can no longer be offered; the card offers "Close".
    await at(bot, fake, local(2026, 3, 7, 15))
    release = NoticeCb(action="release", task_id=task.id).pack()  # the old list's button (its keyboard is gone)
    late = await answer_of(fake, await coordinator.press_data(release, notice.message_id))
    assert late["text"] == t("The task has started or is closed: its places can no longer be offered.")
    await coordinator.send_text("/mytasks")
    await coordinator.wait_for_message(lambda m: "Park cleanup" in (m.text or ""))
    await coordinator.press("1. Park cleanup")
    card = await coordinator.wait_for_message(lambda m: "✔️ Close the task (done)" in m.button_texts())
    await coordinator.press("✔️ Close the task (done)", message_id=card.message_id)
    sure = await coordinator.wait_for_message(lambda m: "✅ Yes, close it" in m.button_texts())
    refused = await answer_of(fake, await other.press_data(sure.buttons()[0]["callback_data"], 1))
    assert refused["show_alert"] and await audit(bot, "task.close")
    await coordinator.press("✅ Yes, close it", message_id=sure.message_id)
    await wait_text(coordinator, "✔️ " + t("The task is closed and marked done."))
    assert (await task_row(db, task.id)).status == "done" and ended == [task.id]
    close_yes = NoticeCb(action="close_yes", task_id=task.id).pack()
    again = await answer_of(fake, await coordinator.press_data(close_yes, sure.message_id))
    assert again["text"] == t("Only a task under way can be closed.")
    await at(bot, fake, local(2026, 3, 7, 19))  # its end: nothing moves twice
    assert ended == [task.id]
    await everything_accepted(fake)
