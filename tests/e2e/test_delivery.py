"""The delivery engine inside the running application: started with the bot, stopped
before the database closes, and a volunteer who blocked the bot becomes reachable again
by writing to it."""

from __future__ import annotations

import asyncio

from bot.domain.delivery import DeliveryLane
from bot.domain.volunteers import VolunteerStatus
from bot.volunteers.service import Registration
from emulator import WAIT, FakeTelegram
from tests.support.e2e import RunningBot


async def _status(bot: RunningBot, telegram_id: int) -> str | None:
    volunteer = await bot.services.volunteers.get(telegram_id)
    return None if volunteer is None else volunteer.status


async def _wait_status(bot: RunningBot, telegram_id: int, status: str, timeout: float = WAIT) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while await _status(bot, telegram_id) != status:
        assert loop.time() < deadline, f"volunteer {telegram_id} is {await _status(bot, telegram_id)}, not {status}"
        await asyncio.sleep(0.02)


async def test_a_blocked_volunteer_is_unreachable_until_they_write_again(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(4242, language_code="kk")
    result = await bot.services.volunteers.register(4242, Registration(
        full_name="Дәурен Қасымов", phone="+77011112233", birth_year=1992, region="KZ-71", locale="kk",
        directions=["health"]))
    fake.block(user.id)
    await bot.services.delivery.enqueue_one(user.id, "Ертең 10:00-де кездесеміз", lane=DeliveryLane.PERSONAL,
                                            volunteer_id=result.volunteer.id)
    await _wait_status(bot, user.id, VolunteerStatus.UNREACHABLE)
    assert len([call for call in fake.calls_of("sendMessage") if int(call.params["chat_id"]) == user.id]) == 1

    fake.unblock(user.id)
    await user.send_text("/start")
    await user.wait_for_message()
    assert await _status(bot, user.id) == VolunteerStatus.ACTIVE

    # Delivery works again, and survives a restart of the whole application.
    await bot.restart()
    await bot.services.delivery.enqueue_one(user.id, "Қош келдіңіз!")
    message = await user.wait_for_message(lambda m: m.text == "Қош келдіңіз!")
    assert message.text == "Қош келдіңіз!"
    refused = [call for call in fake.calls_of("sendMessage") if not call.ok]
    assert [call.error_code for call in refused] == [403]  # only the blocked attempt


async def test_blocking_the_bot_marks_the_volunteer_unreachable_at_once(bot: RunningBot, fake: FakeTelegram) -> None:
    user = fake.user(4343, language_code="ru")
    await bot.services.volunteers.register(4343, Registration(
        full_name="Ольга Ким", phone="+77011114455", birth_year=1990, region="KZ-75", locale="ru",
        directions=["social"]))

    await user.block_bot()  # Telegram tells the bot with a my_chat_member update
    await _wait_status(bot, user.id, VolunteerStatus.UNREACHABLE)
    assert fake.calls_of("sendMessage") == []  # found out without a refused send

    await user.unblock_bot()
    await _wait_status(bot, user.id, VolunteerStatus.ACTIVE)
    polls = fake.calls_of("getUpdates")
    assert "my_chat_member" in polls[-1].params["allowed_updates"]
    assert all(call.ok for call in fake.calls if call.method != "getUpdates")
