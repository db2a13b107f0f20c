"""Creating a call-out and sending its waves.

`create` writes the call-out, the first wave's best FIRST_CHUNK answer rows (invited)
and their messages in ONE transaction, then the rest of the wave in a second one (same
broadcast, topped up by its key), on the delivery engine's emergency lane: ahead of every other
message, never held for the quiet hours, never counted for the daily cap (those apply
to routine task offers only: bot/tasks/offers.py), with sound. A wave that finds nobody
is skipped for the next one at once. The next wave is due `wave_wait_minutes` later
(`next_wave_at`); the scheduler's job `advance_due` sends the due ones, and the
coordinator may send it at once (`next_wave`) or stop the waves. Taking a wave is a
conditional update of the call-out's wave number, so the job and a press racing for
the same wave send it once.

Whatever changes what the board shows calls `on_change(callout_id)` after its commit
(wired to the board in bot/app.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from aiogram.utils.i18n import I18n
from sqlalchemy.ext.asyncio import AsyncSession

from bot.access.roles import UserRoles
from bot.callouts.cards import CalloutCards, Card
from bot.callouts.drafts import CalloutDraft
from bot.callouts.waves import WaveFinder, WavePlan
from bot.domain.callouts import LAST_WAVE, CalloutStatus, wave_is_due
from bot.domain.delivery import DeliveryLane
from bot.domain.eligibility import Candidate
from bot.domain.nearness import Site
from bot.domain.subjects import Subject, SubjectType
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from storage.db import Database
from storage.models import Callout, Emergency
from storage.repositories.audit import AuditRepository
from storage.repositories.callouts import CalloutRepository
from storage.repositories.emergencies import EmergencyRepository

WAVE_KIND = "callout_wave"
# The best matches of a wave written (and sent) first, before the rest of the wave is
# written: the first message leaves as soon as these few rows commit.
FIRST_CHUNK = 200
REST_CHUNK = 1000


def callout_subject(callout_id: int) -> Subject:
    return Subject(SubjectType.CALLOUT, callout_id)


@dataclass(frozen=True, slots=True)
class WaveSent:
    callout_id: int
    wave: int  # the wave now sent (0: none was due or possible)
    queued: int
    asleep: int = 0


class CalloutService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, delivery: DeliveryService, finder: WaveFinder,
                 cards: CalloutCards, tz: ZoneInfo) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.delivery = delivery
        self.finder = finder
        self.cards = cards
        self.tz = tz
        self.on_change: Callable[[int], None] = lambda callout_id: None

    # --- reading --------------------------------------------------------------------------

    async def get(self, callout_id: int) -> Callout | None:
        async with self.db.read() as session:
            return await CalloutRepository(session).get(callout_id)

    async def live_in(self, regions: list[str] | frozenset[str]) -> list[Callout]:
        async with self.db.read() as session:
            return await CalloutRepository(session).live_in(regions)

    async def emergency_for(self, region: str) -> Emergency | None:
        """The active emergency covering `region` (the newest), if any."""
        async with self.db.read() as session:
            found = await EmergencyRepository(session).active_in([region])
        return found[-1] if found else None

    async def preview(self, draft: CalloutDraft) -> list[WavePlan]:
        assert draft.region is not None
        site = self.finder.site_of(draft.region, draft.place, draft.latitude, draft.longitude)
        return await self.finder.preview(region=draft.region, required_skills=list(draft.required_skills),
                                         now=self.clock.now(), wake_at_night=draft.wake_at_night, site=site)

    # --- sending --------------------------------------------------------------------------

    async def create(self, draft: CalloutDraft, coordinator_id: int, locale: str, roles: UserRoles) -> WaveSent | None:
        """Write the call-out and send its first wave. None if the region is not theirs
        (the refusal is audited)."""
        assert draft.region is not None and draft.text and draft.needed
        now = self.clock.now()
        if not roles.can_coordinate(draft.region):
            async with self.db.session() as session:
                AuditRepository(session).record(at=now, actor=coordinator_id, action="callout.create", allowed=False,
                                                target=draft.region)
            return None
        emergency = await self.emergency_for(draft.region)
        start = draft.start()
        site = self.finder.site_of(draft.region, draft.place, draft.latitude, draft.longitude)
        plans = await self._plans(None, draft.region, 0, list(draft.required_skills), now, draft.wake_at_night, site)
        async with self.db.session() as session:
            repo = CalloutRepository(session)
            callout = await repo.add(Callout(
                emergency_id=emergency.id if emergency else None, region=draft.region, text=draft.text,
                template=draft.template, place=draft.place, latitude=draft.latitude, longitude=draft.longitude,
                needed=draft.needed, starts_at=start if start and start > now else now,
                required_skills=list(draft.required_skills), status=CalloutStatus.OPEN, wave=0,
                wave_wait_minutes=draft.wave_wait_minutes, waves_stopped=False, wake_at_night=draft.wake_at_night,
                coordinator_telegram_id=coordinator_id, coordinator_locale=locale, created_at=now))
            sent, rest = await self._write_wave(session, callout, plans, now, emergency)
            AuditRepository(session).record(
                at=now, actor=coordinator_id, action="callout.create", allowed=True, target=str(callout.id),
                details={"region": callout.region, "needed": callout.needed, "wave": sent.wave, "queued": sent.queued,
                         "emergency": callout.emergency_id})
        await self._write_rest(rest)
        self.on_change(sent.callout_id)
        return sent

    async def next_wave(self, callout_id: int, actor: int | None = None) -> WaveSent:
        """Send the next wave now, if the call-out still needs people and has one left."""
        now = self.clock.now()
        async with self.db.read() as session:
            callout = await CalloutRepository(session).get(callout_id)
            counted = await CalloutRepository(session).counted(callout_id) if callout else 0
        if callout is None or not wave_is_due(callout.status, False, callout.wave, counted, callout.needed):
            return WaveSent(callout_id, 0, 0)
        emergency = await self.emergency_for(callout.region)
        site = self.finder.site_of(callout.region, callout.place, callout.latitude, callout.longitude)
        plans = await self._plans(callout_id, callout.region, callout.wave, list(callout.required_skills or ()), now,
                                  callout.wake_at_night, site)
        async with self.db.session() as session:
            fresh = await CalloutRepository(session).get(callout_id)
            assert fresh is not None
            sent, rest = await self._write_wave(session, fresh, plans, now, emergency, expected_wave=callout.wave)
            AuditRepository(session).record(at=now, actor=actor, action="callout.wave", allowed=True,
                                            target=str(callout_id), details={"wave": sent.wave, "queued": sent.queued})
        await self._write_rest(rest)
        self.on_change(callout_id)
        return sent

    async def advance_due(self) -> int:
        """The scheduler's job: send every wave whose time has come. Returns how many."""
        async with self.db.read() as session:
            due = await CalloutRepository(session).due_waves(self.clock.now())
        sent = 0
        for callout_id in due:
            if (await self.next_wave(callout_id)).wave:
                sent += 1
        return sent

    async def _plans(self, callout_id: int | None, region: str, after_wave: int, skills: list[str], now: datetime,
                     wake_at_night: bool, site: Site | None) -> list[WavePlan]:
        """The next wave that finds someone (and the empty ones skipped before it)."""
        plans = []
        for wave in range(after_wave + 1, LAST_WAVE + 1):
            plan = await self.finder.plan(callout_id=callout_id, region=region, wave=wave, required_skills=skills,
                                          now=now, wake_at_night=wake_at_night, site=site)
            plans.append(plan)
            if plan.recipients:
                break
        return plans

    async def _write_wave(self, session, callout: Callout, plans: list[WavePlan], now: datetime,  # noqa: ANN001
                          emergency: Emergency | None, expected_wave: int | None = None) -> tuple[WaveSent, _Rest]:
        """Take the wave and write its first FIRST_CHUNK recipients in the caller's
        transaction (sending starts when it commits); the rest is returned for
        `_write_rest`, a transaction of its own."""
        if not plans:
            return WaveSent(callout.id, 0, 0), _Rest()
        last = plans[-1]
        wave = last.wave
        more = wave < LAST_WAVE
        if expected_wave is not None:
            next_at = now + timedelta(minutes=callout.wave_wait_minutes) if more else None
            if not await CalloutRepository(session).take_wave(callout.id, expected_wave, wave, next_at):
                return WaveSent(callout.id, 0, 0), _Rest()
        else:
            callout.wave = wave
            callout.next_wave_at = now + timedelta(minutes=callout.wave_wait_minutes) if more else None
            await session.flush()
        notes = emergency.safety_notes if emergency else None
        name = emergency.name if emergency else None
        locales = {candidate.locale or self.i18n.default_locale for candidate in last.recipients}
        cards = {locale: self.cards.offer(callout, locale, emergency_name=name, safety_notes=notes)
                 for locale in locales}
        rest = _Rest(callout.id, wave, callout.coordinator_telegram_id, callout.text, now, cards,
                     last.recipients[FIRST_CHUNK:])
        await self._write_recipients(session, rest, last.recipients[:FIRST_CHUNK])
        return WaveSent(callout.id, wave, len(last.recipients), sum(plan.asleep for plan in plans)), rest

    async def _write_rest(self, rest: _Rest) -> None:
        """In transactions of REST_CHUNK, so the sender (which commits each message's
        status) never waits long for the database while a big wave is written."""
        for start in range(0, len(rest.recipients), REST_CHUNK):
            async with self.db.session() as session:
                await self._write_recipients(session, rest, rest.recipients[start:start + REST_CHUNK])

    async def _write_recipients(self, session: AsyncSession, rest: _Rest, recipients: list[Candidate]) -> None:
        if not recipients or rest.now is None:  # (now is set whenever there are recipients)
            return
        await CalloutRepository(session).add_invited(rest.callout_id, [c.volunteer_id for c in recipients],
                                                     rest.wave, rest.now)
        messages = []
        for candidate in recipients:
            card = rest.cards[candidate.locale or self.i18n.default_locale]
            messages.append(OutgoingMessage(candidate.telegram_id, card.text, card.markup, candidate.volunteer_id))
        # One broadcast per wave: the same key tops it up with the rest.
        await self.delivery.add_broadcast(
            session, WAVE_KIND, DeliveryLane.EMERGENCY, rest.coordinator_id, messages, title=rest.title,
            key=f"callout:{rest.callout_id}:wave:{rest.wave}", subject=callout_subject(rest.callout_id))
        self.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)


@dataclass(frozen=True, slots=True)
class _Rest:
    """The recipients of a wave not written with its first chunk."""

    callout_id: int = 0
    wave: int = 0
    coordinator_id: int = 0
    title: str = ""
    now: datetime | None = None
    cards: dict[str, Card] = field(default_factory=dict)
    recipients: list[Candidate] = field(default_factory=list)
