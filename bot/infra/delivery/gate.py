"""The gate every outgoing message passes: one queue of waiters over the shared RateLimits.

A waiter names its chat, its priority (lower first) and whether it may use a private
chat's burst. Whenever the limits allow one more message, the gate lets through the
most urgent waiter whose chat is free, records the send at that moment, and so never
lets two waiters share a slot. Within one chat nobody overtakes an earlier waiter of
the same or higher priority. Direct replies (someone is looking at the screen) come
first, then the delivery queue's lanes: emergency, personal, routine.

A 429 (`pause`) holds every waiter, direct or queued, until retry_after has passed.
"""

from __future__ import annotations

import asyncio
import bisect
import itertools
from dataclasses import dataclass, field

from bot.infra.delivery.limits import ChatKey, RateLimits

DIRECT = 0  # a handler's reply, the error handler's apology, a progress message


def queue_priority(lane: int) -> int:
    """A delivery lane's priority at the gate: after direct replies, in lane order."""
    return DIRECT + 1 + lane


@dataclass(eq=False)
class Ticket:
    """One message waiting for its moment; `future` is done once it may go."""

    priority: int
    order: int
    chat: ChatKey | None
    paid: bool
    burst: bool
    future: asyncio.Future[None] = field(repr=False)

    @property
    def granted(self) -> bool:
        return self.future.done() and not self.future.cancelled()


class SendGate:
    def __init__(self, limits: RateLimits) -> None:
        self.limits = limits
        self._waiting: list[Ticket] = []  # by (priority, order)
        self._order = itertools.count()
        self._timer: asyncio.TimerHandle | None = None
        self.granted = 0  # messages let through so far

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    async def acquire(self, chat: ChatKey | None, *, priority: int = DIRECT, paid: bool = False,
                      burst: bool = True) -> None:
        """Wait until one message may go into `chat`; on return it is counted as sent now."""
        ticket = self.enter(chat, priority=priority, paid=paid, burst=burst)
        try:
            await ticket.future
        except asyncio.CancelledError:
            self.leave(ticket)
            raise

    def enter(self, chat: ChatKey | None, *, priority: int, paid: bool = False, burst: bool = False) -> Ticket:
        """Queue a waiter without waiting (for callers that must be able to give way)."""
        ticket = Ticket(priority, next(self._order), chat, paid, burst,
                        asyncio.get_running_loop().create_future())
        bisect.insort(self._waiting, ticket, key=lambda t: (t.priority, t.order))
        self._pump()
        return ticket

    def leave(self, ticket: Ticket) -> bool:
        """Give up waiting. True if it left in time; False if it had already been let
        through (the slot is counted: the caller should send after all)."""
        if ticket in self._waiting:
            self._waiting.remove(ticket)
            ticket.future.cancel()
            self._pump()  # others of its chat may go now
            return True
        return not ticket.granted

    def pause(self, seconds: float) -> None:
        """A 429: nothing passes until `seconds` from now."""
        self.limits.pause(seconds)
        self._pump()

    def _pump(self) -> None:
        """Let through everyone who may go now; wake up again when the next one may."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        now = self.limits.time()
        next_wait = float("inf")
        held: set[ChatKey] = set()  # chats with an earlier waiter still waiting
        for ticket in list(self._waiting):
            if ticket.future.done():  # cancelled by its owner
                self._waiting.remove(ticket)
                continue
            if ticket.chat is not None and ticket.chat in held:
                continue
            wait = self.limits.wait(ticket.chat, paid=ticket.paid, burst=ticket.burst, now=now)
            if wait <= 0:
                self.limits.record(ticket.chat, paid=ticket.paid, now=now)
                self.granted += 1
                self._waiting.remove(ticket)
                ticket.future.set_result(None)
                continue
            next_wait = min(next_wait, wait)
            if ticket.chat is not None:
                held.add(ticket.chat)
        if self._waiting and next_wait < float("inf"):
            self._timer = asyncio.get_running_loop().call_later(next_wait, self._pump)
