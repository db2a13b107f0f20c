"""People who answer fast, against a fake Bot API that enforces Telegram's flood limits
(about one message a second per chat after a short burst): a volunteer registering at
0.3 s per action, a coordinator going through /newtask at 0.2 s per answer. Every
question arrives, the dialog ends right, and nothing is refused, lost or logged as an
error: the bot keeps to the pace itself (bot/infra/delivery/outgoing.py).

The pauses between actions are the person's pace (how fast they tap), not a timing
assumption; every wait for the bot is a wait for a condition."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timezone

import pytest

from emulator import FakeTelegram
from emulator.state import FakeMessage
from tests.support.coordinator import Texts, everything_accepted, tasks_in_db
from tests.support.e2e import RunningBot
from tests.support.registration import (
    ASK_NAME,
    ASK_PHONE,
    ASK_REGION,
    ASK_YEAR,
    CONSENT,
    LANGUAGE_BUTTON,
    MENU,
    Dialog,
    assert_fake_accepted_everything,
)

# At about one message a second into one chat, a step of several messages takes a few
# seconds to show; on a busy machine much longer. Waits are for conditions, so generous.
PATIENCE = 60.0


def assert_no_errors(caplog: pytest.LogCaptureFixture) -> None:
    bad = [(r.name, r.levelname, r.getMessage()) for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert bad == [], bad


class FastDialog(Dialog):
    """A person who knows the buttons: acts `pace` seconds after the bot's last answer."""

    pace = 0.3

    async def act(self) -> None:
        await asyncio.sleep(self.pace)  # the person's pace, not a wait for the bot

    async def expect(self, msgid: str, *, contains: bool = True, locale: str | None = None) -> FakeMessage:
        wanted = self.visible(msgid, locale)
        return await self.user.wait_for_message(
            lambda m: wanted in (m.text or "") if contains else (m.text or "") == wanted, timeout=PATIENCE)

    async def say(self, text: str, then: str, *, locale: str | None = None) -> FakeMessage:
        await self.act()
        return await super().say(text, then, locale=locale)

    async def tap(self, label: str, then: str | None = None, *, locale: str | None = None) -> FakeMessage | None:
        await self.act()
        return await super().tap(label, then, locale=locale)

    async def tick(self, msgid: str) -> None:
        await self.act()
        label = self.t(msgid)
        before = "✅ " + label in self.user.last_message.button_texts()
        await self.user.press(("✅ " + label) if before else label)
        wanted = ("✅ " + label) if not before else label
        await self.user.wait_for_message(lambda m: wanted in m.button_texts(), timeout=PATIENCE)

    async def confirm(self) -> FakeMessage:
        await self.act()
        await self.user.press("✅ " + self.t("Confirm"))
        return await self.expect(MENU, contains=False)


async def test_a_volunteer_answering_every_0_3_s_registers_and_loses_nothing(
    paced_bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    d = FastDialog(paced_bot, fake, 1201, "ru", language_code="ru")
    await d.user.send_text("/start")
    await d.user.wait_for_message(lambda m: LANGUAGE_BUTTON["kk"] in m.button_texts(), timeout=PATIENCE)
    await d.tap(LANGUAGE_BUTTON["ru"], CONSENT)
    await d.tap("✅ " + d.t("I agree"), ASK_NAME)
    await d.say("Айгерим Нурланова", ASK_PHONE)
    await d.say("+7 701 234 56 78", ASK_YEAR)
    await d.say("1990", ASK_REGION)  # the question once lost: the phone was then taken for a year
    await d.finish_from_region(region="Almaty", city="Медеуский район")
    menu = await d.confirm()
    assert d.t("My profile") in " ".join(menu.button_texts())

    volunteer = await paced_bot.services.volunteers.get(1201)
    assert volunteer is not None
    assert (volunteer.full_name, volunteer.phone, volunteer.birth_year, volunteer.region, volunteer.city) == \
        ("Айгерим Нурланова", "+77012345678", 1990, "KZ-75", "Медеуский район")
    assert sorted(volunteer.directions) == ["ecology", "elderly"] and volunteer.skills == ["it"]
    assert volunteer.availability == ["weekends"]
    await fake.wait_idle(timeout=PATIENCE)
    assert_fake_accepted_everything(fake)  # not one 429: the bot kept the pace itself
    assert fake.stats.rate_limited == 0
    assert_no_errors(caplog)


async def test_a_coordinator_answering_every_0_2_s_creates_the_task(
    paced_bot: RunningBot, fake: FakeTelegram, caplog: pytest.LogCaptureFixture
) -> None:
    bot = paced_bot
    t = Texts(bot, "ru")
    await bot.services.access.grant(810_201, "coordinator", region="KZ-75", organisation="Жасыл Ел")
    user = fake.user(810_201, language_code="ru")

    async def step(action: object, expect: str) -> FakeMessage:
        await asyncio.sleep(0.2)  # the coordinator's pace
        if isinstance(action, str):
            await user.send_text(action)
        else:
            await action  # type: ignore[misc]  # an awaitable passed as an object
        return await user.wait_for_message(lambda m: expect in (m.text or ""), timeout=PATIENCE)

    await user.send_text("/newtask")
    await user.wait_for_message(lambda m: t("What is the task? Type a short title ({min} to {max} characters).",
                                            min=3, max=200) in (m.text or ""), timeout=PATIENCE)
    await step("Субботник в парке", t("Describe the task: what volunteers will do, what to bring, whom to ask "
                                      "for (up to {max} characters). Or press Skip.", max=2000))
    await step("Собираем мусор. Перчатки выдадим.", t("Which direction does the task belong to?"))
    await step(user.press(t("Ecology")), "📎")
    await step("Парк Горького", "Asia/Almaty")
    end_question = t("When does it end? Type the time, for example {example}, or the date and time if it ends "
                     "on another day.", example="XX").split("XX")[0]
    await step("07.03 10:00", end_question)
    await step("13:00", t("How many volunteers are needed? Type a number from {min} to {max}.", min=1, max=500))
    await step("12", t("Which skills must volunteers have? Tick any (or none), then press Done."))
    await asyncio.sleep(0.2)
    await user.press(t("First aid or medical"))
    ticked = await user.wait_for_message(lambda m: "✅ " + t("First aid or medical") in m.button_texts(),
                                         timeout=PATIENCE)
    await asyncio.sleep(0.2)
    await user.press(t("Done ➡️"), message_id=ticked.message_id)
    preview = await user.wait_for_message(lambda m: "✅ " + t("Confirm") in m.button_texts(), timeout=PATIENCE)
    assert "Субботник в парке" in preview.text and "Парк Горького" in preview.text
    await step(user.press("✅ " + t("Confirm")), t("✅ The task is created and open."))

    [task] = await tasks_in_db(bot)
    assert (task.title, task.description, task.direction, task.place, task.slots, task.required_skills) == \
        ("Субботник в парке", "Собираем мусор. Перчатки выдадим.", "ecology", "Парк Горького", 12, ["medical"])
    assert (task.starts_at, task.ends_at) == (datetime(2026, 3, 7, 5, 0, tzinfo=timezone.utc),
                                              datetime(2026, 3, 7, 8, 0, tzinfo=timezone.utc))
    await fake.wait_idle(timeout=PATIENCE)
    await everything_accepted(fake)
    assert fake.stats.rate_limited == 0
    assert_no_errors(caplog)
