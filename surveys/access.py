"""Fetch a survey, by program for staff or by public link for participants."""

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
