"""The sandbox page's API over HTTP, against the bot as `birge run` wires it: people are
created (with their roles), send texts, press buttons, share contacts and files; what the
bot sends reaches the page live over server-sent events; malformed requests get a 400
with a clear sentence, never a stack trace. Drills: simulated volunteers answer cards."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.cli.sandbox import Sandbox
from bot.tasks.drafts import TaskDraft
from bot.volunteers.service import Registration
from tests.support.coordinator import answer_of
from tests.support.sandbox import running_sandbox


@pytest.fixture
async def sandbox(tmp_path: Path) -> AsyncIterator[Sandbox]:
    async with running_sandbox(tmp_path) as running:
        yield running


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def post(http: aiohttp.ClientSession, url: str, body: Any) -> tuple[int, dict[str, Any]]:
    async with http.post(url, json=body) as response:
        return response.status, await response.json()


class Events:
    """A page's event stream, read in the background: (arrival time, event, data)."""

    def __init__(self, http: aiohttp.ClientSession, url: str) -> None:
        self.http, self.url = http, url
        self.seen: list[tuple[float, str, dict[str, Any]]] = []
        self.changed = asyncio.Event()
        self.task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Events:
        self.task = asyncio.create_task(self._read())
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None
        self.task.cancel()

    async def _read(self) -> None:
        async with self.http.get(self.url) as response:
            assert response.headers["Content-Type"].startswith("text/event-stream")
            event = ""
            async for raw in response.content:
                line = raw.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: "):
                    self.seen.append((time.monotonic(), event, json.loads(line[6:])))
                    self.changed.set()

    async def wait_for(self, event: str, predicate: Any, timeout: float = 10.0) -> tuple[float, dict[str, Any]]:
        async def found() -> tuple[float, dict[str, Any]]:
            while True:
                for at, kind, data in self.seen:
                    if kind == event and predicate(data):
                        return at, data
                self.changed.clear()
                await self.changed.wait()
        return await asyncio.wait_for(found(), timeout)


def has_text(text: str) -> Any:
    return lambda data: any(text in (m.get("html") or "") for m in data.get("messages", []))


async def test_the_page_and_its_texts_are_served(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    async with http.get(sandbox.url + "/") as response:
        assert response.status == 200
        page = await response.text()
    assert '<script src="/static/app.js"></script>' in page and "http" not in page.split("<body>")[1].lower()
    for name in ("app.js", "style.css", "i18n.json"):
        async with http.get(f"{sandbox.url}/static/{name}") as response:
            assert response.status == 200, name
    async with http.get(sandbox.url + "/static/..%2Fweb.py") as response:
        assert response.status == 404
    async with http.get(sandbox.url + "/api/info") as response:
        info = await response.json()
    assert info["bot"] == "birge_sandbox_bot" and ["KZ-75", "Almaty"] in info["regions"]


async def test_a_person_chats_and_sees_the_bot_live(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    status, person = await post(http, sandbox.url + "/api/people",
                                {"first_name": "Әсел", "last_name": "Нұрланова", "language": "kk"})
    assert status == 201 and person["name"] == "Әсел Нұрланова" and person["role"] == "volunteer"
    assert sandbox.fake is not None and sandbox.fake.users[person["id"]].language_code == "kk"
    user = sandbox.fake.users[person["id"]]
    async with Events(http, f"{sandbox.url}/api/events?people={person['id']}") as events:
        status, sent = await post(http, f"{sandbox.url}/api/people/{person['id']}/text", {"text": "/start"})
        assert status == 200
        reply = await user.wait_for_message(lambda m: "English" in m.button_texts())
        recorded = time.monotonic()
        at, data = await events.wait_for("messages", lambda d: any(m["id"] == reply.message_id for m in d["messages"]))
        assert at - recorded < 0.3  # live: well under 300 ms from the bot's send to the page
        shown = next(m for m in data["messages"] if m["id"] == reply.message_id)
        assert shown["from_bot"] and [b["text"] for b in shown["inline"][0]] == ["Қазақша", "Русский", "English"]
        await events.wait_for("extras", lambda d: d["person"] == person["id"] and d["menu"])
        # Pressing "English" (row 0, column 2) answers the callback and edits the message in place.
        status, pressed = await post(http, f"{sandbox.url}/api/people/{person['id']}/press",
                                     {"message_id": reply.message_id, "row": 0, "column": 2})
        assert status == 200 and pressed["callback_id"]
        await events.wait_for("messages", has_text("Do you agree"))
    async with http.get(f"{sandbox.url}/api/people/{person['id']}/chat") as response:
        chat = await response.json()
    assert [m["id"] for m in chat["messages"]][:2] == [sent["message_id"], reply.message_id]
    assert '<span class="command" data-command="/start">/start</span>' == chat["messages"][0]["html"]
    assert any("<b>Birge</b>" in (m.get("html") or "") for m in chat["messages"])  # the bot's HTML, kept


async def test_roles_are_granted_and_answers_show_as_toasts(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    assert sandbox.app is not None and sandbox.app.services is not None
    services = sandbox.app.services
    status, coordinator = await post(http, sandbox.url + "/api/people", {
        "first_name": "Dmitry", "language": "en", "role": "coordinator", "region": "KZ-71"})
    assert status == 201
    status, admin = await post(http, sandbox.url + "/api/people", {"first_name": "Admin", "role": "admin"})
    roles = await services.access.roles_of(coordinator["id"])
    assert roles.coordinator_regions == frozenset({"KZ-71"}) and not roles.is_admin
    assert (await services.access.roles_of(admin["id"])).is_admin
    # A volunteer's task card: "I'll go" is answered with a toast on the page.
    status, volunteer = await post(http, sandbox.url + "/api/people", {"first_name": "Dana", "language": "en"})
    await services.volunteers.register(volunteer["id"], Registration(
        full_name="Dana Omarova", phone="+77011234567", birth_year=1995, region="KZ-71", locale="en",
        directions=["ecology"], availability=["weekdays", "evenings", "weekends"], languages=["en"]))
    now = services.clock.now()
    task = await services.tasks.create(TaskDraft(
        region="KZ-71", title="Blood donor day", description="", direction="ecology", place="Kenesary 66",
        starts_at=now + timedelta(days=2), ends_at=now + timedelta(days=2, hours=3), slots=3), coordinator["id"])
    async with Events(http, f"{sandbox.url}/api/events?people={volunteer['id']},{coordinator['id']}") as events:
        await services.offers.broadcast_task(task.id, coordinator["id"], "en")
        _, data = await events.wait_for("messages", lambda d: d["person"] == volunteer["id"]
                                        and has_text("Blood donor day")(d) and any("inline" in m for m in d["messages"]))
        card = next(m for m in data["messages"] if "inline" in m)
        assert card["inline"][0][0]["text"] == "✅ I'll go"
        await post(http, f"{sandbox.url}/api/people/{volunteer['id']}/press",
                   {"message_id": card["id"], "row": 0, "column": 0})
        _, answer = await events.wait_for("answer", lambda d: d["person"] == volunteer["id"])
        assert answer == {"person": volunteer["id"], "message_id": card["id"],
                          "text": "✅ You are signed up! See you there.", "alert": False}
    assert (await services.tasks.counts(task.id))[0] == 1  # signed up


async def test_contacts_locations_photos_and_documents(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    status, person = await post(http, sandbox.url + "/api/people", {"first_name": "Timur", "language": "ru"})
    base = f"{sandbox.url}/api/people/{person['id']}"
    assert (await post(http, base + "/contact", {}))[0] == 200
    assert (await post(http, base + "/location", {"latitude": 51.1694, "longitude": 71.4491}))[0] == 200
    assert (await post(http, base + "/photo", {"caption": "фото"}))[0] == 200
    data = base64.b64encode("Имя;Телефон\n".encode()).decode()
    assert (await post(http, base + "/document", {"file_name": "список.csv", "mime_type": "text/csv", "data": data}))[0] == 200
    async with http.get(base + "/chat") as response:
        messages = (await response.json())["messages"]
    mine = [m for m in messages if not m["from_bot"]]
    assert mine[0]["contact"] == {"phone": sandbox.fake.users[person["id"]].phone_number, "name": "Timur"}
    assert mine[1]["location"] == {"latitude": 51.1694, "longitude": 71.4491}
    assert mine[2]["caption_html"] == "фото" and mine[2]["photo"].startswith("/api/files/")
    document = mine[3]["document"]
    assert document["name"] == "список.csv"
    async with http.get(sandbox.url + document["url"]) as response:
        assert response.status == 200 and (await response.read()).decode() == "Имя;Телефон\n"


@pytest.mark.parametrize(("path", "body", "status", "says"), [
    ("/api/people", "{not json", 400, "not valid JSON"),
    ("/api/people", ["a list"], 400, "JSON object"),
    ("/api/people", {"first_name": ""}, 400, "first_name"),
    ("/api/people", {"first_name": "A" * 65}, 400, "first_name"),
    ("/api/people", {"first_name": "Ann", "language": "de"}, 400, "language must be one of kk, ru, en"),
    ("/api/people", {"first_name": "Ann", "role": "owner"}, 400, "role must be one of"),
    ("/api/people", {"first_name": "Ann", "role": "coordinator", "region": "KZ-00"}, 400, "needs a region"),
    ("/api/people/PERSON/text", {"text": ""}, 400, "non-empty"),
    ("/api/people/PERSON/text", {"text": "x" * 4097}, 400, "at most 4096"),
    ("/api/people/PERSON/text", {"text": 5}, 400, "text must be"),
    ("/api/people/PERSON/press", {"message_id": 999, "row": 0, "column": 0}, 400, "no bot message 999"),
    ("/api/people/PERSON/press", {"message_id": "1", "row": 0, "column": 0}, 400, "message_id must be"),
    ("/api/people/PERSON/reply", {"row": 0, "column": 0}, 400, "no reply keyboard button"),
    ("/api/people/PERSON/location", {"latitude": 95, "longitude": 0}, 400, "latitude"),
    ("/api/people/PERSON/document", {"file_name": "a.csv", "data": "***"}, 400, "base64"),
    ("/api/people/PERSON/fly", {}, 404, "no action 'fly'"),
    ("/api/people/123/text", {"text": "hi"}, 404, "no person 123"),
    ("/api/people/abc/text", {"text": "hi"}, 400, "is not a person id"),
    ("/api/drill", {"odds": {"accept": 2}}, 400, "odds.accept must be a number from 0 to 1"),
    ("/api/drill", {"max_delay": -1}, 400, "max_delay"),
    ("/api/drill", {"minute": 61}, 400, "minute must be a number of seconds from 0 to 60"),
])
async def test_malformed_requests_get_a_clear_400(sandbox: Sandbox, http: aiohttp.ClientSession, path: str,
                                                 body: Any, status: int, says: str) -> None:
    _, person = await post(http, sandbox.url + "/api/people", {"first_name": "Ann"})
    url = sandbox.url + path.replace("PERSON", str(person["id"]))
    data = body if isinstance(body, str) else json.dumps(body)
    async with http.post(url, data=data, headers={"Content-Type": "application/json"}) as response:
        assert response.status == status
        text = await response.text()
    assert says in json.loads(text)["error"] and "Traceback" not in text


async def test_other_malformed_requests(sandbox: Sandbox, http: aiohttp.ClientSession) -> None:
    async with http.post(sandbox.url + "/api/people", data="first_name=Ann") as response:
        assert response.status == 400 and "Content-Type: application/json" in (await response.json())["error"]
    async with http.get(sandbox.url + "/api/events?people=x") as response:
        assert response.status == 400 and "not a person id" in (await response.json())["error"]
    async with http.get(sandbox.url + "/api/events?people=1") as response:
        assert response.status == 404 and "no person 1" in (await response.json())["error"]
    async with http.get(sandbox.url + "/api/files/nothing") as response:
        assert response.status == 404


async def test_a_drill_volunteer_answers_the_card(tmp_path: Path, http: aiohttp.ClientSession) -> None:
    async with running_sandbox(tmp_path, drill=4) as sandbox:
        assert sandbox.page is not None and sandbox.app is not None and sandbox.app.services is not None
        services = sandbox.app.services
        simulated = [p for p in sandbox.page.people.values() if p.simulated]
        assert len(simulated) == 4 and len(sandbox.page.drill.people) == 4
        status, odds = await post(http, sandbox.url + "/api/drill",
                                  {"odds": {"accept": 1, "decline": 0, "ignore": 0}, "max_delay": 0})
        assert status == 200 and odds["odds"]["accept"] == 1.0 and odds["people"] == 4
        await services.access.grant(4_000_001, "coordinator", region="KZ-75")
        now = services.clock.now()
        task = await services.tasks.create(TaskDraft(
            region="KZ-75", title="Drill: sandbags", description="", direction="ecology", place="Medeu",
            starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2), slots=3), 4_000_001)
        sandbox.fake.user(4_000_001, language_code="en")
        await services.offers.broadcast_task(task.id, 4_000_001, "en")

        drilled = {p.id for p in simulated}

        def all_answered() -> bool | None:
            answered = [r for r in sandbox.fake.callback_queries.values() if r.user_id in drilled and r.answered]
            return True if len(answered) == 4 else None

        assert await sandbox.fake.notifier.wait_until(all_answered, 20)
        assert (await services.tasks.counts(task.id))[0] == 3  # three places, four eager volunteers
        async with http.get(sandbox.url + "/api/drill") as response:
            # The one who came too late may also join the waitlist (a fifth "accept").
            assert (await response.json())["counts"]["accept"] >= 4


async def test_a_call_out_drill_ends_with_the_board_counting_what_the_drill_did(
        tmp_path: Path, http: aiohttp.ClientSession) -> None:
    """Nine simulated volunteers (six with emergencies among their directions: the first
    wave; three without: the second) answer a call-out's card by the odds set on the
    page, with a fixed seed: coming with an estimate, can't, or silence, and those coming
    press "I've arrived" once their estimate has passed (a minute lasting 0.01 s here).
    The coordinator's board ends with exactly the drill's numbers."""
    async with running_sandbox(tmp_path, drill=9, drill_seed=11) as sandbox:
        assert sandbox.page is not None and sandbox.app is not None and sandbox.app.services is not None
        services, drill = sandbox.app.services, sandbox.page.drill
        status, settings = await post(http, sandbox.url + "/api/drill", {
            "odds": {"accept": 0.5, "decline": 0.3, "ignore": 0.2, "arrive": 0.6}, "max_delay": 0.3, "minute": 0.01})
        assert status == 200 and settings["minute"] == 0.01 and settings["seed"] == 11
        drilled = {p.id for p in sandbox.page.people.values() if p.simulated}
        locales = {p.language for p in sandbox.page.people.values() if p.simulated}
        assert len(drilled) == 9 and len(locales) > 1  # the cards come in several languages

        def t(msgid: str, **values: Any) -> str:
            return services.i18n.gettext(msgid, locale="en").format(**values)

        boss = sandbox.fake.user(4_000_001, language_code="en")
        await services.access.grant(boss.id, "coordinator", region="KZ-75")
        await boss.send_text("/callout 50 Sandbags at Sairan dam")
        await boss.wait_for_message(lambda m: t("Preview: this is what volunteers get") in (m.text or ""))
        await boss.press("📣 " + t("Send"))
        board = await boss.wait_for_message(lambda m: "Sairan" in (m.text or "") and "#" in (m.text or ""))

        def cards_of(people: set[int]) -> set[int]:
            """Who has the card (the only message a drill volunteer gets here; an edit may
            have taken its buttons away since: "I've arrived")."""
            return {person for person in people if sandbox.fake.chat_state(person).events}

        assert await sandbox.fake.notifier.wait_until(lambda: True if len(cards_of(drilled)) == 6 else None, 20)
        pressed = await boss.press("➡️ " + t("Next wave now"), message_id=board.message_id)
        assert (await answer_of(sandbox.fake, pressed))["text"] == t("Wave {wave} sent: {count}.", wave=2, count=3)
        assert await sandbox.fake.notifier.wait_until(lambda: True if len(cards_of(drilled)) == 9 else None, 20)

        counts = drill.counts

        def drill_done() -> bool | None:
            # Every card decided once, every "coming" a second time (arrive or not), every press made.
            decided = counts["accept"] + counts["decline"] + counts["ignore"] + counts["arrive"]
            return True if decided == 9 + counts["accept"] and drill.pressing == 0 else None

        assert await sandbox.fake.notifier.wait_until(drill_done, 30)
        coming, arrived, declined = counts["accept"] - counts["arrive"], counts["arrive"], counts["decline"]
        silent = 9 - counts["accept"] - counts["decline"]
        # Each card's choice is drawn from the seed, the person and the card: the same
        # numbers whatever order the cards arrived in (and every kind of answer in them).
        assert counts == {"accept": 4, "decline": 4, "ignore": 2, "arrive": 3}
        assert (coming, arrived, declined, silent) == (1, 3, 4, 1)
        assert sum(drill.etas_chosen.values()) == counts["accept"] and set(drill.etas_chosen) <= {15, 30, 60}
        shown = [t("Coming: {coming}", coming=coming) + " · 📍 " + t("arrived: {arrived}", arrived=arrived),
                 t("Can't: {declined}", declined=declined) + " · ⏳ " + t("no answer: {waiting}", waiting=silent),
                 t("Invited: {invited} · delivered: {delivered}", invited=9, delivered=9)]
        await boss.wait_for_message(lambda m: m.message_id == board.message_id
                                    and all(line in (m.text or "") for line in shown),
                                    after=board.message_id - 1, timeout=20)
        async with http.get(sandbox.url + "/api/drill") as response:
            assert (await response.json())["counts"] == counts


async def test_people_made_at_once_get_their_own_ids_and_are_kept(sandbox: Sandbox,
                                                                  http: aiohttp.ClientSession) -> None:
    made = await asyncio.gather(*(post(http, sandbox.url + "/api/people", {"first_name": f"P{n}", "role": "admin"})
                                  for n in range(5)))
    assert {status for status, _ in made} == {201}
    ids = {person["id"] for _, person in made}
    assert len(ids) == 5
    kept = json.loads(sandbox.options.people_path.read_text(encoding="utf-8"))
    assert {row["id"] for row in kept} == ids and all(row["role"] == "admin" for row in kept)
