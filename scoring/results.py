"""One entry point for the results of an assessment, kept fresh without recomputing each view.

:func:`assessment_results` returns the cached results while their fingerprint holds, and
recomputes them when any input changed: the answers (count, versions, last save), the evidence
files, the ratification profile, the legal tradition and context, the earlier assessment's
answers, the weights and criteria staff edit, the catalogue (targets, obligations, compendium),
the matching context file and :data:`SCORING_VERSION`.

Writes that bypass the services (``QuerySet.update``, ``bulk_update``) must bump ``version``
(answers, ratifications) or the change is not seen until something else changes.

Results are computed and kept in English, the source language, so that one payload serves
every reader and the heat map. A page in another language gets the same numbers with the
machine-written sentences (gap and match reasons, criterion details) in that language:
:func:`results_for_display` computes them afresh under the reader's language and keeps them per
process (:func:`results_in_language`); the reference wording is taken from the rows in that
language by ``scoring.wording``.

Queries: while the cache is fresh, 3 (the catalogue's reference version, the fingerprint, the
cached payload), or 2 when this process saw these results last. On a recomputation, 10 more
whatever the number of activities and gaps (see ``tests/test_scoring_results.py``).
"""

from __future__ import annotations

import gc
import hashlib
import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from assessments.models import (
    Answer,
    Assessment,
    Cycle,
    Evidence,
    RatificationStatus,
    StatusEvent,
)
from catalogue.caches import ProcessCache
from catalogue.selectors import reference_version

from .compare import compare
from .context import matching_context
from .facts import Facts, facts_load, frame_load
from .gaps import SeverityWeights, gaps_find, unknown_apart
from .guidelines import PROFILE, CriterionSpec, guideline_scores
from .index import implementation_index
from .matching import DEFAULT_TOP, match_gaps
from .models import GuidelineCriterion, ScoreCache, ScoreSnapshot, ScoringWeights
from .values import Results, from_payload, to_payload

SOURCE_LANGUAGE = "en"  # what caches and snapshots hold
SUMMARY_INDEX = "scorecache_summary_read"  # see ScoreCache.Meta.indexes
SCORING_VERSION = "3"  # bump when a rule changes meaning or the payload changes shape


@dataclass(frozen=True)
class Rules:
    weights: SeverityWeights
    specs: tuple[CriterionSpec, ...]


def rules_load() -> Rules:
    """The weights and criteria staff edit (two queries)."""
    criteria = GuidelineCriterion.objects.select_related("guideline").order_by(
        "guideline__number", "position"
    )
    return Rules(
        weights=SeverityWeights.from_row(ScoringWeights.current()),
        specs=tuple(CriterionSpec.from_row(c) for c in criteria),
    )


# Fingerprint -------------------------------------------------------------------------------


def _fingerprint_sql(count: int) -> str:
    """One query: each assessment's own fields and the aggregates of everything it depends on.

    Hand-written because the ORM takes longer to compile fourteen subqueries than the database
    takes to run them.
    """
    t = {
        m.__name__: connection.ops.quote_name(m._meta.db_table)
        for m in (Answer, Assessment, Cycle, Evidence, GuidelineCriterion, RatificationStatus,
                  ScoringWeights)
    }
    mine = f"FROM {t['Answer']} x WHERE x.assessment_id = a.id"
    files = (
        f"FROM {t['Evidence']} e JOIN {t['Answer']} x ON e.answer_id = x.id "
        "WHERE x.assessment_id = a.id"
    )
    ratified = f"FROM {t['RatificationStatus']} r WHERE r.assessment_id = a.id"
    earlier = (
        f"FROM {t['Answer']} x JOIN {t['Assessment']} b ON x.assessment_id = b.id "
        f"JOIN {t['Cycle']} bc ON b.cycle_id = bc.id "
        "WHERE b.country_id = a.country_id AND bc.starts_on < c.starts_on"
    )
    columns = [
        "a.id", "a.country_id", "a.cycle_id", "a.legal_tradition", "a.legal_context",
        "a.languages", "a.previous_id", "c.name",
        f"(SELECT COUNT(*) {mine})", f"(SELECT SUM(x.version) {mine})",
        f"(SELECT MAX(x.updated_at) {mine})",
        f"(SELECT COUNT(*) {files})", f"(SELECT MAX(e.id) {files})",
        f"(SELECT COUNT(*) {ratified})", f"(SELECT SUM(r.version) {ratified})",
        f"(SELECT COUNT(*) {earlier})", f"(SELECT SUM(x.version) {earlier})",
        f"(SELECT MAX(x.updated_at) {earlier})",
        f"(SELECT MAX(updated_at) FROM {t['ScoringWeights']})",
        f"(SELECT COUNT(*) FROM {t['GuidelineCriterion']})",
        f"(SELECT MAX(updated_at) FROM {t['GuidelineCriterion']})",
        f"(SELECT SUM(weight) FROM {t['GuidelineCriterion']})",
    ]
    placeholders = ", ".join(["%s"] * count)
    return (
        f"SELECT {', '.join(columns)} FROM {t['Assessment']} a "  # noqa: S608 - no user input
        f"JOIN {t['Cycle']} c ON a.cycle_id = c.id WHERE a.id IN ({placeholders})"
    )


def fingerprints(assessment_ids: Sequence[int], version: tuple) -> dict[int, str]:
    """A digest, per assessment, of everything its results depend on (one query)."""
    if not assessment_ids:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(len(assessment_ids)), list(assessment_ids))
        rows = cursor.fetchall()
    common = [SCORING_VERSION, matching_context().digest, list(version)]
    return {
        row[0]: hashlib.sha256(
            json.dumps([*common, *row[1:]], default=str, ensure_ascii=False).encode()
        ).hexdigest()
        for row in rows
    }


# Computing ---------------------------------------------------------------------------------


def results_compute(facts: Facts, rules: Rules, *, fingerprint: str = "") -> Results:
    """Index, gaps, guideline scores and comparison of one assessment (no matching, no I/O)."""
    index = implementation_index(facts)
    gaps = gaps_find(facts, rules.weights)
    return Results(
        assessment_id=facts.assessment_id,
        country=facts.profile.iso3,
        country_name=facts.profile.name,
        cycle=facts.cycle,
        computed_at=timezone.now().isoformat(),
        fingerprint=fingerprint,
        index=index,
        gaps=tuple(gaps),
        unknown=unknown_apart(facts),
        guidelines=guideline_scores(facts, rules.specs),
        comparison=compare(facts, index, gaps, rules.weights),
    )


def _compute_many(
    assessments: Sequence[Assessment], fingerprints: dict[int, str], version: tuple,
    *, top: int = DEFAULT_TOP, language: str = SOURCE_LANGUAGE,
) -> dict[int, Results]:
    """Results of ``assessments``, their sentences in ``language`` (English for what is kept)."""
    with translation.override(language):
        return _compute_many_now(assessments, fingerprints, version, top=top)


def _compute_many_now(
    assessments: Sequence[Assessment], fingerprints: dict[int, str], version: tuple,
    *, top: int,
) -> dict[int, Results]:
    frame = frame_load(version)
    facts = facts_load(assessments, frame)
    rules = rules_load()
    results = {
        pk: results_compute(f, rules, fingerprint=fingerprints[pk]) for pk, f in facts.items()
    }
    items = [(gap, facts[pk]) for pk, r in results.items() for gap in r.gaps]
    matches = iter(match_gaps(items, top=top))
    return {
        pk: replace(r, gaps=tuple(replace(g, matches=next(matches)) for g in r.gaps))
        for pk, r in results.items()
    }


def summary_of(results: Results) -> dict:
    """The few numbers of a result the heat map shows, stored beside its payload."""
    return {
        "country": results.index.country.percent,
        "categories": {c.numeral: c.index.percent for c in results.index.categories},
        "gaps": len(results.gaps),
    }


def _store(assessment_id: int, results: Results) -> None:
    values = {
        "fingerprint": results.fingerprint,
        "computed_at": timezone.now(),
        "payload": to_payload(results),
        "summary": summary_of(results),
    }
    if ScoreCache.objects.filter(pk=assessment_id).update(**values):
        return
    try:
        with transaction.atomic():
            ScoreCache.objects.create(assessment_id=assessment_id, **values)
    except IntegrityError:  # another process stored it meanwhile
        ScoreCache.objects.filter(pk=assessment_id).update(**values)


def _load(payload: dict) -> Results:
    return from_payload(Results, payload)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """No cyclic garbage collection while a cycle's payloads are decoded and loaded.

    Hundreds of thousands of new containers, none of them garbage, would trigger the collector
    again and again, each pass walking every object so far: that took over half of the time.
    Reference counting still frees what is dropped; the collector runs again afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# Results this process computed or loaded lately, by (assessment, fingerprint): a repeated view
# skips reading and parsing the payload. Safe across processes since the key is the fingerprint.
MEMO_SIZE = 64
_memo: ProcessCache[Results] = ProcessCache("scores", size=MEMO_SIZE)


def _remember(results: Results) -> Results:
    return _memo.keep((results.assessment_id, results.fingerprint), results)


def _recall(assessment_id: int, print_: str) -> Results | None:
    return _memo.find((assessment_id, print_))


def memo_clear() -> None:
    _memo.clear()


def assessment_results(assessment: Assessment) -> Results:
    """The results of an assessment, from the cache while its inputs are unchanged."""
    version = reference_version()
    print_ = fingerprints([assessment.pk], version)[assessment.pk]
    remembered = _recall(assessment.pk, print_)
    if remembered is not None:
        return remembered
    cached = (
        ScoreCache.objects.filter(pk=assessment.pk, fingerprint=print_)
        .values_list("payload", flat=True)
        .first()
    )
    if cached is not None:
        return _remember(_load(cached))
    row = Assessment.objects.select_related("cycle", "country").get(pk=assessment.pk)
    results = _compute_many([row], {row.pk: print_}, version)[row.pk]
    _store(row.pk, results)
    return _remember(results)


def score_all(
    cycle: Cycle, *, top: int = DEFAULT_TOP, assessment_ids: Sequence[int] | None = None
) -> dict[int, Results]:
    """The results of every assessment of a cycle (or of those of ``assessment_ids`` in it),
    computing only the stale ones, together: a fixed number of queries whatever their number,
    and one matching call for all their gaps."""
    version = reference_version()
    assessments = cycle.assessments.all()
    if assessment_ids is not None:
        assessments = assessments.filter(pk__in=assessment_ids)
    ids = list(assessments.values_list("pk", flat=True))
    prints = fingerprints(ids, version)
    stored = dict(ScoreCache.objects.filter(pk__in=ids).values_list("pk", "fingerprint"))
    fresh = [pk for pk in ids if stored.get(pk) == prints[pk]]
    with _gc_paused():
        results = {
            pk: _load(payload)
            for pk, payload in ScoreCache.objects.filter(pk__in=fresh).values_list("pk", "payload")
        }
    stale = list(
        Assessment.objects.filter(pk__in=set(ids) - set(fresh)).select_related("cycle", "country")
    )
    if stale:
        computed = _compute_many(stale, prints, version, top=top)
        now = timezone.now()
        ScoreCache.objects.bulk_create(
            [
                ScoreCache(
                    assessment_id=pk, fingerprint=r.fingerprint, computed_at=now,
                    payload=to_payload(r), summary=summary_of(r),
                )
                for pk, r in computed.items()
            ],
            update_conflicts=True,
            unique_fields=["assessment"],
            update_fields=["fingerprint", "computed_at", "payload", "summary"],
        )
        results.update(computed)
    return results


def _cycle_assessments(cycle: Cycle, region: str, *, only: Sequence[str] = ()) -> list[Assessment]:
    assessments = Assessment.objects.filter(cycle=cycle).select_related("country")
    if only:
        assessments = assessments.only(*only)
    if region:
        assessments = assessments.filter(country__region=region)
    return list(assessments.order_by("country__name"))


def cycle_results(cycle: Cycle | None, region: str = "") -> list[tuple[Assessment, Results]]:
    """The assessments of a cycle (of one region, or all) by country name, each with its live
    results from :func:`score_all`: the rows of the overview reports and exports. A region
    scores and reads only its own countries."""
    if cycle is None:
        return []
    assessments = _cycle_assessments(cycle, region)
    scored = score_all(cycle, assessment_ids=[a.pk for a in assessments])
    return [(a, scored[a.pk]) for a in assessments if a.pk in scored]


@dataclass(frozen=True)
class HeatRow:
    """One country of the heat map: its index, each category's (in the order asked), gaps."""

    assessment: Assessment
    country: int | None
    categories: tuple[int | None, ...]
    gaps: int


def heat_rows(cycle: Cycle | None, numerals: Sequence[str], region: str = "") -> list[HeatRow]:
    """The heat map of a cycle (of one region, or all), from the stored summaries.

    While the results are fresh, 4 queries (the catalogue's version, the assessments, their
    fingerprints, their summaries) of a few numbers per country, whatever the number of
    countries or gaps: no payload is read (the summaries come from an index that holds them).
    Stale results are scored together first by :func:`score_all`, restricted to them.
    """
    if cycle is None:
        return []
    # Only what a row shows (the page links each country to its results).
    assessments = _cycle_assessments(cycle, region, only=("id", "country", "country__name"))
    ids = [a.pk for a in assessments]
    prints = fingerprints(ids, reference_version())
    summaries = {
        pk: summary
        for pk, print_, summary in _summaries_read(ids)
        if summary and print_ == prints.get(pk)
    }
    stale = [pk for pk in ids if pk not in summaries]
    if stale:
        scored = score_all(cycle, assessment_ids=stale)
        summaries.update({pk: summary_of(r) for pk, r in scored.items()})
        _summaries_store({pk: summaries[pk] for pk in stale if pk in scored})
    return [
        HeatRow(
            assessment=a,
            country=summaries[a.pk]["country"],
            categories=tuple(summaries[a.pk]["categories"].get(n) for n in numerals),
            gaps=summaries[a.pk]["gaps"],
        )
        for a in assessments
        if a.pk in summaries
    ]


def _summaries_read(ids: Sequence[int]) -> list[tuple[int, str, dict]]:
    """(assessment, fingerprint, summary) of the cached results of ``ids``, in one query.

    On SQLite, from the index that holds these three columns: SQLite keeps a row's columns in
    order and ``summary`` comes after the ~250 kB ``payload``, so reading it from the table
    walks every payload (16 ms for 193 countries, against 0.4 ms from the index). Its planner
    prefers the primary key's index, hence ``INDEXED BY``. PostgreSQL keeps large values out
    of the row (TOAST) and needs no help.
    """
    if connection.vendor != "sqlite" or not ids:
        return list(
            ScoreCache.objects.filter(pk__in=ids).values_list("pk", "fingerprint", "summary")
        )
    table = connection.ops.quote_name(ScoreCache._meta.db_table)
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT assessment_id, fingerprint, summary FROM {table} "  # noqa: S608 - no input
            f"INDEXED BY {SUMMARY_INDEX} WHERE assessment_id IN ({placeholders})",
            list(ids),
        )
        return [(pk, print_, json.loads(summary)) for pk, print_, summary in cursor.fetchall()]


def _summaries_store(summaries: dict[int, dict]) -> None:
    """Summaries of results loaded from payloads stored before there were summaries."""
    rows = [ScoreCache(assessment_id=pk, summary=s) for pk, s in summaries.items()]
    ScoreCache.objects.bulk_update(rows, ["summary"], batch_size=500)


@contextmanager
def cycle_results_read(
    cycle: Cycle | None, region: str = ""
) -> Iterator[list[tuple[Assessment, Results]]]:
    """The rows of :func:`cycle_results`, to be read, aggregated and dropped inside the block.

    No cyclic garbage collection meanwhile, or it walks every result again (a third of the
    time of an overview report), to free none.
    """
    with _gc_paused():
        yield cycle_results(cycle, region)


# Snapshots ---------------------------------------------------------------------------------


def snapshot_take(*, assessment: Assessment, event: StatusEvent | None = None) -> ScoreSnapshot:
    """Freeze the results as they stand (at submission): later rule changes leave them be."""
    results = assessment_results(assessment)
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        event=event,
        fingerprint=results.fingerprint,
        payload=to_payload(results),
    )


def reported_results(assessment: Assessment) -> Results | None:
    """The results frozen at the latest submission, or None if never submitted."""
    snapshot = assessment.score_snapshots.order_by("-taken_at", "-pk").first()
    return _load(snapshot.payload) if snapshot else None


def results_in_language(assessment: Assessment, language: str) -> Results:
    """The results with their sentences in ``language``; kept per process, never stored."""
    if language == SOURCE_LANGUAGE:
        return assessment_results(assessment)
    version = reference_version()
    print_ = fingerprints([assessment.pk], version)[assessment.pk]
    key = (assessment.pk, f"{print_}:{language}")
    remembered = _memo.find(key)
    if remembered is not None:
        return remembered
    row = Assessment.objects.select_related("cycle", "country").get(pk=assessment.pk)
    results = _compute_many([row], {row.pk: print_}, version, language=language)[row.pk]
    return _memo.keep(key, results)


def results_for_display(assessment: Assessment) -> Results:
    """What a page shows: as reported while submitted or validated, live otherwise.

    In another language than English, the reported results are shown in that language when
    their inputs are still those of the submission (the same fingerprint: the same numbers);
    otherwise as frozen, their sentences in English.
    """
    language = translation.get_language() or SOURCE_LANGUAGE
    if assessment.status in (Assessment.Status.SUBMITTED, Assessment.Status.VALIDATED):
        reported = reported_results(assessment)
        if reported is not None:
            if language == SOURCE_LANGUAGE:
                return reported
            current = fingerprints([assessment.pk], reference_version())[assessment.pk]
            if current != reported.fingerprint:
                return reported
    return results_in_language(assessment, language)


def item_url(results: Results, item: str) -> str:
    """Where to complete an item a criterion names: an activity of a section, or the profile."""
    if item == PROFILE:
        return reverse("assessments:profile", args=[results.assessment_id])
    activity = results.activity(item)
    numeral = activity.category if activity else item.split(".")[0]
    url = reverse("assessments:section", args=[results.assessment_id, numeral])
    return f"{url}#item-{item}"
