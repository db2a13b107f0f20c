"""The sandbox page in a real browser (Debian's Chromium driven by Playwright; never a
downloaded browser): a volunteer registers by pressing the same buttons a person would
(sharing their phone number too), a coordinator in a second column publishes a task, the
card arrives in the first column, "I'll go" is pressed, and the coordinator's roster
shows the volunteer. A screenshot of each step is saved in the test's folder."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.support.sandbox import running_sandbox

CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(shutil.which(CHROMIUM) is None,
                                reason=f"browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium)")

STEP_TIMEOUT_MS = 15_000


class Column:
    """One person's chat on the page."""

    def __init__(self, page, name: str, shots: Path) -> None:  # noqa: ANN001 - playwright Page
        self.page = page
        self.box = page.locator(f'.phone[aria-label="{name}"]')
        self.chat = self.box.locator(".chat")
        self.shots = shots
        self.step = 0

    async def shot(self, label: str) -> None:
        self.step += 1
        await self.page.screenshot(path=str(self.shots / f"{len(list(self.shots.iterdir())):02d}-{label}.png"))

    async def see(self, text: str) -> None:
        from playwright.async_api import expect

        await expect(self.chat).to_contain_text(text, timeout=STEP_TIMEOUT_MS)

    async def send(self, text: str, then: str) -> None:
        await self.box.locator(".text").fill(text)
        await self.box.locator(".text").press("Enter")
        await self.see(then)

    async def tap(self, label: str, then: str) -> None:
        """Press an inline button (the newest one with exactly this label)."""
        await self.chat.get_by_role("button", name=label, exact=True).last.click(timeout=STEP_TIMEOUT_MS)
        await self.see(then)

    async def reply(self, label: str, then: str) -> None:
        """Press a button of the reply keyboard under the input field."""
        await self.box.locator(".reply-keyboard").get_by_role("button", name=label, exact=True).click(
            timeout=STEP_TIMEOUT_MS)
        await self.see(then)


async def add_person(page, first_name: str, last_name: str, language: str, role: str,  # noqa: ANN001
                     region: str | None = None) -> None:
    form = page.locator("#new-person")
    await form.locator('[name="first_name"]').fill(first_name)
    await form.locator('[name="last_name"]').fill(last_name)
    await form.locator('[name="language"]').select_option(language)
    await form.locator('[name="role"]').select_option(role)
    if region:
        await form.locator('[name="region"]').select_option(region)
    await form.locator("#create-person").click()
    await page.locator(f'.phone[aria-label="{first_name} {last_name}"]').wait_for(timeout=STEP_TIMEOUT_MS)


async def test_register_publish_and_sign_up_side_by_side(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    shots = tmp_path / "screenshots"
    shots.mkdir()
    async with running_sandbox(tmp_path) as sandbox, async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = await browser.new_page(viewport={"width": 1000, "height": 900}, locale="en-US")
            await page.goto(sandbox.url + "/?lang=en")
            await page.locator("#create-person").wait_for()

            # A volunteer registers, pressing what a person would press.
            await add_person(page, "Aigerim", "Saparova", "en", "volunteer")
            volunteer = Column(page, "Aigerim Saparova", shots)
            await volunteer.send("/start", "choose your language")
            await volunteer.tap("English", "Do you agree")
            await volunteer.tap("✅ I agree", "What is your full name?")
            await volunteer.send("Aigerim Saparova", "What is your phone number?")
            await volunteer.shot("phone-question")
            await volunteer.reply("📱 Share my contact", "What year were you born?")
            await volunteer.send("1995", "Which region do you live in?")
            await volunteer.tap("Almaty", "Which city, town or district?")
            await volunteer.tap("Skip ➡️", "Which directions interest you?")
            await volunteer.tap("Ecology", "✅ Ecology")
            await volunteer.tap("Done ➡️", "What skills do you have?")
            await volunteer.tap("Done ➡️", "When can you help?")
            for choice in ("Weekdays", "Weekday evenings", "Weekends"):
                await volunteer.tap(choice, "✅ " + choice)
            await volunteer.tap("Done ➡️", "Which languages do you speak?")
            await volunteer.tap("Done ➡️", "Please check your details:")
            await volunteer.shot("summary")
            await volunteer.tap("✅ Confirm", "What would you like to do?")
            await volunteer.shot("registered")

            # A coordinator of Almaty, in a second column, publishes a task.
            await add_person(page, "Dmitry", "Kim", "en", "coordinator", "KZ-75")
            coordinator = Column(page, "Dmitry Kim", shots)
            await coordinator.send("/newtask", "What is the task?")
            await coordinator.send("Park clean-up", "Describe the task")
            await coordinator.tap("Skip ➡️", "Which direction does the task belong to?")
            await coordinator.tap("Ecology", "Where?")
            await coordinator.send("Central Park, main gate", "Asia/Almaty")
            day = (datetime.now(ZoneInfo("Asia/Almaty")) + timedelta(days=2)).strftime("%d.%m.%Y")
            await coordinator.send(f"{day} 10:00", "13:00")
            await coordinator.send("13:00", "How many volunteers are needed?")
            await coordinator.send("5", "Which skills must volunteers have?")
            await coordinator.tap("Done ➡️", "✅ Confirm")
            await coordinator.shot("task-preview")
            await coordinator.tap("✅ Confirm", "Send it to them?")
            await coordinator.tap("📣 Send", "Sending the task to 1 volunteer")
            await coordinator.shot("task-sent")

            # The card arrives in the volunteer's column; "I'll go" signs them up.
            await volunteer.see("Park clean-up")
            await volunteer.shot("card-arrived")
            await volunteer.chat.get_by_role("button", name="✅ I'll go", exact=True).last.click()
            await volunteer.box.locator(".toast").filter(has_text="You are signed up").wait_for(
                timeout=STEP_TIMEOUT_MS)
            await volunteer.shot("signed-up")

            # The coordinator's roster now lists her.
            await coordinator.send("/mytasks", "My tasks")
            await coordinator.tap("1. Park clean-up", "Who signed up")
            await coordinator.tap("👥 Who signed up", "Aigerim Saparova")
            await coordinator.shot("roster")

            # A link to the bot with ?start= opens as this person's /start; other links stay links.
            assert await page.evaluate("deepLink('https://t.me/birge_sandbox_bot?start=inv42')") == "inv42"
            assert await page.evaluate("deepLink('https://t.me/other_bot?start=inv42')") is None
            # On a phone-sized window one chat fills the width.
            await page.set_viewport_size({"width": 390, "height": 800})
            box = await volunteer.box.bounding_box()
            assert box is not None and 300 <= box["width"] <= 390
        finally:
            await browser.close()
    assert len(list(shots.glob("*.png"))) == 8
