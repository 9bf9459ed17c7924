"""Tracks left open with every required step done.

Until the track was locked during a mark (checklists.services.progress_mark),
a participant's last two required steps marked at the same moment each judged
completion without the other's mark, and the track stayed open. This marks
such tracks complete, as of their last satisfied required step. A track that is
open for any other reason (a required step still to do) is left alone, and no
progress is changed.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Subquery

SATISFIED = ("done", "not_applicable")  # checklists.enums.SATISFIED, as of this migration


def complete_finished_tracks(apps, schema_editor):
    Track = apps.get_model("checklists", "Track")
    ChecklistStep = apps.get_model("checklists", "ChecklistStep")
    StepProgress = apps.get_model("checklists", "StepProgress")
    required = ChecklistStep.objects.filter(
        template_id=OuterRef("template_id"), required=True, archived_at__isnull=True
    )
    unsatisfied = required.exclude(
        Exists(
            StepProgress.objects.filter(
                track_id=OuterRef(OuterRef("pk")), step_id=OuterRef("pk"), state__in=SATISFIED
            )
        )
    )
    last_satisfied = (
        StepProgress.objects.filter(
            track_id=OuterRef("pk"),
            step__required=True,
            step__archived_at__isnull=True,
            state__in=SATISFIED,
        )
        .order_by("-at")
        .values("at")[:1]
    )
    Track.objects.filter(completed_at__isnull=True).filter(Exists(required)).exclude(
        Exists(unsatisfied)
    ).update(completed_at=Subquery(last_satisfied))


class Migration(migrations.Migration):
    dependencies = [("checklists", "0005_template_changed_at")]

    operations = [
        migrations.RunPython(complete_finished_tracks, migrations.RunPython.noop, elidable=True)
    ]
