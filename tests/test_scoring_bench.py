"""The scoring benchmark: all 193 member states with full synthetic answers.

Slow (about a minute), so it runs only when asked: ``SCORING_BENCH=1 pytest -s
tests/test_scoring_bench.py``. It prints the timings and checks the query count of
score_all does not grow with the number of assessments.
"""

from __future__ import annotations

import os
from dataclasses import asdict

import pytest

from assessments.cycles import cycle_open
from assessments.models import MemberState
from tools.bench.scoring import answers_synthesise, scoring_timings

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not os.environ.get("SCORING_BENCH"), reason="set SCORING_BENCH=1"),
]


def test_scoring_all_member_states(cycle):
    assert cycle_open(cycle) == MemberState.objects.count() == 193
    answers_synthesise(cycle)
    timings = scoring_timings(cycle)
    print()
    for name, value in asdict(timings).items():
        print(f"{name:>16}: {value}")
    assert timings.score_all_warm < timings.score_all_cold
