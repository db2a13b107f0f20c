"""Benchmark of the delivery engine against the fake Bot API enforcing a global limit L.

    python -m benchmarks.delivery_bench --limit 30               # the defaults against Telegram's 30/s
    python -m benchmarks.delivery_bench                          # L = 30 and L = 300, 10,000 recipients
    python -m benchmarks.delivery_bench --limit 300 --recipients 2000
    python -m benchmarks.delivery_bench --limit 30 --concurrency 2

For each L: a fresh SQLite database; one broadcast to N distinct chats (plus the
coordinator's progress message) enqueued in one transaction; the real sender with the
real aiogram Bot, built as the application builds it (build_bot, with the one limiter
for all outgoing traffic), drains it. The fake runs in its own process (as Telegram
would be elsewhere) with Telegram's limits: at most L messages in any sliding second
(above it, it answers 429) and about one a second per chat.

The engine runs at its defaults: SEND_RATE = L up to Telegram's 30 (its default is
30); above 30/s the paid-broadcast rate is L (allow_paid_broadcast), as it would have to
be on real Telegram. `--rate-factor` scales that rate for experiments.

Reported per L: throughput (delivered messages per second, first to last delivery, as the
fake saw them; must be >= 0.95 L), 429 answers as a share of sends (must be < 1%),
duplicates and losses (both must be 0), enqueue time, and the sender's own counters.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import sys
import tempfile
import time
from dataclasses import dataclass
from itertools import pairwise
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

COORDINATOR = 900_000_001
FIRST_CHAT = 1_000_000
TELEGRAM_RATE = 30.0


# --- the fake, in its own process ---------------------------------------------------------


def _fake_process(conn: Connection, limit: float, recipients: int) -> None:
    asyncio.run(_serve_fake(conn, limit, recipients))


async def _serve_fake(conn: Connection, limit: float, recipients: int) -> None:
    from emulator import FakeTelegram

    async with FakeTelegram() as fake:
        fake.enforce_telegram_limits(overall=limit)
        for offset in range(recipients):
            fake.user(FIRST_CHAT + offset)
        fake.user(COORDINATOR)
        conn.send({"base_url": fake.base_url, "token": fake.token})
        loop = asyncio.get_running_loop()
        while True:
            command = await loop.run_in_executor(None, conn.recv)
            if command == "stats":
                sends = [call for call in fake.calls_of("sendMessage")
                         if call.ok and int(call.params.get("chat_id", 0)) != COORDINATOR]
                conn.send({
                    "sent": dict(fake.stats.sent),
                    "rate_limited": fake.stats.rate_limited,
                    "rejected": fake.stats.rejected,
                    "send_calls": len(fake.calls_of("sendMessage")),
                    "edits": len(fake.calls_of("editMessageText")),
                    "progress_gap": min_gap([call.at for call in fake.calls
                                             if call.ok and call.method in ("sendMessage", "editMessageText")
                                             and int(call.params.get("chat_id", 0)) == COORDINATOR]),
                    "first": min((call.at for call in sends), default=0.0),
                    "last": max((call.at for call in sends), default=0.0),
                    "progress": fake.messages_in(COORDINATOR)[-1].text if fake.messages_in(COORDINATOR) else None,
                })
            elif command == "stop":
                conn.send("stopped")
                return


def min_gap(moments: list[float]) -> float | None:
    ordered = sorted(moments)
    return min((b - a for a, b in pairwise(ordered)), default=None)


def _seconds(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


# --- one run --------------------------------------------------------------------------------


@dataclass
class Result:
    limit: float
    rate: float
    concurrency: int
    recipients: int
    enqueue_seconds: float
    drain_seconds: float
    throughput: float
    sends: int
    rate_limited: int
    duplicates: int
    losses: int
    rejected_other: int
    progress_edits: int
    progress_gap: float | None  # s, the shortest time between two progress messages/edits
    final_progress: str | None

    @property
    def share_429(self) -> float:
        return self.rate_limited / self.sends if self.sends else 0.0

    @property
    def ok(self) -> bool:
        return (self.throughput >= 0.95 * self.limit and self.share_429 <= 0.01
                and self.duplicates == 0 and self.losses == 0)


async def run_once(limit: float, recipients: int, *, rate_factor: float, concurrency: int,
                   workdir: Path) -> Result:
    import dataclasses

    from bot.config import Settings
    from bot.domain.delivery import DeliveryLane
    from bot.infra.clock import Clock
    from bot.infra.delivery import DeliveryConfig, DeliveryService, OutgoingLimiter, OutgoingMessage
    from bot.infra.i18n import make_i18n
    from bot.infra.telegram_bot import build_bot
    from storage.db import Database
    from storage.migrate import upgrade

    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(target=_fake_process, args=(child, limit, recipients), daemon=True)
    process.start()
    loop = asyncio.get_running_loop()
    hello: dict[str, Any] = await loop.run_in_executor(None, parent.recv)

    db_path = workdir / f"delivery-{int(limit)}.db"
    for stale in workdir.glob(f"{db_path.name}*"):
        stale.unlink()
    db = Database(f"sqlite+aiosqlite:///{db_path}")
    await upgrade(db)
    rate = rate_factor * limit
    paid = limit > TELEGRAM_RATE
    settings = Settings(_env_file=None, bot_token=hello["token"], bot_api_url=hello["base_url"],  # type: ignore[call-arg]  # pydantic-settings' own argument
                        send_rate=min(rate, TELEGRAM_RATE), allow_paid_broadcast=paid,
                        paid_broadcast_rate=rate if paid else Settings.model_fields["paid_broadcast_rate"].default)
    config = dataclasses.replace(DeliveryConfig.from_settings(settings), concurrency=concurrency)
    gate = config.gate()
    service = DeliveryService(db, Clock(), make_i18n("en"), config, allow_paid_broadcast=paid, gate=gate)
    bot = build_bot(settings, OutgoingLimiter(gate))
    try:
        messages = [
            OutgoingMessage(FIRST_CHAT + offset, f"<b>Task</b> #{offset}: help at the food bank, Saturday 10:00")
            for offset in range(recipients)
        ]
        started = time.perf_counter()
        await service.enqueue_broadcast("bench", DeliveryLane.ROUTINE, COORDINATOR, messages,
                                        progress_chat_id=COORDINATOR, progress_locale="en", title="Benchmark")
        enqueued = time.perf_counter()
        sender = await service.start(bot)
        while sender.stats.sent + sender.stats.failed + sender.stats.unreachable < recipients:
            await asyncio.sleep(0.1)
        drained = time.perf_counter()
        await sender.wait_drained(timeout=30)  # the final progress edit
        await service.stop()
        parent.send("stats")
        stats: dict[str, Any] = await loop.run_in_executor(None, parent.recv)
        parent.send("stop")
        await loop.run_in_executor(None, parent.recv)
    finally:
        await bot.session.close()
        await db.close()
        process.join(timeout=5)
        if process.is_alive():
            process.kill()

    per_chat = {int(chat): count for chat, count in stats["sent"].items()}
    wanted = range(FIRST_CHAT, FIRST_CHAT + recipients)
    delivered = sum(1 for chat in wanted if per_chat.get(chat, 0) > 0)
    duplicates = sum(max(0, per_chat.get(chat, 0) - 1) for chat in wanted)
    span = stats["last"] - stats["first"]
    return Result(
        limit=limit, rate=rate, concurrency=concurrency, recipients=recipients,
        enqueue_seconds=enqueued - started, drain_seconds=drained - enqueued,
        throughput=(delivered - 1) / span if span > 0 else 0.0,
        sends=stats["send_calls"], rate_limited=stats["rate_limited"], duplicates=duplicates,
        losses=recipients - delivered, rejected_other=stats["rejected"] - stats["rate_limited"],
        progress_edits=stats["edits"], progress_gap=stats["progress_gap"], final_progress=stats["progress"],
    )


def print_table(results: list[Result]) -> None:
    header = (f"{'L/s':>6} {'rate/s':>7} {'conc':>4} {'recipients':>10} {'enqueue s':>9} {'drain s':>8} "
              f"{'msg/s':>7} {'x L':>5} {'sends':>6} {'429':>5} {'429 %':>6} {'dupl':>4} {'lost':>4} "
              f"{'edits':>5} {'min gap s':>9} {'ok':>3}")
    print(header)
    print("-" * len(header))
    for r in results:
        print(f"{r.limit:>6.0f} {r.rate:>7.1f} {r.concurrency:>4} {r.recipients:>10} {r.enqueue_seconds:>9.2f} "
              f"{r.drain_seconds:>8.1f} {r.throughput:>7.1f} {r.throughput / r.limit:>5.2f} {r.sends:>6} "
              f"{r.rate_limited:>5} {100 * r.share_429:>5.2f}% {r.duplicates:>4} {r.losses:>4} "
              f"{r.progress_edits:>5} {_seconds(r.progress_gap):>9} {'yes' if r.ok else 'NO':>3}")


async def main_async(args: argparse.Namespace) -> list[Result]:
    results = []
    with tempfile.TemporaryDirectory(prefix="birge-delivery-bench-") as tmp:
        for limit in args.limit:
            result = await run_once(limit, args.recipients, rate_factor=args.rate_factor,
                                    concurrency=args.concurrency, workdir=Path(tmp))
            results.append(result)
            print_table([result])
            print(flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.delivery_bench", description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=float, action="append",
                        help="the fake's global limit L per second (repeatable; default 30 and 300)")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate-factor", type=float, default=1.0,
                        help="engine rate as a share of L (default 1: SEND_RATE = L, the default at L = 30)")
    parser.add_argument("--concurrency", type=int, default=None,
                        help="messages in flight (default: SEND_CONCURRENCY's default)")
    args = parser.parse_args(argv)
    args.limit = args.limit or [30.0, 300.0]
    if args.concurrency is None:
        from bot.infra.delivery import DeliveryConfig

        args.concurrency = DeliveryConfig().concurrency
    results = asyncio.run(main_async(args))
    print("Summary")
    print_table(results)
    return 0 if all(result.ok for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
