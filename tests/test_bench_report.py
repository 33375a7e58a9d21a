"""The benchmark's page table, read back (made-up timings: nothing is served or timed here)."""

from __future__ import annotations

from io import StringIO

from tools.bench.http import BENCH_LANGUAGES, Timing, page_name
from tools.management.commands.bench import Command


def test_the_section_page_p50_is_printed_in_english_and_in_arabic_side_by_side():
    assert BENCH_LANGUAGES == ("en", "ar")
    milliseconds = {
        "floor: minimal page": 5, page_name("en"): 60, page_name("ar"): 66,
        "autosave": 20, "full-section submit": 100,
    }
    timings = [Timing(name, [ms / 1000] * 5) for name, ms in milliseconds.items()]
    plan = {
        "items": 57,
        "queries": dict.fromkeys(milliseconds, 10),
        "sizes": {page_name("en"): (190_000, 15_000), page_name("ar"): (210_000, 16_000)},
    }
    out = StringIO()
    Command(stdout=out).report(timings, plan, requests=5)
    text = out.getvalue()
    assert "section III page p50 by language: en 60.0 ms | ar 66.0 ms (1.10x en)" in text
    row = next(line for line in text.splitlines() if line.startswith("largest section page, ar"))
    assert row.split()[-4:] == ["66.0", "66.0", "13.2", "10"]  # p50, p95, x floor, queries
    assert "budget largest section page, ar: p50 <= 25x floor: 13.2x" in text
    assert "largest section page, ar: 210 kB of HTML" in text
