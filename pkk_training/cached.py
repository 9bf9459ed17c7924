"""Configuration lists cached by a change stamp, and read in one query on a miss.

A report reads several such lists (a checklist's steps and reasons, a
program's photos and signatories); after an edit, or in a new process without
a shared cache, they all miss at once. Reading every miss in one UNION ALL
query keeps the report's first view within one query of its cached views.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import F, IntegerField, Value, Window
from django.db.models.expressions import OrderBy
from django.db.models.functions import Cast, RowNumber


def _ordering(queryset):
    names = queryset.query.order_by or (
        queryset.model._meta.ordering if queryset.query.default_ordering else ()
    )
    return [
        name
        if hasattr(name, "resolve_expression")
        else OrderBy(F(name.removeprefix("-")), descending=name.startswith("-"))
        for name in names
    ]


def _null_of(field):
    # Typed: PostgreSQL will not unite an untyped NULL with a date or a number.
    return Cast(Value(None), output_field=field.target_field if field.is_relation else field)


def instances_in_one_query(querysets):
    """{name: [model instances]} of several querysets of whole rows, in each one's
    own order, read in one UNION ALL query.

    Each queryset is read with all its model's columns (no select_related,
    only() or annotations); each row carries every queryset's columns, NULL
    but its own, so the instances are built as the queryset would build them.
    An ordering by a relation orders by its id, not by the related model's
    ordering.
    """
    parts = [(name, qs, list(qs.model._meta.concrete_fields)) for name, qs in querysets.items()]
    if not parts:
        return {}
    slots = [(i, field) for i, (_name, _qs, fields) in enumerate(parts) for field in fields]
    columns = [f"c{n}" for n in range(len(slots))]
    selects = []
    for i, (_name, qs, _fields) in enumerate(parts):
        cells = {
            column: F(field.attname) if owner == i else _null_of(field)
            for column, (owner, field) in zip(columns, slots, strict=True)
        }
        selects.append(
            qs.annotate(
                part=Value(i, output_field=IntegerField()),
                row=Window(RowNumber(), order_by=_ordering(qs) or [F("pk")]),
                **cells,
            )
            .order_by()
            .values_list("part", "row", *columns)
        )
    first, *rest = selects
    rows = sorted(first.union(*rest, all=True) if rest else first, key=lambda r: r[:2])
    found = {name: [] for name, _qs, _fields in parts}
    start = [0]
    for _name, _qs, fields in parts:
        start.append(start[-1] + len(fields))
    for part, _row, *values in rows:
        name, qs, fields = parts[part]
        found[name].append(
            qs.model.from_db(
                qs.db, [f.attname for f in fields], values[start[part] : start[part + 1]]
            )
        )
    return found


@dataclass
class CachedRead:
    """Values cached under `keys` ({name: cache key}); on a miss, `querysets`
    (missing names -> {tag: queryset}) are read and `build` (missing names,
    {tag: [instances]} -> {name: value}) makes the values to cache."""

    keys: dict
    querysets: Callable
    build: Callable


def read_cached(*reads, timeout=3600):
    """[{name: value}] for each read: one cache round trip for all of them, and
    one query for all their misses together (none when everything is cached)."""
    found = cache.get_many([key for read in reads for key in read.keys.values()])
    missing = [[name for name, key in read.keys.items() if key not in found] for read in reads]
    querysets = {
        (i, tag): queryset
        for i, (read, names) in enumerate(zip(reads, missing, strict=True))
        if names
        for tag, queryset in read.querysets(names).items()
    }
    rows = instances_in_one_query(querysets)
    fresh = {}
    for i, (read, names) in enumerate(zip(reads, missing, strict=True)):
        if names:
            mine = {tag: instances for (j, tag), instances in rows.items() if j == i}
            fresh.update({read.keys[n]: value for n, value in read.build(names, mine).items()})
    if fresh:
        cache.set_many(fresh, timeout=timeout)
        found.update(fresh)
    return [{name: found[key] for name, key in read.keys.items()} for read in reads]
