"""Benchmark of the relay callers' queue: 5,000 requests and 50 callers working it at
once (the issue asks: no request lost, none claimed twice, and the median time from
request to first call bounded by the callers' speed, not the bot's).

    python -m benchmarks.reconnection_bench                       # 5,000 requests, 50 callers, 200 ms calls
    python -m benchmarks.reconnection_bench --requests 1000 --callers 20 --call-ms 100

A temporary SQLite database gets the real schema (migrations); 50 registered volunteers
who make relay calls (all speak Russian, a third Kazakh too, spread over five regions).
The requests are made through `RequestService.create` (5 % of them for a phone already
asked about: merged), 80 % in Russian and 20 % in Kazakh, all at once, before the
callers start. Each caller is a coroutine that loops: `CallService.next_call` (the
claim, one conditional UPDATE), a simulated call of `--call-ms`, then
`CallService.report` with "safe", "needs help" or "wrong number" (each closes the
request: "no answer" would bring it back only 30 minutes later). The delivery engine
is not started: the messages to requesters are written to its queue (that cost is
counted), not sent.

Printed: requests and merges, claims, requests claimed twice (must be 0), requests
left open (must be 0), the bot's own time per claim and per report, and the time from
a request to its first call against the ideal the callers' speed allows (a request
in position k waits k / callers x call time).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot.domain.reconnection import Outcome, RequestStatus
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService
from bot.infra.i18n import LocalTime, make_i18n
from bot.reconnection.calls import CallService, Next
from bot.reconnection.matching import SafeMatcher
from bot.reconnection.notify import Notifier
from bot.reconnection.requests import Created, NewRequest, RequestService
from storage.db import Database
from storage.migrate import upgrade
from storage.models import ReconnectionRequest, RelayCaller, Volunteer

REGIONS = ("KZ-75", "KZ-71", "KZ-79", "KZ-35", "KZ-19")
NAMES = ("Айгүл Сейітова", "Нұрсұлтан Бекқайыров", "Жанар Омарова", "Ғалымжан Әлиев", "Шынар Хасанова",
         "Ivan Petrov", "Мария Иванова", "Ерлан Сәтбаев", "Дина Ахметова", "Бауыржан Момышұлы")


async def seed_callers(db: Database, count: int, now: datetime) -> list[int]:
    ids = []
    async with db.session() as session:
        for n in range(count):
            telegram_id = 5_000_000 + n
            volunteer = Volunteer(telegram_id=telegram_id, full_name=f"Caller {n}", phone=f"+7702{n:07d}",
                                  birth_year=1990, region=REGIONS[n % len(REGIONS)], locale="ru", consent_at=now,
                                  created_at=now, updated_at=now)
            volunteer.languages = ["ru", "kk"] if n % 3 == 0 else ["ru"]
            session.add(volunteer)
            await session.flush()
            session.add(RelayCaller(volunteer_id=volunteer.id, since=now))
            ids.append(telegram_id)
    return ids


async def run(requests_count: int, callers_count: int, call_ms: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as folder:
        db = Database(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
        await upgrade(db)
        clock = Clock()
        i18n = make_i18n("ru")
        notifier = Notifier(i18n, DeliveryService(db, clock, i18n))
        requests = RequestService(db, clock, notifier, SafeMatcher(clock, notifier, LocalTime(ZoneInfo("Asia/Almaty"))))
        calls = CallService(db, clock, i18n, notifier)
        callers = await seed_callers(db, callers_count, clock.now())

        started = time.perf_counter()
        merged = 0
        phones: list[str] = []
        for n in range(requests_count):
            if phones and rng.random() < 0.05:
                phone = rng.choice(phones)
            else:
                phone = f"+7701{n:07d}"
                phones.append(phone)
            result = await requests.create(6_000_000 + n, rng.choice(("ru", "kk", "en")), NewRequest(
                full_name=rng.choice(NAMES), phone=phone, region=rng.choice(REGIONS),
                language="kk" if rng.random() < 0.2 else "ru", elderly=rng.random() < 0.1,
                message="Позвоните, пожалуйста", relation="сын"))
            merged += result.outcome == Created.MERGED
        enqueue_s = time.perf_counter() - started

        claims: Counter[int] = Counter()
        claim_ms: list[float] = []
        report_ms: list[float] = []
        failed_reports = 0

        async def work(caller_id: int) -> None:
            nonlocal failed_reports
            while True:
                begin = time.perf_counter()
                call = await calls.next_call(caller_id)
                claim_ms.append((time.perf_counter() - begin) * 1000)
                if call.result == Next.EMPTY or call.request is None:
                    return
                claims[call.request.id] += 1
                await asyncio.sleep(call_ms / 1000)
                outcome = rng.choices((Outcome.SAFE, Outcome.NEEDS_HELP, Outcome.WRONG_NUMBER), (85, 10, 5))[0]
                begin = time.perf_counter()
                if await calls.report(call.request.id, caller_id, outcome) is None:
                    failed_reports += 1
                report_ms.append((time.perf_counter() - begin) * 1000)

        work_started = time.perf_counter()
        await asyncio.gather(*(work(caller_id) for caller_id in callers))
        work_s = time.perf_counter() - work_started

        async with db.sessionmaker() as session:
            rows = list(await session.scalars(select(ReconnectionRequest).order_by(ReconnectionRequest.created_at)))
        await db.close()

    left_open = [row.id for row in rows if row.status in (RequestStatus.OPEN, RequestStatus.CLAIMED)]
    twice = [request_id for request_id, count in claims.items() if count > 1]
    waits = sorted((row.first_claimed_at - row.created_at).total_seconds() for row in rows if row.first_claimed_at)
    # The requests were all made before the callers started: count from the start of the work.
    start = min(row.created_at for row in rows)
    offset = (datetime.fromtimestamp(time.time() - (time.perf_counter() - work_started), start.tzinfo) - start)
    from_work = sorted(max(0.0, wait - offset.total_seconds()) for wait in waits)
    ideal = sorted((k // callers_count) * call_ms / 1000 for k in range(len(rows)))

    def pct(values: list[float], share: float) -> float:
        return values[min(len(values) - 1, int(share * len(values)))] if values else float("nan")

    print(f"requests made: {requests_count} ({merged} merged into an open request: {len(rows)} to call), "
          f"{enqueue_s:.1f} s")
    print(f"callers: {callers_count}, simulated call: {call_ms} ms; all calls done in {work_s:.1f} s "
          f"(ideal {len(rows) / callers_count * call_ms / 1000:.1f} s)")
    print(f"claims: {sum(claims.values())}; requests claimed twice: {len(twice)}; reports refused: {failed_reports}; "
          f"requests left open: {len(left_open)}")
    print(f"bot time per claim (next_call): median {statistics.median(claim_ms):.1f} ms, "
          f"p95 {pct(sorted(claim_ms), 0.95):.1f} ms")
    print(f"bot time per report: median {statistics.median(report_ms):.1f} ms, p95 {pct(sorted(report_ms), 0.95):.1f} ms")
    print(f"request -> first call, from the moment callers start: median {statistics.median(from_work):.1f} s "
          f"(ideal {statistics.median(ideal):.1f} s), p95 {pct(from_work, 0.95):.1f} s "
          f"(ideal {pct(ideal, 0.95):.1f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--callers", type=int, default=50)
    parser.add_argument("--call-ms", type=int, default=200)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    asyncio.run(run(args.requests, args.callers, args.call_ms, args.seed))


if __name__ == "__main__":
    main()
