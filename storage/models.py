"""Tables. Times are stored as UTC; `UtcDateTime` keeps them aware on every backend."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use aware UTC datetimes")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class VolunteerStatus:
    ACTIVE = "active"
    PAUSED = "paused"
    UNREACHABLE = "unreachable"
    DELETED = "deleted"


class TelegramUser(Base):
    """Anyone who has talked to the bot: their chosen interface language lives here,
    so it survives FSM resets and exists before (or without) registration."""

    __tablename__ = "telegram_users"

    telegram_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime)


class Volunteer(Base):
    __tablename__ = "volunteers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    full_name: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)  # E.164
    birth_year: Mapped[int | None] = mapped_column(Integer)
    region: Mapped[str | None] = mapped_column(String(8), index=True)  # ISO 3166-2:KZ
    city: Mapped[str | None] = mapped_column(String(100))
    availability: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str | None] = mapped_column(String(8))
    consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    guardian_consent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # A minor's parent or guardian who agreed (consent time above); phone in E.164.
    guardian_name: Mapped[str | None] = mapped_column(String(200))
    guardian_phone: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=VolunteerStatus.ACTIVE, index=True)
    paused_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    source: Mapped[str] = mapped_column(String(16), default="bot")  # bot | import
    hours: Mapped[float] = mapped_column(default=0.0)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    directions_rows: Mapped[list[VolunteerDirection]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerDirection.code"
    )
    skills_rows: Mapped[list[VolunteerSkill]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerSkill.code"
    )
    languages_rows: Mapped[list[VolunteerLanguage]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="VolunteerLanguage.code"
    )

    @property
    def directions(self) -> list[str]:
        """Codes sorted alphabetically; show them in catalog order with keep_known()."""
        return [row.code for row in self.directions_rows]

    @directions.setter
    def directions(self, codes: list[str]) -> None:
        self.directions_rows = [VolunteerDirection(code=code) for code in dict.fromkeys(codes)]

    @property
    def skills(self) -> list[str]:
        return [row.code for row in self.skills_rows]

    @skills.setter
    def skills(self, codes: list[str]) -> None:
        self.skills_rows = [VolunteerSkill(code=code) for code in dict.fromkeys(codes)]

    @property
    def languages(self) -> list[str]:
        """Spoken languages, ISO 639-1 codes sorted alphabetically (bot.domain.languages
        orders them for showing)."""
        return [row.code for row in self.languages_rows]

    @languages.setter
    def languages(self, codes: list[str]) -> None:
        self.languages_rows = [VolunteerLanguage(code=code) for code in dict.fromkeys(codes)]

    @property
    def is_registered(self) -> bool:
        """Has given consent through the bot and not deleted their data."""
        return self.consent_at is not None and self.status != VolunteerStatus.DELETED


class VolunteerDirection(Base):
    """One row per (volunteer, direction): matching filters on it with an index."""

    __tablename__ = "volunteer_directions"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    # A copy of volunteers.region kept by database triggers (migration 0004), never set by
    # code: "this direction in this region" is then one index range (matching).
    region: Mapped[str | None] = mapped_column(String(8))

    __table_args__ = (
        Index("ix_volunteer_directions_code", "code", "volunteer_id"),
        Index("ix_volunteer_directions_match", "code", "region", "volunteer_id"),
    )


class VolunteerSkill(Base):
    __tablename__ = "volunteer_skills"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(32), primary_key=True)

    __table_args__ = (Index("ix_volunteer_skills_code", "code", "volunteer_id"),)


class VolunteerLanguage(Base):
    """One row per (volunteer, spoken language): callers are chosen by language."""

    __tablename__ = "volunteer_languages"

    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(16), primary_key=True)  # ISO 639-1 where there is one

    __table_args__ = (Index("ix_volunteer_languages_code", "code", "volunteer_id"),)


class Role(Base):
    """A granted role. A coordinator has one row per region in scope."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[str] = mapped_column(String(16))  # admin | coordinator
    region: Mapped[str] = mapped_column(String(8), default="")  # "" for admin
    organisation: Mapped[str | None] = mapped_column(String(200))
    granted_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (UniqueConstraint("telegram_id", "role", "region", name="uq_roles_grant"),)


class Invite(Base):
    """A one-time deep-link code that makes whoever opens it a coordinator."""

    __tablename__ = "invites"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    region: Mapped[str] = mapped_column(String(8))
    organisation: Mapped[str | None] = mapped_column(String(200))
    created_by: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime)
    used_by: Mapped[int | None] = mapped_column(BigInteger)
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEntry(Base):
    """Privileged actions, allowed and refused."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    actor_telegram_id: Mapped[int | None] = mapped_column(BigInteger, index=True)
    action: Mapped[str] = mapped_column(String(64))
    allowed: Mapped[bool] = mapped_column(Boolean)
    target: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[dict] = mapped_column(JSON, default=dict)


class FsmRecord(Base):
    """aiogram FSM state and data per storage key, so dialogs survive restarts."""

    __tablename__ = "fsm_records"

    key: Mapped[str] = mapped_column(String(255), primary_key=True)
    state: Mapped[str | None] = mapped_column(String(255))
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)


class DeliveryStatus:
    """A queued message's life: queued -> sending -> sent | failed | unreachable.

    "sending" is committed before Telegram is called, so after a crash the rows still
    "sending" are exactly the ones that were in flight."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNREACHABLE = "unreachable"

    OPEN = (QUEUED, SENDING)


class DeliveryLane:
    """Priority lanes: the sender always takes the lowest number first."""

    EMERGENCY = 0
    PERSONAL = 1  # personal replies, reminders
    ROUTINE = 2  # routine broadcasts (task offers)


class DeliveryBroadcast(Base):
    """One "send this to many people" decision, with the coordinator's progress message."""

    __tablename__ = "delivery_broadcasts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Optional idempotency key (e.g. "task:42:offer"): a repeated confirm reuses the broadcast.
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    lane: Mapped[int] = mapped_column(Integer)
    created_by: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    total: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str | None] = mapped_column(String(200))
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_locale: Mapped[str | None] = mapped_column(String(8))
    progress_message_id: Mapped[int | None] = mapped_column(Integer)
    progress_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)


class DeliveryMessage(Base):
    """One message to one chat: the durable delivery queue the sender drains."""

    __tablename__ = "delivery_messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("delivery_broadcasts.id", ondelete="CASCADE"))
    # Optional idempotency key for single messages (e.g. "reminder:17:day-before").
    key: Mapped[str | None] = mapped_column(String(100), unique=True)
    lane: Mapped[int] = mapped_column(Integer)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("volunteers.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    reply_markup: Mapped[dict | None] = mapped_column(JSON)
    paid: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    telegram_message_id: Mapped[int | None] = mapped_column(Integer)
    error: Mapped[str | None] = mapped_column(String(300))

    __table_args__ = (
        UniqueConstraint("broadcast_id", "chat_id", name="uq_delivery_messages_broadcast_chat"),
        # The sender's pick: open rows in lane order, oldest first.
        Index("ix_delivery_messages_pick", "status", "lane", "id"),
        Index("ix_delivery_messages_broadcast_status", "broadcast_id", "status"),
    )


class TaskStatus:
    DRAFT = "draft"
    OPEN = "open"
    FULL = "full"
    CANCELLED = "cancelled"
    DONE = "done"


class Task(Base):
    """Something volunteers are needed for. Times are UTC; `taken` counts the slots held
    by sign-ups ("going" or "offered" to a promoted waitlister), so a slot is taken with
    one conditional UPDATE (taken < slots) and can never be oversold."""

    __tablename__ = "tasks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(32))
    region: Mapped[str] = mapped_column(String(8))
    place: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    slots: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
    required_skills: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_age: Mapped[int] = mapped_column(Integer, default=16)
    organisation: Mapped[str | None] = mapped_column(String(200))
    coordinator_telegram_id: Mapped[int] = mapped_column(BigInteger, index=True)
    status: Mapped[str] = mapped_column(String(16), default=TaskStatus.DRAFT)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (Index("ix_tasks_region_status_starts", "region", "status", "starts_at"),)


class SignupStatus:
    GOING = "going"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"  # promoted from the waitlist, holds a slot until confirmed or expired
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # a promoted waitlister who did not confirm in time
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    HOLDS_SLOT = (GOING, OFFERED)
    ACTIVE = (GOING, OFFERED, WAITLISTED)


class Signup(Base):
    """A volunteer's place on a task (or on its waitlist)."""

    __tablename__ = "signups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))
    offered_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime)

    __table_args__ = (
        UniqueConstraint("task_id", "volunteer_id", name="uq_signups_task_volunteer"),
        Index("ix_signups_task_status", "task_id", "status", "created_at"),
    )


class TaskOffer(Base):
    """A task card sent to a volunteer: who may press its buttons, the daily cap and
    fairness (fewer offers in the last week first) are decided from these rows."""

    __tablename__ = "task_offers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("volunteers.id", ondelete="CASCADE"))
    offered_at: Mapped[datetime] = mapped_column(UtcDateTime)
    response: Mapped[str | None] = mapped_column(String(16))  # going | declined | waitlisted

    __table_args__ = (
        UniqueConstraint("task_id", "volunteer_id", name="uq_task_offers_task_volunteer"),
        Index("ix_task_offers_volunteer_offered", "volunteer_id", "offered_at"),
    )


__all__ = [
    "AuditEntry",
    "Base",
    "DeliveryBroadcast",
    "DeliveryLane",
    "DeliveryMessage",
    "DeliveryStatus",
    "FsmRecord",
    "Invite",
    "Role",
    "Signup",
    "SignupStatus",
    "Task",
    "TaskOffer",
    "TaskStatus",
    "TelegramUser",
    "Text",
    "UtcDateTime",
    "Volunteer",
    "VolunteerDirection",
    "VolunteerLanguage",
    "VolunteerSkill",
    "VolunteerStatus",
]
