"""The reconnection routers, in the order they are included (groups first: nothing else
answers in a group)."""

from __future__ import annotations

from aiogram import Router

from handlers.reconnection.calls import build_calls_router
from handlers.reconnection.coordinator import build_reconnection_coordinator_router
from handlers.reconnection.find import build_find_router
from handlers.reconnection.group import build_group_router
from handlers.reconnection.mine import build_mine_router
from handlers.reconnection.safe import build_safe_router


def build_group_routers() -> list[Router]:
    return [build_group_router()]


def build_reconnection_routers() -> list[Router]:
    return [build_find_router(), build_safe_router(), build_mine_router(), build_calls_router(),
            build_reconnection_coordinator_router()]
