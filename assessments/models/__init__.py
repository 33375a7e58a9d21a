"""Country data: member states, memberships, cycles, assessments and their answers."""

from .answers import Answer, Evidence, RatificationStatus
from .countries import Membership, MemberState, SynopsisNeed
from .cycles import Assessment, Cycle, SectionComment, StatusEvent

__all__ = [
    "Answer",
    "Assessment",
    "Cycle",
    "Evidence",
    "Membership",
    "MemberState",
    "RatificationStatus",
    "SectionComment",
    "StatusEvent",
    "SynopsisNeed",
]
