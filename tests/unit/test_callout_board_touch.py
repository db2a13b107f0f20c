"""The call-out board is redrawn from what is committed: a change made inside an update
(a coordinator's press, a volunteer's answer) touches the board only once the update's
unit of work commits, never if it rolls back; outside an update at once."""

from __future__ import annotations

from typing import cast

import pytest
from aiogram import Bot

from bot.callouts.board import BoardRenderer, BoardService
from storage.db import Database
from tests.support.clock import ManualClock
from tests.support.databases import TestDatabases


@pytest.fixture
async def db(databases: TestDatabases) -> Database:
    return await databases.open()


def recording_board(db: Database, clock: ManualClock) -> tuple[BoardService, list[int]]:
    boards = BoardService(db, cast(BoardRenderer, None), clock)  # nothing is rendered here
    boards.bot = cast(Bot, object())
    touched: list[int] = []
    boards._touch = touched.append  # type: ignore[method-assign,assignment]  # record the redraws instead of starting them
    return boards, touched


async def test_a_change_inside_an_update_redraws_after_its_commit(db: Database, clock: ManualClock) -> None:
    boards, touched = recording_board(db, clock)
    async with db.unit_of_work():
        async with db.session():
            pass  # the update has written: its transaction is open until the end
        boards.touch(7)
        assert touched == []  # a redraw now would read the board as it was
    assert touched == [7]

    with pytest.raises(RuntimeError):
        async with db.unit_of_work():
            async with db.session():
                boards.touch(8)
            raise RuntimeError("the update failed")
    assert touched == [7]  # rolled back: nothing changed, nothing to redraw

    async with db.unit_of_work():
        boards.touch(9)  # nothing written in this update: at once
    boards.touch(10)  # outside any update (the delivery engine's events): at once
    assert touched == [7, 9, 10]
