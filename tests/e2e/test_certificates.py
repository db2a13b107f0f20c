"""Certificates of hours over the fake Bot API: /certificate sends a PDF for the chosen
period (the same one again when nothing changed), a polite answer when there is nothing
to certify; bad input at the period step; verification by /verify and the QR code's deep
link (valid, unknown, void after /delete_me), for anyone, in their language."""

from __future__ import annotations

from datetime import timedelta

from bot.domain.certificates import new_code
from emulator import FakeTelegram
from handlers.volunteer.certificate import CertCb
from tests.support.attendance import COORDINATOR, task_with_people
from tests.support.coordinator import Texts, answer_of, everything_accepted, wait_text
from tests.support.e2e import RunningBot
from tests.support.levels import certificate_count, certificates, seed_hours

NAME = "Ерікті 0 Тестов"


def is_document(message) -> bool:  # noqa: ANN001 - FakeMessage
    return "document" in message.content


async def test_certificate_pdf_same_figures_same_certificate_and_verification(bot: RunningBot,
                                                                             fake: FakeTelegram) -> None:
    _coordinator, _task, people = await task_with_people(bot, fake, ["ru", "en"], starts_in=timedelta(days=2))
    (volunteer, volunteer_id), (idle, _idle_id) = people
    await seed_hours(bot, COORDINATOR, [volunteer_id], tasks=2, hours=4.5)  # this year (March 2026)
    await seed_hours(bot, COORDINATOR, [volunteer_id], tasks=1, hours=2.5, starts_in=timedelta(days=-400),
                     title="Old")  # last year
    ru = Texts(bot, "ru")
    await volunteer.send_text("/certificate")
    await wait_text(volunteer, ru("A certificate of your volunteer hours. For which period?"))
    await volunteer.press("🗓 " + ru("Last year"))
    sent = await volunteer.wait_for_message(is_document)
    assert sent.file is not None and sent.file.data.startswith(b"%PDF") and sent.file.size > 5_000
    [last] = await certificates(bot, volunteer_id)
    assert (last.period, last.hours, last.tasks, last.full_name, last.locale) == ("2025", 2.5, 1, NAME, "ru")
    assert last.level == "active"  # 11.5 hours and 3 tasks in all
    assert sent.content["document"]["file_name"] == f"birge-certificate-{last.code}.pdf"
    assert ru("Certificate No. {code}", code=last.code) in (sent.caption or "")
    assert f"{ru('Hours')}: 2,5" in (sent.caption or "")
    # This year: 9 hours, 2 tasks; asked again with the same figures: the same certificate.
    for _ in range(2):
        await volunteer.send_text("/certificate")
        await wait_text(volunteer, ru("A certificate of your volunteer hours. For which period?"))
        await volunteer.press("📅 " + ru("This year"))
        sent = await volunteer.wait_for_message(is_document)
    rows = await certificates(bot, volunteer_id)
    assert len(rows) == 2
    this_year = next(row for row in rows if row.period == "2026")
    assert (this_year.hours, this_year.tasks) == (9.0, 2)
    assert sent.content["document"]["file_name"] == f"birge-certificate-{this_year.code}.pdf"
    # Nothing to certify: a polite answer, no PDF.
    await idle.send_text("/certificate")
    await wait_text(idle, Texts(bot, "en")("A certificate of your volunteer hours. For which period?"))
    await idle.press("♾ " + Texts(bot, "en")("All time"))
    await wait_text(idle, Texts(bot, "en")("There are no approved hours in this period yet, so there is nothing to "
                                           "certify. Hours count once the task's coordinator approves them."))
    assert not [m for m in idle.messages if is_document(m)] and await certificate_count(bot) == 2
    # Anyone checks it: a stranger by the deep link (English app), a volunteer by /verify (kk).
    stranger = fake.user(870_001, language_code="en")
    en = Texts(bot, "en")
    link = bot.services.certificates.sheet(this_year, "birge_test_bot", "ru").link  # the QR code's content
    assert link == f"https://t.me/birge_test_bot?start=cert_{this_year.code}"
    reply = await stranger.ask("/start " + link.split("?start=", 1)[1])
    assert en("The certificate {code} is valid.", code=this_year.code) in reply.text
    assert en("Issued to: {name}", name=NAME) in reply.text and f"{en('Hours')}: 9" in reply.text
    assert f"{en('Tasks and call-outs')}: 2" in reply.text and f"{en('Period')}: 2026" in reply.text
    assert en("By: {org}", org="Birge") in reply.text and en("Issued on: {date}", date="") in reply.text
    assert "+7" not in reply.text  # no phone number
    kk_user = fake.user(870_002, language_code="kk")
    kk = Texts(bot, "kk")
    reply = await kk_user.ask(f"/verify {last.code.lower().replace('-', ' ')}")  # typed loosely
    assert kk("The certificate {code} is valid.", code=last.code) in reply.text
    assert f"{kk('Period')}: 2025" in reply.text and f"{kk('Level')}: {kk('Active')}" in reply.text
    # Forged, mistyped, HTML, empty.
    forged = new_code()
    reply = await stranger.ask(f"/verify {forged}")
    assert en("No certificate with the code {code} was found.", code=forged) in reply.text
    reply = await stranger.ask("/verify <b>C-&</b>")
    assert en("No certificate with the code {code} was found.", code="<b>C-&</b>") in reply.text  # shown as typed
    reply = await stranger.ask("/start cert_C-0000")
    assert en("No certificate with the code {code} was found.", code="C-0000") in reply.text
    reply = await stranger.ask("/verify")
    assert reply.text == en("Send /verify and the certificate's code, for example: /verify C-7KQ4-9WXM-3PRT")
    # /delete_me: the certificates keep no name and are void.
    assert await bot.services.volunteers.delete(volunteer.id)
    for row in await certificates(bot, volunteer_id):
        assert row.full_name is None and row.voided_at is not None
    reply = await stranger.ask(f"/start cert_{this_year.code}")
    assert en("The certificate {code} is no longer valid: the volunteer's personal data has been deleted.",
              code=this_year.code) in reply.text
    assert NAME not in reply.text
    await everything_accepted(fake)


async def test_period_step_bad_input_forged_button_and_cancel(bot: RunningBot, fake: FakeTelegram) -> None:
    _coordinator, _task, people = await task_with_people(bot, fake, ["kk"], starts_in=timedelta(days=2))
    (volunteer, volunteer_id), = people
    await seed_hours(bot, COORDINATOR, [volunteer_id], tasks=1, hours=3)
    kk = Texts(bot, "kk")
    question = kk("A certificate of your volunteer hours. For which period?")
    await volunteer.send_text("/certificate")
    first = await wait_text(volunteer, question)
    # A sticker, then typed text: asked again with the buttons, nothing issued.
    await volunteer.send_sticker()
    await wait_text(volunteer, kk("Please choose with the buttons below."))
    again = await wait_text(volunteer, question)
    await volunteer.send_text("x" * 5000)
    await wait_text(volunteer, kk("Please choose with the buttons below."))
    latest = await wait_text(volunteer, question)
    # A forged period and an old question's button: refused, nothing issued.
    for data, message_id in ((CertCb(period="forever").pack(), latest.message_id),
                             (CertCb(period="this").pack(), first.message_id)):
        press = await volunteer.press_data(data, message_id)
        assert (await answer_of(fake, press)).get("show_alert")
    assert again.message_id != latest.message_id and await certificate_count(bot) == 0
    # /cancel leaves; the question's button is stale afterwards.
    await volunteer.send_text("/cancel")
    await wait_text(volunteer, kk("Cancelled."))
    press = await volunteer.press_data(CertCb(period="this").pack(), latest.message_id)
    assert (await answer_of(fake, press)).get("show_alert")
    # The Cancel button works as well.
    await volunteer.send_text("/certificate")
    await wait_text(volunteer, question)
    await volunteer.press("✖️ " + kk("Cancel"))
    await wait_text(volunteer, kk("Cancelled."))
    assert await certificate_count(bot) == 0 and not [m for m in volunteer.messages if is_document(m)]
    # Someone not registered is told to register.
    outsider = fake.user(870_010, language_code="ru")
    reply = await outsider.ask("/certificate")
    assert reply.text == Texts(bot, "ru")("You are not registered yet. Send /start to register as a volunteer.")
    await everything_accepted(fake)
