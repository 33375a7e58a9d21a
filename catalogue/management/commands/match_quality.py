"""Print how well the matching engine does on the labelled examples, against a baseline."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from catalogue.matching.engine import NEED_THRESHOLD, match_activities_many
from catalogue.matching.evaluation import (
    ActivityMetrics,
    load_unmatched_needs,
    quality_report,
)

LABELS_DIR = Path(settings.BASE_DIR) / "tests" / "data"
NO_LABELS = "{path}: no such file; give the labelled examples with --{option}."


class Command(BaseCommand):
    help = (
        "Measure the matching engine on the labelled examples of the tests (needs of the 2004 "
        "synopsis -> activities; gaps -> compendium entries), next to plain TF-IDF."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--needs", default=str(LABELS_DIR / "synopsis_labels.yaml"),
            help="Labelled needs (default tests/data/synopsis_labels.yaml).",
        )
        parser.add_argument(
            "--entries", default=str(LABELS_DIR / "entry_labels.yaml"),
            help="Labelled gaps (default tests/data/entry_labels.yaml).",
        )
        parser.add_argument("--json", action="store_true", help="One JSON line per figure.")

    def handle(self, *args, **options) -> None:
        needs, entries = Path(options["needs"]), Path(options["entries"])
        for path, option in ((needs, "needs"), (entries, "entries")):
            if not path.is_file():
                raise CommandError(NO_LABELS.format(path=path, option=option))
        rows = quality_report(needs, entries)
        unmatched = load_unmatched_needs(needs)
        best = [ms[0].score if ms else 0.0 for ms in match_activities_many(unmatched, top=1)]

        if options["json"]:
            for row in rows:
                line = {"target": row.target, "ranker": row.ranker, "split": row.split}
                self.stdout.write(json.dumps({**line, **asdict(row.metrics)}))
            for text, score in zip(unmatched, best, strict=True):
                self.stdout.write(json.dumps({"unmatched": text, "best_score": score}))
            return

        self.stdout.write(self.style.MIGRATE_HEADING("Needs of the 2004 synopsis -> activities"))
        self.stdout.write(f"  {'ranker':<9} {'split':<9} {'n':>4} {'hit@3':>6} "
                          f"{'cat@1':>6} {'cat@1 macro':>11}")
        for row in rows:
            m = row.metrics
            if isinstance(m, ActivityMetrics):
                self.stdout.write(
                    f"  {row.ranker:<9} {row.split:<9} {m.count:>4} {m.hit_at_3:>6.3f} "
                    f"{m.category_accuracy:>6.3f} {m.category_accuracy_macro:>11.3f}"
                )
        self.stdout.write(self.style.MIGRATE_HEADING("Gaps (activities) -> compendium entries"))
        self.stdout.write(f"  {'ranker':<9} {'split':<9} {'n':>4} {'hit@5':>6} {'P@5':>6} "
                          f"{'MRR':>6}")
        for row in rows:
            m = row.metrics
            if not isinstance(m, ActivityMetrics):
                self.stdout.write(
                    f"  {row.ranker:<9} {row.split:<9} {m.count:>4} {m.hit_at_5:>6.3f} "
                    f"{m.precision_at_5:>6.3f} {m.mrr:>6.3f}"
                )
        if unmatched:
            self.stdout.write(self.style.MIGRATE_HEADING(
                f"Needs outside the framework (should score below {NEED_THRESHOLD})"
            ))
            for text, score in zip(unmatched, best, strict=True):
                self.stdout.write(f"  {score:.3f}  {text}")
