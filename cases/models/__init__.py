"""Models of the case core. Case types and subsystems keep their models in their own apps."""

from cases.models.calendar import CalendarDay, CalendarYear
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
from cases.models.filters import SavedFilter
from cases.models.pii import PersonalDataAccess
from cases.models.tally import CaseOpenedTally, OpenCaseTally

__all__ = [
    "Attachment",
    "CalendarDay",
    "CalendarYear",
    "Case",
    "CaseGroupObjectPermission",
    "CaseKind",
    "CaseNumberCounter",
    "CaseOpenedTally",
    "CaseParty",
    "CaseUserObjectPermission",
    "Deadline",
    "OpenCaseTally",
    "PersonalDataAccess",
    "DeadlineRule",
    "DeadlineState",
    "PartyRole",
    "Satisfaction",
    "SavedFilter",
    "PeriodUnit",
    "Person",
    "TimelineEntry",
    "TimelineHead",
    "attachment_path",
]
