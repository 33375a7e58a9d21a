"""Scoring: implementation index, gaps, guideline alignment, matching of gaps, freshness.

Plain modules of small typed functions (see docs/scoring.md):

- :mod:`.facts`: what scoring reads, loaded in a fixed number of queries into plain values;
- :mod:`.index`: implementation index per activity, category and country;
- :mod:`.gaps`: the gap rule, severity and ranking;
- :mod:`.guidelines`: the criteria and scores of the ten guidelines;
- :mod:`.matching`: gaps to compendium entries, re-ranked with the country's context;
- :mod:`.compare`: progress since the earlier assessment;
- :mod:`.results`: :func:`assessment_results` with its cache, snapshots, :func:`score_all`.
"""

from .results import (
    assessment_results,
    cycle_results,
    item_url,
    reported_results,
    results_for_display,
    score_all,
    snapshot_take,
)
from .values import (
    NO_DATA,
    ActivityIndex,
    CategoryIndex,
    Comparison,
    CriterionResult,
    Gap,
    GuidelineScore,
    ImplementationIndex,
    Index,
    Results,
    Suggestion,
)

__all__ = [
    "NO_DATA",
    "ActivityIndex",
    "CategoryIndex",
    "Comparison",
    "CriterionResult",
    "Gap",
    "GuidelineScore",
    "ImplementationIndex",
    "Index",
    "Results",
    "Suggestion",
    "assessment_results",
    "cycle_results",
    "item_url",
    "reported_results",
    "results_for_display",
    "score_all",
    "snapshot_take",
]
