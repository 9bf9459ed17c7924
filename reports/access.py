"""Fetch a program's success indicator and check access."""

from django.shortcuts import get_object_or_404

from programs.access import get_program_for_user


def get_indicator_for_user(request, program_slug, indicator_id):
    program = get_program_for_user(request, program_slug, manage=True)
    indicator = get_object_or_404(program.indicators, pk=indicator_id)
    indicator.program = program
    return indicator


def get_signatory_for_user(request, program_slug, signatory_id):
    program = get_program_for_user(request, program_slug, manage=True)
    signatory = get_object_or_404(program.report_signatories, pk=signatory_id)
    signatory.program = program
    return signatory


def get_photo_for_user(request, program_slug, photo_id, *, manage=True):
    program = get_program_for_user(request, program_slug, manage=manage)
    photo = get_object_or_404(program.report_photos, pk=photo_id)
    photo.program = program
    return photo
