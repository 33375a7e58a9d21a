"""Synthetic full answers for a cycle, and the timings of scoring it (for the benchmark).

Never run against real data: :func:`answers_synthesise` overwrites every answer of the cycle.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass

from assessments.choices import (
    AssistanceKind,
    CrimeArea,
    DeliveryMode,
    LegalTradition,
    Priority,
    Ratification,
    Timeline,
)
from assessments.models import Answer, Assessment, Cycle, RatificationStatus, SynopsisNeed
from scoring.facts import facts_load, frame_load
from scoring.matching import match_gaps
from scoring.models import ScoreCache
from scoring.results import fingerprints, memo_clear, results_compute, rules_load, score_all

SYNTHETIC_FIELDS = (
    "state", "level", "not_applicable_reason", "assistance_needed", "assistance_kinds",
    "priority", "timeline", "crime_areas", "other_providers", "regional_obligations",
    "safeguards", "legal_context", "delivery_modes", "baseline", "target", "resources",
    "comment", "needs_confirmation", "version",
)


def _answer(answer: Answer, rng: random.Random, needs: list[str]) -> None:
    answer.state = rng.choices(["level", "na", "unknown", ""], weights=[80, 8, 7, 5])[0]
    answer.level = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4]) if answer.state == "level" else None
    answer.not_applicable_reason = "No such institution." if answer.state == "na" else ""
    low = answer.level is None or answer.level < 3
    answer.assistance_needed = answer.state != "na" and rng.random() < (0.6 if low else 0.1)
    asked = answer.assistance_needed

    def maybe(p: float, value):
        return value if asked and rng.random() < p else type(value)()

    answer.assistance_kinds = maybe(1, rng.sample(AssistanceKind.values, rng.randint(1, 2)))
    answer.priority = maybe(0.9, rng.choice(Priority.values))
    answer.timeline = maybe(0.7, rng.choice(Timeline.values))
    answer.crime_areas = maybe(0.8, rng.sample(CrimeArea.values, rng.randint(1, 3)))
    answer.other_providers = maybe(0.7, rng.choice(["none", "UNDP", "European Union, training"]))
    answer.regional_obligations = maybe(0.5, "Regional convention obligations")
    answer.safeguards = maybe(0.5, "Fair trial guarantees")
    answer.legal_context = maybe(0.4, "Dualist system: implementing legislation needed")
    answer.delivery_modes = maybe(0.8, rng.sample(DeliveryMode.values, rng.randint(1, 2)))
    answer.baseline = maybe(0.6, "Current number of cases")
    answer.target = maybe(0.6, "Double within two years")
    answer.resources = maybe(0.5, "Two experts, six months")
    answer.comment = rng.choice(needs) if asked and needs and rng.random() < 0.35 else ""
    answer.needs_confirmation = False
    answer.version += 1


def answers_synthesise(cycle: Cycle, *, seed: int = 0) -> int:
    """Give every answer, profile and ratification of the cycle plausible values; returns the
    number of answers written. Comments are drawn from the 2004 needs (real countries' words)."""
    rng = random.Random(seed)
    needs = list(SynopsisNeed.objects.values_list("text", flat=True))
    answers = list(Answer.objects.filter(assessment__cycle=cycle).order_by("pk"))
    for answer in answers:
        _answer(answer, rng, needs)
    # Small batches: each is an UPDATE with a CASE per field, which SQLite walks for every row.
    Answer.objects.bulk_update(answers, SYNTHETIC_FIELDS, batch_size=250)
    statuses = list(RatificationStatus.objects.filter(assessment__cycle=cycle).order_by("pk"))
    for row in statuses:
        row.status = rng.choice(Ratification.values + [Ratification.PARTY] * 4)
        row.version += 1
    RatificationStatus.objects.bulk_update(statuses, ["status", "version"], batch_size=2000)
    assessments = list(cycle.assessments.order_by("pk"))
    for assessment in assessments:
        assessment.legal_tradition = rng.choice(LegalTradition.values)
        assessment.legal_context = "Monist system." if rng.random() < 0.5 else ""
    Assessment.objects.bulk_update(assessments, ["legal_tradition", "legal_context"])
    return len(answers)


@dataclass
class ScoringTimings:
    assessments: int
    gaps: int
    one_assessment: float  # seconds, assessment_results without a cache, matching included
    one_cached: float  # assessment_results again (fresh cache)
    load: float  # all assessments: facts in bulk
    score: float  # index, gaps, guidelines, comparison of all
    matching: float  # every gap of every assessment, one batch
    score_all_cold: float  # score_all with no cache: all of the above plus storing
    score_all_warm: float  # score_all again, every cache fresh


def _seconds(start: float) -> float:
    return round(time.perf_counter() - start, 3)


def scoring_timings(cycle: Cycle) -> ScoringTimings:
    """Time scoring every assessment of the cycle, in parts and through :func:`score_all`."""
    from scoring.results import assessment_results

    ids = list(cycle.assessments.values_list("pk", flat=True))
    ScoreCache.objects.filter(pk__in=ids).delete()
    memo_clear()
    one = cycle.assessments.order_by("pk").first()
    start = time.perf_counter()
    assessment_results(one)
    one_assessment = _seconds(start)
    memo_clear()
    start = time.perf_counter()
    assessment_results(one)
    one_cached = _seconds(start)

    rows = list(Assessment.objects.filter(pk__in=ids).select_related("cycle", "country"))
    start = time.perf_counter()
    facts = facts_load(rows, frame_load())
    rules = rules_load()
    load = _seconds(start)
    start = time.perf_counter()
    results = [results_compute(f, rules) for f in facts.values()]
    score = _seconds(start)
    items = [(gap, facts[r.assessment_id]) for r in results for gap in r.gaps]
    start = time.perf_counter()
    match_gaps(items)
    matching = _seconds(start)

    ScoreCache.objects.filter(pk__in=ids).delete()
    fingerprints(ids, ())  # warm the connection
    start = time.perf_counter()
    score_all(cycle)
    cold = _seconds(start)
    start = time.perf_counter()
    score_all(cycle)
    warm = _seconds(start)
    return ScoringTimings(
        assessments=len(ids), gaps=len(items), one_assessment=one_assessment,
        one_cached=one_cached, load=load, score=score, matching=matching,
        score_all_cold=cold, score_all_warm=warm,
    )


def heatmap_timings(cycle: Cycle, *, requests: int = 20) -> dict:
    """The staff heat map of every member state, in this process (scores fresh): its first
    view (templates, connection and summaries not yet read), then the p50 of repeated views,
    of one region's, and of the floor page, through Django's test client."""
    import statistics

    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    staff, _ = get_user_model().objects.get_or_create(
        username="bench-staff", defaults={"is_staff": True}
    )
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(staff)
    # Staff give a second factor before any page: the session is verified as after a real
    # two-step sign-in (a confirmed authenticator of the scratch database's bench user).
    device, _ = TOTPDevice.objects.get_or_create(
        user=staff, name="bench authenticator", defaults={"confirmed": True}
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    url = reverse("scoring:heatmap") + f"?cycle={cycle.pk}"
    regions = Assessment.objects.filter(cycle=cycle).values_list("country__region", flat=True)
    region = max(set(regions), key=list(regions).count)

    def timed(path: str) -> float:
        start = time.perf_counter()
        response = client.get(path)
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - start

    first = timed(url)
    return {
        "countries": cycle.assessments.count(),
        "first": first,
        "warm": statistics.median(timed(url) for _ in range(requests)),
        "region": region,
        "region_countries": list(regions).count(region),
        "region_warm": statistics.median(
            timed(f"{url}&region={region}") for _ in range(requests)
        ),
        "floor": statistics.median(timed("/accounts/session/") for _ in range(requests)),
    }
