"""The survey forms for assisted entry with no signal (programs.hooks.offline_pages)."""

from django.urls import reverse

from participants.models import Enrollment


def offline_pages(request, program):
    surveys = list(program.surveys.filter(anonymous=False).values_list("pk", flat=True))
    people = list(
        Enrollment.objects.active()
        .filter(program=program)
        .order_by("participant__full_name", "participant_id")
        .values_list("participant_id", flat=True)
    )
    urls = [reverse("survey_list", args=[program.slug])]
    for survey in surveys:
        urls.append(reverse("survey_respondents", args=[program.slug, survey]))
        urls += [reverse("survey_answer", args=[program.slug, survey, pk]) for pk in people]
    return urls
