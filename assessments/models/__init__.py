"""Country data: member states, memberships, cycles, assessments and their answers."""

from .answers import Answer, Evidence, RatificationStatus
from .campaigns import DeadlineExtension, Email, EmailPreference, RegionReviewer
from .countries import Membership, MemberState, SynopsisNeed
from .cycles import Assessment, Cycle, SectionComment, StatusEvent

__all__ = [
    "Answer",
    "Assessment",
    "Cycle",
    "DeadlineExtension",
    "Email",
    "EmailPreference",
    "Evidence",
    "Membership",
    "MemberState",
    "RatificationStatus",
    "RegionReviewer",
    "SectionComment",
    "StatusEvent",
    "SynopsisNeed",
]
