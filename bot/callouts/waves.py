"""Who gets each wave of a call-out (rules in bot/domain/callouts.py):

    1  the region's volunteers whose directions include emergencies
    2  the region's other volunteers
    3  the volunteers of the neighbouring regions

always 18 or older, registered, active, with every required skill, not invited to the
call-out yet; best match first (relevant skills, then how near they are, then
reliability: bot/domain/nearness.py; where the call-out is: `site_of`). At night
(23:00-07:00 local) only those who chose "any time for emergencies" are included unless
the call-out wakes everyone; the others are counted, so the coordinator sees what
widening adds."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from bot.domain.callouts import CALLOUT_MIN_AGE, LAST_WAVE
from bot.domain.eligibility import EMERGENCY_DIRECTION, USEFUL_SKILLS, Candidate, reliability
from bot.domain.emergencies import is_night, neighbours_of
from bot.domain.gazetteer import City, Gazetteer, gazetteer
from bot.domain.nearness import Site, home_of, locate, rank_by_nearness
from storage.db import Database
from storage.repositories.callout_recipients import CalloutRecipientRepository, RecipientQuery

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


@dataclass(frozen=True, slots=True)
class WavePlan:
    wave: int
    recipients: list[Candidate] = field(default_factory=list)  # in the order of sending
    asleep: int = 0  # left out: night, and they did not choose "any time for emergencies"


class WaveFinder:
    def __init__(self, db: Database, tz: ZoneInfo, places: Gazetteer | None = None) -> None:
        self.db = db
        self.tz = tz
        self.places = places or gazetteer()

    def site_of(self, region: str, place: str | None, latitude: float | None, longitude: float | None) -> Site | None:
        """Where the call-out is: its pin, a city named in its place, or the region's centre."""
        return locate(region, place, latitude, longitude, self.places)

    def regions_of(self, region: str, wave: int) -> list[str]:
        return neighbours_of(region) if wave == LAST_WAVE else [region]

    async def plan(self, *, callout_id: int | None, region: str, wave: int, required_skills: list[str],
                   now: datetime, wake_at_night: bool, site: Site | None = None) -> WavePlan:
        query = RecipientQuery(
            callout_id=callout_id, regions=self.regions_of(region, wave),
            max_birth_year=now.astimezone(self.tz).year - CALLOUT_MIN_AGE, required_skills=required_skills,
            relevant_skills=sorted(set(required_skills) | USEFUL_SKILLS[EMERGENCY_DIRECTION]),
            emergency_direction={1: True, 2: False}.get(wave),
        )
        async with self.db.read() as session:
            rows = await CalloutRecipientRepository(session).recipients(query, now)
        night = is_night(now, self.tz) and not wake_at_night
        awake = [row for row in rows if not night or row.any_time]
        candidates = [
            Candidate(volunteer_id=row.id, telegram_id=row.telegram_id, locale=row.locale,
                      skill_score=row.skill_score, reliability=reliability(row.attended, row.no_show),
                      offers_last_week=0, last_active=_EPOCH)
            for row in awake
        ]
        places: dict[tuple[str | None, str | None], City | None] = {}  # (city, region) typed alike by many
        homes = {}
        for row in awake:
            typed = (row.city, row.region)
            if typed not in places:
                places[typed] = home_of(row.city, row.region, self.places)
            homes[row.id] = places[typed]
        return WavePlan(wave=wave, recipients=rank_by_nearness(candidates, homes, site), asleep=len(rows) - len(awake))

    async def preview(self, *, region: str, required_skills: list[str], now: datetime,
                      wake_at_night: bool, site: Site | None = None) -> list[WavePlan]:
        """The three waves as they would go out now (for the coordinator's preview)."""
        return [await self.plan(callout_id=None, region=region, wave=wave, required_skills=required_skills, now=now,
                                wake_at_night=wake_at_night, site=site)
                for wave in range(1, LAST_WAVE + 1)]
