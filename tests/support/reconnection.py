"""Helpers for the family-reconnection tests: a request made through /find, a caller,
and the phone scan over every message the emulator recorded."""

from __future__ import annotations

import json
import re

from emulator import FakeTelegram, FakeUser
from tests.support.coordinator import Texts, register, wait_text
from tests.support.e2e import RunningBot


async def find(bot: RunningBot, user: FakeUser, locale: str, *, name: str, phone: str, region: str = "Алматы",
               language: str = "ru", message: str | None = "Мама, позвони мне", relation: str = "сын",
               flags: tuple[str, ...] = (), start: str | None = None) -> str:
    """/find through every step (`start`: opened by a deep link with this start
    parameter); returns the reference number the bot gave."""
    t = Texts(bot, locale)
    await user.send_text(f"/start {start}" if start else "/find")
    await wait_text(user, t("🔎 <b>Check on someone</b>\nWho should a volunteer call? Type their full name.").split("\n")[-1])
    await user.send_text(name)
    await wait_text(user, "+7 701 234 56 78")
    await user.send_text(phone)
    await wait_text(user, t("Where are they? Choose the region or type its name."))
    await user.send_text(region)
    await wait_text(user, t("Which city, town or district? Type it, or press Skip."))
    await user.press(t("Skip ➡️"))
    await wait_text(user, t("In which language should the volunteer speak to them? Choose or type it."))
    await user.send_text(language)
    await wait_text(user, t("Is any of this true? Such requests are called first. Tick, then press Done."))
    for flag in flags:
        await user.press("👵 " + t("Elderly (70 or older)") if flag == "elderly" else "💊 " + t("Needs medical care"))
        await user.wait_for_message(lambda m: "✅" in "".join(m.button_texts()))
    await user.press(t("Done ➡️"))
    ask_message = t("A short message for the volunteer to pass on (up to {max} characters), or press Skip.", max=500)
    await wait_text(user, ask_message)
    if message is None:
        await user.press(t("Skip ➡️"))
    else:
        await user.send_text(message)
    await wait_text(user, t("Who are you to them? For example: son, niece, neighbour."))
    await user.send_text(relation)
    await wait_text(user, t("Please check the request:"))
    await user.press("✅ " + t("I agree, send"))
    done = await wait_text(user, "R-")
    found = re.search(r"R-\d+", done.text or "")
    assert found is not None
    return found.group(0)


async def caller(bot: RunningBot, fake: FakeTelegram, telegram_id: int, *, locale: str = "ru",
                 region: str = "KZ-75", languages: tuple[str, ...] = ("ru",)) -> FakeUser:
    """A registered volunteer who makes relay calls in `languages`."""
    await register(bot, telegram_id, locale=locale, region=region)
    await bot.services.volunteers.update(telegram_id, languages=list(languages))
    assert await bot.services.calls.set_caller(telegram_id, True)
    return fake.user(telegram_id, language_code=locale)


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def chats_showing(fake: FakeTelegram, phone: str) -> set[int]:
    """Every chat the bot ever sent or edited something into (text, caption, buttons:
    every request recorded, not only what is shown now) carrying the phone's national
    number, in any formatting."""
    national = digits(phone)[-10:]
    found: set[int] = set()
    for call in fake.calls:
        if "chat_id" not in call.params or call.method.lower() in ("getupdates", "answercallbackquery"):
            continue
        if national in digits(json.dumps(call.params, ensure_ascii=False)):
            found.add(int(call.params["chat_id"]))
    return found
