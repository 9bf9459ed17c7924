"""The participant pages a facilitator needs with no signal (programs.hooks.offline_pages)."""

from django.urls import reverse

from participants.models import Enrollment


def offline_pages(request, program):
    people = (
        Enrollment.objects.active()
        .filter(program=program)
        .order_by("participant__full_name", "participant_id")
        .values_list("participant_id", flat=True)
    )
    return [reverse("participant_list", args=[program.slug])] + [
        reverse("participant_detail", args=[program.slug, pk]) for pk in people
    ]
