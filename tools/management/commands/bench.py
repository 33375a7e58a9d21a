"""python manage.py bench: latency and queries of the pages that must stay fast."""

from __future__ import annotations

import argparse
import json
import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.matching import speed_figures
from tools.bench import http as benchmark
from tools.bench import load as load_run

# Budgets, as ratios of p50 latency to the floor (a minimal page through the same middleware).
BUDGETS = {"largest section page": 25.0, "largest section page, ar": 25.0, "autosave": 6.0}
PAGE_BYTES = 200_000  # HTML of the largest section page, at most
# The heat map of every member state: p50 of repeated views, and its first view in a process.
HEATMAP_WARM, HEATMAP_FIRST = 0.050, 1.0
# The load run: autosave p95 under this many times the floor's p95 of the same run.
LOAD_AUTOSAVE_BUDGET = 10.0
# Matching: one query with the semantic layer, and scoring all countries beside words alone.
QUERY_BUDGET_MS = 50
SCORING_BUDGET = 1.5
# A report's own work (queries, scoring, templates, charts) beside WeasyPrint's, at most.
REPORT_OVERHEAD = 0.30


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn on loopback against a scratch database and print p50/p95 "
        "latency and queries of the largest section page (in English and in Arabic), an "
        "autosave and a full-section submit, with the floor and the budgets; then score all 193 "
        "member states with full synthetic answers, match their gaps and render a country and "
        "the global report."
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
        parser.add_argument(
            "--load", action="store_true",
            help="Instead of the figures above: the load run on PostgreSQL (needs "
            "--database-url postgres://...; the database is created if missing). Many ministry "
            "users, each with their own country, autosave and read pages at once through "
            "gunicorn; then every acknowledged save is checked in the database.",
        )
        parser.add_argument("--load-users", type=int, default=50, help="Virtual users (50).")
        parser.add_argument(
            "--load-seconds", type=float, default=60.0, help="Length of the load run (60 s)."
        )
        parser.add_argument("--load-prepare", type=int, help=argparse.SUPPRESS)
        parser.add_argument("--load-check", help=argparse.SUPPRESS)
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--batch", action="store_true", help=argparse.SUPPRESS)
        parser.add_argument("--matching", action="store_true", help=argparse.SUPPRESS)

    def handle(
        self, *args, requests: int, database_url: str | None, prepare: bool, batch: bool,
        skip_batch: bool, skip_reports: bool, load: bool, load_users: int, load_seconds: float,
        load_prepare: int | None, load_check: str | None, matching: bool, **options,
    ):
        if matching:
            self.stdout.write(json.dumps(speed_figures()))
            return
        if load_prepare:
            self.stdout.write(json.dumps(load_run.load_prepare(load_prepare)))
            return
        if load_check:
            with open(load_check) as file:
                self.stdout.write(json.dumps(load_run.load_check(json.load(file))))
            return
        if load:
            self.load(database_url, load_users, load_seconds)
            return
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
            self.report_matching(json.loads(benchmark.manage(env, "bench", "--matching")))
            if skip_batch:
                return
            self.stdout.write("\nScoring all member states with full synthetic answers...")
            args = ["bench", "--batch"] + (["--skip-reports"] if skip_reports else [])
            figures = json.loads(benchmark.manage(env, *args))
            self.stdout.write("\nThe same on words alone (MATCHING_MODEL empty), for comparison:")
            lexical = json.loads(
                benchmark.manage({**env, "MATCHING_MODEL": ""}, "bench", "--batch",
                                 "--skip-reports")
            )
            self.report_batch(figures, lexical["scoring"])

    def report_matching(self, figures: dict) -> None:
        model = figures["model"] or f"none: {figures['reason']}"
        self.stdout.write(f"\nMatching engine (semantic model: {model})")
        rows = [
            ("prepare, embeddings computed", figures["prepare_cold"], "s"),
            ("prepare, embeddings from file", figures["prepare_cached"], "s"),
            ("one new query, p50", figures["query_p50"] * 1000, "ms"),
            ("one new query, words only, p50", figures["query_p50_lexical"] * 1000, "ms"),
        ]
        for name, value, unit in rows:
            self.stdout.write(f"{name:<32}{value:>9.3f} {unit}")
        verdict = figures["query_p50"] * 1000 <= QUERY_BUDGET_MS
        self.stdout.write(
            f"budget: one query p50 <= {QUERY_BUDGET_MS} ms: "
            + (self.style.SUCCESS("within") if verdict else self.style.ERROR("OVER"))
        )

    def load(self, database_url: str | None, users: int, seconds: float) -> bool:
        """The load run; True when it met its targets (0 errors, 0 lost, autosave p95)."""
        if not database_url or not database_url.startswith(("postgres://", "postgresql://")):
            raise CommandError("--load needs --database-url postgres://... (a scratch database).")
        if users < 1 or seconds <= 0:
            raise CommandError("--load-users and --load-seconds must be positive.")
        load_run.postgres_database_ensure(database_url)
        env = benchmark.scratch_env(database_url)
        self.stdout.write(f"Preparing the scratch database ({database_url.rsplit('/', 1)[-1]})...")
        benchmark.manage(env, "migrate", "--noinput", "-v0")
        benchmark.manage(env, "load_reference", "-v0")
        plan = json.loads(benchmark.manage(env, "bench", "--load-prepare", str(users)))
        workers = 2 * (os.cpu_count() or 1) + 1
        self.stdout.write(
            f"{users} ministry users for {seconds:g} s: gunicorn ({workers} workers) on "
            "loopback, PostgreSQL..."
        )
        with benchmark.gunicorn(env, workers=workers) as port:
            result = load_run.load_drive(port, plan, seconds)
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
            json.dump(result.acknowledged, file)
        try:
            check = json.loads(benchmark.manage(env, "bench", "--load-check", file.name))
        finally:
            os.unlink(file.name)
        return self.report_load(result, check, seconds)

    def report_load(self, result, check: dict, seconds: float) -> bool:
        timings = (result.floor, result.page, result.autosave)
        self.stdout.write(
            f"\n{'request':<22}{'count':>7}{'per s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        )
        for timing in timings:
            if not timing.samples:
                self.stdout.write(f"{timing.name:<22}{0:>7}")
                continue
            self.stdout.write(
                f"{timing.name:<22}{len(timing.samples):>7}{len(timing.samples) / seconds:>8.1f}"
                f"{timing.p50 * 1000:>9.1f}{timing.p95 * 1000:>9.1f}"
                f"{timing.percentile(99) * 1000:>9.1f}"
            )
        self.stdout.write(f"errors: {len(result.errors)}")
        for error in result.errors[:10]:
            self.stdout.write(f"  {error}")
        self.stdout.write(
            f"acknowledged saves checked in the database: {check['checked']} answers, "
            f"lost: {len(check['lost'])}"
        )
        floor, autosave = result.floor, result.autosave
        ratio = autosave.p95 / floor.p95 if floor.samples and autosave.samples else float("inf")
        verdicts = [
            ("0 errors", not result.errors),
            ("0 lost saves", not check["lost"] and check["checked"] > 0),
            (f"autosave p95 <= {LOAD_AUTOSAVE_BUDGET:g}x floor p95: {ratio:.1f}x",
             ratio <= LOAD_AUTOSAVE_BUDGET),
        ]
        for text, ok in verdicts:
            verdict = self.style.SUCCESS("met") if ok else self.style.ERROR("MISSED")
            self.stdout.write(f"target {text} {verdict}")
        return all(ok for _, ok in verdicts)

    def report(self, timings, plan: dict, requests: int) -> None:
        floor = timings[0].p50
        self.stdout.write(
            f"\n{requests} requests each; section {benchmark.BENCH_CATEGORY} has "
            f"{plan['items']} items; gunicorn, 1 worker, loopback.\n"
        )
        self.stdout.write(f"{'figure':<26}{'p50 ms':>9}{'p95 ms':>9}{'x floor':>9}{'queries':>9}")
        for timing in timings:
            self.stdout.write(
                f"{timing.name:<26}{timing.p50 * 1000:>9.1f}{timing.p95 * 1000:>9.1f}"
                f"{timing.p50 / floor:>9.1f}{plan['queries'][timing.name]:>9}"
            )
        self.report_languages(timings)
        self.stdout.write("")
        for name, (html, wire) in plan.get("sizes", {}).items():
            ok = html <= PAGE_BYTES
            verdict = self.style.SUCCESS("within") if ok else self.style.ERROR("OVER")
            self.stdout.write(
                f"{name}: {html / 1000:.0f} kB of HTML (budget {PAGE_BYTES / 1000:.0f} kB) "
                f"{verdict}, {wire / 1000:.0f} kB gzip-compressed on the wire"
            )
        for timing in timings:
            budget = BUDGETS.get(timing.name)
            if budget is None:
                continue
            ratio = timing.p50 / floor
            verdict = self.style.SUCCESS("within") if ratio <= budget else self.style.ERROR("OVER")
            self.stdout.write(
                f"budget {timing.name}: p50 <= {budget:g}x floor: {ratio:.1f}x {verdict}"
            )

    def report_languages(self, timings) -> None:
        """The largest section page's p50 in each language of the run, on one line."""
        by_name = {timing.name: timing for timing in timings}
        english = by_name[benchmark.page_name("en")].p50
        figures = []
        for language in benchmark.BENCH_LANGUAGES:
            p50 = by_name[benchmark.page_name(language)].p50
            ratio = "" if language == "en" else f" ({p50 / english:.2f}x en)"
            figures.append(f"{language} {p50 * 1000:.1f} ms{ratio}")
        self.stdout.write(
            f"section {benchmark.BENCH_CATEGORY} page p50 by language: " + " | ".join(figures)
        )

    def report_batch(self, figures: dict, lexical: dict) -> None:
        scoring = figures["scoring"]
        self.stdout.write(
            f"{scoring['assessments']} assessments, {figures['answers']} answers, "
            f"{scoring['gaps']} gaps.\n"
        )
        rows = [
            ("one assessment, no cache", "one_assessment"),
            ("one assessment, cached", "one_cached"),
            ("score all, no cache", "score_all_cold"),
            ("score all, all fresh", "score_all_warm"),
            ("  of which: load answers", "load"),
            ("  of which: score", "score"),
            ("  of which: match all gaps", "matching"),
        ]
        self.stdout.write(f"{'':<32}{'model s':>9}{'words s':>9}{'ratio':>7}")
        for name, key in rows:
            seconds, alone = scoring[key], lexical[key]
            self.stdout.write(
                f"{name:<32}{seconds:>9.3f}{alone:>9.3f}{seconds / max(alone, 1e-6):>7.2f}"
            )
        self.stdout.write(f"matching engine made ready first: {figures['matching_prepare']:.2f} s")
        ratio = scoring["score_all_cold"] / max(lexical["score_all_cold"], 1e-6)
        within = ratio <= SCORING_BUDGET
        verdict = self.style.SUCCESS("within") if within else self.style.ERROR("OVER")
        self.stdout.write(
            f"budget: score all (no cache) with the model <= {SCORING_BUDGET:g}x words alone: "
            f"{ratio:.2f}x {verdict}"
        )
        heat = figures.get("heatmap")
        if heat:
            self.report_heatmap(heat)
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

    def report_heatmap(self, heat: dict) -> None:
        floor = heat["floor"]
        self.stdout.write(
            f"\nheat map of {heat['countries']} countries (in-process, scores fresh; floor p50 "
            f"{floor * 1000:.1f} ms):"
        )
        rows = [
            ("first view in a new process", heat["first"], HEATMAP_FIRST),
            ("p50 of repeated views", heat["warm"], HEATMAP_WARM),
            (f"p50, {heat['region']} ({heat['region_countries']} countries)",
             heat["region_warm"], None),
        ]
        for name, seconds, budget in rows:
            verdict = ""
            if budget is not None:
                ok = seconds <= budget
                verdict = f"  budget {budget * 1000:g} ms " + (
                    self.style.SUCCESS("within") if ok else self.style.ERROR("OVER")
                )
            self.stdout.write(
                f"  {name:<40}{seconds * 1000:>9.1f} ms{seconds / floor:>8.1f}x floor{verdict}"
            )
