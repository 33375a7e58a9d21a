"""python manage.py bench: latency and queries of the pages that must stay fast."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tools.bench import http as benchmark

# Budgets, as ratios of p50 latency to the floor (a minimal page through the same middleware).
BUDGETS = {"largest section page": 25.0, "autosave": 5.0}
# A report's own work (queries, scoring, templates, charts) beside WeasyPrint's, at most.
REPORT_OVERHEAD = 0.30


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn on loopback against a scratch database and print p50/p95 "
        "latency and queries of the largest section page, an autosave and a full-section "
        "submit, with the floor and the budgets; then score all 193 member states with full "
        "synthetic answers, match their gaps and render a country and the global report."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=40, help="Requests per figure.")
        parser.add_argument(
            "--database-url",
            help="Scratch database for the run (default: a new SQLite file). It is migrated "
            "and filled: never point it at real data.",
        )
        parser.add_argument(
            "--skip-batch", action="store_true",
            help="Only the pages: leave out scoring all member states and the reports.",
        )
        parser.add_argument(
            "--skip-reports", action="store_true", help="Score all member states, render nothing."
        )
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--batch", action="store_true", help=argparse.SUPPRESS)

    def handle(
        self, *args, requests: int, database_url: str | None, prepare: bool, batch: bool,
        skip_batch: bool, skip_reports: bool, **options,
    ):
        if prepare:
            self.stdout.write(json.dumps(benchmark.prepare()))
            return
        if batch:
            self.stdout.write(json.dumps(benchmark.batch_figures(reports=not skip_reports)))
            return
        if requests < 5:
            raise CommandError("--requests must be at least 5 for a median to mean something.")
        with tempfile.TemporaryDirectory(prefix="tanneeds-bench-") as folder:
            url = database_url or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
            env = benchmark.scratch_env(url)
            self.stdout.write(f"Preparing a scratch database ({url.split(':', 1)[0]})...")
            benchmark.manage(env, "migrate", "--noinput", "-v0")
            benchmark.manage(env, "load_reference", "-v0")
            plan = json.loads(benchmark.manage(env, "bench", "--prepare"))
            with benchmark.gunicorn(env) as port:
                timings = benchmark.run_http(port, plan, requests)
            self.report(timings, plan, requests)
            if skip_batch:
                return
            self.stdout.write("\nScoring all member states with full synthetic answers...")
            args = ["bench", "--batch"] + (["--skip-reports"] if skip_reports else [])
            self.report_batch(json.loads(benchmark.manage(env, *args)))

    def report(self, timings, plan: dict, requests: int) -> None:
        floor = timings[0].p50
        self.stdout.write(
            f"\n{requests} requests each; section {benchmark.BENCH_CATEGORY} has "
            f"{plan['items']} items; gunicorn, 1 worker, loopback.\n"
        )
        self.stdout.write(f"{'figure':<24}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}{'queries':>9}")
        for timing in timings:
            self.stdout.write(
                f"{timing.name:<24}{timing.p50 * 1000:>9.1f}{timing.p95 * 1000:>9.1f}"
                f"{timing.p50 / floor:>9.1f}{plan['queries'][timing.name]:>9}"
            )
        self.stdout.write("")
        for timing in timings:
            budget = BUDGETS.get(timing.name)
            if budget is None:
                continue
            ratio = timing.p50 / floor
            verdict = self.style.SUCCESS("within") if ratio <= budget else self.style.ERROR("OVER")
            self.stdout.write(
                f"budget {timing.name}: p50 <= {budget:g}x floor: {ratio:.1f}x {verdict}"
            )

    def report_batch(self, figures: dict) -> None:
        scoring = figures["scoring"]
        self.stdout.write(
            f"{scoring['assessments']} assessments, {figures['answers']} answers, "
            f"{scoring['gaps']} gaps.\n"
        )
        rows = [
            ("one assessment, no cache", scoring["one_assessment"]),
            ("one assessment, cached", scoring["one_cached"]),
            ("score all, no cache", scoring["score_all_cold"]),
            ("score all, all fresh", scoring["score_all_warm"]),
            ("  of which: load answers", scoring["load"]),
            ("  of which: score", scoring["score"]),
            ("  of which: match all gaps", scoring["matching"]),
        ]
        for name, seconds in rows:
            self.stdout.write(f"{name:<32}{seconds:>9.3f} s")
        reports = figures.get("reports")
        if not reports:
            return
        self.stdout.write("")
        self.stdout.write(
            f"{'report':<24}{'total s':>9}{'WeasyPrint s':>14}{'ours s':>8}{'ours %':>8}"
            f"{'pages':>7}"
        )
        for name in ("country", "global"):
            ratio = reports[f"{name}_overhead_ratio"]
            verdict = (
                self.style.SUCCESS("within") if ratio <= REPORT_OVERHEAD
                else self.style.ERROR("OVER")
            )
            self.stdout.write(
                f"{name + ' report':<24}{reports[f'{name}_total']:>9.2f}"
                f"{reports[f'{name}_weasyprint']:>14.2f}{reports[f'{name}_project']:>8.2f}"
                f"{ratio:>8.0%}{reports[f'{name}_pages']:>7}  {verdict}"
            )
        self.stdout.write(
            f"country report: {reports['country']} ({reports['country_gaps']} gaps, the most); "
            f"global report: {reports['global_countries']} countries. 'ours': queries, scoring, "
            "templates and charts, up to the HTML."
        )
        self.stdout.write(f"budget: ours <= {REPORT_OVERHEAD:.0%} of WeasyPrint's time")
