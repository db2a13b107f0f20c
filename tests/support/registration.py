"""Helpers for the registration end-to-end tests: drive the dialog step by step over the
fake Bot API, always waiting for the bot's answer before the next action.

The dialog's order: language, consent, name, phone, year of birth, [a minor's guardian:
consent, name, phone], region, city, directions, skills, availability, spoken languages,
summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from bot.domain.catalog import INTERFACE_LANGUAGES
from emulator import FakeTelegram
from emulator.state import FakeMessage
from storage.models import Volunteer
from tests.support.e2e import RunningBot

LANGUAGE_BUTTON = dict(INTERFACE_LANGUAGES)

HELLO = "👋 Hello! I am Birge, the volunteer bot. Please choose your language:"
CONSENT = (
    "<b>Birge</b> connects volunteers with tasks that fit them: your region, your directions, "
    "your skills and your free time. Coordinators publish tasks, and you sign up with one tap.\n\n"
    "To register, I will ask for your name, phone number, year of birth, region, directions, "
    "skills and when you can help. They are used only to offer you tasks and to let the "
    "coordinators of your region contact you. You can delete them at any time with /delete_me.\n\n"
    "Do you agree to the processing of your personal data?"
)
ASK_NAME = "What is your full name? Please type your first and last name."
ASK_PHONE = "What is your phone number? Press “Share my contact” below, or type it, for example +7 701 234 56 78."
ASK_YEAR = "What year were you born? For example 1995. You can also type your age."
ASK_REGION = "Which region do you live in?"
ASK_CITY = "Which city, town or district? Type it, or press Skip."
ASK_DIRECTIONS = "Which directions interest you? Tick one or more, then press Done."
ASK_SKILLS = "What skills do you have? Tick any that apply (or none), then press Done."
ASK_AVAILABILITY = "When can you help? Tick one or more, then press Done."
ASK_LANGUAGES = (
    "Which languages do you speak? Tick them, type the names of any others (for example: Uzbek, German), "
    "then press Done."
)
ASK_GUARDIAN_NAME = (
    "What is the name of your parent or guardian who agrees? Please type their first name and surname."
)
ASK_GUARDIAN_PHONE = (
    "What is their phone number? For example +7 701 234 56 78. The coordinators of the tasks you sign up for "
    "will see it, to reach them if needed."
)
SUMMARY = "Please check your details:"
MENU = "What would you like to do?"
STALE = "This button is no longer active. Send /start to see the menu."


@dataclass
class Dialog:
    """One simulated person going through /start, in a given interface language."""

    bot: RunningBot
    fake: FakeTelegram
    user_id: int
    locale: str
    language_code: str | None = "en"
    user: object = field(init=False)

    def __post_init__(self) -> None:
        self.user = self.fake.user(self.user_id, language_code=self.language_code)

    def t(self, msgid: str, locale: str | None = None) -> str:
        """The text the bot should send in the dialog's language."""
        return self.bot.services.i18n.gettext(msgid, locale=locale or self.locale)

    def visible(self, msgid: str, locale: str | None = None) -> str:
        """What a translated HTML msgid looks like on screen (tags parsed away)."""
        text = self.t(msgid, locale)
        for tag in ("<b>", "</b>"):
            text = text.replace(tag, "")
        return text

    async def expect(self, msgid: str, *, contains: bool = True, locale: str | None = None) -> FakeMessage:
        """Wait for the bot's next message (or edit) showing this msgid."""
        wanted = self.visible(msgid, locale)
        return await self.user.wait_for_message(
            lambda m: wanted in (m.text or "") if contains else (m.text or "") == wanted
        )

    async def say(self, text: str, then: str, *, locale: str | None = None) -> FakeMessage:
        await self.user.send_text(text)
        return await self.expect(then, locale=locale)

    async def tap(self, label: str, then: str | None = None, *, locale: str | None = None) -> FakeMessage | None:
        """Press a button by its (already translated) text and wait for the msgid `then`."""
        await self.user.press(label)
        if then is None:
            return None
        return await self.expect(then, locale=locale)

    async def reply_button(self, label: str, then: str | None = None) -> FakeMessage | None:
        """Press a button of the reply keyboard shown now (it sends its text)."""
        keyboard = self.user.reply_keyboard
        assert keyboard is not None and label in keyboard.button_texts(), (label, keyboard)
        await self.user.send_text(label)
        return None if then is None else await self.expect(then)

    async def tick(self, msgid: str) -> None:
        """Toggle a multi-select choice and wait until the keyboard shows the tick change."""
        label = self.t(msgid)
        before = "✅ " + label in self.user.last_message.button_texts()
        await self.user.press(("✅ " + label) if before else label)
        wanted = ("✅ " + label) if not before else label
        await self.user.wait_for_message(lambda m: wanted in m.button_texts())

    async def answer_of(self, callback_id: str) -> dict:
        """Wait for the bot's answerCallbackQuery of one press."""
        record = self.fake.callback_queries[callback_id]
        found = await self.fake.notifier.wait_until(lambda: record.answer, 5.0)
        assert found is not None, "the callback query was not answered"
        return found

    # --- the dialog, step by step ----------------------------------------------------

    async def start_and_pick_language(self) -> None:
        await self.user.send_text("/start")
        await self.user.wait_for_message(lambda m: LANGUAGE_BUTTON["kk"] in m.button_texts())
        await self.tap(LANGUAGE_BUTTON[self.locale], CONSENT)

    async def to_name(self) -> None:
        await self.start_and_pick_language()
        await self.tap("✅ " + self.t("I agree"), ASK_NAME)

    async def to_phone(self, name: str = "Aigerim Nurlanovna") -> None:
        await self.to_name()
        await self.say(name, ASK_PHONE)

    async def to_year(self, phone: str = "+7 701 234 56 78") -> None:
        await self.to_phone()
        await self.say(phone, ASK_YEAR)

    async def to_region(self, year: str = "1990") -> None:
        await self.to_year()
        await self.say(year, ASK_REGION)

    async def to_summary(self, *, region: str = "Almaty", city: str | None = "Medeu district") -> FakeMessage:
        await self.to_region()
        await self.finish_from_region(region=region, city=city)
        return self.user.last_message

    async def finish_from_region(self, *, region: str = "Almaty", city: str | None = "Medeu district") -> None:
        await self.tap(self.t(region), ASK_CITY)
        if city is None:
            await self.tap(self.t("Skip ➡️"), ASK_DIRECTIONS)
        else:
            await self.say(city, ASK_DIRECTIONS)
        await self.tick("Ecology")
        await self.tick("Elderly care")
        await self.tap(self.t("Done ➡️"), ASK_SKILLS)
        await self.tick("IT")
        await self.tap(self.t("Done ➡️"), ASK_AVAILABILITY)
        await self.tick("Weekends")
        await self.tap(self.t("Done ➡️"), ASK_LANGUAGES)
        await self.tap(self.t("Done ➡️"), SUMMARY)  # the interface language is ticked already

    async def confirm(self) -> FakeMessage:
        await self.user.press("✅ " + self.t("Confirm"))
        return await self.expect(MENU, contains=False)


async def volunteer_count(bot: RunningBot) -> int:
    async with bot.services.db.sessionmaker() as session:
        return int(await session.scalar(select(func.count()).select_from(Volunteer)) or 0)


def assert_fake_accepted_everything(fake: FakeTelegram) -> None:
    rejected = [(c.method, c.error_code, c.description) for c in fake.calls if not c.ok]
    assert rejected == [], rejected
    unanswered = [r.data for r in fake.callback_queries.values() if not r.answered]
    assert unanswered == [], unanswered
