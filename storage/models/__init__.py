"""Tables, one module per subject; everything is importable from `storage.models`.
Statuses are the enums of bot/domain, stored as the same plain strings (and lane numbers)
as ever, so no migration was needed for them."""

from storage.models.attendance import Attendance, CheckinCode, TaskClosing, WalkIn
from storage.models.base import Base, EnumNumber, EnumText, UtcDateTime
from storage.models.certificates import Certificate
from storage.models.delivery import DeliveryBroadcast, DeliveryMessage
from storage.models.emergencies import Callout, CalloutAnswer, CalloutHours, Emergency
from storage.models.fsm import FsmRecord
from storage.models.lifecycle import CoordinatorDigest, Reminder, TaskNotice
from storage.models.people import TelegramUser, Volunteer, VolunteerDirection, VolunteerLanguage, VolunteerSkill
from storage.models.reconnection import (
                                         NameVocabulary,
                                         NameWord,
                                         ReconnectionAsk,
                                         ReconnectionRequest,
                                         RelayCaller,
                                         SafeMatch,
                                         SafeReport,
                                         SafetyCheckin,
)
from storage.models.roles import AuditEntry, Invite, Role
from storage.models.stats import ErasedVolunteer, ErasedVolunteerDirection
from storage.models.tasks import Signup, Task, TaskOffer
from storage.models.updates import HandledUpdate

__all__ = [
    "Attendance",
    "Certificate",
    "CheckinCode",
    "TaskClosing",
    "AuditEntry",
    "Base",
    "Callout",
    "CalloutAnswer",
    "CalloutHours",
    "CoordinatorDigest",
    "DeliveryBroadcast",
    "DeliveryMessage",
    "Emergency",
    "EnumNumber",
    "EnumText",
    "ErasedVolunteer",
    "ErasedVolunteerDirection",
    "FsmRecord",
    "HandledUpdate",
    "Invite",
    "NameVocabulary",
    "NameWord",
    "ReconnectionAsk",
    "ReconnectionRequest",
    "RelayCaller",
    "Reminder",
    "Role",
    "SafeMatch",
    "SafeReport",
    "SafetyCheckin",
    "Signup",
    "Task",
    "TaskNotice",
    "TaskOffer",
    "TelegramUser",
    "UtcDateTime",
    "Volunteer",
    "VolunteerDirection",
    "WalkIn",
    "VolunteerLanguage",
    "VolunteerSkill",
]
