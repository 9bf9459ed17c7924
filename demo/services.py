"""The seed report's program as demo data, built idempotently.

All people here are invented; phone numbers and NIKs are well-formed but made up.
data.py holds the data, activity.py what happened in the program.
"""

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.activity import (
    demo_attendance,
    demo_certificate_rule,
    demo_checklists,
    demo_indicators,
    demo_survey,
)
from demo.data import (  # noqa: F401  (the demo's data, used by tests and benches)
    ORGANIZATION_SLUG,
    PARTICIPANTS,
    PROGRAM_SLUG,
    SESSIONS,
    TRAINED,
    USERS,
    demo_birth_year,
    demo_nik,
    demo_phone,
)
from participants.enums import ConsentMethod, EnrollmentSource
from participants.models import Enrollment, Participant
from participants.services import enrollment_create, participant_create
from programs.enums import ProgramStatus
from programs.models import Membership, Organization, OrganizationMembership, Program
from sessions.models import TrainingSession


@dataclass
class DemoResult:
    created: bool
    passwords: dict = field(default_factory=dict)  # username → new password


@transaction.atomic
def demo_load(*, reset_passwords=False):
    """Build (or complete) the demo; running it again changes nothing."""
    organization, _ = Organization.objects.get_or_create(
        slug=ORGANIZATION_SLUG, defaults={"name": "UIN Raden Intan Lampung — KKN Kelompok 23"}
    )
    program, created = Program.objects.get_or_create(
        slug=PROGRAM_SLUG,
        defaults={
            "organization": organization,
            "name": "Pelatihan E-Commerce TikTok Affiliate",
            "description": (
                "Pelatihan bagi ibu-ibu PKK Kampung Jaya Tinggi untuk mendaftar sebagai kreator "
                "atau seller TikTok Affiliate. Persiapan sejak 23 Juli 2023; pelatihan praktik "
                "pada Sabtu, 5 Agustus 2023 di Gedung Serba Guna."
            ),
            # Kemendagri codes and names (programs.regions).
            "village": "Jaya Tinggi",
            "district": "Kasui",
            "regency": "Kabupaten Way Kanan",
            "province": "Lampung",
            "province_code": "18",
            "regency_code": "18.08",
            "district_code": "18.08.02",
            "village_code": "18.08.02.2013",
            "start_date": dt.date(2023, 7, 23),
            "end_date": dt.date(2023, 8, 15),
            "status": ProgramStatus.FINISHED,
        },
    )
    result = DemoResult(created=created)
    users = _demo_users(program, organization, result, reset_passwords)
    _demo_sessions(program, users)
    _demo_participants(program, organization, users["koordinator"])
    demo_attendance(program, users["fasilitator"])
    demo_checklists(program, users["fasilitator"])
    demo_survey(program, users["koordinator"], users["fasilitator"])
    demo_indicators(program, users["koordinator"])
    demo_certificate_rule(program)
    return result


def _demo_users(program, organization, result, reset_passwords):
    User = get_user_model()
    users = {}
    for username, first, last, staff, role in USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
                "email": f"{username}@demo.invalid",
            },
        )
        if created or reset_passwords:
            password = secrets.token_urlsafe(9)
            user.set_password(password)
            user.save(update_fields=["password"])
            result.passwords[username] = password
        if role:
            Membership.objects.get_or_create(program=program, user=user, defaults={"role": role})
        users[username] = user
    OrganizationMembership.objects.get_or_create(
        organization=organization, user=users["koordinator"]
    )
    return users


def _demo_sessions(program, users):
    for phase, title, date, start, end, venue in SESSIONS:
        session, created = TrainingSession.objects.get_or_create(
            program=program,
            title=title,
            defaults={
                "phase": phase,
                "date": date,
                "start_time": start,
                "end_time": end,
                "venue": venue,
            },
        )
        if created:
            session.facilitators.set([users["koordinator"], users["fasilitator"]])


def _demo_participants(program, organization, recorder):
    known = {
        p.phone: p
        for p in Participant.objects.filter(
            organization=organization, phone__startswith="+62812000"
        )
    }
    enrolled = set(
        Enrollment.objects.filter(program=program).values_list("participant_id", flat=True)
    )
    for i, (name, dusun, rt, rw) in enumerate(PARTICIPANTS, start=1):
        participant = known.get(demo_phone(i))
        if participant is None:
            participant = participant_create(
                organization=organization,
                by=recorder,
                consent_method=ConsentMethod.PAPER,
                full_name=name,
                phone=demo_phone(i),
                nik=demo_nik(i) if i % 3 == 0 else "",
                birth_year=demo_birth_year(i),
                dusun=dusun,
                rt=rt,
                rw=rw,
                village="Kampung Jaya Tinggi",
            )
        if participant.pk not in enrolled:
            # Enrolled from the PKK member list before the socialisation sessions.
            enrollment_create(
                program=program,
                participant=participant,
                by=recorder,
                source=EnrollmentSource.IMPORT,
                enrolled_on=dt.date(2023, 7, 24),
            )
