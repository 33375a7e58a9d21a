"""Read-only querysets for the browse pages of the framework and the compendium.

Each selector does its own ``select_related``/``prefetch_related`` so that a page runs a fixed
number of queries however many activities or entries the reference data holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django.db import connection
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery

from .models import Activity, ActivityGroup, Category, CompendiumSection, Entry

SEARCH_FIELDS = ("title", "short_title", "issuer", "description")


class _CountDistinct(Func):
    """``COUNT(DISTINCT ...)`` as a plain function, so the subquery gets no GROUP BY."""

    function = "COUNT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = IntegerField()


def _count(queryset: QuerySet) -> Subquery:
    """A correlated count of the rows of ``queryset``, usable in ``annotate``."""
    return Subquery(queryset.order_by().annotate(n=_CountDistinct(F("pk"))).values("n"))


def category_list() -> QuerySet[Category]:
    """The categories in document order with ``activity_count`` and ``entry_count``.

    An entry serves a category when it is linked to it or to one of its activities, as on the
    category page.
    """
    category = OuterRef("pk")
    activities = Activity.objects.current().filter(category=category)
    entries = Entry.objects.current().filter(
        Q(categories=category) | Q(activities__category=category)
    )
    return Category.objects.annotate(
        activity_count=_count(activities), entry_count=_count(entries)
    ).order_by("position")


@dataclass
class Block:
    """A run of activities under one heading of the category page (or under none)."""

    group: ActivityGroup | None
    level: int  # heading level: 2 for III.A or VII.B, 3 for the offence groups under III.A
    sections: list[CompendiumSection] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


@dataclass
class CategoryPage:
    category: Category
    blocks: list[Block]
    category_entries: list[Entry]  # linked to the category but to none of its activities
    sections: list[CompendiumSection]  # Part B headings not shown under a group's heading


def _entries_for_listing() -> QuerySet[Entry]:
    return Entry.objects.current().only(
        "ref", "part", "title", "short_title", "kind", "issuer", "year", "position"
    )


def category_page(*, category: Category) -> CategoryPage:
    """The activities of ``category`` in document order, grouped under their headings.

    Headings come from the activities' groups, so a group is shown where its first activity
    is; a parent group (III.A) is shown once, before its first offence group.
    """
    activities = (
        Activity.objects.current()
        .filter(category=category)
        .select_related("category", "group__parent")
        .prefetch_related(Prefetch("entries", queryset=_entries_for_listing()))
        .order_by("position")
    )
    sections = list(
        CompendiumSection.objects.filter(category=category).order_by("part", "position")
    )
    sections_by_group: dict[int, list[CompendiumSection]] = {}
    for section in sections:
        if section.group_id:
            sections_by_group.setdefault(section.group_id, []).append(section)

    blocks: list[Block] = []
    shown: set[int] = set()
    for activity in activities:
        group = activity.group
        if group is not None and group.pk not in shown:
            if group.parent is not None and group.parent.pk not in shown:
                shown.add(group.parent.pk)
                blocks.append(Block(group.parent, 2, sections_by_group.get(group.parent.pk, [])))
            shown.add(group.pk)
            level = 3 if group.parent is not None else 2
            blocks.append(Block(group, level, sections_by_group.get(group.pk, [])))
        elif group is None and (not blocks or blocks[-1].group is not None):
            blocks.append(Block(None, 2))
        blocks[-1].activities.append(activity)
    sections = [s for s in sections if s.group_id not in shown]

    category_entries = list(
        _entries_for_listing()
        .filter(categories=category)
        .exclude(activities__category=category)
        .distinct()
    )
    return CategoryPage(category, blocks, category_entries, sections)


def entry_search(
    *,
    q: str = "",
    kind: str = "",
    part: str = "",
    category: Category | None = None,
    section: CompendiumSection | None = None,
) -> QuerySet[Entry]:
    """Current entries matching every word of ``q`` and every filter given, by part and position.

    A category filter keeps the entries that serve it, directly or through one of its
    activities, as counted on the framework page.
    """
    entries = Entry.objects.current()
    for word in q.split():
        entries = entries.filter(
            reduce(or_, (Q(**{f"{name}__icontains": word}) for name in SEARCH_FIELDS))
        )
    filters = []
    if kind:
        filters.append(Q(kind=kind))
    if part:
        filters.append(Q(part=part))
    if section is not None:
        filters.append(Q(section=section))
    if category is not None:
        served = Entry.objects.filter(
            Q(categories=category) | Q(activities__category=category)
        ).values("pk")
        filters.append(Q(pk__in=served))
    if filters:
        entries = entries.filter(reduce(and_, filters))
    # Part B entries come from several files, so their positions do not follow the sections.
    return (
        entries.select_related("section")
        .prefetch_related("sources")
        .order_by("part", F("section__position").asc(nulls_last=True), "position", "pk")
    )


def entry_detail_queryset() -> QuerySet[Entry]:
    """Entries with everything the entry page shows, retired ones included (links stay valid)."""
    return Entry.objects.select_related("section").prefetch_related(
        "sources",
        Prefetch("categories", queryset=Category.objects.order_by("position")),
        Prefetch(
            "activities",
            queryset=Activity.objects.current()
            .select_related("category", "group__parent")
            .order_by(
                "category__position", "position"
            ),
        ),
    )


def reference_version() -> tuple:
    """A cheap key that changes whenever the framework or the compendium changes.

    The matching index is rebuilt and the score caches recomputed when it changes.

    One query of aggregates: row counts and highest ids of the activities, entries, categories,
    groups, sections and link tables, and the highest history id of the models that keep history
    (every save through the ORM, from admin or from the loader, adds a history row).
    """
    quote = connection.ops.quote_name
    tables = [
        (Activity._meta.db_table, "id"),
        (Entry._meta.db_table, "id"),
        (Category._meta.db_table, "id"),
        (ActivityGroup._meta.db_table, "id"),
        (CompendiumSection._meta.db_table, "id"),
        (Entry.activities.through._meta.db_table, "id"),
        (Entry.categories.through._meta.db_table, "id"),
        (Activity.history.model._meta.db_table, "history_id"),
        (Entry.history.model._meta.db_table, "history_id"),
        (Category.history.model._meta.db_table, "history_id"),
    ]
    parts = [
        f"(SELECT COUNT(*) FROM {quote(t)}), (SELECT MAX({quote(c)}) FROM {quote(t)})"
        for t, c in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return (connection.alias, *cursor.fetchone())
