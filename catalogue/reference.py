"""Load the framework, the guidelines and the compendium from ``catalogue/data``.

See ``docs/reference-data.md`` for the file formats. Rows are matched by their stable ids and
never deleted: an activity or entry that left the files is marked retired.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from .models import (
    Activity,
    ActivityGroup,
    Category,
    CompendiumSection,
    Entry,
    Guideline,
    GuidelineItem,
    Part,
    SourceDocument,
)
from .upsert import RETIRED, LoadReport, ReferenceDataError, mark_written, upsert

DATA_DIR = Path(__file__).resolve().parent / "data"
ENTRY_LIST_FIELDS = ("sources", "categories", "activities")
# The fields the loader writes and digests (see upsert): a retired row's digest is taken over
# the same ones, named here rather than taken from the last row of a loop.
ACTIVITY_VALUES = (
    "category_id", "group_id", "number", "text", "details", "obligation", "position",
    "is_retired",
)
ENTRY_VALUES = (
    "part", "section_id", "number", "title", "short_title", "kind", "issuer", "year",
    "description", "url", "position", "is_retired",
)
ENTRY_FIELDS = (
    "part", "section", "number", "title", "short_title", "kind", "issuer", "year",
    "description", "url",
)


def read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise ReferenceDataError(f"{path.name}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ReferenceDataError(f"{path.name}: not valid YAML ({exc})") from exc


def _lookup(table: dict[str, Any], ref: Any, where: str, what: str) -> Any:
    try:
        return table[ref]
    except KeyError as exc:
        raise ReferenceDataError(f"{where}: unknown {what} “{ref}”") from exc


def load_sources(report: LoadReport, *, overwrite: bool) -> dict[str, SourceDocument]:
    existing = {s.code: s for s in SourceDocument.objects.all()}
    for row in read_yaml(DATA_DIR / "sources.yaml"):
        values = {
            "symbol": row.get("symbol") or "",
            "title": row["title"],
            "year": row.get("year"),
        }
        _, outcome = upsert(
            existing, SourceDocument, {"code": str(row["code"])}, values, overwrite=overwrite
        )
        report.add("source documents", outcome)
    return existing


def load_framework(report: LoadReport, *, overwrite: bool) -> None:
    data = read_yaml(DATA_DIR / "framework.yaml")
    categories = {c.numeral: c for c in Category.objects.all()}
    for position, row in enumerate(data["categories"], start=1):
        values = {"title": row["title"], "intro": row.get("intro") or "", "position": position}
        _, outcome = upsert(
            categories, Category, {"numeral": row["numeral"]}, values, overwrite=overwrite
        )
        report.add("categories", outcome)

    groups = {g.ref: g for g in ActivityGroup.objects.all()}
    for position, row in enumerate(data["groups"], start=1):
        where = f"framework.yaml group {row['ref']}"
        parent = row.get("parent")
        values = {
            "category_id": _lookup(categories, row["category"], where, "category").pk,
            "parent_id": _lookup(groups, parent, where, "parent group").pk if parent else None,
            "label": row.get("label") or "",
            "title": row["title"],
            "position": position,
        }
        _, outcome = upsert(groups, ActivityGroup, {"ref": row["ref"]}, values, overwrite=overwrite)
        report.add("activity groups", outcome)

    activities = {a.ref: a for a in Activity.objects.all()}
    seen: set[str] = set()
    for position, row in enumerate(data["activities"], start=1):
        where = f"framework.yaml activity {row['ref']}"
        if row["ref"] in seen:
            raise ReferenceDataError(f"{where}: the ref appears twice")
        seen.add(row["ref"])
        group = row.get("group")
        values = {
            "category_id": _lookup(categories, row["category"], where, "category").pk,
            "group_id": _lookup(groups, group, where, "group").pk if group else None,
            "number": str(row.get("number") or ""),
            "text": row["text"],
            "details": row.get("details") or [],
            "obligation": row.get("obligation") or "",
            "position": position,
            "is_retired": False,
        }
        _, outcome = upsert(activities, Activity, {"ref": row["ref"]}, values, overwrite=overwrite)
        report.add("activities", outcome)
    _retire(report, "activities", Activity, set(activities) - seen, ACTIVITY_VALUES)


def load_guidelines(report: LoadReport, *, overwrite: bool) -> None:
    data = read_yaml(DATA_DIR / "guidelines.yaml")
    guidelines = {g.number: g for g in Guideline.objects.all()}
    items = {(i.guideline_id, i.label): i for i in GuidelineItem.objects.all()}
    for row in data["guidelines"]:
        guideline, outcome = upsert(
            guidelines, Guideline, {"number": row["number"]}, {"text": row["text"]},
            overwrite=overwrite,
        )
        report.add("guidelines", outcome)
        for item in row.get("items") or []:
            _, outcome = upsert(
                items,
                GuidelineItem,
                {"guideline_id": guideline.pk, "label": item["label"]},
                {"text": item["text"]},
                overwrite=overwrite,
            )
            report.add("guideline items", outcome)


def load_compendium(
    report: LoadReport, sources: dict[str, SourceDocument], *, overwrite: bool
) -> None:
    compendium_dir = DATA_DIR / "compendium"
    toc = read_yaml(compendium_dir / "toc.yaml")
    categories = {c.numeral: c for c in Category.objects.all()}
    groups = {g.ref: g for g in ActivityGroup.objects.all()}
    activities = {a.ref: a for a in Activity.objects.all()}

    sections = {(s.part, s.number): s for s in CompendiumSection.objects.all()}
    for position, row in enumerate(toc["sections"], start=1):
        where = f"toc.yaml section {row['part']} {row.get('number')}"
        key = (row["part"], str(row.get("number") or ""))
        values = {
            "title": row["title"],
            "category_id": (
                _lookup(categories, row["category"], where, "category").pk
                if row.get("category") else None
            ),
            "group_id": (
                _lookup(groups, row["group"], where, "group").pk if row.get("group") else None
            ),
            "position": position,
        }
        _, outcome = upsert(
            sections,
            CompendiumSection,
            {"part": key[0], "number": key[1]},
            values,
            overwrite=overwrite,
        )
        report.add("compendium sections", outcome)

    merged = merge_entry_files(sorted(compendium_dir.glob("*.yaml")))
    entries = {e.ref: e for e in Entry.objects.prefetch_related(*ENTRY_LIST_FIELDS)}
    for position, (ref, row) in enumerate(merged.items(), start=1):
        where = f"{row['_file']} entry {ref}"
        part = row.get("part")
        if part not in Part.values:
            raise ReferenceDataError(f"{where}: unknown part “{part}” (use A, B, C or N)")
        if row.get("kind") not in Entry.Kind.values:
            raise ReferenceDataError(f"{where}: unknown kind “{row.get('kind')}”")
        section_number = str(row.get("section") or "")
        section = None
        if section_number:
            section = _lookup(sections, (part, section_number), where, "section")
        values = {
            "part": part,
            "section_id": section.pk if section else None,
            "number": str(row.get("number") or ""),
            "title": row["title"],
            "short_title": row.get("short_title") or "",
            "kind": row["kind"],
            "issuer": row.get("issuer") or "",
            "year": row.get("year"),
            "description": row.get("description") or "",
            "url": row.get("url") or "",
            "position": position,
            "is_retired": False,
        }
        links = {
            "sources": [_lookup(sources, str(c), where, "source").pk for c in row["sources"]],
            "categories": [
                _lookup(categories, c, where, "category").pk for c in row["categories"]
            ],
            "activities": [
                _lookup(activities, a, where, "activity").pk for a in row["activities"]
            ],
        }
        _, outcome = upsert(entries, Entry, {"ref": ref}, values, links=links, overwrite=overwrite)
        report.add("compendium entries", outcome)
    _retire(
        report, "compendium entries", Entry, set(entries) - set(merged), ENTRY_VALUES,
        ENTRY_LIST_FIELDS,
    )


def merge_entry_files(paths: list[Path]) -> dict[str, dict[str, Any]]:
    """Join the entries of every file; a ref named in several files unions its lists."""
    merged: dict[str, dict[str, Any]] = {}
    for path in paths:
        data = read_yaml(path) or {}
        for row in data.get("entries") or []:
            ref = row.get("ref")
            if not ref or not row.get("title"):
                raise ReferenceDataError(f"{path.name}: an entry lacks its ref or title ({row})")
            row = {**row, "_file": path.name}
            for name in ENTRY_LIST_FIELDS:
                row[name] = [str(v) if name == "sources" else v for v in row.get(name) or []]
            if ref not in merged:
                merged[ref] = row
                continue
            first = merged[ref]
            for name in ENTRY_FIELDS:
                if row.get(name) in (None, "") or first.get(name) in (None, ""):
                    first[name] = first.get(name) or row.get(name)
                elif str(row[name]) != str(first[name]):
                    raise ReferenceDataError(
                        f"{path.name} entry {ref}: {name} “{row[name]}” disagrees with "
                        f"{first['_file']} (“{first[name]}”)"
                    )
            for name in ENTRY_LIST_FIELDS:
                first[name] += [v for v in row[name] if v not in first[name]]
    return merged


def _retire(
    report: LoadReport,
    label: str,
    model: type[Activity] | type[Entry],
    refs: set[str],
    value_names: tuple[str, ...],
    link_names: tuple[str, ...] = (),
) -> None:
    """Retire rows the files no longer name; rows staff created stay as they are.

    The retirement is recorded as the loader's own, so the row comes back if the files name it
    again, while a retirement decided in admin is a staff edit the loader keeps.
    """
    stale = model.objects.filter(ref__in=refs, is_retired=False).exclude(reference_digest="")
    for obj in stale:
        obj.is_retired = True
        mark_written(obj, value_names, link_names)
        obj.save(update_fields=["is_retired", "reference_digest"])
        report.add(label, RETIRED)


@transaction.atomic
def load_catalogue(report: LoadReport, *, overwrite: bool = False) -> None:
    sources = load_sources(report, overwrite=overwrite)
    load_framework(report, overwrite=overwrite)
    load_guidelines(report, overwrite=overwrite)
    load_compendium(report, sources, overwrite=overwrite)
