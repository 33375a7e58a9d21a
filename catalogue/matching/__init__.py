"""The text-matching engine: needs to activities, gaps to compendium entries.

Use the functions of :mod:`catalogue.matching.engine`, re-exported here.
"""

from .engine import (
    NEED_THRESHOLD,
    ActivityMatch,
    EntryMatch,
    activities_for_need,
    activities_for_needs,
    match_activities,
    match_activities_many,
    match_entries,
    match_entries_many,
)
from .semantic import semantic_status
from .speed import prepare, speed_figures
from .text import translate

__all__ = [
    "NEED_THRESHOLD",
    "ActivityMatch",
    "EntryMatch",
    "activities_for_need",
    "activities_for_needs",
    "match_activities",
    "match_activities_many",
    "match_entries",
    "match_entries_many",
    "prepare",
    "semantic_status",
    "speed_figures",
    "translate",
]
