""""Are you safe?": a one-tap check-in of the volunteers of the affected regions
(TenFour-style), and what the coordinator sees: safe / needs help / no answer per region.

`ask_regions(regions)` is what emergency mode calls when an emergency opens (it is not
wired to emergencies here); each volunteer is asked once per round."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import I18n

from bot.domain.delivery import DeliveryLane
from bot.domain.reconnection import CheckinAnswer
from bot.domain.subjects import Subject, SubjectType
from bot.domain.texts import N_
from bot.infra.clock import Clock
from bot.infra.delivery import DeliveryService, OutgoingMessage
from bot.reconnection.buttons import CheckinCb
from storage.db import Database
from storage.repositories.checkins import CheckinRepository

QUESTION = N_("🛟 <b>Are you safe?</b> There is an emergency in your region. Please answer with one tap, so the "
              "coordinators know who is safe.")
SAFE_BUTTON = N_("✅ I am safe")
HELP_BUTTON = N_("🆘 I need help")


@dataclass(frozen=True, slots=True)
class RegionCount:
    region: str
    safe: int
    help: int
    no_answer: int


class SafetyCheckinService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, delivery: DeliveryService) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.delivery = delivery

    async def ask_regions(self, regions: Sequence[str], round_id: int | None = None) -> int:
        """Ask every volunteer of `regions` once (again with the same `round_id`: only
        those not asked yet); returns the round id."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = CheckinRepository(session)
            round_id = round_id or await repo.next_round()
            volunteers = await repo.volunteers_in(regions)
            checkins = await repo.add(round_id, volunteers, now)
            messages = []
            for volunteer in volunteers:
                if volunteer.id not in checkins or volunteer.telegram_id is None:
                    continue
                locale = volunteer.locale or self.i18n.default_locale
                checkin_id = checkins[volunteer.id]
                markup = InlineKeyboardMarkup(inline_keyboard=[[
                    InlineKeyboardButton(text=self.i18n.gettext(SAFE_BUTTON, locale=locale),
                                         callback_data=CheckinCb(checkin_id=checkin_id, answer="safe").pack()),
                    InlineKeyboardButton(text=self.i18n.gettext(HELP_BUTTON, locale=locale),
                                         callback_data=CheckinCb(checkin_id=checkin_id, answer="help").pack()),
                ]])
                messages.append(OutgoingMessage(volunteer.telegram_id, self.i18n.gettext(QUESTION, locale=locale),
                                                markup, volunteer.id))
            if messages:
                await self.delivery.add_broadcast(session, "safety_checkin", DeliveryLane.EMERGENCY, None, messages,
                                                  subject=Subject(SubjectType.SAFETY_CHECKIN, round_id))
                self.delivery.wake_after_commit(session, DeliveryLane.EMERGENCY)
            return round_id

    async def answer(self, checkin_id: int, telegram_id: int, answer: str) -> bool:
        try:
            value = CheckinAnswer(answer)
        except ValueError:
            return False
        async with self.db.session() as session:
            return await CheckinRepository(session).answer(checkin_id, telegram_id, value, self.clock.now())

    async def latest(self, regions: Sequence[str] | None) -> list[RegionCount]:
        """The last round's counts, for `regions` (None: all)."""
        async with self.db.read() as session:
            round_id = await CheckinRepository(session).next_round() - 1
        if round_id < 1:
            return []
        return [count for count in await self.summary(round_id) if regions is None or count.region in regions]

    async def summary(self, round_id: int) -> list[RegionCount]:
        async with self.db.read() as session:
            counts = await CheckinRepository(session).summary(round_id)
        return [RegionCount(region, by.get("safe", 0), by.get("help", 0), by.get(None, 0))
                for region, by in sorted(counts.items())]
