"""Certificates of hours: issue one for a period (or give back the same one when the
figures have not changed), render it as a PDF, and verify a code.

The figures are FiguresRepository.approved in the period (local time): approved hours
of tasks starting in it and of call-outs checked in during it, and how many of those
tasks and call-outs; the level is the person's level (all time) when issued.
/delete_me erases the name on the person's certificates and voids them
(storage/repositories/volunteers.py)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum

from aiogram.utils.i18n import I18n

from bot.attendance.format import format_hours
from bot.certificates.pdf import CertificateSheet, render_pdf
from bot.domain.certificates import ALL_TIME, DEEP_LINK_PREFIX, PeriodChoice, new_code, period_for
from bot.domain.levels import LEVEL_BY_CODE, level_for
from bot.infra.clock import Clock
from bot.infra.i18n import LocalTime
from storage.db import Database
from storage.models import Certificate
from storage.repositories.certificates import CertificateRepository
from storage.repositories.figures import FiguresRepository
from storage.repositories.volunteers import VolunteerRepository

# Runs render_pdf(sheet) off the event loop (the charts' worker thread).
RunInThread = Callable[[Callable[[CertificateSheet], bytes], CertificateSheet], Awaitable[bytes]]


class IssueStatus(StrEnum):
    NOT_REGISTERED = "not_registered"
    NOTHING = "nothing"  # no approved hours in the period
    ISSUED = "issued"


@dataclass(frozen=True, slots=True)
class IssueResult:
    status: IssueStatus
    certificate: Certificate | None = None
    new: bool = False


class VerifyStatus(StrEnum):
    VALID = "valid"
    VOID = "void"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class VerifyResult:
    status: VerifyStatus
    certificate: Certificate | None = None


class CertificateService:
    def __init__(self, db: Database, clock: Clock, i18n: I18n, local_time: LocalTime, org_name: str,
                 run_in_thread: RunInThread | None = None) -> None:
        self.db = db
        self.clock = clock
        self.i18n = i18n
        self.local_time = local_time
        self.org_name = org_name
        self._run_in_thread = run_in_thread

    async def issue(self, telegram_id: int, choice: PeriodChoice, locale: str) -> IssueResult:
        now = self.clock.now()
        period = period_for(choice, self.local_time.local(now))
        async with self.db.session() as session:
            volunteer = await VolunteerRepository(session).by_telegram_id(telegram_id)
            if volunteer is None or not volunteer.is_registered or not volunteer.full_name:
                return IssueResult(IssueStatus.NOT_REGISTERED)
            repo, figures = CertificateRepository(session), FiguresRepository(session)
            found = await figures.approved(volunteer.id, period.since, period.until)
            hours, tasks = found.hours, found.done
            if hours <= 0:
                return IssueResult(IssueStatus.NOTHING)
            ever = await figures.approved(volunteer.id)
            level = level_for(ever.hours, ever.done).code
            same = await repo.same(volunteer.id, period.key, hours, tasks, level, volunteer.full_name)
            if same is not None:
                return IssueResult(IssueStatus.ISSUED, same, new=False)
            code = new_code()
            while await repo.exists(code):  # 60 random bits: practically never
                code = new_code()
            certificate = Certificate(code=code, volunteer_id=volunteer.id, period=period.key, hours=hours,
                                      tasks=tasks, level=level, full_name=volunteer.full_name, issued_at=now,
                                      locale=locale)
            await repo.add(certificate)
            return IssueResult(IssueStatus.ISSUED, certificate, new=True)

    async def verify(self, code: str) -> VerifyResult:
        async with self.db.read() as session:
            found = await CertificateRepository(session).by_code(code)
        if found is None:
            return VerifyResult(VerifyStatus.UNKNOWN)
        if found.voided_at is not None or not found.full_name:
            return VerifyResult(VerifyStatus.VOID, found)
        return VerifyResult(VerifyStatus.VALID, found)

    # -- texts --------------------------------------------------------------------------

    def link(self, bot_username: str, code: str) -> str:
        return f"https://t.me/{bot_username}?start={DEEP_LINK_PREFIX}{code}"

    def period_text(self, period: str, locale: str) -> str:
        return self._t("All time", locale) if period == ALL_TIME else period

    def level_name(self, code: str, locale: str) -> str:
        level = LEVEL_BY_CODE.get(code)
        return self._t(level.name, locale) if level is not None else code

    def facts(self, certificate: Certificate, locale: str) -> tuple[tuple[str, str], ...]:
        return (
            (self._t("Hours", locale), format_hours(certificate.hours, locale)),
            (self._t("Tasks and call-outs", locale), str(certificate.tasks)),
            (self._t("Period", locale), self.period_text(certificate.period, locale)),
            (self._t("Level", locale), self.level_name(certificate.level, locale)),
        )

    def sheet(self, certificate: Certificate, bot_username: str, locale: str) -> CertificateSheet:
        date = self.local_time.date(certificate.issued_at, locale)
        return CertificateSheet(
            title=self._t("Certificate of volunteer hours", locale),
            lead=self._t("This certifies that", locale),
            name=certificate.full_name or "",
            facts=tuple((label + ":", value) for label, value in self.facts(certificate, locale)),
            issued=self._t("Issued by {org} on {date}", locale).format(org=self.org_name, date=date),
            code_line=self._t("Certificate No. {code}", locale).format(code=certificate.code),
            check_line=self._t("To check it, scan the QR code or send /verify {code} to @{bot}.", locale).format(
                code=certificate.code, bot=bot_username),
            link=self.link(bot_username, certificate.code),
        )

    async def pdf(self, certificate: Certificate, bot_username: str, locale: str) -> bytes:
        """Rendered in the charts' worker thread when one is given (the event loop keeps answering)."""
        sheet = self.sheet(certificate, bot_username, locale)
        if self._run_in_thread is None:
            return render_pdf(sheet)
        return await self._run_in_thread(render_pdf, sheet)

    def _t(self, msgid: str, locale: str) -> str:
        return self.i18n.gettext(msgid, locale=locale)

