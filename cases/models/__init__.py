"""Models of the case core. Each case type or subsystem adds a module here and one import line."""

from .calendar import CalendarDay, CalendarYear, WorkerHeartbeat
from .core import (
    Attachment,
    Case,
    CaseGroupObjectPermission,
    CaseKind,
    CaseNumberCounter,
    CaseParty,
    CaseUserObjectPermission,
    PartyRole,
    Person,
    Satisfaction,
    TimelineEntry,
    TimelineHead,
    attachment_path,
)
from .deadlines import Deadline, DeadlineRule, DeadlineState, PeriodUnit
from .dispute import (
    Dispute,
    DisputeCategory,
    DisputeSource,
    DisputeStatus,
    RiskLevel,
    TerminationRoute,
)
from .jobs import Job, JobKind, JobStatus
from .pii import PersonalDataAccess
from .reminders import (
    Notification,
    Reminder,
    ReminderStage,
    ReminderState,
    ScanRun,
    SupervisionOrder,
    SupervisionState,
)

__all__ = [
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseGroupObjectPermission",
    "CaseKind",
    "CaseNumberCounter",
    "CaseParty",
    "CaseUserObjectPermission",
    "Deadline",
    "Job",
    "PersonalDataAccess",
    "JobKind",
    "JobStatus",
    "Dispute",
    "DisputeCategory",
    "DisputeSource",
    "DisputeStatus",
    "RiskLevel",
    "TerminationRoute",
    "DeadlineRule",
    "DeadlineState",
    "Notification",
    "PartyRole",
    "Reminder",
    "Satisfaction",
    "ReminderStage",
    "ReminderState",
    "ScanRun",
    "SupervisionOrder",
    "SupervisionState",
    "PeriodUnit",
    "Person",
    "TimelineEntry",
    "TimelineHead",
    "WorkerHeartbeat",
    "attachment_path",
]
