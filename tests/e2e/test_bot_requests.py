"""The bot's own requests follow the current Bot API: through start-up and a whole
registration, the strict emulator refused none of them (no unknown parameter or field,
no wrong type), and the bot sent none of the fields Telegram no longer documents."""

from __future__ import annotations

from emulator import FakeTelegram
from tests.support.e2e import RunningBot
from tests.support.registration import Dialog


async def test_start_up_and_a_registration_use_only_documented_fields(bot: RunningBot, fake: FakeTelegram) -> None:
    dialog = Dialog(bot, fake, 7601, "en")
    await dialog.to_summary()
    await dialog.confirm()
    await fake.wait_idle()
    assert fake.checker.strict
    methods = {call.method for call in fake.calls}
    assert {"setMyCommands", "setMyDescription", "sendMessage", "editMessageText", "answerCallbackQuery"} <= methods
    assert [(call.method, call.description) for call in fake.calls if not call.ok] == []
    assert fake.legacy_fields == {}
    assert fake.unknown_fields == {}
