import pytest
from django.core.exceptions import ValidationError

from participants.enums import EnrollmentSource
from participants.models import Enrollment, Participant
from participants.services import (
    DuplicateParticipant,
    enrollment_create,
    participant_create,
    participant_register,
    participant_update,
)
from tests.factories import EnrollmentFactory, ParticipantFactory, ProgramFactory, UserFactory


@pytest.fixture
def user(db):
    return UserFactory()


def test_register_creates_participant_with_consent_and_enrollment(program, user):
    enrollment = participant_register(
        program=program,
        by=user,
        consent_method="spoken",
        full_name="  Siti   Aminah ",
        phone="0812 3456 7890",
        nik="1808054101900001",
    )

    participant = enrollment.participant
    assert (participant.full_name, participant.phone, participant.nik) == (
        "Siti Aminah",
        "+6281234567890",
        "1808054101900001",
    )
    assert (participant.consent_method, participant.consent_recorded_by) == ("spoken", user)
    assert participant.consent_at is not None
    assert (enrollment.program, enrollment.source) == (program, EnrollmentSource.MANUAL)


def test_same_phone_written_differently_is_a_duplicate(program, coordinator):
    existing = ParticipantFactory(organization=program.organization, phone="+6281234567890")

    with pytest.raises(DuplicateParticipant) as caught:
        participant_register(
            program=program,
            by=coordinator,
            consent_method="paper",
            full_name="Siti",
            phone="81234567890",
        )

    assert caught.value.existing == existing
    assert Participant.objects.count() == 1
    assert Enrollment.objects.count() == 0


def test_same_phone_in_another_organization_is_another_person(program, user):
    ParticipantFactory(phone="+6281234567890")  # another organization's participant

    enrollment = participant_register(
        program=program, by=user, consent_method="paper", full_name="Siti", phone="081234567890"
    )

    assert Participant.objects.filter(phone="+6281234567890").count() == 2
    assert enrollment.participant.organization == program.organization


def test_duplicate_nik_is_refused(program, user):
    ParticipantFactory(organization=program.organization, nik="1808054101900001")

    with pytest.raises(DuplicateParticipant) as caught:
        participant_create(
            organization=program.organization,
            by=user,
            consent_method="paper",
            full_name="Lain",
            nik="1808 0541 0190 0001",
        )

    assert list(caught.value.message_dict) == ["nik"]


def test_participant_without_consent_cannot_be_enrolled(program, user):
    participant = ParticipantFactory(
        organization=program.organization, consent_method="", consent_at=None
    )

    with pytest.raises(ValidationError) as caught:
        enrollment_create(program=program, participant=participant, by=user)

    assert caught.value.code == "no_consent"
    assert Enrollment.objects.count() == 0


def test_register_without_consent_writes_nothing(program, user):
    with pytest.raises(ValidationError):
        participant_register(program=program, by=user, consent_method="", full_name="Tanpa Izin")

    assert (Participant.objects.count(), Enrollment.objects.count()) == (0, 0)


def test_participant_of_another_organization_cannot_be_enrolled(program, user):
    stranger = ParticipantFactory()

    with pytest.raises(ValidationError):
        enrollment_create(program=program, participant=stranger, by=user)

    assert Enrollment.objects.count() == 0


def test_enrolling_twice_is_refused(enrollment, user):
    with pytest.raises(ValidationError) as caught:
        enrollment_create(program=enrollment.program, participant=enrollment.participant, by=user)

    assert caught.value.code == "already_enrolled"
    assert Enrollment.objects.count() == 1


def test_update_keeps_consent_time_unless_method_changes(enrollment, user):
    participant = enrollment.participant
    consent_at = participant.consent_at

    participant_update(participant=participant, by=user, consent_method="paper", full_name="Baru")
    participant.refresh_from_db()
    assert (participant.full_name, participant.consent_at) == ("Baru", consent_at)

    participant_update(participant=participant, by=user, consent_method="online")
    participant.refresh_from_db()
    assert participant.consent_method == "online"
    assert participant.consent_at > consent_at
    assert participant.consent_recorded_by == user


def test_update_to_another_participants_phone_is_refused(program, user):
    first = ParticipantFactory(organization=program.organization, phone="+6281234567890")
    second = ParticipantFactory(organization=program.organization, phone="+6281234567891")

    with pytest.raises(DuplicateParticipant) as caught:
        participant_update(participant=second, by=None, phone="0812-3456-7890")

    assert caught.value.existing == first
    second.refresh_from_db()
    assert second.phone == "+6281234567891"


def test_other_program_of_same_organization_can_enroll_known_participant(enrollment, user):
    sibling = ProgramFactory(organization=enrollment.program.organization)

    second = enrollment_create(program=sibling, participant=enrollment.participant, by=user)

    assert enrollment.participant.enrollments.count() == 2
    assert second.program == sibling


def test_a_facilitator_learns_no_name_for_a_phone_outside_her_program(program, facilitator):
    """Finding 6: typing a phone named any participant of the organization."""
    sibling = ProgramFactory(organization=program.organization)
    elsewhere = ParticipantFactory(organization=program.organization, phone="+6281234567890")
    EnrollmentFactory(program=sibling, participant=elsewhere)

    with pytest.raises(DuplicateParticipant) as caught:
        participant_register(
            program=program,
            by=facilitator,
            consent_method="paper",
            full_name="Siti",
            phone="081234567890",
        )

    assert (caught.value.existing, caught.value.code) == (None, "shared_phone")
    assert caught.value.message_dict == {
        "phone": [
            "Nomor telepon ini sudah dipakai peserta lain. Jika ini orang lain dari rumah yang "
            "sama, centang “Nomor dipakai bersama” lalu simpan lagi."
        ]
    }
    assert elsewhere.full_name not in str(caught.value)


def test_a_household_member_keeps_the_shared_phone_once_confirmed(program):
    mother = ParticipantFactory(
        organization=program.organization, full_name="Sumiati", phone="+6281234567890"
    )

    with pytest.raises(DuplicateParticipant) as unconfirmed:
        participant_register(
            program=program,
            by=None,
            consent_method="paper",
            full_name="Dewi",
            phone="0812 3456 7890",
        )
    with pytest.raises(DuplicateParticipant) as same_person:
        participant_register(
            program=program,
            by=None,
            consent_method="paper",
            full_name="IBU SUMIATI",
            phone="0812 3456 7890",
            shared_phone=True,
        )
    daughter = participant_register(
        program=program,
        by=None,
        consent_method="paper",
        full_name="Dewi",
        phone="0812 3456 7890",
        shared_phone=True,
    ).participant
    # Editing her later asks nothing again while the phone stays the household's.
    participant_update(participant=daughter, by=None, dusun="Dusun II")

    assert (unconfirmed.value.code, unconfirmed.value.existing) == ("shared_phone", mother)
    assert (same_person.value.code, same_person.value.existing) == ("duplicate", mother)
    assert sorted(Participant.objects.values_list("full_name", "phone", "dusun")) == [
        ("Dewi", "+6281234567890", "Dusun II"),
        ("Sumiati", "+6281234567890", mother.dusun),
    ]


def test_control_zero_width_and_bidi_characters_are_never_stored(program, user):
    from participants.forms import ParticipantForm

    enrollment = participant_register(
        program=program,
        by=None,
        consent_method="spoken",
        full_name="Siti\u202e Ami\u200bnah\x07",
        dusun="Dusun\u2066 I",
        address="Jl. Melati\x00 3",
    )
    form = ParticipantForm(
        {"full_name": "\u202e\u200b", "consent_method": "paper"}, can_see_nik=False
    )

    participant = enrollment.participant
    assert (participant.full_name, participant.dusun, participant.address) == (
        "Siti Aminah",
        "Dusun I",
        "Jl. Melati 3",
    )
    assert form.errors["full_name"] == ["Masukkan nama peserta."]
