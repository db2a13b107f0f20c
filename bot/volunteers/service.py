"""Volunteer registration, profile changes, pausing and erasure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from bot.domain.catalog import AVAILABILITY, DIRECTIONS, REGION_BY_CODE, SKILLS, keep_known
from bot.domain.languages import keep_languages
from bot.domain.volunteers import VolunteerSource, VolunteerStatus, pause_has_lapsed
from bot.infra.clock import Clock
from storage.db import Database
from storage.models import Volunteer
from storage.repositories.users import TelegramUserRepository
from storage.repositories.volunteers import VolunteerRepository
from storage.repositories.who import WhoRepository


class PhoneTakenError(Exception):
    """The phone number belongs to another Telegram account's registration."""


class NotRegisteredError(Exception):
    """The person has no (undeleted) registration."""


@dataclass(slots=True)
class Registration:
    """Everything the registration dialog collects (kept in FSM data until Confirm)."""

    full_name: str
    phone: str
    birth_year: int
    region: str
    locale: str
    city: str | None = None
    directions: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    availability: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # spoken, ISO 639-1
    guardian_consent: bool = False
    guardian_name: str | None = None  # with guardian_consent: who agreed
    guardian_phone: str | None = None  # E.164


@dataclass(frozen=True, slots=True)
class RegistrationResult:
    volunteer: Volunteer
    linked_to_import: bool


# List fields a volunteer may change in /profile, with how each value is cleaned.
EDITABLE_LISTS = {
    "directions": lambda codes: keep_known(codes, DIRECTIONS),
    "skills": lambda codes: keep_known(codes, SKILLS),
    "availability": lambda codes: keep_known(codes, AVAILABILITY),
    "languages": keep_languages,
}


class VolunteerService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db = db
        self.clock = clock

    async def get(self, telegram_id: int) -> Volunteer | None:
        """The person's registered profile (a lapsed pause is lifted on the way), or None.
        Reads only, unless a pause has lapsed."""
        async with self.db.read() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
        if volunteer is None or not volunteer.is_registered:
            return None
        if not pause_has_lapsed(volunteer.status, volunteer.paused_until, self.clock.now()):
            return volunteer
        async with self.db.session() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered:
                return None
            self._lift_lapsed_pause(volunteer)
            return volunteer

    async def is_registered(self, telegram_id: int) -> bool:
        return await self.get(telegram_id) is not None

    async def phone_taken_by_other(self, telegram_id: int, phone: str) -> bool:
        async with self.db.read() as session:
            owner = await VolunteerRepository(session).by_phone(phone)
        return owner is not None and owner.telegram_id is not None and owner.telegram_id != telegram_id

    async def register(self, telegram_id: int, data: Registration) -> RegistrationResult:
        """Create the volunteer, or complete a record imported from a spreadsheet with the
        same phone (or the same Telegram id) instead of creating a duplicate.

        Idempotent: confirming twice updates the same record.
        """
        now = self.clock.now()
        if data.region not in REGION_BY_CODE:
            raise ValueError(f"unknown region {data.region!r}")
        async with self.db.session() as session:
            repo = VolunteerRepository(session)
            by_phone = await repo.by_phone(data.phone)
            by_telegram = await repo.by_telegram_id(telegram_id)
            if by_phone is not None and by_phone.telegram_id not in (None, telegram_id):
                raise PhoneTakenError(data.phone)
            linked = False
            volunteer = by_telegram or by_phone
            if by_telegram is not None and by_phone is not None and by_telegram.id != by_phone.id:
                # An imported row with this phone and another row with this Telegram id:
                # keep the imported one (it may carry history) and retire the other.
                by_telegram.telegram_id = None
                await repo.flush()
                volunteer = by_phone
            if volunteer is None:
                volunteer = repo.add(Volunteer(created_at=now, source=VolunteerSource.BOT, status=VolunteerStatus.ACTIVE,
                                               hours=0.0))
            else:
                linked = volunteer.source == VolunteerSource.IMPORT and volunteer.consent_at is None
            volunteer.telegram_id = telegram_id
            volunteer.full_name = data.full_name
            volunteer.phone = data.phone
            volunteer.birth_year = data.birth_year
            volunteer.region = data.region
            volunteer.city = data.city
            volunteer.directions = keep_known(data.directions, DIRECTIONS)
            volunteer.skills = keep_known(data.skills, SKILLS)
            volunteer.availability = keep_known(data.availability, AVAILABILITY)
            volunteer.languages = keep_languages(data.languages)
            volunteer.locale = data.locale
            volunteer.consent_at = now
            volunteer.guardian_consent_at = now if data.guardian_consent else None
            volunteer.guardian_name = data.guardian_name if data.guardian_consent else None
            volunteer.guardian_phone = data.guardian_phone if data.guardian_consent else None
            volunteer.status = VolunteerStatus.ACTIVE
            volunteer.paused_until = None
            volunteer.deleted_at = None
            volunteer.updated_at = now
            await TelegramUserRepository(session).set_locale(telegram_id, data.locale, now)
            await repo.flush()
            return RegistrationResult(volunteer=volunteer, linked_to_import=linked)

    async def update(self, telegram_id: int, **changes: object) -> Volunteer:
        """Change profile fields. Lists are filtered to known codes; the phone must be free."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = VolunteerRepository(session)
            volunteer = await self._registered(repo, telegram_id)
            for name, value in changes.items():
                if name in EDITABLE_LISTS:
                    setattr(volunteer, name, EDITABLE_LISTS[name](list(value)))  # type: ignore[call-overload]  # list fields' values are lists (checked by the field specs)
                elif name == "phone":
                    owner = await repo.by_phone(str(value))
                    if owner is not None and owner.id != volunteer.id:
                        raise PhoneTakenError(str(value))
                    volunteer.phone = str(value)
                elif name == "region":
                    if value not in REGION_BY_CODE:
                        raise ValueError(f"unknown region {value!r}")
                    volunteer.region = str(value)
                elif name in ("full_name", "city", "birth_year", "locale", "guardian_name", "guardian_phone"):
                    setattr(volunteer, name, value)
                elif name == "guardian_consent":
                    volunteer.guardian_consent_at = now if value else None
                else:
                    raise ValueError(f"field {name!r} cannot be edited")
            volunteer.updated_at = now
            if "locale" in changes:
                await TelegramUserRepository(session).set_locale(telegram_id, str(changes["locale"]), now)
            await repo.flush()
            return volunteer

    async def pause(self, telegram_id: int, until: datetime | None) -> Volunteer:
        """Stop task offers until a moment (UTC), or until resumed when `until` is None."""
        return await self._set_status(telegram_id, VolunteerStatus.PAUSED, until)

    async def resume(self, telegram_id: int) -> Volunteer:
        return await self._set_status(telegram_id, VolunteerStatus.ACTIVE, None)

    async def delete(self, telegram_id: int) -> bool:
        """Erase personal data, keep anonymous figures; False if nothing was registered."""
        now = self.clock.now()
        async with self.db.session() as session:
            repo = VolunteerRepository(session)
            volunteer = await repo.by_telegram_id(telegram_id)
            if volunteer is None:
                return False
            await repo.erase_personal_data(volunteer, now)
            return True

    async def mark_unreachable(self, volunteer_id: int | None = None, telegram_id: int | None = None) -> bool:
        """Telegram refused delivery for good (blocked, deactivated, chat not found): an
        active volunteer becomes unreachable and gets no offers until they write again.
        A paused or deleted one keeps their status. True if the status changed."""
        async with self.db.session() as session:
            return await VolunteerRepository(session).change_status(
                volunteer_id=volunteer_id, telegram_id=telegram_id, from_status=VolunteerStatus.ACTIVE,
                to_status=VolunteerStatus.UNREACHABLE, now=self.clock.now())

    async def mark_reachable(self, telegram_id: int) -> bool:
        """The person wrote to the bot: unreachable -> active (paused, deleted: unchanged).
        Reads first, so the usual case (nothing to change) takes no write lock."""
        async with self.db.read() as session:
            status = (await WhoRepository(session).who(telegram_id)).status
        if status != VolunteerStatus.UNREACHABLE:
            return False
        async with self.db.session() as session:
            return await VolunteerRepository(session).change_status(
                telegram_id=telegram_id, from_status=VolunteerStatus.UNREACHABLE,
                to_status=VolunteerStatus.ACTIVE, now=self.clock.now())

    async def _set_status(self, telegram_id: int, status: VolunteerStatus, until: datetime | None) -> Volunteer:
        now = self.clock.now()
        async with self.db.session() as session:
            repo = VolunteerRepository(session)
            volunteer = await self._registered(repo, telegram_id)
            volunteer.status = status
            volunteer.paused_until = until
            volunteer.updated_at = now
            return volunteer

    async def _registered(self, repo: VolunteerRepository, telegram_id: int) -> Volunteer:
        volunteer = await repo.by_telegram_id(telegram_id)
        if volunteer is None or not volunteer.is_registered:
            raise NotRegisteredError(telegram_id)
        return volunteer

    def _lift_lapsed_pause(self, volunteer: Volunteer) -> None:
        if pause_has_lapsed(volunteer.status, volunteer.paused_until, self.clock.now()):
            volunteer.status = VolunteerStatus.ACTIVE
            volunteer.paused_until = None
            volunteer.updated_at = self.clock.now()
