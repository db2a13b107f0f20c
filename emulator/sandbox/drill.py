"""Drills: simulated volunteers who answer the buttons they receive, each by the odds set
on the page (accept, decline, ignore; "arrive" for buttons that say one has arrived),
after a random delay up to `max_delay` seconds, so a coordinator can rehearse a task or a
call-out against many people at Telegram's real limits.

Which button means what is not the emulator's knowledge: the composition root passes
`labels` (action -> the button texts that do it, in every language) and `etas` (the
texts of "coming" buttons that carry an arrival estimate -> its minutes; pressing one is
an "accept"). Someone who pressed an estimate presses "arrive" (if the odds say so) when
that estimate has passed: `minute` seconds per minute (60: real time; less to rehearse
faster).

Each decision draws from a generator seeded by the drill's seed, the person and the
message, so a drill with a given seed decides the same whatever order cards arrive in."""

from __future__ import annotations

import asyncio
import contextlib
import random
from collections.abc import Mapping
from typing import Any

from ..server import FakeTelegram
from ..state import FakeMessage
from .people import BadRequest

ACTIONS = ("accept", "decline", "ignore")
DEFAULT_ODDS = {"accept": 0.6, "decline": 0.25, "ignore": 0.15, "arrive": 0.8}
MAX_DELAY_LIMIT = 600.0
MINUTE_LIMIT = 60.0

Choice = tuple[str, int]  # a button's callback data, the minutes it promises (0: none)


class Drill:
    def __init__(self, fake: FakeTelegram, labels: Mapping[str, frozenset[str]] | None = None, *,
                 etas: Mapping[str, int] | None = None, seed: int | None = None) -> None:
        self.fake = fake
        self.labels = dict(labels or {})
        self.etas = dict(etas or {})
        self.odds = dict(DEFAULT_ODDS)
        self.max_delay = 5.0
        self.minute = MINUTE_LIMIT
        self.seed = random.randrange(2**32) if seed is None else seed
        self.people: set[int] = set()
        self.decided: dict[tuple[int, int], frozenset[tuple[str, Choice]]] = {}
        self.promised: dict[tuple[int, int], int] = {}  # (person, card) -> minutes of the estimate pressed
        self.cursor: dict[int, int] = {}  # person -> bot events of their chat already seen
        self.counts = {"accept": 0, "decline": 0, "ignore": 0, "arrive": 0}
        self.etas_chosen: dict[int, int] = {}  # minutes -> how many "coming" presses promised them
        self._task: asyncio.Task[None] | None = None
        self._stopping = False
        self._presses: set[asyncio.Task[None]] = set()

    def watch(self, person_id: int) -> None:
        self.people.add(person_id)

    @property
    def pressing(self) -> int:
        """Presses decided and not made yet."""
        return len(self._presses)

    def to_json(self) -> dict[str, Any]:
        return {"people": len(self.people), "odds": self.odds, "max_delay": self.max_delay, "minute": self.minute,
                "seed": self.seed, "counts": self.counts, "pressing": self.pressing,
                "etas": {str(minutes): count for minutes, count in sorted(self.etas_chosen.items())}}

    def configure(self, body: Any) -> None:
        """Set the odds and the delays from the page: {"odds": {...}, "max_delay": s, "minute": s}."""
        if not isinstance(body, dict):
            raise BadRequest('the body must be a JSON object such as {"odds": {"accept": 0.6}, "max_delay": 5}')
        odds = body.get("odds", {})
        if not isinstance(odds, dict) or any(key not in DEFAULT_ODDS for key in odds):
            raise BadRequest("odds must be an object with any of: " + ", ".join(DEFAULT_ODDS))
        for key, value in odds.items():
            if not _is_number(value) or not 0 <= value <= 1:
                raise BadRequest(f"odds.{key} must be a number from 0 to 1")
        delay = body.get("max_delay", self.max_delay)
        if not _is_number(delay) or not 0 <= delay <= MAX_DELAY_LIMIT:
            raise BadRequest(f"max_delay must be a number of seconds from 0 to {MAX_DELAY_LIMIT:g}")
        minute = body.get("minute", self.minute)
        if not _is_number(minute) or not 0 <= minute <= MINUTE_LIMIT:
            raise BadRequest(f"minute must be a number of seconds from 0 to {MINUTE_LIMIT:g} "
                             "(how long a minute of an arrival estimate lasts)")
        new = {**self.odds, **{key: float(value) for key, value in odds.items()}}
        if sum(new[action] for action in ACTIONS) <= 0:
            raise BadRequest("accept, decline and ignore cannot all be 0")
        self.odds, self.max_delay, self.minute = new, float(delay), float(minute)

    # --- running ------------------------------------------------------------------------

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        # A flag, not a cancel, ends the watcher: a cancel that meets a wake-up inside
        # asyncio.wait_for (Python 3.11) can be swallowed.
        self._stopping = True
        self.fake.notifier.notify()
        if self._task is not None:
            await self._task
        for task in list(self._presses):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._task = None
        self._presses.clear()

    async def _run(self) -> None:
        while not self._stopping:
            found = await self.fake.notifier.wait_until(
                lambda: True if self._stopping else self._pending(), 3600)
            if found is True:
                return
            if not isinstance(found, list):  # an hour with nothing to answer
                continue
            for person_id, message_id, buttons in found:
                self._decide(person_id, message_id, buttons)

    def _buttons(self, message: FakeMessage) -> dict[str, list[Choice]]:
        """The buttons the drill knows on a message, by action."""
        found: dict[str, list[Choice]] = {}
        for button in message.buttons():
            if "callback_data" not in button:
                continue
            text, data = button["text"], button["callback_data"]
            if text in self.etas:
                found.setdefault("accept", []).append((data, self.etas[text]))
            for action, texts in self.labels.items():
                if text in texts:
                    found.setdefault(action, []).append((data, 0))
        return found

    def _pending(self) -> list[tuple[int, int, dict[str, list[Choice]]]] | None:
        """New bot sends and edits to simulated people with buttons the drill knows (each
        chat's event log is read from where the last look stopped)."""
        found = []
        for person_id in self.people:
            chat = self.fake.chats.get(person_id)
            if chat is None or self.cursor.get(person_id, 0) >= len(chat.events):
                continue
            start, self.cursor[person_id] = self.cursor.get(person_id, 0), len(chat.events)
            for _, message in chat.events[start:]:
                if message.deleted:
                    continue
                buttons = self._buttons(message)
                key = (person_id, message.message_id)
                choice = frozenset((action, option) for action, options in buttons.items() for option in options)
                if buttons and self.decided.get(key) != choice:  # an edit with the same buttons: decided
                    self.decided[key] = choice
                    found.append((person_id, message.message_id, buttons))
        return found or None

    def _decide(self, person_id: int, message_id: int, buttons: dict[str, list[Choice]]) -> None:
        rng = random.Random(f"{self.seed}:{person_id}:{message_id}:{','.join(sorted(buttons))}")
        if "arrive" in buttons:
            action = "arrive" if rng.random() < self.odds["arrive"] else "ignore"
        else:
            action = rng.choices(ACTIONS, [self.odds[a] for a in ACTIONS])[0]
        self.counts[action] += 1
        if action == "ignore" or action not in buttons:
            return
        data, minutes = rng.choice(buttons[action])
        if action == "arrive" and (person_id, message_id) in self.promised:
            delay = self.promised.pop((person_id, message_id)) * self.minute  # when the estimate has passed
        else:
            delay = rng.uniform(0, self.max_delay)
        if minutes:
            self.promised[(person_id, message_id)] = minutes
            self.etas_chosen[minutes] = self.etas_chosen.get(minutes, 0) + 1
        task = asyncio.create_task(self._press(person_id, message_id, data, delay))
        self._presses.add(task)
        task.add_done_callback(self._pressed)

    def _pressed(self, task: asyncio.Task[None]) -> None:
        self._presses.discard(task)
        self.fake.notifier.notify()  # someone may wait for the drill to be done

    async def _press(self, person_id: int, message_id: int, data: str, delay: float) -> None:
        await asyncio.sleep(delay)
        message = self.fake.chat_state(person_id).messages.get(message_id)
        if message is not None and not message.deleted:
            await self.fake.users[person_id].press_data(data, message_id)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
