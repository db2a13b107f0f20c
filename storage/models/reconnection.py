"""Family reconnection: requests to check on someone, the requesters' asks (reference
numbers), "I'm safe" reports, name matches offered to requesters, relay callers, the
folded name keys that find similar names, and "are you safe?" check-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.reconnection import CheckinAnswer, MatchStatus, RequestStatus, SafeSource
from storage.models.base import Base, EnumText, UtcDateTime


class ReconnectionRequest(Base):
    """One person to call. Phone and messages are erased (set to NULL) after retention."""

    __tablename__ = "reconnection_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)  # E.164; NULL once erased
    region: Mapped[str] = mapped_column(String(8))
    city: Mapped[str | None] = mapped_column(String(100))
    language: Mapped[str] = mapped_column(String(16))  # ISO 639-1: the language to speak to them
    elderly: Mapped[bool] = mapped_column(Boolean, default=False)
    medical: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[RequestStatus] = mapped_column(EnumText(RequestStatus, 16), default=RequestStatus.OPEN)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_call_at: Mapped[datetime] = mapped_column(UtcDateTime)
    claimed_by: Mapped[int | None] = mapped_column(BigInteger)  # the caller's Telegram id
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    first_claimed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    note: Mapped[str | None] = mapped_column(String(400))  # the person's message, from the caller
    safe_source: Mapped[SafeSource | None] = mapped_column(EnumText(SafeSource, 16))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (
        Index("ix_reconnection_requests_queue", "status", "next_call_at"),
        Index("ix_reconnection_requests_claims", "status", "claimed_until"),
        Index("ix_reconnection_requests_closed", "closed_at", "erased_at"),
    )


class ReconnectionAsk(Base):
    """One requester's ask: its id is the reference number (R-1000 + id)."""

    __tablename__ = "reconnection_asks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("reconnection_requests.id", ondelete="CASCADE"), index=True)
    requester_id: Mapped[int] = mapped_column(BigInteger, index=True)
    locale: Mapped[str] = mapped_column(String(8))
    relation: Mapped[str | None] = mapped_column(String(80))
    message: Mapped[str | None] = mapped_column(String(600))  # to pass on; NULL once erased
    group_chat_id: Mapped[int | None] = mapped_column(BigInteger)  # the group the deep link came from
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SafeReport(Base):
    """"I'm safe" from the person themselves."""

    __tablename__ = "safe_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reporter_id: Mapped[int] = mapped_column(BigInteger, index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    region: Mapped[str | None] = mapped_column(String(8))
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    message: Mapped[str | None] = mapped_column(String(600))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    erased_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SafeMatch(Base):
    """A safe report offered to a requester as a possible match (by name)."""

    __tablename__ = "safe_matches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ask_id: Mapped[int] = mapped_column(ForeignKey("reconnection_asks.id", ondelete="CASCADE"), index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("safe_reports.id", ondelete="CASCADE"), index=True)
    status: Mapped[MatchStatus] = mapped_column(EnumText(MatchStatus, 16), default=MatchStatus.OFFERED)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class NameWord(Base):
    """A record's folded name for searching (bot.domain.names.stored): its typed words
    ("w:aigul", "p:serik"; "1w:bekqaiyrov" when it is the name's only word). A search
    reads one index range per word it looks for."""

    __tablename__ = "reconnection_name_words"

    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # "request" | "safe"
    word: Mapped[str] = mapped_column(String(64), primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, primary_key=True)

    __table_args__ = (Index("ix_reconnection_name_words_record", "kind", "record_id"),)


class NameVocabulary(Base):
    """Every typed word ever stored, under each of its blocking keys (word_keys): which
    stored words may match a word searched for. Grows with distinct words, not records."""

    __tablename__ = "reconnection_name_vocabulary"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    word: Mapped[str] = mapped_column(String(64), primary_key=True)


class RelayCaller(Base):
    """A volunteer who opted in to make relay calls (languages: volunteer_languages)."""

    __tablename__ = "relay_callers"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    since: Mapped[datetime] = mapped_column(UtcDateTime)


class SafetyCheckin(Base):
    """One volunteer asked "are you safe?" in one round (round = the broadcast's subject)."""

    __tablename__ = "safety_checkins"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(Integer)
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    region: Mapped[str] = mapped_column(String(8))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime)
    answer: Mapped[CheckinAnswer | None] = mapped_column(EnumText(CheckinAnswer, 8))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_safety_checkins_round", "round_id", "volunteer_id", unique=True),)
