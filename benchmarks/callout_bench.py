"""Benchmark of a call-out while a routine broadcast is being sent (issue 7, §5).

    python -m benchmarks.callout_bench                    # L = 30, 10,000 volunteers, 500 answers
    python -m benchmarks.callout_bench --volunteers 2000 --answers 200

The fake Bot API runs in its own process with Telegram's limits (at most L messages in
any sliding second, about one a second per chat). The bot is the application as
`birge run` builds it (Application: the one limiter for all outgoing traffic, the
delivery engine, the board), on a fresh SQLite database with N matching volunteers
(emergencies among their directions, in one region, with cities typed in several ways). Then:

1. a routine broadcast of N messages (to other chats) is enqueued and starts sending;
2. the call-out is sent as Send does (`CalloutService.create`) and its board message shown;
   measured: the first call-out message as the fake saw it, after the call (target < 1 s),
   and the 1,000th (target <= 1000 / L + 5 s);
3. one volunteer answers "coming": the board (an edit of the coordinator's message as the
   fake saw it) shows it (target <= 5 s);
4. `--answers` volunteers answer within 10 s, evenly spread, alternately "coming" and
   "can't": every answer must be stored and the board must end with the exact counts.

Times on both sides are time.monotonic() (one clock for all processes on Linux)."""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

COORDINATOR = 900_000_001
FIRST_VOLUNTEER = 1_000_000
FIRST_ROUTINE = 3_000_000
REGION = "KZ-75"
# Cities as volunteers type them (the ranking resolves them through the gazetteer):
# known names in three scripts, a typo, a district, nothing at all, and every eleventh
# an address of its own (no two alike, so the lookup's cache does not help).
CITIES = ("Алматы", "Almaty", "г. Алматы", "Алма-Ата", "Каскелен", "Talgar", "Алматы, Медеуский район", "Алмты",
          "Qonaev", None)


def _city(n: int) -> str | None:
    return f"Алматы, мкр. Самал-{n}" if n % 11 == 10 else CITIES[n % len(CITIES)]


def _fake_process(conn: Connection, limit: float, volunteers: int) -> None:
    asyncio.run(_serve_fake(conn, limit, volunteers))


async def _serve_fake(conn: Connection, limit: float, volunteers: int) -> None:
    from emulator import FakeTelegram

    async with FakeTelegram() as fake:
        fake.enforce_telegram_limits(overall=limit)
        for offset in range(volunteers):
            fake.user(FIRST_VOLUNTEER + offset)
            fake.user(FIRST_ROUTINE + offset)
        fake.user(COORDINATOR)
        conn.send({"base_url": fake.base_url, "token": fake.token})
        loop = asyncio.get_running_loop()
        while True:
            command, arg = await loop.run_in_executor(None, conn.recv)
            if command == "callout_sends":  # moments of the call-out messages (volunteers' chats)
                conn.send(sorted(call.at for call in fake.calls_of("sendMessage")
                                 if call.ok and FIRST_VOLUNTEER <= int(call.params.get("chat_id", 0))
                                 < FIRST_VOLUNTEER + volunteers))
            elif command == "routine_sent":
                conn.send(sum(1 for call in fake.calls_of("sendMessage")
                              if call.ok and int(call.params.get("chat_id", 0)) >= FIRST_ROUTINE))
            elif command == "board_edit":  # the first edit of the board after `at` containing the needle
                needle, after = arg
                conn.send(next((call.at for call in fake.calls_of("editMessageText")
                                if call.ok and call.at >= after and needle in str(call.params.get("text", ""))),
                               None))
            elif command == "rate_limited":
                conn.send(fake.stats.rate_limited)
            elif command == "stop":
                conn.send("stopped")
                return


async def _ask(conn: Connection, command: str, arg: Any = None) -> Any:
    conn.send((command, arg))
    return await asyncio.get_running_loop().run_in_executor(None, conn.recv)


async def _seed(db: Any, volunteers: int) -> None:
    from datetime import datetime, timezone

    from sqlalchemy import insert

    from storage.models import Volunteer, VolunteerDirection

    now = datetime.now(timezone.utc)
    rows = [{"id": n + 1, "telegram_id": FIRST_VOLUNTEER + n, "full_name": f"Volunteer {n}",
             "phone": f"+7701{n:07d}", "birth_year": 1990, "region": REGION, "city": _city(n),
             "availability": ["weekdays", "evenings", "weekends", "emergency"], "locale": ("kk", "ru", "en")[n % 3],
             "consent_at": now, "status": "active", "source": "bot", "hours": 0.0, "created_at": now,
             "updated_at": now} for n in range(volunteers)]
    async with db.session() as session:
        await session.execute(insert(Volunteer), rows)
        await session.execute(insert(VolunteerDirection), [{"volunteer_id": n + 1, "code": "emergency"}
                                                           for n in range(volunteers)])


async def _wait(check: Any, timeout: float, every: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = await check()
        if value:
            return value
        await asyncio.sleep(every)
    return None


@dataclass
class Result:
    limit: float
    volunteers: int
    routine_before: int
    create_seconds: float
    first_out: float
    thousandth_out: float | None
    board_seconds: float | None
    answers: int
    stored: int
    board_exact: bool
    rate_limited: int

    @property
    def ok(self) -> bool:
        return (self.first_out < 1.0 and self.thousandth_out is not None
                and self.thousandth_out <= 1000 / self.limit + 5 and self.board_seconds is not None
                and self.board_seconds <= 5 and self.stored == self.answers and self.board_exact)


async def run_once(limit: float, volunteers: int, answers: int, workdir: Path) -> Result:
    from bot.app import Application
    from bot.callouts.drafts import CalloutDraft
    from bot.config import Settings
    from bot.domain.delivery import DeliveryLane
    from bot.infra.clock import Clock
    from bot.infra.delivery import OutgoingMessage
    from storage.db import Database
    from storage.migrate import upgrade

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_fake_process, args=(child, limit, volunteers), daemon=True)
    process.start()
    hello: dict[str, Any] = await asyncio.get_running_loop().run_in_executor(None, parent.recv)
    db_path = workdir / "callout.db"
    url = f"sqlite+aiosqlite:///{db_path}"
    seed_db = Database(url)
    await upgrade(seed_db)
    await _seed(seed_db, volunteers)
    await seed_db.close()
    paid = limit > 30
    settings = Settings(_env_file=None, bot_token=hello["token"], bot_api_url=hello["base_url"],  # type: ignore[call-arg]  # pydantic-settings' own argument
                        database_url=url, default_locale="en", send_rate=min(limit, 30.0), allow_paid_broadcast=paid,
                        paid_broadcast_rate=limit if paid else 1000)
    app = Application(settings, clock=Clock(), polling_timeout=1)
    await app.start()
    services = app.services
    assert services is not None and app.bot is not None
    try:
        await services.access.grant(COORDINATOR, "coordinator", region=REGION)
        routine = [OutgoingMessage(FIRST_ROUTINE + n, f"Routine news #{n}: the food bank needs help on Saturday")
                   for n in range(volunteers)]
        await services.delivery.enqueue_broadcast("news", DeliveryLane.ROUTINE, COORDINATOR, routine)
        await _wait(lambda: _ask(parent, "routine_sent"), 60)
        routine_before = await _ask(parent, "routine_sent")

        roles = await services.access.roles_of(COORDINATOR)
        draft = CalloutDraft(text="Sandbags at Sairan dam", region=REGION, needed=volunteers, wave_wait_minutes=30)
        pressed = time.monotonic()
        sent = await services.callouts.create(draft, COORDINATOR, "en", roles)
        created = time.monotonic()
        assert sent is not None
        rendered = await services.boards.render(sent.callout_id)
        assert rendered is not None
        shown = await app.bot.send_message(COORDINATOR, rendered[0], reply_markup=rendered[1])
        await services.boards.set_message(sent.callout_id, shown.message_id, rendered[0], rendered[1])

        async def thousand() -> list[float] | None:
            moments = await _ask(parent, "callout_sends")
            return moments if len(moments) >= min(1000, volunteers) else None

        first_sends = await _wait(lambda: _ask(parent, "callout_sends"), 10)
        first_out = first_sends[0] - pressed if first_sends else float("inf")
        moments = await _wait(thousand, 1000 / limit + 60, every=0.5)
        thousandth = moments[min(1000, volunteers) - 1] - pressed if moments else None

        one = FIRST_VOLUNTEER
        asked = time.monotonic()
        await services.callout_answers.answer(one, sent.callout_id, "go", 15)
        edit_at = await _wait(lambda: _ask(parent, "board_edit", ("Coming: 1 · ", asked)), 15)
        board_seconds = edit_at - asked if edit_at else None

        people = [FIRST_VOLUNTEER + 1 + n for n in range(answers)]

        async def answer(index: int, telegram_id: int) -> None:
            await asyncio.sleep(10 * index / max(answers, 1))
            await services.callout_answers.answer(telegram_id, sent.callout_id, "go" if index % 2 == 0 else "no", 30)

        await asyncio.gather(*(answer(i, tg) for i, tg in enumerate(people)))
        expected_coming = 1 + (answers + 1) // 2
        expected_declined = answers // 2
        stored = await services.boards.state(sent.callout_id)
        assert stored is not None
        stored_count = stored.counts.coming - 1 + stored.counts.declined
        needle = f"Coming: {expected_coming} · "
        final = await _wait(lambda: _ask(parent, "board_edit", (needle, asked)), 15)
        board_exact = final is not None and stored.counts.coming == expected_coming \
            and stored.counts.declined == expected_declined
        rate_limited = await _ask(parent, "rate_limited")
    finally:
        await app.stop()
        try:
            await _ask(parent, "stop")
        finally:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
    return Result(limit, volunteers, routine_before, created - pressed, first_out, thousandth, board_seconds,
                  answers, stored_count, board_exact, rate_limited)


def print_table(results: list[Result]) -> None:
    header = (f"{'L/s':>5} {'volunteers':>10} {'routine sent before':>19} {'create s':>8} {'first out s':>11} "
              f"{'1000th out s':>12} {'target':>6} {'board s':>7} {'answers':>7} {'stored':>6} {'exact':>5} "
              f"{'429':>4} {'ok':>3}")
    print(header)
    print("-" * len(header))
    for r in results:
        thousandth = "-" if r.thousandth_out is None else f"{r.thousandth_out:.1f}"
        board = "-" if r.board_seconds is None else f"{r.board_seconds:.2f}"
        print(f"{r.limit:>5.0f} {r.volunteers:>10} {r.routine_before:>19} {r.create_seconds:>8.2f} "
              f"{r.first_out:>11.2f} {thousandth:>12} {1000 / r.limit + 5:>6.1f} {board:>7} {r.answers:>7} "
              f"{r.stored:>6} {'yes' if r.board_exact else 'NO':>5} {r.rate_limited:>4} {'yes' if r.ok else 'NO':>3}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.callout_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=float, default=30.0)
    parser.add_argument("--volunteers", type=int, default=10_000)
    parser.add_argument("--answers", type=int, default=500)
    args = parser.parse_args(argv)

    async def run() -> Result:
        with tempfile.TemporaryDirectory(prefix="birge-callout-bench-") as tmp:
            return await run_once(args.limit, args.volunteers, args.answers, Path(tmp))

    result = asyncio.run(run())
    print_table([result])
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())


