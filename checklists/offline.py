"""The checklist pages a facilitator needs with no signal (programs.hooks.offline_pages)."""

from django.urls import reverse

from checklists.models import Track
from participants.enums import EnrollmentStatus


def offline_pages(request, program):
    tracks = Track.objects.filter(
        enrollment__program=program, enrollment__status=EnrollmentStatus.ACTIVE
    ).values_list("template_id", "enrollment__participant_id")
    templates = sorted({template for template, _person in tracks})
    people = sorted({str(person) for _template, person in tracks})
    return (
        [reverse("program_checklists", args=[program.slug])]
        + [reverse("checklist_grid", args=[program.slug, pk]) for pk in templates]
        + [reverse("participant_checklists", args=[program.slug, pk]) for pk in people]
    )
