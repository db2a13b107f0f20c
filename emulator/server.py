"""FakeTelegram: a local HTTP server speaking the Telegram Bot API to the real aiogram Bot.

Point the bot at it with `AiohttpSession(api=TelegramAPIServer.from_base(fake.base_url))`;
drive it with simulated users; read what they see and every request the bot made."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from aiohttp import web

from .api_marks import scope_key
from .errors import ApiError, injected
from .methods import BotApi
from .request_check import Checked, RequestChecker
from .spec import load as load_spec
from .state import WAIT, Call, ChatState, UploadedFile
from .users import FakeUser
from .webhook import WebhookDeliverer
from .world import World

_QUIET_SECONDS = 0.05


@dataclass
class _Injection:
    method: str
    chat_id: int | None
    error: ApiError
    times: int


class FakeTelegram(World):
    """The fake Bot API server: a `World` (chats, files, limits; see emulator/world.py)
    served over HTTP, with simulated users and the controls tests need (injected
    errors, waiting until the bot is idle).

    Every request is checked against the Bot API's field list first
    (emulator/request_check.py). `strict` (the default) refuses unknown parameters and
    fields with a 400, which Telegram would silently ignore; with `strict=False` they are
    accepted and counted in `unknown_fields`. Legacy fields Telegram still accepts are
    counted in `legacy_fields` either way."""

    def __init__(self, *, token: str = "123456:TEST-TOKEN", bot_id: int = 123456,
                 username: str = "birge_test_bot", global_rate_limit: float | None = None,
                 clock: Callable[[], float] = time.monotonic, strict: bool = True) -> None:
        super().__init__(token=token, bot_id=bot_id, username=username,
                         global_rate_limit=global_rate_limit, clock=clock)
        self.spec = load_spec()
        self.checker = RequestChecker(self.spec, strict=strict)
        self.base_url = ""
        self.users: dict[int, FakeUser] = {}
        self._injections: list[_Injection] = []
        self._in_flight = 0
        self._last_request_end = 0.0
        # What the bot side says about itself: True while it is busy (e.g. updates being
        # handled), so wait_idle does not take a slow handler's pause for the end.
        self.busy_probes: list[Callable[[], bool]] = []
        self._api = BotApi(self)
        self.webhook = WebhookDeliverer(self)  # posts updates once setWebhook has a URL
        self._runner: web.AppRunner | None = None

    # --- lifecycle ----------------------------------------------------------------------

    async def start(self) -> str:
        """Listen on a free port of 127.0.0.1; return the base URL."""
        app = web.Application()
        app.router.add_route("*", "/{path:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]  # the site has started: its server exists
        self.base_url = f"http://127.0.0.1:{port}"
        self.webhook.start()
        return self.base_url

    async def stop(self) -> None:
        """Answer parked long polls (empty) and shut the server down."""
        self.updates.close()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.stop()

    # --- the world ----------------------------------------------------------------------

    def user(self, user_id: int, first_name: str = "Test", last_name: str | None = None,
             username: str | None = None, language_code: str | None = "ru") -> FakeUser:
        """The simulated user `user_id` (created on first call; later calls return it)."""
        if user_id not in self.users:
            user = FakeUser(self, user_id, first_name, last_name, username, language_code)
            self.users[user_id] = user
            self.chats[user_id] = ChatState(user.chat_json)
        return self.users[user_id]

    def commands_for(self, scope: dict[str, Any] | None = None, language_code: str | None = None) -> list[dict[str, Any]]:
        """Commands set for exactly this scope and language (no fallback)."""
        return self.commands.get((scope_key(scope), language_code), [])

    def menu_seen_by(self, user_id: int, language_code: str | None = None) -> list[dict[str, Any]]:
        """The command menu a person sees in their private chat with the bot, found as
        Telegram does: the first list set among chat+language, chat, all private
        chats+language, all private chats, default+language, default. `language_code` is
        the Telegram app's language (default: the simulated user's)."""
        if language_code is None and user_id in self.users:
            language_code = self.users[user_id].language_code
        language = (language_code or "").split("-")[0].lower() or None
        for scope in ({"type": "chat", "chat_id": user_id}, {"type": "all_private_chats"}, {"type": "default"}):
            for code in ((language, None) if language else (None,)):
                commands = self.commands.get((scope_key(scope), code))
                if commands:
                    return commands
        return []

    # --- test controls ------------------------------------------------------------------

    def inject(self, method: str, *, chat_id: int | None = None, error_code: int,
               description: str | None = None, retry_after: int | None = None, times: int = 1) -> None:
        """Make the next `times` calls of `method` (to `chat_id`, or any chat) fail as
        Telegram would; the description defaults to Telegram's wording for the code."""
        self._injections.append(_Injection(method.lower(), chat_id, injected(error_code, description, retry_after), times))

    async def wait_idle(self, timeout: float = WAIT) -> None:
        """Return once every update was fetched and confirmed, no bot request is in flight
        (long polls aside), none arrived for 50 ms and no busy probe says the bot is still
        at work: "nothing else happens"."""
        loop = asyncio.get_running_loop()

        def idle() -> bool | None:
            quiet = loop.time() - self._last_request_end >= _QUIET_SECONDS
            working = any(probe() for probe in self.busy_probes)
            return True if self.updates.settled and not self._in_flight and quiet and not working else None

        deadline = loop.time() + timeout
        while idle() is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"The bot was still busy after {timeout} s "
                                   f"(updates settled: {self.updates.settled}, requests in flight: {self._in_flight})")
            await self.notifier.wait_until(idle, min(remaining, _QUIET_SECONDS))

    # --- HTTP ---------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = request.match_info["path"]
        prefix, _, rest = path.partition("/")
        if prefix == "file":
            return self._serve_file(rest)
        if not prefix.startswith("bot") or not rest:
            return self._reply(ApiError(404, "Not Found"))
        method_name = rest
        raw, files = await _read_params(request)
        call = Call(method_name, raw, self.clock())
        self.calls.append(call)
        long_poll = method_name.lower() == "getupdates"
        self._in_flight += not long_poll
        try:
            try:
                result = await self._dispatch(prefix.removeprefix("bot"), method_name, raw, files, call)
            except (TypeError, ValueError, KeyError) as bug:  # malformed params or a gap in the fake: loud
                raise ApiError(500, f"Internal Server Error: the fake failed on {method_name}: {bug!r}") from bug
        except ApiError as error:
            if long_poll and error.error_code == 409 and _client_gone(request):
                # A newer poll ended one whose bot had already stopped (a restart): nobody
                # reads this answer, so it is not a refusal the bot received.
                return web.json_response({"ok": True, "result": []})
            call.ok, call.error_code, call.description = False, error.error_code, error.description
            self.stats.rejected += 1
            self.stats.rate_limited += int(error.error_code == 429)
            return self._reply(error)
        finally:
            self._in_flight -= not long_poll
            if not long_poll:
                self._last_request_end = asyncio.get_running_loop().time()
            self.notifier.notify()
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, token: str, method_name: str, raw: dict[str, Any], files: dict[str, UploadedFile],
                        call: Call) -> Any:
        name = self.spec.method_name(method_name)
        call.method = name or method_name
        try:
            checked = self._check(token, name, raw)
        except ApiError:
            call.params = self.checker.decode_leniently(name, raw)  # as well as it reads, for the record
            raise
        call.params = checked.params
        self.legacy_fields.update(checked.legacy)
        self.unknown_fields.update(checked.unknown)
        self._raise_injected(checked.method, checked.params)
        params = resolve_attachments(checked.params, files)
        return await self._api.handlers[checked.method.lower()][1](params)

    def _check(self, token: str, name: str | None, raw: dict[str, Any]) -> Checked:
        """The request as Telegram's server vets it: the token, the method, the parameters."""
        if token != self.token:
            raise ApiError(401, "Unauthorized")
        if name is None:
            raise ApiError(404, "Not Found")
        if name.lower() not in self._api.handlers:  # a real method the emulator lacks: as loud
            raise ApiError(404, f"Not Found: the emulator does not serve {name}")
        return self.checker.check(name, raw)

    def _raise_injected(self, method: str, params: dict[str, Any]) -> None:
        for injection in self._injections:
            if injection.method != method.lower():
                continue
            if injection.chat_id is not None and str(params.get("chat_id")) != str(injection.chat_id):
                continue
            injection.times -= 1
            if injection.times <= 0:
                self._injections.remove(injection)
            raise injection.error

    def _serve_file(self, rest: str) -> web.StreamResponse:
        token, _, file_path = rest.partition("/")
        stored = next((f for f in self.files.values() if f.file_path == file_path), None)
        if token != f"bot{self.token}" or stored is None:
            return web.Response(status=404, text="Not Found")
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    @staticmethod
    def _reply(error: ApiError) -> web.Response:
        return web.json_response(error.payload(), status=error.error_code)


def _client_gone(request: web.Request) -> bool:
    transport = request.transport
    return transport is None or transport.is_closing()


async def _read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    """Parameters as they came over the wire: form fields (urlencoded or multipart, or a
    query string) as text, files as `UploadedFile` (`attach://<name>` resolved, as aiogram
    sends them). A JSON body is read as the Bot API server reads it: every value as text,
    objects and arrays as their JSON. Second: the files named inside a JSON value (an
    album's `"media": "attach://<name>"`), resolved once the request is checked."""
    if request.content_type == "application/json":
        body = await request.json()
        if not isinstance(body, dict):
            return {}, {}
        return {key: value if isinstance(value, str) else json.dumps(value)
                for key, value in body.items() if value is not None}, {}  # null: not given
    form: dict[str, Any] = dict(request.query)
    if request.method == "POST":
        form.update(await request.post())
    uploads = {key: value for key, value in form.items() if isinstance(value, web.FileField)}
    attached = {value[9:] for value in form.values() if isinstance(value, str) and value.startswith("attach://")}
    # Files named inside a JSON value: never parameters themselves.
    nested = {key for key in uploads if key not in attached
              and any(isinstance(value, str) and f'"attach://{key}"' in value for value in form.values())}
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    for key, value in form.items():
        if key in nested:
            files[key] = _uploaded(value)
            continue
        if key in attached and key in uploads:
            continue
        if isinstance(value, web.FileField):
            params[key] = _uploaded(value)
        elif value.startswith("attach://") and value[9:] in uploads:
            params[key] = _uploaded(uploads[value[9:]])
        else:
            params[key] = value
    return params, files


def resolve_attachments(value: Any, files: dict[str, UploadedFile]) -> Any:
    """`value` with every nested "attach://<name>" string replaced by that uploaded file
    (a name not uploaded stays a string, refused by the method as a bad file id)."""
    if not files:
        return value
    if isinstance(value, dict):
        return {key: resolve_attachments(item, files) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_attachments(item, files) for item in value]
    if isinstance(value, str) and value.startswith("attach://") and value[9:] in files:
        return files[value[9:]]
    return value


def _uploaded(upload: web.FileField) -> UploadedFile:
    return UploadedFile("", "", upload.filename, upload.content_type, upload.file.read())
