import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from participants import hooks
from participants.hooks import DataSection
from participants.models import Enrollment
from participants.validators import mask_nik


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


def _who(user):
    return (user.get_full_name() or user.get_username()) if user else ""


def participant_personal_data(participant, *, full_nik):
    """Everything held on one participant, as DataSections ("Data saya", UU PDP).

    Identity, enrolments and the personal-data log here; attendance,
    checklists, mentoring and survey answers from the apps above through
    `hooks.personal_data`. The NIK is whole only for `full_nik` (admins)."""
    from programs.models import AuditEvent

    identity = [
        ("full_name", _("Full name")),
        ("phone", _("Phone number")),
        ("nik", _("NIK")),
        ("birth_year", _("Birth year")),
        ("dusun", _("Hamlet (dusun)")),
        ("rt", _("RT")),
        ("rw", _("RW")),
        ("address", _("Address")),
        ("village", _("Village")),
        ("organization", _("Organization")),
        ("consent", _("How consent was given")),
        ("consent_at", _("Consent recorded at")),
        ("created_at", _("Registered at")),
        ("erased_at", _("Erased at")),
    ]
    person = {
        "full_name": participant.full_name,
        "phone": participant.phone,
        "nik": participant.nik if full_nik else mask_nik(participant.nik),
        "birth_year": participant.birth_year,
        "dusun": participant.dusun,
        "rt": participant.rt,
        "rw": participant.rw,
        "address": participant.address,
        "village": participant.village,
        "organization": participant.organization.name,
        "consent": participant.get_consent_method_display(),
        "consent_at": participant.consent_at,
        "created_at": participant.created_at,
        "erased_at": participant.erased_at,
    }
    enrollments = list(
        participant.enrollments.select_related("program").order_by("enrolled_on", "pk")
    )
    sections = [
        DataSection("identity", _("Identity"), tuple(identity), [person]),
        DataSection(
            "enrollments",
            _("Enrolments"),
            (
                ("program", _("Program")),
                ("status", _("Status")),
                ("source", _("Source")),
                ("enrolled_on", _("Enrolled on")),
            ),
            [
                {
                    "program": e.program.name,
                    "status": e.get_status_display(),
                    "source": e.get_source_display(),
                    "enrolled_on": e.enrolled_on,
                }
                for e in enrollments
            ],
        ),
    ]
    for collect in hooks.personal_data:
        sections.extend(collect(participant))
    events = (
        AuditEvent.objects.filter(
            Q(subject=participant.pk)
            | Q(program_id__in=[e.program_id for e in enrollments], people__gt=0)
        )
        .select_related("user", "program")
        .order_by("at", "pk")
    )
    sections.append(
        DataSection(
            "audit",
            _("Accesses to these personal data"),
            (
                ("at", _("When")),
                ("action", _("Action")),
                ("detail", _("What")),
                ("people", _("People")),
                ("by", _("By")),
            ),
            [
                {
                    "at": event.at,
                    "action": event.get_action_display(),
                    "detail": event.detail,
                    "people": event.people,
                    "by": _who(event.user),
                }
                for event in events
            ],
        )
    )
    return sections


def personal_data_json(sections):
    """{section key: [rows]} with dates as ISO text and labels as plain strings."""
    return {
        section.key: [
            {key: str(v) if isinstance(v, Promise) else v for key, v in row.items()}
            for row in section.rows
        ]
        for section in sections
    }
