"""Match texts to activities or to compendium entries from the command line."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from catalogue.matching import ActivityMatch, EntryMatch, match_activities_many, match_entries_many

TARGETS = ("activities", "entries")

NO_QUERY = "Give a TEXT to match, or --file with one query per line."
BOTH_QUERIES = "Give either a TEXT or --file, not both."
EMPTY_TEXT = "TEXT is empty: give the words of a need or a gap to match."
UNKNOWN_TARGET = "Unknown --target “{target}”: use activities or entries."
BAD_TOP = "--top must be a whole number of 1 or more (got {top})."
NO_FILE = "--file {path}: no such file; give the path of a text file with one query per line."
EMPTY_FILE = "--file {path} has no non-empty line: put one query per line."
UNREADABLE_FILE = "--file {path} could not be read as UTF-8 text ({error})."
ACTIVITY_NEEDS_ENTRIES = "--activity only goes with --target entries."
UNKNOWN_ACTIVITY = "--activity {ref}: no current activity has this ref (e.g. V.4, VII.D.5)."

ACTIVITY_FIELDS = ("ref", "category", "number", "text", "score", "reasons")
ENTRY_FIELDS = ("ref", "title", "kind", "part", "score", "reasons")


def activity_json(match: ActivityMatch) -> dict:
    data = asdict(match)
    return {name: list(data[name]) if name == "reasons" else data[name] for name in ACTIVITY_FIELDS}


def entry_json(match: EntryMatch) -> dict:
    data = asdict(match)
    return {name: list(data[name]) if name == "reasons" else data[name] for name in ENTRY_FIELDS}


class Command(BaseCommand):
    help = (
        "Match a need or gap text to the implementation activities (--target activities) or to "
        "the compendium's instruments and tools (--target entries), with scores and reasons."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("text", nargs="?", help="The text to match (or use --file).")
        parser.add_argument(
            "--target", default="activities", help="activities (default) or entries."
        )
        parser.add_argument("--top", default=5, help="How many results per query (default 5).")
        parser.add_argument(
            "--json", action="store_true", help="One JSON line per query instead of a table."
        )
        parser.add_argument(
            "--file", help="A UTF-8 text file with one query per line (empty lines skipped)."
        )
        parser.add_argument(
            "--activity",
            help="With --target entries: the ref of the gap's activity (e.g. V.4); TEXT is "
            "then the country's own need and may be omitted.",
        )

    def handle(self, *args, **options) -> None:
        target = options["target"]
        if target not in TARGETS:
            raise CommandError(UNKNOWN_TARGET.format(target=target))
        top = self._top(options["top"])
        activity = options.get("activity")
        if activity and target != "entries":
            raise CommandError(ACTIVITY_NEEDS_ENTRIES)
        queries = self._queries(
            options.get("text"), options.get("file"), allow_empty=bool(activity)
        )

        if target == "activities":
            results = match_activities_many(queries, top=top)
            rows = [[activity_json(m) for m in ms] for ms in results]
        else:
            try:
                results = match_entries_many(
                    queries, top=top, activities=[activity] * len(queries)
                )
            except ValueError as exc:
                raise CommandError(UNKNOWN_ACTIVITY.format(ref=activity)) from exc
            rows = [[entry_json(m) for m in ms] for ms in results]

        for query, found in zip(queries, rows, strict=True):
            if options["json"]:
                line = {"query": query, "target": target, "results": found}
                if activity:
                    line["activity"] = activity
                self.stdout.write(json.dumps(line, ensure_ascii=False))
            else:
                self._table(query, target, found)

    def _top(self, value) -> int:
        try:
            top = int(value)
        except (TypeError, ValueError):
            top = 0
        if top < 1:
            raise CommandError(BAD_TOP.format(top=value))
        return top

    def _queries(self, text: str | None, file: str | None, *, allow_empty: bool) -> list[str]:
        if text is not None and file:
            raise CommandError(BOTH_QUERIES)
        if file:
            path = Path(file)
            if not path.is_file():
                raise CommandError(NO_FILE.format(path=file))
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(UNREADABLE_FILE.format(path=file, error=exc)) from exc
            queries = [line.strip() for line in lines if line.strip()]
            if not queries:
                raise CommandError(EMPTY_FILE.format(path=file))
            return queries
        if text is None:
            if allow_empty:
                return [""]
            raise CommandError(NO_QUERY)
        if not text.strip() and not allow_empty:
            raise CommandError(EMPTY_TEXT)
        return [text.strip()]

    def _table(self, query: str, target: str, found: list[dict]) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"“{query}” → {target}"))
        if not found:
            self.stdout.write("  (nothing to match against: load the reference data first)")
        for rank, row in enumerate(found, start=1):
            label = row["text"] if target == "activities" else f"[{row['kind']}] {row['title']}"
            if len(label) > 80:
                label = label[:79] + "…"
            self.stdout.write(f"  {rank:>2}. {row['ref']:<14} {row['score']:.2f}  {label}")
            for reason in row["reasons"]:
                self.stdout.write(f"      - {reason}")
        self.stdout.write("")
