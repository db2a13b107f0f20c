"""A group's /find deep link is signed: a forged or altered start parameter, or a genuine
one used by someone who is not in the group, makes a private request and never a
message in the group (asserted on what the fake Bot API was sent)."""

from __future__ import annotations

from sqlalchemy import select

from bot.domain.group_links import group_payload, link_key
from bot.domain.reconnection import Outcome
from bot.reconnection.calls import Next
from emulator import FakeTelegram, FakeUser
from storage.models import DeliveryMessage, ReconnectionAsk
from tests.e2e.test_reconnection_safe import post_in_group
from tests.support.coordinator import Texts, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.reconnection import caller, find

GROUP = -1001234567
OTHER_GROUP = -1007654321


async def genuine_link(fake: FakeTelegram, group_id: int, member: FakeUser) -> str:
    """The start parameter of the button the bot answers /find with in the group."""
    post_in_group(fake, group_id, member, "/find")
    await fake.notifier.wait_until(lambda: True if fake.messages_in(group_id) else None, 10)
    [[button]] = fake.messages_in(group_id)[-1].reply_markup["inline_keyboard"]
    return str(button["url"]).split("?start=", 1)[1]


async def close_all_as_safe(bot: RunningBot, fake: FakeTelegram, requesters: list[FakeUser], refs: list[str]) -> None:
    """A caller reaches every open request; each requester hears of it; every message
    the engine queued is then sent."""
    volunteer = await caller(bot, fake, 680_100)
    for _ in refs:
        taken = await bot.services.calls.next_call(volunteer.id)
        assert taken.result == Next.CLAIMED and taken.request is not None
        assert await bot.services.calls.report(taken.request.id, volunteer.id, Outcome.SAFE) is not None
    for requester, ref in zip(requesters, refs, strict=True):
        await wait_text(requester, Texts(bot, "ru")("✅ {ref}: {name} was reached by phone and is safe.", ref=ref,
                                                    name="Айгүл Сейітова"))
    await bot.services.delivery.sender.wait_drained(timeout=30)


async def nothing_for_groups(bot: RunningBot, fake: FakeTelegram, group_ids: list[int], before: int) -> None:
    async with bot.services.db.sessionmaker() as session:
        asks = list(await session.scalars(select(ReconnectionAsk)))
        queued = list(await session.scalars(select(DeliveryMessage.chat_id).where(
            DeliveryMessage.chat_id.in_(group_ids))))
    assert asks and all(ask.group_chat_id is None for ask in asks)
    assert queued == []
    sent = [call for call in fake.calls if call.method == "sendMessage" and int(call.params["chat_id"]) in group_ids]
    assert len(sent) == before  # only the answers to /find in the group, nothing after


async def test_a_forged_or_altered_link_never_posts_in_a_group(bot: RunningBot, fake: FakeTelegram) -> None:
    fake.add_group(GROUP, "Бауырмен байланыс")
    fake.add_group(OTHER_GROUP, "Another group")
    member = fake.user(680_001, language_code="ru")
    start = await genuine_link(fake, GROUP, member)
    digits, signature = start.removeprefix("find_g").split("_", 1)
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    forged = [
        f"find_g{digits}",  # the old, unsigned form
        f"find_g{digits}_{flipped}",  # one character of the signature changed
        f"find_g{abs(OTHER_GROUP)}_{signature}",  # the signature of another group
        group_payload(link_key("123456:not-the-bots-token"), OTHER_GROUP),  # signed with a guessed key
    ]
    t = Texts(bot, "ru")
    requesters, refs = [], []
    for n, payload in enumerate(forged):
        requester = fake.user(680_010 + n, language_code="ru")
        refs.append(await find(bot, requester, "ru", name="Айгүл Сейітова", phone=f"+7701555700{n}", start=payload))
        assert any(t("I could not recognise the group this link came from, so your request will be private: I will "
                     "write to you here only.") == m.text for m in requester.messages)
        requesters.append(requester)
    await close_all_as_safe(bot, fake, requesters, refs)
    await nothing_for_groups(bot, fake, [GROUP, OTHER_GROUP], before=1)
    await everything_accepted(fake)


async def test_a_genuine_link_used_by_someone_not_in_the_group_stays_private(
    bot: RunningBot, fake: FakeTelegram
) -> None:
    group = fake.add_group(GROUP, "Бауырмен байланыс")
    start = await genuine_link(fake, GROUP, fake.user(681_001, language_code="ru"))
    t = Texts(bot, "ru")
    requesters, refs = [], []
    for n, status in enumerate(("left", "kicked")):
        requester = fake.user(681_010 + n, language_code="ru")
        group.member_status[requester.id] = status
        refs.append(await find(bot, requester, "ru", name="Айгүл Сейітова", phone=f"+7701555800{n}", start=start))
        assert any(t("You are not a member of the group the link came from, so no status lines will be posted "
                     "there: I will write to you here only.") == m.text for m in requester.messages)
        requesters.append(requester)
    await close_all_as_safe(bot, fake, requesters, refs)
    await nothing_for_groups(bot, fake, [GROUP], before=1)
    await everything_accepted(fake)

