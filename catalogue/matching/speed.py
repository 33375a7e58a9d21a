"""Speed of the matching engine, for the benchmark: preparing it, and one query.

Preparing is done once per process and reference-data version: the fitted TF-IDF index, then the
model and the embeddings of the activities, entries and labelled needs (read back from the file
cache when this version was embedded before, computed and stored otherwise).
"""

from __future__ import annotations

import statistics
import tempfile
import time

from django.test.utils import override_settings

from .engine import match_activities
from .semantic import semantic_for, semantic_status
from .tfidf_index import clear_index, get_index

QUERIES = (  # new phrasings, each asked once: the query cache does not help
    "Couriers carry undeclared cash across the border",
    "Les passeurs font payer les migrants pour traverser la mer",
    "Civil servants divert public funds for their own benefit",
    "Защита свидетелей по делам об организованной преступности",
    "Reduced sentences for offenders who cooperate with investigators",
    "加强海关对现金走私的检查",
    "Hackers attack the servers of our ministries",
    "تدريب القضاة على قضايا الإرهاب",
    "Los funcionarios aceptan sobornos en las licitaciones",
    "Our prosecutors need contacts with their counterparts abroad",
)


def prepare() -> float:
    """Seconds to make the engine ready (index, model, embeddings); 0 when it already was."""
    start = time.perf_counter()
    semantic_for(get_index())
    return time.perf_counter() - start


def _query_p50(rounds: int) -> float:
    times = []
    for n in range(rounds):
        for text in QUERIES:
            start = time.perf_counter()
            match_activities(f"{text} ({n})", top=5)
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def speed_figures(rounds: int = 3) -> dict:
    """Seconds to prepare the engine cold (embeddings computed) and from the file cache, and the
    p50 of one new query with the semantic layer and on words alone."""
    status = semantic_status()
    figures: dict = {"model": status.model if status.available else "", "reason": status.reason}
    with tempfile.TemporaryDirectory() as empty, override_settings(MATCHING_CACHE_DIR=empty):
        clear_index()
        figures["prepare_cold"] = prepare()
    clear_index()
    figures["prepare_cached"] = prepare()
    figures["query_p50"] = _query_p50(rounds)
    with override_settings(MATCHING_MODEL=""):
        figures["query_p50_lexical"] = _query_p50(rounds)
    return figures
