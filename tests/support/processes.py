"""Real `birge web` and `birge worker` processes against the fake Bot API, sharing one
SQLite file (WAL) and Redis, as several processes of one bot do in production."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from pathlib import Path

import aiohttp

from emulator import FakeTelegram

ROOT = Path(__file__).resolve().parents[2]
SECRET = "cluster-secret_0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Process:
    def __init__(self, name: str, process: asyncio.subprocess.Process, log: Path, port: int | None = None) -> None:
        self.name = name
        self.process = process
        self.log = log
        self.port = port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhook"

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)

    async def stop(self) -> int:
        """SIGTERM (SIGKILL after 15 s); the exit status."""
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 15)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode if self.process.returncode is not None else -1


class Cluster:
    """Starts processes of one bot; `stop()` ends them all."""

    def __init__(self, fake: FakeTelegram, tmp: Path, database_url: str, redis_url: str) -> None:
        self.fake = fake
        self.tmp = tmp
        self.public_url = f"http://127.0.0.1:{free_port()}/webhook"  # the proxy's: never posted to
        self.env = {key: value for key, value in os.environ.items()
                    if not key.startswith(("BOT_", "WEBHOOK_", "REDIS_", "FSM_", "DATABASE_", "ADMIN_", "SEND_"))}
        self.env.update(PYTHONPATH=str(ROOT), BOT_TOKEN=fake.token, BOT_API_URL=fake.base_url, DATABASE_URL=database_url,
                        REDIS_URL=redis_url, FSM_STORAGE="redis", WEBHOOK_URL=self.public_url, WEBHOOK_SECRET=SECRET,
                        WEBHOOK_HOST="127.0.0.1", DEFAULT_LOCALE="en", LOG_LEVEL="INFO")
        self.processes: list[Process] = []

    async def _spawn(self, name: str, command: str, **env: str) -> asyncio.subprocess.Process:
        log = open(self.tmp / f"{name}.log", "wb")  # noqa: SIM115 - the child writes it until it ends
        try:
            return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", command, cwd=self.tmp,
                                                        env={**self.env, **env}, stdout=log, stderr=log)
        finally:
            log.close()

    async def web(self, name: str) -> Process:
        port = free_port()
        process = Process(name, await self._spawn(name, "web", WEBHOOK_PORT=str(port)), self.tmp / f"{name}.log", port)
        self.processes.append(process)
        return process

    async def worker(self, name: str) -> Process:
        process = Process(name, await self._spawn(name, "worker"), self.tmp / f"{name}.log")
        self.processes.append(process)
        return process

    async def wait_healthy(self, process: Process, timeout: float = 120) -> None:
        async with aiohttp.ClientSession() as session, asyncio.timeout(timeout):
            while True:
                assert process.process.returncode is None, process.output()
                try:
                    async with session.get(f"http://127.0.0.1:{process.port}/health") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)

    async def wait_log(self, process: Process, text: str, timeout: float = 120) -> None:
        async with asyncio.timeout(timeout):
            while text not in process.output():
                assert process.process.returncode is None, process.output()
                await asyncio.sleep(0.05)

    async def stop(self) -> None:
        await asyncio.gather(*(process.stop() for process in self.processes))
