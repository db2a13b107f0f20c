"""Certificates of hours (README "Levels and certificates"): /certificate issues a PDF
for a period, /verify and the QR code's deep link check one."""

from bot.certificates.service import CertificateService, IssueResult, IssueStatus, VerifyResult, VerifyStatus

__all__ = ["CertificateService", "IssueResult", "IssueStatus", "VerifyResult", "VerifyStatus"]
