"""python manage.py bench: latency and queries of the pages that must stay fast."""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments import benchmark

# Budgets, as ratios of p50 latency to the floor (a minimal page through the same middleware).
BUDGETS = {"largest section page": 25.0, "autosave": 5.0}


class Command(BaseCommand):
    help = (
        "Serve the site with gunicorn on loopback against a scratch database and print p50/p95 "
        "latency and queries of the largest section page, an autosave and a full-section "
        "submit, with the floor and the budgets."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--requests", type=int, default=40, help="Requests per figure.")
        parser.add_argument(
            "--database-url",
            help="Scratch database for the run (default: a new SQLite file). It is migrated "
            "and filled: never point it at real data.",
        )
        parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)

    def handle(self, *args, requests: int, database_url: str | None, prepare: bool, **options):
        if prepare:
            self.stdout.write(json.dumps(benchmark.prepare()))
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
