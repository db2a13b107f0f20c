"""Redis for the tests of several processes: the project's machines run one on
127.0.0.1:6379; these tests use database 7 (flushed before and after) and are skipped, with
one line saying why, where none answers. TEST_REDIS_URL names another."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/7")


async def redis_or_skip() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        await client.ping()
    except (RedisError, OSError):
        await client.aclose()
        pytest.skip(f"no Redis answers at {REDIS_URL} (set TEST_REDIS_URL): tests of several processes skipped")
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()
