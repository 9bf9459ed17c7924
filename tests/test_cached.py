"""Cached lists read in one query on a miss (pkk_training.cached) are the rows the
querysets give, and a miss reads only what is missing."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from checklists.models import BlockerReason, ChecklistStep
from pkk_training.cached import CachedRead, instances_in_one_query, read_cached
from reports.models import ReportPhoto, Signatory
from tests.factories import ChecklistTemplateFactory, ProgramFactory

pytestmark = pytest.mark.django_db


def _fields(instances):
    """Each instance's column values with their types, and its state as loaded."""
    return [
        (
            [
                (f.attname, getattr(o, f.attname), type(getattr(o, f.attname)))
                for f in o._meta.concrete_fields
            ],
            o._state.adding,
            o._state.db,
        )
        for o in instances
    ]


def test_the_rows_are_the_querysets_own_in_their_order_and_read_in_one_query():
    template = ChecklistTemplateFactory()
    first, second, third = template.steps.order_by("position")
    second.required = False
    second.how_to = "Buka aplikasi"
    second.save()
    third.archived_at = timezone.now()
    third.save()
    ChecklistStep.objects.create(
        template=template, position=4, title="Pengganti", replaces=third, key="ganti"
    )
    program = ProgramFactory()
    ReportPhoto.objects.create(program=program, position=2, image="foto/b.jpg", width=640)
    ReportPhoto.objects.create(program=program, position=1, image="foto/a.jpg", caption="Balai")
    Signatory.objects.create(program=program, role="DPL", name="Siti", heading="mengetahui")
    querysets = {
        "steps": ChecklistStep.objects.filter(template=template),
        "reasons": BlockerReason.objects.filter(template=template).order_by("-position", "pk"),
        "photos": program.report_photos.all(),
        "nobody": Signatory.objects.filter(program=ProgramFactory()),
        "signatories": program.report_signatories.all(),
    }

    with CaptureQueriesContext(connection) as queries:
        found = instances_in_one_query(querysets)

    expected = {name: _fields(qs) for name, qs in querysets.items()}
    assert ({name: _fields(rows) for name, rows in found.items()}, len(queries)) == (expected, 1)
    assert [len(rows) for rows in expected.values()] == [4, 8, 2, 0, 1]


def _read(names, reads):
    """A CachedRead of templates' step titles under `names` ({name: key})."""

    def querysets(missing):
        reads.append(sorted(missing))
        return {"steps": ChecklistStep.objects.filter(template_id__in=missing).order_by("pk")}

    def build(missing, rows):
        return {pk: [s.title for s in rows["steps"] if s.template_id == pk] for pk in missing}

    return CachedRead(keys=names, querysets=querysets, build=build)


def test_every_miss_is_read_in_one_query_and_only_the_misses_are_read():
    a, b, c = ChecklistTemplateFactory.create_batch(3)
    titles = {t.pk: list(t.steps.order_by("pk").values_list("title", flat=True)) for t in (a, b, c)}
    cache.set(f"t:{c.pk}", ["cached"])
    reads = []

    with CaptureQueriesContext(connection) as cold:
        first = read_cached(
            _read({a.pk: f"t:{a.pk}"}, reads), _read({b.pk: f"t:{b.pk}", c.pk: f"t:{c.pk}"}, reads)
        )
    with CaptureQueriesContext(connection) as warm:
        again = read_cached(_read({a.pk: f"t:{a.pk}", b.pk: f"t:{b.pk}"}, reads))

    assert (first, len(cold), reads) == (
        [{a.pk: titles[a.pk]}, {b.pk: titles[b.pk], c.pk: ["cached"]}],
        1,
        [[a.pk], [b.pk]],
    )
    assert (again, len(warm)) == ([{a.pk: titles[a.pk], b.pk: titles[b.pk]}], 0)
