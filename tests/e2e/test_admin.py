"""Administration end to end: invites, the invite deep link, and refusals of non-admins."""

from __future__ import annotations

import re

from bot.volunteers.service import Registration
from emulator import WAIT, FakeTelegram, FakeUser
from handlers.callbacks import AdminCb, MenuCb, NavCb
from tests.support.clock import ManualClock
from tests.support.e2e import ADMIN_ID, RunningBot

LINK = re.compile(r"https://t\.me/(?P<bot>\w+)\?start=inv_(?P<code>[A-Za-z0-9_-]+)")
REFUSED = "Sorry, only administrators can do this."
INVALID = "Sorry, this invitation link is invalid, expired or already used."


def in_ru(bot: RunningBot, msgid: str) -> str:
    return bot.services.i18n.gettext(msgid, locale="ru")


async def open_admin_menu(admin: FakeUser) -> None:
    menu = await admin.ask("/admin")
    assert "Administration" in menu.text
    assert admin.button_texts(menu) == ["➕ Invite a coordinator", "👥 Coordinators and admins", "📜 Recent audit log"]


async def invite_via_dialog(admin: FakeUser, region: str, organisation: str | None = None) -> tuple[str, str]:
    """/admin -> Invite -> region -> organisation or Skip; returns (link message text, code)."""
    await open_admin_menu(admin)
    await admin.press("➕ Invite a coordinator")
    picker = await admin.wait_for_message()
    assert "Which region" in picker.text
    buttons = admin.button_texts(picker)
    assert len(buttons) == 22 and buttons[-2:] == ["⬅️ Back", "✖️ Cancel"]
    await admin.press(region)
    prompt = await admin.wait_for_message()
    assert f"Region: {region}" in prompt.text
    assert admin.button_texts(prompt) == ["Skip ➡️", "⬅️ Back", "✖️ Cancel"]
    if organisation is None:
        await admin.press("Skip ➡️")
    else:
        await admin.send_text(organisation)
    done = await admin.wait_for_message(lambda m: m.text is not None and "t.me/" in m.text)
    match = LINK.search(done.text)
    assert match is not None, done.text
    return done.text, match["code"]


async def answer_of(fake: FakeTelegram, query_id: str | None, timeout: float = WAIT) -> dict:
    """Wait for the bot's answerCallbackQuery to this press; its params."""
    assert query_id is not None
    record = fake.callback_queries[query_id]
    answer = await fake.notifier.wait_until(lambda: record.answer, timeout)
    assert answer is not None, f"callback query {query_id} ({record.data}) was not answered"
    return answer


async def everything_accepted(fake: FakeTelegram) -> None:
    await fake.wait_idle()
    rejected = [(call.method, call.description) for call in fake.calls if not call.ok]
    assert rejected == []
    assert fake.unanswered_callbacks() == []


async def test_admin_invites_and_the_link_makes_a_coordinator_once(
    bot: RunningBot, fake: FakeTelegram, clock: ManualClock
) -> None:
    access = bot.services.access
    admin = fake.user(ADMIN_ID, language_code="en")
    text, code = await invite_via_dialog(admin, "Almaty")
    assert LINK.search(text)["bot"] == fake.username
    assert "Almaty" in text
    # Expires 48 h later, shown in Almaty time: 06:00 UTC on 4 March is 11:00 there.
    assert "04.03.2026, 11:00" in text and "Asia/Almaty" in text

    newcomer = fake.user(700_001, language_code="ru")
    welcome = await newcomer.ask(f"/start inv_{code}")
    assert "Алматы" in welcome.text
    assert "/start" in welcome.text  # not registered: told how to volunteer too
    roles = await access.roles_of(newcomer.id)
    assert roles.coordinator_regions == {"KZ-75"} and not roles.is_admin

    # The same link again, by the same person and by someone else: refused, nothing changes.
    again = await newcomer.ask(f"/start inv_{code}")
    assert again.text == in_ru(bot, INVALID + " Ask the administrator who sent it for a new one.")
    follow_up = await newcomer.wait_for_message()
    assert follow_up.text == "Отправьте /start, чтобы зарегистрироваться волонтёром, или /help, чтобы узнать больше."
    other = fake.user(700_002, language_code="en")
    assert (await other.ask(f"/start inv_{code}")).text.startswith(INVALID)
    assert (await access.roles_of(newcomer.id)).coordinator_regions == {"KZ-75"}
    assert not (await access.roles_of(other.id)).is_coordinator
    assert [(g.telegram_id, g.region) for g in await access.all_grants()] == [(newcomer.id, "KZ-75")]

    claims = [e for e in await access.recent_audit() if e.action == "invite.claim"]
    assert [(e.actor_telegram_id, e.allowed) for e in reversed(claims)] == [
        (newcomer.id, True), (newcomer.id, False), (other.id, False)
    ]
    await everything_accepted(fake)


async def test_an_expired_link_is_refused(bot: RunningBot, fake: FakeTelegram, clock: ManualClock) -> None:
    admin = fake.user(ADMIN_ID, language_code="en")
    _, code = await invite_via_dialog(admin, "Shymkent", organisation="Shymkent <Volunteers> & Co")
    clock.advance(hours=49)
    late = fake.user(700_003, language_code="en")
    reply = await late.ask(f"/start inv_{code}")
    assert reply.text.startswith(INVALID)
    assert not (await bot.services.access.roles_of(late.id)).is_coordinator
    await everything_accepted(fake)


async def test_organisation_is_escaped_and_bad_input_is_re_asked(bot: RunningBot, fake: FakeTelegram) -> None:
    admin = fake.user(ADMIN_ID, language_code="en")
    await open_admin_menu(admin)
    await admin.press("➕ Invite a coordinator")
    await admin.wait_for_message()
    await admin.press("Astana")
    await admin.wait_for_message()
    await admin.send_sticker()
    assert "as text" in (await admin.wait_for_message()).text
    assert "2 to 100 characters" in (await admin.ask("!")).text
    assert "2 to 100 characters" in (await admin.ask("x" * 101)).text
    # Back returns to the regions, Back again to the menu; then the whole way with a name.
    await admin.press("⬅️ Back")
    assert "Which region" in (await admin.wait_for_message()).text
    await admin.press("⬅️ Back")
    assert "What would you like to do?" in (await admin.wait_for_message()).text
    await admin.press("➕ Invite a coordinator")
    await admin.wait_for_message()
    await admin.press("Astana")
    await admin.wait_for_message()
    done = await admin.ask("Birge <Astana> & Co", lambda m: "t.me/" in (m.text or ""))
    assert "Organisation: Birge <Astana> & Co" in done.text  # the fake shows text as the user sees it
    assert done.parse_mode == "HTML"
    code = LINK.search(done.text)["code"]

    coordinator = fake.user(700_004, language_code="en")
    welcome = await coordinator.ask(f"/start inv_{code}")
    assert "Astana" in welcome.text
    assert (await bot.services.access.roles_of(coordinator.id)).organisations == ("Birge <Astana> & Co",)

    # The list of roles shows the new coordinator with region and organisation (escaped).
    await admin.send_text("/admin")
    await admin.wait_for_message()
    await admin.press("👥 Coordinators and admins")
    listing = await admin.wait_for_message()
    assert str(ADMIN_ID) in listing.text and "ADMIN_IDS" in listing.text
    assert str(coordinator.id) in listing.text and "Astana" in listing.text
    await admin.press("⬅️ Back")
    await admin.wait_for_message()
    await admin.press("📜 Recent audit log")
    log = await admin.wait_for_message()
    assert "invite.create" in log.text and "invite.claim" in log.text
    await everything_accepted(fake)


async def test_a_non_admin_typing_admin_is_refused_politely_and_audited(bot: RunningBot, fake: FakeTelegram) -> None:
    stranger = fake.user(700_010, language_code="ru")
    reply = await stranger.ask("/admin")
    assert reply.text == in_ru(bot, REFUSED)
    assert reply.buttons() == []
    (entry,) = await bot.services.access.recent_audit()
    assert (entry.actor_telegram_id, entry.action, entry.allowed) == (stranger.id, "admin.menu", False)
    await everything_accepted(fake)


FORGED = [
    (AdminCb(action="invite").pack(), "admin.invite"),
    (AdminCb(action="region", code="KZ-75").pack(), "admin.invite"),
    (AdminCb(action="skip").pack(), "admin.invite.create"),
    (AdminCb(action="grants").pack(), "admin.grants"),
    (AdminCb(action="audit").pack(), "admin.audit"),
    (AdminCb(action="whatever", code="x").pack(), "admin.unknown"),
    (MenuCb(action="admin").pack(), "admin.menu"),
]


async def test_forged_admin_buttons_are_refused_and_audited(bot: RunningBot, fake: FakeTelegram) -> None:
    access = bot.services.access
    stranger = fake.user(700_011, language_code="en")
    await stranger.ask("hello")  # some bot message to press on
    message_id = stranger.last_message.message_id
    for data, action in FORGED:
        answer = await answer_of(fake, await stranger.press_data(data, message_id))
        assert answer.get("text") == REFUSED and answer.get("show_alert") is True, data
        (entry, *_) = await access.recent_audit()
        assert (entry.actor_telegram_id, entry.action, entry.allowed) == (stranger.id, action, False), data
        assert entry.details["callback_data"] == data
    # A press on a message the bot never sent (an inaccessible one) is refused the same way.
    answer = await answer_of(fake, await stranger.press_data(AdminCb(action="audit").pack(), 99_999))
    assert answer.get("text") == REFUSED
    audit = await access.recent_audit()
    assert len(audit) == len(FORGED) + 1 and not any(entry.allowed for entry in audit)
    # Nothing created, nothing shown: no invite, no grant, no dialog, no new message.
    assert await access.all_grants() == []
    assert await fake.notifier.wait_until(lambda: None, 0.2) is None  # give a stray reply a chance
    assert len(stranger.messages) == 1
    assert (await stranger.ask("another hello")).text == stranger.messages[0].text  # no dialog was started
    await everything_accepted(fake)


async def test_roles_are_checked_on_every_update(bot: RunningBot, fake: FakeTelegram) -> None:
    access = bot.services.access
    helper = fake.user(700_020, language_code="en")
    await access.grant(helper.id, "admin", granted_by=ADMIN_ID)
    await open_admin_menu(helper)  # a granted admin counts as an admin
    await access.revoke(helper.id, "admin", revoked_by=ADMIN_ID)
    answer = await answer_of(fake, await helper.press("➕ Invite a coordinator"))  # still on screen
    assert answer.get("text") == REFUSED and answer.get("show_alert") is True
    assert "Which region" not in helper.last_message.text
    refused = [e for e in await access.recent_audit() if not e.allowed]
    assert [(e.actor_telegram_id, e.action) for e in refused] == [(helper.id, "admin.invite")]
    await everything_accepted(fake)


async def test_an_admin_pressing_an_old_dialog_button_changes_nothing(bot: RunningBot, fake: FakeTelegram) -> None:
    admin = fake.user(ADMIN_ID, language_code="en")
    await open_admin_menu(admin)
    menu_id = admin.last_message.message_id
    answer = await answer_of(fake, await admin.press_data(AdminCb(action="skip").pack(), menu_id))  # no dialog
    assert "no longer active" in answer.get("text", "")
    answer = await answer_of(fake, await admin.press_data(AdminCb(action="region", code="KZ-75").pack(), menu_id))
    assert "no longer active" in answer.get("text", "")
    answer = await answer_of(fake, await admin.press_data(AdminCb(action="nonsense").pack(), menu_id))
    assert "no longer active" in answer.get("text", "")
    assert await bot.services.access.recent_audit() == []  # no invite created, nothing refused
    await answer_of(fake, await admin.press_data(NavCb(action="cancel").pack(), menu_id))
    await everything_accepted(fake)


async def register(bot: RunningBot, telegram_id: int, locale: str = "en") -> None:
    await bot.services.volunteers.register(
        telegram_id,
        Registration(full_name="Aigerim Test", phone=f"+7701{telegram_id % 10_000_000:07d}", birth_year=1995,
                     region="KZ-75", locale=locale),
    )


async def test_a_registered_volunteer_claims_and_gets_the_main_menu(bot: RunningBot, fake: FakeTelegram) -> None:
    invite = await bot.services.access.create_invite(ADMIN_ID, "KZ-19", "Almaty Region Volunteers")
    volunteer = fake.user(700_030, language_code="en")
    await register(bot, volunteer.id)
    welcome = await volunteer.ask(f"/start inv_{invite.code}")
    assert "Almaty Region" in welcome.text and "Organisation: Almaty Region Volunteers" in welcome.text
    assert "register with /start" not in welcome.text  # already a volunteer
    menu = await volunteer.wait_for_message()
    assert menu.text == "What would you like to do?"
    assert "🛡 Administration" not in volunteer.button_texts(menu)  # a coordinator is not an admin
    assert (await bot.services.access.roles_of(volunteer.id)).coordinator_regions == {"KZ-19"}
    await everything_accepted(fake)


async def test_the_main_menu_button_opens_administration_for_admins(bot: RunningBot, fake: FakeTelegram) -> None:
    admin = fake.user(ADMIN_ID, language_code="en")
    await register(bot, ADMIN_ID)
    menu = await admin.ask("/start", lambda m: "🛡 Administration" in m.button_texts())
    await admin.press("🛡 Administration", message_id=menu.message_id)
    panel = await admin.wait_for_message(lambda m: "Invite a coordinator" in " ".join(m.button_texts()))
    assert "Administration" in panel.text
    await everything_accepted(fake)


async def test_an_admin_revoked_mid_dialog_is_refused_once_and_let_out(bot: RunningBot, fake: FakeTelegram) -> None:
    access = bot.services.access
    helper = fake.user(700_040, language_code="en")
    await access.grant(helper.id, "admin")
    await open_admin_menu(helper)
    await helper.press("➕ Invite a coordinator")
    await helper.wait_for_message()
    await helper.press("Pavlodar Region")
    await helper.wait_for_message()
    await access.revoke(helper.id, "admin")
    assert (await helper.ask("Pavlodar Helpers")).text == REFUSED
    assert (await helper.ask("Pavlodar Helpers")).text != REFUSED  # out of the dialog now
    assert not [e for e in await access.recent_audit() if e.action == "invite.create"]
    refused = [(e.action, e.details.get("text")) for e in await access.recent_audit() if not e.allowed]
    assert refused == [("admin.invite.create", "Pavlodar Helpers")]
    await everything_accepted(fake)
