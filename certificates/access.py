"""Fetch a certificate of a program and check access."""

from django.shortcuts import get_object_or_404

from certificates.models import Certificate
from programs.access import get_program_for_user


def get_certificate_for_user(request, program_slug, certificate_id, *, manage=False):
    program = get_program_for_user(request, program_slug, manage=manage)
    certificate = get_object_or_404(
        Certificate.objects.select_related("enrollment__participant"),
        program=program,
        pk=certificate_id,
    )
    certificate.program = program
    return certificate
