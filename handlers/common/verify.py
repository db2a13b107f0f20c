"""Checking a certificate of hours: `/verify C-7KQ4-9WXM-3PRT`, or the QR code's deep
link `/start cert_<code>`. Anyone may check, registered or not; the answer is in their
language: valid (to whom, hours, tasks, period, issued on, by), no longer valid (the
volunteer deleted their data), or not found (a forged or mistyped code)."""

from __future__ import annotations

from aiogram import F, Router, html
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.certificates import CertificateService, VerifyStatus
from bot.domain.certificates import DEEP_LINK_PREFIX, code_from_deep_link, normalize_code
from bot.infra.i18n import LocalTime

SHOWN_CODE_LENGTH = 40


def usage_text() -> str:
    return _("Send /verify and the certificate's code, for example: /verify C-7KQ4-9WXM-3PRT")


async def verify_text(certificates: CertificateService, code: str | None, typed: str, local_time: LocalTime,
                      locale: str) -> str:
    if code is None:
        shown = html.quote(typed[:SHOWN_CODE_LENGTH])
        return "❌ " + _("No certificate with the code {code} was found.").format(code=shown)
    result = await certificates.verify(code)
    certificate = result.certificate
    if result.status == VerifyStatus.UNKNOWN or certificate is None:
        return "❌ " + _("No certificate with the code {code} was found.").format(code=code)
    if result.status == VerifyStatus.VOID:
        return "⚠️ " + _("The certificate {code} is no longer valid: the volunteer's personal data has been "
                         "deleted.").format(code=code)
    lines = [
        "✅ " + _("The certificate {code} is valid.").format(code=code),
        "",
        _("Issued to: {name}").format(name=html.quote(certificate.full_name or "")),
    ]
    lines += [f"{label}: {value}" for label, value in certificates.facts(certificate, locale)]
    lines += [
        _("Issued on: {date}").format(date=local_time.date(certificate.issued_at, locale)),
        _("By: {org}").format(org=html.quote(certificates.org_name)),
    ]
    return "\n".join(lines)


async def verify_command(message: Message, command: CommandObject, certificates: CertificateService,
                         local_time: LocalTime, locale: str) -> None:
    typed = (command.args or "").strip()
    if not typed:
        await message.answer(usage_text())
        return
    await message.answer(await verify_text(certificates, normalize_code(typed), typed, local_time, locale))


async def verify_link(message: Message, command: CommandObject, certificates: CertificateService,
                      local_time: LocalTime, locale: str) -> None:
    payload = command.args or ""
    await message.answer(await verify_text(certificates, code_from_deep_link(payload),
                                           payload[len(DEEP_LINK_PREFIX):], local_time, locale))


def build_verify_router() -> Router:
    router = Router(name="verify")
    router.message.register(verify_link, CommandStart(deep_link=True, magic=F.args.startswith(DEEP_LINK_PREFIX)))
    router.message.register(verify_command, Command("verify"))
    return router
