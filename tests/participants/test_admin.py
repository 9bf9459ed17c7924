"""The Django admin's participant list: phone search, program filter, bulk enrol and withdraw."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from participants.enums import EnrollmentStatus
from participants.models import Enrollment
from tests.factories import EnrollmentFactory, ParticipantFactory, ProgramFactory

CHANGELIST = reverse("admin:participants_participant_changelist")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def listed(response):
    return sorted(p.full_name for p in response.context["cl"].result_list)


def shown_messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.mark.parametrize(
    "typed", ["0812 0000 0001", "0812-0000-0001", "081200000001", "+62 812 0000 0001"]
)
def test_search_finds_a_phone_in_any_format(admin_client, db, typed):
    ParticipantFactory(full_name="Siti Aminah", phone="+6281200000001")
    ParticipantFactory(full_name="Sri Wahyuni", phone="+6281200000002")

    response = admin_client.get(CHANGELIST, {"q": typed})

    assert listed(response) == ["Siti Aminah"]


def test_search_by_name_still_works(admin_client, db):
    ParticipantFactory(full_name="Siti Aminah")
    ParticipantFactory(full_name="Sri Wahyuni")

    assert listed(admin_client.get(CHANGELIST, {"q": "aminah"})) == ["Siti Aminah"]


def test_filter_by_program(admin_client, program):
    EnrollmentFactory(program=program, participant__full_name="Siti Aminah")
    other = ProgramFactory(organization=program.organization)
    EnrollmentFactory(program=other, participant__full_name="Sri Wahyuni")

    response = admin_client.get(CHANGELIST, {"enrollments__program__id__exact": program.pk})

    assert listed(response) == ["Siti Aminah"]


def test_add_to_program_asks_for_the_program_then_enrols(admin_client, admin_user, program):
    siti = ParticipantFactory(full_name="Siti Aminah", organization=program.organization)
    sri = EnrollmentFactory(program=program, participant__full_name="Sri Wahyuni").participant
    ProgramFactory()  # another organization's program is not offered
    selected = {"action": "add_to_program", "_selected_action": [siti.pk, sri.pk]}

    page = admin_client.post(CHANGELIST, selected)

    assert page.status_code == 200
    assert list(page.context["form"].fields["program"].queryset) == [program]
    assert Enrollment.objects.filter(participant=siti).count() == 0

    done = admin_client.post(CHANGELIST, {**selected, "apply": "1", "program": program.pk})

    assert done.status_code == 302
    enrollment = Enrollment.objects.get(participant=siti, program=program)
    assert (enrollment.created_by, enrollment.status) == (admin_user, EnrollmentStatus.ACTIVE)
    assert shown_messages(done) == [
        f"1 terdaftar di “{program.name}”, 1 sudah terdaftar sebelumnya."
    ]


def test_add_to_program_refuses_a_program_of_another_organization(admin_client, program):
    siti = ParticipantFactory(organization=program.organization)
    elsewhere = ProgramFactory()

    page = admin_client.post(
        CHANGELIST,
        {
            "action": "add_to_program",
            "_selected_action": [siti.pk],
            "apply": "1",
            "program": elsewhere.pk,
        },
    )

    assert page.status_code == 200
    assert list(page.context["form"].errors) == ["program"]
    assert Enrollment.objects.count() == 0


def test_add_to_program_refuses_a_mixed_selection(admin_client, program):
    siti = ParticipantFactory(organization=program.organization)
    stranger = ParticipantFactory()

    response = admin_client.post(
        CHANGELIST, {"action": "add_to_program", "_selected_action": [siti.pk, stranger.pk]}
    )

    assert response.status_code == 302
    assert shown_messages(response) == ["Pilih peserta dari satu organisasi."]


def test_withdraw_from_a_chosen_program(admin_client, program):
    staying = ProgramFactory(organization=program.organization)
    enrollment = EnrollmentFactory(program=program)
    kept = EnrollmentFactory(program=staying, participant=enrollment.participant)
    selected = {"action": "withdraw_from_program", "_selected_action": [enrollment.participant.pk]}

    page = admin_client.post(CHANGELIST, selected)
    done = admin_client.post(CHANGELIST, {**selected, "apply": "1", "program": program.pk})

    assert (page.status_code, done.status_code) == (200, 302)
    enrollment.refresh_from_db()
    kept.refresh_from_db()
    assert (enrollment.status, kept.status) == (
        EnrollmentStatus.WITHDRAWN,
        EnrollmentStatus.ACTIVE,
    )
    assert shown_messages(done) == [f"1 mengundurkan diri dari “{program.name}”."]
