"""Tables, one module per subject; everything is importable from `storage.models`.
Statuses are the enums of bot/domain, stored as the same plain strings (and lane numbers)
as ever, so no migration was needed for them."""

from storage.models.base import Base, EnumNumber, EnumText, UtcDateTime
from storage.models.delivery import DeliveryBroadcast, DeliveryMessage
from storage.models.emergencies import Callout, CalloutAnswer, CalloutHours, Emergency
from storage.models.fsm import FsmRecord
from storage.models.people import TelegramUser, Volunteer, VolunteerDirection, VolunteerLanguage, VolunteerSkill
from storage.models.roles import AuditEntry, Invite, Role
from storage.models.tasks import Signup, Task, TaskOffer

__all__ = [
    "AuditEntry",
    "Base",
    "Callout",
    "CalloutAnswer",
    "CalloutHours",
    "DeliveryBroadcast",
    "DeliveryMessage",
    "Emergency",
    "EnumNumber",
    "EnumText",
    "FsmRecord",
    "Invite",
    "Role",
    "Signup",
    "Task",
    "TaskOffer",
    "TelegramUser",
    "UtcDateTime",
    "Volunteer",
    "VolunteerDirection",
    "VolunteerLanguage",
    "VolunteerSkill",
]
