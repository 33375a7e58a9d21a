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
    held_out_report,
    load_unmatched_needs,
    quality_report,
)
from catalogue.matching.semantic import LABELLED_NEEDS_FILE, semantic_status

LABELS_DIR = Path(settings.BASE_DIR) / "tests" / "data"
RANKERS = ("engine", "lexical", "tfidf")
NO_LABELS = "{path}: no such file; give the labelled examples with --{option}."


class Command(BaseCommand):
    help = (
        "Measure the matching engine on the labelled examples of the tests (needs of the 2004 "
        "synopsis -> activities; gaps -> compendium entries), next to plain TF-IDF."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--needs", default=str(LABELLED_NEEDS_FILE),
            help="Labelled 2004 needs (default catalogue/data/labelled_needs.yaml).",
        )
        parser.add_argument(
            "--entries", default=str(LABELS_DIR / "entry_labels.yaml"),
            help="Labelled gaps (default tests/data/entry_labels.yaml).",
        )
        parser.add_argument(
            "--held-out-needs", default=str(LABELS_DIR / "heldout_needs.yaml"),
            help="Needs in new words, in six languages (default tests/data/heldout_needs.yaml).",
        )
        parser.add_argument(
            "--held-out-gaps", default=str(LABELS_DIR / "heldout_gaps.yaml"),
            help="Gaps with the ministry's words (default tests/data/heldout_gaps.yaml).",
        )
        parser.add_argument("--json", action="store_true", help="One JSON line per figure.")

    def handle(self, *args, **options) -> None:
        needs, entries = Path(options["needs"]), Path(options["entries"])
        new_needs, new_gaps = Path(options["held_out_needs"]), Path(options["held_out_gaps"])
        for path, option in (
            (needs, "needs"), (entries, "entries"), (new_needs, "held-out-needs"),
            (new_gaps, "held-out-gaps"),
        ):
            if not path.is_file():
                raise CommandError(NO_LABELS.format(path=path, option=option))
        rows = quality_report(needs, entries)
        held = held_out_report(needs, new_needs, new_gaps)
        status = semantic_status()
        unmatched = load_unmatched_needs(needs)
        best = [ms[0].score if ms else 0.0 for ms in match_activities_many(unmatched, top=1)]

        if options["json"]:
            for row in rows:
                line = {"target": row.target, "ranker": row.ranker, "split": row.split}
                self.stdout.write(json.dumps({**line, **asdict(row.metrics)}))
            for text, score in zip(unmatched, best, strict=True):
                self.stdout.write(json.dumps({"unmatched": text, "best_score": score}))
            for h in held:
                line = {"set": h.dataset, "language": h.language, "ranker": h.ranker}
                self.stdout.write(json.dumps({**line, **asdict(h.metrics)}))
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
        self._held_out(held, status)

    def _held_out(self, rows, status) -> None:
        model = status.model if status.available else f"none ({status.reason})"
        self.stdout.write(self.style.MIGRATE_HEADING(
            f"Held-out sets, per language (semantic model: {model})"
        ))
        head = "".join(f" | {r:<7} {'hit@1':>5} {'hit@3':>5} {'MRR':>5}" for r in RANKERS)
        self.stdout.write(f"  {'set':<9} {'lang':<6} {'n':>3}{head}")
        table = {(r.dataset, r.language, r.ranker): r.metrics for r in rows}
        for dataset, language in dict.fromkeys((r.dataset, r.language) for r in rows):
            cells = [table[(dataset, language, ranker)] for ranker in RANKERS]
            line = "".join(
                f" | {'':<7} {m.hit_at_1:>5.2f} {m.hit_at_3:>5.2f} {m.mrr:>5.2f}" for m in cells
            )
            self.stdout.write(f"  {dataset:<9} {language:<6} {cells[0].count:>3}{line}")
