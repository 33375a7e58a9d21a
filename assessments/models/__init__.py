"""Country data: member states, memberships, cycles, assessments and their answers."""

from .answers import Answer, Evidence, RatificationStatus
from .countries import Membership, MemberState, SynopsisNeed
from .cycles import Assessment, Cycle, SectionComment, StatusEvent
from .scoring import GuidelineCriterion, ScoreCache, ScoreSnapshot, ScoringWeights

__all__ = [
    "Answer",
    "Assessment",
    "Cycle",
    "Evidence",
    "GuidelineCriterion",
    "Membership",
    "MemberState",
    "RatificationStatus",
    "ScoreCache",
    "ScoreSnapshot",
    "ScoringWeights",
    "SectionComment",
    "StatusEvent",
    "SynopsisNeed",
]
