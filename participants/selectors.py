import re

from django.core.paginator import Paginator
from django.db.models import Q

from participants.models import Enrollment


def phone_search_digits(query):
    """The digits to look for inside an E.164 number: '0812 34' → '81234'."""
    digits = re.sub(r"\D", "", query)
    if digits.startswith("0"):
        digits = digits[1:]
    return digits


def program_enrollments(program, *, query="", include_withdrawn=True):
    """The program's enrollments with their participants, filtered by name or phone."""
    enrollments = Enrollment.objects.filter(program=program).select_related(
        "participant", "program"
    )
    if not include_withdrawn:
        enrollments = enrollments.exclude(status="withdrawn")
    query = query.strip()
    if query:
        condition = Q(participant__full_name__icontains=query)
        digits = phone_search_digits(query)
        if len(digits) >= 3:
            condition |= Q(participant__phone__contains=digits)
        enrollments = enrollments.filter(condition)
    return enrollments.order_by("participant__full_name", "participant_id")


PAGE_SIZE = 50


def enrollment_page(program, *, query="", page=None):
    """One page of the program's participants matching `query` (kept on the page)."""
    query = query.strip()[:100]
    result = Paginator(program_enrollments(program, query=query), PAGE_SIZE).get_page(page)
    result.query = query
    return result
