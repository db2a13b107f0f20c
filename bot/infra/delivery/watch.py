"""The sender's view of the broadcasts it works on: what each is about, which may just
have finished, and the events it publishes about them.

- Subjects are read once per broadcast, in the transaction that claims its first rows,
  and kept until the broadcast completes, so every event carries its subject at no
  cost per message.
- A broadcast is "touched" when one of its messages reaches an end (or it was queued or
  had messages withdrawn); the sender's next claim transaction completes the touched
  ones that have no open message left (one conditional UPDATE: once each, however many
  look), and BroadcastFinished is published after that commit.
- Events are published only after the transaction that recorded them has committed, in
  the order of those commits; a broadcast's BroadcastFinished follows the events of all
  its messages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Protocol

from bot.domain.subjects import Subject
from bot.infra.clock import Clock
from bot.infra.delivery.events import (
    BroadcastFinished,
    DeliveryEvent,
    MessageFailed,
    MessageRetrying,
    MessageSent,
    RecipientUnreachable,
)
from storage.repositories.deliveries import DeliveryRepository, QueuedMessage, RowRef


class Row(Protocol):
    """A claimed row (QueuedMessage) or a reference to one (RowRef)."""

    @property
    def id(self) -> int: ...
    @property
    def broadcast_id(self) -> int | None: ...
    @property
    def chat_id(self) -> int: ...
    @property
    def volunteer_id(self) -> int | None: ...


class BroadcastWatch:
    def __init__(self, clock: Clock, publish: Callable[[DeliveryEvent], None],
                 on_touch: Callable[[int], None] | None = None) -> None:
        self.clock = clock
        self.publish = publish
        self._on_touch = on_touch or (lambda broadcast_id: None)
        self._subjects: dict[int, Subject | None] = {}
        self._touched: set[int] = set()

    # -- subjects -------------------------------------------------------------------------

    def subject(self, broadcast_id: int | None) -> Subject | None:
        return None if broadcast_id is None else self._subjects.get(broadcast_id)

    async def learn(self, repo: DeliveryRepository, broadcast_ids: Iterable[int | None]) -> None:
        """Read the subjects of broadcasts not seen yet (inside the caller's transaction)."""
        unknown = {each for each in broadcast_ids if each is not None and each not in self._subjects}
        if unknown:
            self._subjects.update(await repo.subjects_of(unknown))

    # -- completion -------------------------------------------------------------------------

    def touch(self, broadcast_id: int | None) -> None:
        """Something changed in this broadcast: its progress, and maybe it has finished."""
        if broadcast_id is not None:
            self._touched.add(broadcast_id)
            self._on_touch(broadcast_id)

    def take_touched(self) -> set[int]:
        """The broadcasts to look at in the next transaction (give them back with
        `untake` if it fails)."""
        touched, self._touched = self._touched, set()
        return touched

    def untake(self, broadcast_ids: set[int]) -> None:
        self._touched |= broadcast_ids

    async def complete(self, repo: DeliveryRepository, broadcast_ids: Iterable[int] | None) -> list[BroadcastFinished]:
        """Complete those of these broadcasts (all unfinished ones with None) that have no
        open message, inside the caller's transaction; returns the events to publish
        once it has committed."""
        now = self.clock.now()
        finished = []
        for completed in await repo.complete(now, broadcast_ids):
            finished.append(BroadcastFinished(broadcast_id=completed.id, subject=completed.subject, at=now,
                                              kind=completed.kind, counts=await repo.counts(completed.id)))
        return finished

    def finished(self, events: Iterable[BroadcastFinished]) -> None:
        """Publish (after the commit) and forget the broadcasts' subjects."""
        for each in events:
            self.publish(each)
            if each.broadcast_id is not None:
                self._subjects.pop(each.broadcast_id, None)

    # -- one message's end (each after its commit) ---------------------------------------------

    def sent(self, row: QueuedMessage, telegram_message_id: int, at: datetime) -> None:
        self.publish(MessageSent(broadcast_id=row.broadcast_id, subject=self.subject(row.broadcast_id), at=at,
                                 delivery_id=row.id, chat_id=row.chat_id, volunteer_id=row.volunteer_id,
                                 telegram_message_id=telegram_message_id))

    def retrying(self, row: QueuedMessage, reason: str, attempt: int, next_attempt_at: datetime) -> None:
        self.publish(MessageRetrying(broadcast_id=row.broadcast_id, subject=self.subject(row.broadcast_id),
                                     at=self.clock.now(), delivery_id=row.id, chat_id=row.chat_id,
                                     volunteer_id=row.volunteer_id, reason=reason, attempt=attempt,
                                     next_attempt_at=next_attempt_at))
        # Not an end: the progress (remaining, time left) is unchanged.

    def failed(self, row: Row, reason: str) -> None:
        self.publish(MessageFailed(broadcast_id=row.broadcast_id, subject=self.subject(row.broadcast_id),
                                   at=self.clock.now(), delivery_id=row.id, chat_id=row.chat_id,
                                   volunteer_id=row.volunteer_id, reason=reason))
        self.touch(row.broadcast_id)

    def unreachable(self, row: Row, reason: str, others: Iterable[RowRef]) -> None:
        """The row's chat is unreachable; so are `others`, the chat's other queued rows."""
        now = self.clock.now()
        for each in (row, *others):
            self.publish(RecipientUnreachable(broadcast_id=each.broadcast_id, subject=self.subject(each.broadcast_id),
                                              at=now, delivery_id=each.id, chat_id=each.chat_id,
                                              volunteer_id=each.volunteer_id, reason=reason))
            self.touch(each.broadcast_id)
