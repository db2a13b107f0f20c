"""Benchmark of `birge web`: updates handled per second and the time from an update to its
reply, with 1 and with 3 web processes (real processes, one SQLite file in WAL, Redis).

    python -m benchmarks.webhook_bench                    # 1 and 3 processes, 600 updates each
    python -m benchmarks.webhook_bench --processes 3 --updates 1200
    python -m benchmarks.webhook_bench --rate 30       # a steady 30 updates a second: the reply time

The fake Bot API runs in this process and posts the updates to the web processes in turn
(as a reverse proxy spreads them), `--concurrency` at a time (Telegram's max_connections).
Every update is `/help` from a different person (one reply each). The outgoing limit is
lifted (ALLOW_PAID_BROADCAST=true, SEND_RATE=1000): with Telegram's 30 messages a second
for the token, replies, not processes, would be the bottleneck. Redis: REDIS_URL or
redis://127.0.0.1:6379/7 (flushed).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

from redis.asyncio import Redis

from emulator import FakeTelegram
from storage.db import Database
from storage.migrate import upgrade
from tests.support.processes import Cluster


async def run(processes: int, updates: int, concurrency: int, redis_url: str, rate: float) -> dict[str, float]:
    redis = Redis.from_url(redis_url)
    await redis.flushdb()
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite+aiosqlite:///{Path(tmp) / 'birge.db'}"
        db = Database(database_url)
        await upgrade(db)
        await db.close()
        async with FakeTelegram() as fake:
            cluster = Cluster(fake, Path(tmp), database_url, redis_url)
            cluster.env.update(ALLOW_PAID_BROADCAST="true", SEND_RATE="1000", LOG_LEVEL="WARNING",
                               WEBHOOK_MAX_CONNECTIONS=str(concurrency))
            try:
                webs = [await cluster.web(f"web{n}") for n in range(processes)]
                await asyncio.gather(*(cluster.wait_healthy(web, timeout=120) for web in webs))
                fake.webhook_targets = [web.url for web in webs]
                fake.webhook_max_connections = concurrency
                people = [fake.user(100_000 + n, language_code="en") for n in range(updates)]
                sent_at: dict[int, float] = {}
                started = time.monotonic()
                for n, person in enumerate(people):
                    if rate:  # a steady stream; without --rate all at once
                        await asyncio.sleep(max(0.0, started + n / rate - time.monotonic()))
                    sent_at[person.id] = time.monotonic()
                    await person.send_text("/help")
                async with asyncio.timeout(300):
                    while len(fake.calls_of("sendMessage")) < updates:
                        await asyncio.sleep(0.05)
                replied = {int(call.params["chat_id"]): call.at for call in fake.calls_of("sendMessage")}
                latencies = sorted(replied[person.id] - sent_at[person.id] for person in people)
                elapsed = max(replied.values()) - started
            finally:
                await cluster.stop()
    await redis.flushdb()
    await redis.aclose()
    return {"processes": processes, "updates_per_second": updates / elapsed,
            "p50_ms": statistics.median(latencies) * 1000, "p95_ms": latencies[int(0.95 * len(latencies)) - 1] * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--processes", type=int, action="append")
    parser.add_argument("--updates", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=40)
    parser.add_argument("--rate", type=float, default=0.0, help="updates a second (default: all at once)")
    args = parser.parse_args()
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/7")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for processes in args.processes or [1, 3]:
        result = asyncio.run(run(processes, args.updates, args.concurrency, redis_url, args.rate))
        print(f"{processes} web process(es): {result['updates_per_second']:.0f} updates/s, "
              f"p50 {result['p50_ms']:.0f} ms, p95 {result['p95_ms']:.0f} ms "
              f"({args.updates} updates, {'at ' + str(args.rate) + '/s' if args.rate else 'all at once'})")


if __name__ == "__main__":
    main()
