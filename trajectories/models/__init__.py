"""Models of the trajectories app, by area; every name is re-exported here.

Migrations and the rest of the project import ``from trajectories.models import X``;
the submodules import each other directly.
"""

from .agreement import SEED_DUTIES, Duty, Signature, SignatureParty, StartAgreement
from .closing import (
    ClosingInterview,
    ClosingInterviewGoalAnswer,
    ClosingMeeting,
    GoalReached,
    IntervieweeRole,
    InterviewStatus,
    MissedReason,
    closing_audio_path,
)
from .goals import GOAL_PROGRESS_ORDER, GoalProgress, GoalSource, GoalStatus
from .organisation import Location, Organisation, OrganisationKind, Sector
from .planning import (
    UNIT_CHOICES,
    Activity,
    BudgetExtension,
    CalendarFeed,
    HalfDay,
    HourEntry,
    InterventionType,
    Unit,
)
from .recruitment import (
    CoachInterview,
    ContactKind,
    ContactPerson,
    Decision,
    DecisionFactor,
    FactorCategory,
    FactorOption,
    RecruitmentContact,
)
from .study import Study, StudyMembership, StudyRole
from .trajectory import (
    HistoryEvent,
    HistoryKind,
    Membership,
    Phase,
    PhaseTransition,
    Role,
    Trajectory,
)

__all__ = [
    "Activity",
    "BudgetExtension",
    "CalendarFeed",
    "ClosingInterview",
    "ClosingInterviewGoalAnswer",
    "ClosingMeeting",
    "CoachInterview",
    "ContactKind",
    "ContactPerson",
    "Decision",
    "DecisionFactor",
    "Duty",
    "SEED_DUTIES",
    "FactorCategory",
    "FactorOption",
    "GOAL_PROGRESS_ORDER",
    "GoalProgress",
    "GoalReached",
    "GoalSource",
    "GoalStatus",
    "HalfDay",
    "HistoryEvent",
    "HistoryKind",
    "HourEntry",
    "InterventionType",
    "InterviewStatus",
    "IntervieweeRole",
    "Location",
    "Membership",
    "MissedReason",
    "Organisation",
    "OrganisationKind",
    "Phase",
    "PhaseTransition",
    "RecruitmentContact",
    "Role",
    "Sector",
    "Signature",
    "SignatureParty",
    "StartAgreement",
    "Study",
    "StudyMembership",
    "StudyRole",
    "Trajectory",
    "UNIT_CHOICES",
    "Unit",
    "closing_audio_path",
]
