"""/stats end to end over the fake Bot API: a region's coordinator picks a typed period
and gets the figures, the three charts as an album and the workbook in their language; bad input and
forged buttons; an admin switches between the country and a region."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from PIL import Image

from emulator import FakeTelegram
from emulator.state import FakeMessage
from tests.support.clock import ManualClock
from tests.support.coordinator import Texts, answer_of, audit, everything_accepted, wait_text
from tests.support.e2e import ADMIN_ID, RunningBot
from tests.support.stats_world import build_world

ALMATY_COORDINATOR = 860_001
VOLUNTEER_ONLY = 860_002
CHART_WAIT = 30.0  # matplotlib's first chart loads its fonts


def photo(message: FakeMessage) -> bool:
    return "photo" in message.content


def document(message: FakeMessage) -> bool:
    return "document" in message.content


async def test_a_coordinator_sees_their_region_in_their_language(bot: RunningBot, fake: FakeTelegram,
                                                                 clock: ManualClock) -> None:
    await build_world(bot.services.db, clock)
    await bot.services.access.grant(ALMATY_COORDINATOR, "coordinator", region="KZ-75")
    t = Texts(bot, "ru")
    user = fake.user(ALMATY_COORDINATOR, language_code="ru")
    picker = await user.ask("/stats")
    assert picker.text.splitlines()[:2] == ["📊 " + t("Statistics"), t("Almaty")]
    assert picker.button_texts() == [t("This month"), t("Last month"), t("This quarter"), t("This year"),
                                     "✏️ " + t("Another period…")]  # one region: nothing to change
    await user.press("✏️ " + t("Another period…"))
    await wait_text(user, "01.01.2026–30.06.2026")
    await user.send_text("31.02.2026–30.06.2026")
    await wait_text(user, t("One of these dates does not exist."))
    await user.send_text("30.06.2026–01.01.2026")
    await wait_text(user, t("The period ends before it starts."))
    await user.send_sticker()
    await wait_text(user, t("I can only read text here. Please type your answer."))
    await user.send_text("01.01.2026 – 30.06.2026")
    figures = await wait_text(user, t("Volunteers registered"))
    lines = figures.text.splitlines()
    assert lines[:2] == ["📊 " + t("Almaty"), t("Period: {period}", period="01.01.2026 – 30.06.2026")]
    for label, value in [("Volunteers registered", "18"), ("New in the period", "13"), ("Paused now", "< 5"),
                         ("Tasks published", "7"), ("Fill rate", "71,4 %"), ("Median time to fill, hours", "5,0"),
                         ("Sign-ups", "12"), ("Messages sent", "5"), ("Attendance rate", "70,0 %"),
                         ("Hours approved", "34,0"), ("Call-outs", "7"),
                         ("Median time to the people needed, minutes", "20,0"), ("People reached", "5"),
                         ("Median time to the first call, minutes", "37,5")]:
        assert f"{t(label)}: {value}" in [line.replace("\xa0", " ") for line in lines], label
    # Elderly care (2) is hidden, and Ecology (9), the smallest other direction, with it.
    assert {f"{t('Ecology')}: < 5", f"{t('Elderly care')}: < 5", f"{t('Health care')}: 13"} <= set(lines)
    assert t("Astana") not in figures.text  # nothing of another region
    assert figures.button_texts() == ["📄 " + t("Report (Excel)"), "📅 " + t("Another period")]
    # The three charts as one album (one request), each with its title as the caption.
    album = [await user.wait_for_message(photo, timeout=CHART_WAIT) for _ in range(3)]
    assert [chart.caption for chart in album] == [t("By direction"), t("New volunteers by month"),
                                                  t("Hours approved by month")]
    assert len({chart.content["media_group_id"] for chart in album}) == 1
    assert [call.method for call in fake.calls if call.method in ("sendPhoto", "sendMediaGroup")] == ["sendMediaGroup"]
    for chart in album:
        assert chart.file is not None and chart.file.data.startswith(b"\x89PNG")
        assert Image.open(io.BytesIO(chart.file.data)).size == (1080, 810) and 10_000 < chart.file.size < 500_000

    await user.press("📄 " + t("Report (Excel)"), message_id=figures.message_id)
    sent = await user.wait_for_message(document, timeout=CHART_WAIT)
    assert sent.content["document"]["file_name"] == "birge-stats-20260101-20260630-KZ-75.xlsx"
    assert sent.caption == t("Statistics report: {scope}, {period}", scope=t("Almaty"),
                             period="01.01.2026 – 30.06.2026")
    assert sent.file is not None
    workbook = load_workbook(io.BytesIO(sent.file.data))
    assert workbook.sheetnames[0] == "Сводка"
    assert [workbook["Сводка"]["A8"].value, workbook["Сводка"]["B8"].value] == ["Зарегистрировано волонтёров", 18]
    hours = workbook["Утверждённые часы по месяцам"]
    assert [list(row) for row in hours.iter_rows(max_col=2, values_only=True)] == [
        [t("Month"), t("Hours approved")], ["Январь 2026", 0], ["Февраль 2026", 0], ["Март 2026", 14.5],
        ["Апрель 2026", "< 5"], ["Май 2026", 0], ["Июнь 2026", "< 5"]]  # June withheld with April
    assert len(hours._images) == 1  # its chart, next to the table
    await everything_accepted(fake)


async def test_forged_buttons_and_people_without_the_role_are_refused(bot: RunningBot, fake: FakeTelegram,
                                                                      clock: ManualClock) -> None:
    await build_world(bot.services.db, clock)
    await bot.services.access.grant(ALMATY_COORDINATOR, "coordinator", region="KZ-75")
    t = Texts(bot, "kk")
    user = fake.user(ALMATY_COORDINATOR, language_code="kk")
    picker = await user.ask("/stats")
    refusal = t("Sorry, you can see the figures of your own regions only.")
    for forged in ("st:period:y:KZ-71", "st:report:y:KZ-71", "st:menu::KZ-71", "st:custom::KZ-71"):
        query_id = await user.press_data(forged, picker.message_id)
        answer = await answer_of(fake, query_id)
        assert answer.get("text") == refusal and answer.get("show_alert") is True, forged
    stale = await user.press_data("st:period:c20261301-20261302:", picker.message_id)
    answer = await answer_of(fake, stale)
    assert answer.get("text") == t("This button is no longer active. Send /start to see the menu.")
    assert len([entry for entry in await audit(bot, "stats.") if not entry.allowed]) == 4
    assert not [m for m in user.messages if photo(m) or document(m)]

    stranger = fake.user(VOLUNTEER_ONLY, language_code="kk")
    await stranger.send_text("/stats")
    await wait_text(stranger, t("Sorry, only coordinators can do this."))
    await everything_accepted(fake)


async def test_an_admin_picks_the_country_or_one_region(bot: RunningBot, fake: FakeTelegram,
                                                        clock: ManualClock) -> None:
    await build_world(bot.services.db, clock)  # the clock now stands at 15 July 2026
    t = Texts(bot, "en")
    admin = fake.user(ADMIN_ID, language_code="en")
    picker = await admin.ask("/stats")
    assert picker.text.splitlines()[1] == "Kazakhstan (all regions)"
    await admin.press("🗺 Change the region")
    regions = await wait_text(admin, "Whose figures?")
    assert regions.button_texts()[:3] == ["Kazakhstan (all regions)", "Astana", "Almaty"]
    assert len(regions.button_texts()) == 22  # the country, 20 regions, Back
    await admin.press("Astana")
    picker = await wait_text(admin, t("Choose the period:"))
    assert picker.text.splitlines()[1] == "Astana"
    await admin.press("This year")
    figures = await wait_text(admin, "Volunteers registered")
    assert "Volunteers registered: 5" in figures.text and "Tasks published: < 5" in figures.text
    charts = [await admin.wait_for_message(photo, timeout=CHART_WAIT) for _ in range(3)]
    assert charts[2].caption == "Hours approved by month"
    await admin.press("📅 Another period", message_id=figures.message_id)
    await wait_text(admin, "Astana")
    # /cancel leaves the typed-range question; a range typed afterwards is no answer to it.
    await admin.press("✏️ Another period…")
    await wait_text(admin, "01.01.2026–30.06.2026")
    await admin.send_text("/cancel")
    await wait_text(admin, "Cancelled.")
    after = await admin.ask("01.01.2026–30.06.2026")
    assert "Volunteers registered" not in (after.text or "")
    await everything_accepted(fake)


def test_who_sees_which_regions() -> None:
    from bot.access.roles import UserRoles
    from handlers.coordinator.stats.screens import may_change_region, scope_of

    admin = UserRoles(telegram_id=1, is_admin=True)
    almaty = UserRoles(telegram_id=2, coordinator_regions=frozenset({"KZ-75"}))
    two = UserRoles(telegram_id=3, coordinator_regions=frozenset({"KZ-75", "KZ-19"}))
    nobody = UserRoles(telegram_id=4)
    assert [scope_of(admin, ""), scope_of(admin, "KZ-71"), scope_of(admin, "KZ-00")] == [None, {"KZ-71"}, False]
    assert [scope_of(almaty, ""), scope_of(almaty, "KZ-75"), scope_of(almaty, "KZ-71")] == [{"KZ-75"}, {"KZ-75"}, False]
    assert [scope_of(two, ""), scope_of(two, "KZ-19")] == [{"KZ-75", "KZ-19"}, {"KZ-19"}]
    assert scope_of(nobody, "") is False and scope_of(nobody, "KZ-75") is False
    assert [may_change_region(r) for r in (admin, almaty, two)] == [True, False, True]
