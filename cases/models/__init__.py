"""Models of the case core. Each case type or subsystem adds a module here and one import line."""

from cases.models.calendar import CalendarDay, CalendarYear, WorkerHeartbeat
from cases.models.core import (
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
from cases.models.deadlines import Deadline, DeadlineRule, DeadlineState, PeriodUnit
from cases.models.dispute import (
    Dispute,
    DisputeCategory,
    DisputeSource,
    DisputeStatus,
    RiskLevel,
    TerminationRoute,
)
from cases.models.jobs import Job, JobKind, JobStatus
from cases.models.pii import PersonalDataAccess
from cases.models.reminders import (
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
