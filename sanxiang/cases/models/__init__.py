"""Case models, split by topic (ARCHITECTURE.md §2: a file past ~600 lines becomes a package)."""

from .case import Assignment, Case, CaseCause, CaseFlag, CaseSettings, Complainant, Party, Recusal
from .clocks import Deadline, DeadlineExtension, DeadlineSuspension
from .execution import (
    CourtApplication,
    Payment,
    PaymentPlan,
    Reminder,
    ServiceConsent,
    ServiceRecord,
)
from .investigation import CorrectionOrder, InvestigationRecord, Preservation, RecordOfficer
from .numbering import IssuedNumber, NumberCounter, NumberPattern
from .outcome import (
    CollectiveDiscussion,
    Decision,
    DecisionChange,
    Defence,
    DiscussionOpinion,
    Hearing,
    Notice,
    Proposal,
)

__all__ = [
    "Assignment",
    "Case",
    "CaseCause",
    "CaseFlag",
    "CaseSettings",
    "CollectiveDiscussion",
    "Complainant",
    "CorrectionOrder",
    "CourtApplication",
    "Deadline",
    "DeadlineExtension",
    "DeadlineSuspension",
    "Decision",
    "DecisionChange",
    "Defence",
    "DiscussionOpinion",
    "Hearing",
    "InvestigationRecord",
    "IssuedNumber",
    "Notice",
    "NumberCounter",
    "NumberPattern",
    "Party",
    "Payment",
    "PaymentPlan",
    "Preservation",
    "Proposal",
    "RecordOfficer",
    "Recusal",
    "Reminder",
    "ServiceConsent",
    "ServiceRecord",
]
