"""What Telegram shows before START: default command menus and the bot's descriptions in
kk, ru, en and a default, within the Bot API's limits, set at start only when changed."""

from __future__ import annotations

import pytest

from bot.access.bot_profile import DESCRIPTION_LIMIT, SHORT_DESCRIPTION_LIMIT, description, short_description
from bot.infra.i18n import make_i18n
from emulator import FakeTelegram
from tests.support.e2e import RunningBot
from tests.support.menus import VOLUNTEER_COMMANDS, names

I18N = make_i18n("kk")


@pytest.mark.parametrize("locale", ["kk", "ru", "en", None])
def test_descriptions_fit_telegrams_limits(locale: str | None) -> None:
    text, short = description(I18N, locale), short_description(I18N, locale)
    assert 0 < len(text) <= DESCRIPTION_LIMIT == 512
    assert 0 < len(short) <= SHORT_DESCRIPTION_LIMIT == 120
    assert "Birge" in text or locale is None  # the default is the three short texts


def test_each_language_has_its_own_words_and_the_default_greets_in_all_three() -> None:
    assert "Қазақстан" in description(I18N, "kk") and "Казахстан" in description(I18N, "ru")
    assert "Kazakhstan" in description(I18N, "en")
    shorts = [short_description(I18N, code) for code in ("kk", "ru", "en")]
    assert len(set(shorts)) == 3
    assert description(I18N, None) == "\n\n".join(shorts)
    assert short_description(I18N, None) == shorts[0]  # DEFAULT_LOCALE


async def test_startup_publishes_menus_and_descriptions_once(bot: RunningBot, fake: FakeTelegram) -> None:
    i18n = bot.services.i18n
    default = {"type": "default"}
    for code in ("kk", "ru", "en"):
        menu = fake.commands_for(default, code)
        assert names(menu) == VOLUNTEER_COMMANDS
        assert menu[0]["description"] == i18n.gettext("Main menu or registration", locale=code)
        assert fake.descriptions[code] == description(i18n, code)
        assert fake.short_descriptions[code] == short_description(i18n, code)
    assert fake.commands_for(default) == fake.commands_for(default, "kk")  # DEFAULT_LOCALE is kk
    assert fake.descriptions[None] == description(i18n, None)
    assert fake.short_descriptions[None] == short_description(i18n, None)
    assert fake.commands_for(default, "ru")[0]["description"] == "Главное меню или регистрация"
    assert all(call.ok for call in fake.calls)

    # A restart reads what Telegram has and sets nothing that did not change.
    sets = ("setMyCommands", "setMyDescription", "setMyShortDescription")
    before = {method: len(fake.calls_of(method)) for method in sets}
    assert before == {"setMyCommands": 4, "setMyDescription": 4, "setMyShortDescription": 4}
    await bot.restart()
    assert {method: len(fake.calls_of(method)) for method in sets} == before
    assert len(fake.calls_of("getMyDescription")) == 8


async def test_a_changed_or_missing_text_is_set_again(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.descriptions["ru"] = "old text"
    del fake.short_descriptions[None]
    fake.commands.clear()
    await bot.restart()
    assert fake.descriptions["ru"] == description(bot.services.i18n, "ru")
    assert fake.short_descriptions[None] == short_description(bot.services.i18n, None)
    assert len(fake.calls_of("setMyDescription")) == 5 and len(fake.calls_of("setMyShortDescription")) == 5
    assert len(fake.calls_of("setMyCommands")) == 8


async def test_a_refused_description_does_not_stop_the_bot(fake: FakeTelegram, database_url: str, clock) -> None:  # noqa: ANN001
    from tests.support.e2e import make_settings

    # A 429 would be waited out and retried (the outgoing limiter); a refusal is not.
    fake.inject("setMyDescription", error_code=400, description="Bad Request: description is invalid", times=4)
    running = RunningBot(make_settings(fake, database_url), clock, fake=fake)
    await running.start()
    try:
        user = fake.user(9901, language_code="en")
        reply = await user.ask("/help")
        assert "/start" in reply.text
        assert len(fake.short_descriptions) == 4 and fake.descriptions == {}  # the rest was still published
        assert len(fake.calls_of("setMyDescription")) == 4
    finally:
        await running.stop()
