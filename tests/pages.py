"""Helpers for tests that read rendered pages."""

import re

NAME = re.compile(r"Peserta \d\d")


def names_on(response):
    """The distinct participant names of tests.factories.program_of_size on a page, sorted."""
    return sorted(set(NAME.findall(response.content.decode())))


def names_of(sized):
    return [e.participant.full_name for e in sized.enrollments]
