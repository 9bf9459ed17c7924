"""Fetch a survey, by program for staff or by public link for participants."""

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404

from programs.access import get_program_for_user
from surveys.models import Survey


def get_survey_for_user(request, program_slug, survey_id, *, manage=False):
    program = get_program_for_user(request, program_slug, manage=manage)
    survey = get_object_or_404(program.surveys.select_related("baseline"), pk=survey_id)
    survey.program = program
    return survey


def get_public_survey(token):
    """A survey by its public link: no account, so the token is the only key."""
    return get_object_or_404(Survey.objects.select_related("program"), public_token=token)


PERSONAL_SALT = "surveys.personal-link"


def personal_token(enrollment, survey):
    """A participant's own link to a survey: names the enrolment and the survey,
    signed with SECRET_KEY; no phone, NIK or name in it. Without a timestamp,
    so that the link printed on a card and the one sent later are the same."""
    return signing.Signer(salt=PERSONAL_SALT).sign_object([enrollment.pk, survey.pk])


def get_personal_survey(token):
    """(survey, enrollment) of a personal link; 404 for a forged or stale link
    (another program's survey, an anonymous survey, a withdrawn enrolment)."""
    from participants.models import Enrollment

    try:
        enrollment_id, survey_id = signing.Signer(salt=PERSONAL_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        raise Http404 from None
    enrollment = get_object_or_404(
        Enrollment.objects.active().select_related("participant"), pk=enrollment_id
    )
    survey = get_object_or_404(
        Survey.objects.select_related("program"),
        pk=survey_id,
        program_id=enrollment.program_id,
        anonymous=False,
    )
    return survey, enrollment
