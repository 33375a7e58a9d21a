"""Country data: member states, memberships, cycles, assessments and their answers."""

from .answers import Answer, Evidence, RatificationStatus
from .campaigns import DeadlineExtension, Email, EmailPreference, RegionReviewer
from .countries import Membership, MemberState, SynopsisNeed
from .cycles import Assessment, Cycle, SectionComment, StatusEvent
from .scoring import GuidelineCriterion, ScoreCache, ScoreSnapshot, ScoringWeights

__all__ = [
    "Answer",
    "Assessment",
    "Cycle",
    "DeadlineExtension",
    "Email",
    "EmailPreference",
    "Evidence",
    "GuidelineCriterion",
    "Membership",
    "MemberState",
    "RatificationStatus",
    "RegionReviewer",
    "ScoreCache",
    "ScoreSnapshot",
    "ScoringWeights",
    "SectionComment",
    "StatusEvent",
    "SynopsisNeed",
]
