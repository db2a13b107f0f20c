"""The sandbox page: an aiohttp server that serves a Telegram-like chat page (plain HTML,
CSS and JavaScript from static/, no build step, nothing from the internet) and the small
JSON API behind it. People on the page act through the emulator's simulated users, so
the bot sees exactly the updates a Telegram app would send; what the bot sends reaches
the page live over server-sent events (emulator/sandbox/stream.py).

The page never shows a stack trace: a malformed request gets a 400 with one sentence
saying what is wrong, an unknown person or file a 404."""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from aiohttp import web

from ..server import FakeTelegram
from ..users import FakeUser
from .drill import Drill
from .people import FIRST_PAGE_ID, BadRequest, PeopleFile, Person
from .render import message_json, reply_keyboard_json
from .stream import stream_events

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
MAX_TEXT = 4096  # what a Telegram app lets a person send in one message
MAX_UPLOAD = 5 * 1024 * 1024
ALMATY = (43.2389, 76.8897)

NewPersonHook = Callable[[Person], Awaitable[None]]


class NotFound(LookupError):
    pass


class SandboxPage:
    """The page and its API over one FakeTelegram. `regions` are (code, name) pairs a
    coordinator may be given; `on_new_person` runs before a person made on the page
    exists (the composition root grants their role there)."""

    def __init__(self, fake: FakeTelegram, people_file: PeopleFile, *, regions: Sequence[tuple[str, str]] = (),
                 on_new_person: NewPersonHook | None = None, drill: Drill | None = None) -> None:
        self.fake = fake
        self.people_file = people_file
        self.regions = list(regions)
        self.on_new_person = on_new_person
        self.drill = drill or Drill(fake)
        self.people: dict[int, Person] = {}
        self.closing = False
        self.url = ""
        self._runner: web.AppRunner | None = None
        self._creating = asyncio.Lock()
        for person in people_file.load():
            self._admit(person)

    # --- lifecycle ----------------------------------------------------------------------

    def app(self) -> web.Application:
        app = web.Application(middlewares=[_errors], client_max_size=MAX_UPLOAD + 1024 * 1024)
        app.router.add_get("/", self._index)
        app.router.add_get("/static/{name}", self._static)
        app.router.add_get("/api/info", self._info)
        app.router.add_get("/api/people", self._people)
        app.router.add_post("/api/people", self._create)
        app.router.add_get("/api/people/{id}/chat", self._chat)
        app.router.add_post("/api/people/{id}/{action}", self._act)
        app.router.add_get("/api/events", self._events)
        app.router.add_get("/api/files/{file_id}", self._file)
        app.router.add_get("/api/drill", self._drill_get)
        app.router.add_post("/api/drill", self._drill_set)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 8080) -> str:
        """Listen on host:port (port 0: a free one); return the page's address."""
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # the site has started: its server exists
        shown = host if ":" not in host else f"[{host}]"
        self.url = f"http://{shown}:{bound}"
        self.drill.start()
        return self.url

    async def stop(self) -> None:
        self.closing = True
        self.fake.notifier.notify()  # event streams see `closing` and end
        await self.drill.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # --- people -------------------------------------------------------------------------

    def _admit(self, person: Person) -> FakeUser:
        self.people[person.id] = person
        if person.simulated:
            self.drill.watch(person.id)
        return self.fake.user(person.id, first_name=person.first_name, last_name=person.last_name or None,
                              language_code=person.language or None)

    async def add(self, person: Person) -> FakeUser:
        """Add a person (the hook first, then the simulated user), and remember them."""
        if self.on_new_person is not None:
            await self.on_new_person(person)
        user = self._admit(person)
        self.people_file.save(list(self.people.values()))
        return user

    def person(self, raw_id: str) -> tuple[Person, FakeUser]:
        try:
            person_id = int(raw_id)
        except ValueError:
            raise BadRequest(f"{raw_id!r} is not a person id (a number)") from None
        if person_id not in self.people:
            raise NotFound(f"there is no person {person_id} in this sandbox")
        return self.people[person_id], self.fake.users[person_id]

    def chat_state(self, person_id: int) -> dict[str, Any]:
        user = self.fake.users[person_id]
        chat = self.fake.chat_state(person_id)
        return {
            "person": self.people[person_id].to_json(),
            "messages": [message_json(m) for m in chat.messages.values()],
            "keyboard": reply_keyboard_json(user.reply_keyboard),
            "menu": self.fake.menu_seen_by(person_id),
        }

    # --- handlers -----------------------------------------------------------------------

    async def _index(self, request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC / "index.html", headers={"Cache-Control": "no-cache"})

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise NotFound(f"no file {name!r} here")
        return web.FileResponse(path, headers={"Cache-Control": "no-cache"})

    async def _info(self, request: web.Request) -> web.Response:
        return web.json_response({"bot": self.fake.username, "regions": self.regions,
                                  "people": [p.to_json() for p in self.people.values()]})

    async def _people(self, request: web.Request) -> web.Response:
        return web.json_response([p.to_json() for p in self.people.values()])

    async def _create(self, request: web.Request) -> web.Response:
        body = await _json_body(request)
        async with self._creating:  # two forms sent at once get two ids
            next_id = max([FIRST_PAGE_ID - 1, *(i for i in self.people if i >= FIRST_PAGE_ID)]) + 1
            person = Person.from_request(next_id, body, frozenset(code for code, _ in self.regions))
            await self.add(person)
        return web.json_response(person.to_json(), status=201)

    async def _chat(self, request: web.Request) -> web.Response:
        person, _ = self.person(request.match_info["id"])
        return web.json_response(self.chat_state(person.id))

    async def _act(self, request: web.Request) -> web.Response:
        person, user = self.person(request.match_info["id"])
        action = request.match_info["action"]
        actions = {"text": self._text, "press": self._press, "reply": self._reply, "contact": self._contact,
                   "location": self._location, "document": self._document, "photo": self._photo}
        if action not in actions:
            raise NotFound(f"no action {action!r}; one of: " + ", ".join(actions))
        body = await _json_body(request)
        if not isinstance(body, dict):
            raise BadRequest("the body must be a JSON object")
        result = await actions[action](user, body)
        return web.json_response({"ok": True, **result})

    async def _text(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise BadRequest('text must be a non-empty string, e.g. {"text": "/start"}')
        if len(text) > MAX_TEXT:
            raise BadRequest(f"a message holds at most {MAX_TEXT} characters (this one has {len(text)})")
        message = await user.send_text(text)
        return {"message_id": message.message_id}

    async def _press(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        """Press an inline button: {"message_id", "row", "column"} (a callback button)."""
        message_id, row, column = (_int(body, key) for key in ("message_id", "row", "column"))
        message = self.fake.chat_state(user.id).messages.get(message_id)
        if message is None or not message.from_bot or message.deleted:
            raise BadRequest(f"there is no bot message {message_id} in this chat")
        rows = (message.reply_markup or {}).get("inline_keyboard") or []
        try:
            button = rows[row][column]
        except IndexError:
            raise BadRequest(f"message {message_id} has no button at row {row}, column {column}") from None
        if "callback_data" not in button:
            raise BadRequest(f"the button {button.get('text')!r} is not a callback button")
        callback_id = await user.press_data(button["callback_data"], message_id)
        return {"callback_id": callback_id}

    async def _reply(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        """Press a button of the reply keyboard shown now: {"row", "column"}."""
        row, column = _int(body, "row"), _int(body, "column")
        keyboard = reply_keyboard_json(user.reply_keyboard)
        try:
            button = (keyboard or {"rows": []})["rows"][row][column]
        except IndexError:
            raise BadRequest(f"no reply keyboard button at row {row}, column {column}") from None
        if button["contact"]:
            await user.send_contact()
        elif button["location"]:
            await user.send_location(*ALMATY)
        else:
            await user.send_text(button["text"])
        return {}

    async def _contact(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        message = await user.send_contact()
        return {"message_id": message.message_id}

    async def _location(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        latitude, longitude = body.get("latitude", ALMATY[0]), body.get("longitude", ALMATY[1])
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (latitude, longitude)) \
                or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise BadRequest("latitude (-90..90) and longitude (-180..180) must be numbers")
        message = await user.send_location(float(latitude), float(longitude))
        return {"message_id": message.message_id}

    async def _document(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        name, data = body.get("file_name"), body.get("data")
        if not isinstance(name, str) or not name.strip() or not isinstance(data, str):
            raise BadRequest("a document needs file_name and data (the file's bytes in base64)")
        try:
            content = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            raise BadRequest("data is not valid base64") from None
        if len(content) > MAX_UPLOAD:
            raise BadRequest(f"the sandbox takes files up to {MAX_UPLOAD // (1024 * 1024)} MB")
        mime = body.get("mime_type") if isinstance(body.get("mime_type"), str) else None
        caption = body.get("caption") if isinstance(body.get("caption"), str) else None
        message = await user.send_document(name.strip(), content, mime or None, caption or None)
        return {"message_id": message.message_id}

    async def _photo(self, user: FakeUser, body: dict[str, Any]) -> dict[str, Any]:
        caption = body.get("caption")
        message = await user.send_photo(caption if isinstance(caption, str) and caption else None)
        return {"message_id": message.message_id}

    async def _events(self, request: web.Request) -> web.StreamResponse:
        raw = request.query.get("people", "")
        ids = []
        for part in filter(None, raw.split(",")):
            person, _ = self.person(part)
            ids.append(person.id)
        return await stream_events(self.fake, request, ids, lambda: self.closing)

    async def _file(self, request: web.Request) -> web.StreamResponse:
        stored = self.fake.files.get(request.match_info["file_id"])
        if stored is None:
            raise NotFound("no such file")
        headers = {}
        if stored.file_name:
            headers["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(stored.file_name)}"
        return web.Response(body=stored.data, content_type=stored.mime_type or _guess(stored.data), headers=headers)

    async def _drill_get(self, request: web.Request) -> web.Response:
        return web.json_response(self.drill.to_json())

    async def _drill_set(self, request: web.Request) -> web.Response:
        self.drill.configure(await _json_body(request))
        return web.json_response(self.drill.to_json())


@web.middleware
async def _errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
                  ) -> web.StreamResponse:
    try:
        return await handler(request)
    except BadRequest as error:
        return web.json_response({"error": str(error)}, status=400)
    except NotFound as error:
        return web.json_response({"error": str(error)}, status=404)
    except web.HTTPException as error:
        if error.status >= 400:
            return web.json_response({"error": error.reason}, status=error.status)
        raise
    except (ConnectionResetError, AssertionError) as error:
        # A simulated user refusing an impossible action (e.g. a reply button that is gone).
        return web.json_response({"error": str(error)}, status=400)
    except Exception:  # never a stack trace on the page
        log.exception("sandbox page request %s %s failed", request.method, request.path)
        return web.json_response({"error": "the sandbox failed on this request; see its log"}, status=500)


async def _json_body(request: web.Request) -> Any:
    if request.content_type != "application/json":
        raise BadRequest("send a JSON body with Content-Type: application/json")
    try:
        return json.loads(await request.text())
    except (ValueError, UnicodeDecodeError):
        raise BadRequest("the body is not valid JSON") from None


def _int(body: dict[str, Any], key: str) -> int:
    value = body.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise BadRequest(f"{key} must be a whole number of 0 or more")
    return value


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")


def _guess(data: bytes) -> str:
    if data.startswith(b"\x89PNG"):
        return "image/png"
    if data.startswith(b"\xff\xd8"):
        return "image/jpeg"
    return "application/octet-stream"
