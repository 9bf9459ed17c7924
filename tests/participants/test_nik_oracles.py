"""Finding 2: a masked NIK recovered by edits, NIK owners named by the import preview."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import Participant
from tests.factories import EnrollmentFactory, ParticipantFactory

SECRET_NIK = "1808054101900042"


def test_guessing_a_masked_nik_edit_by_edit_names_nobody_and_stops(login, facilitator, program):
    target = ParticipantFactory(organization=program.organization, full_name="Ibu Rahasia")
    target.nik = SECRET_NIK
    target.save()
    own = EnrollmentFactory(program=program)
    client = login(facilitator)
    url = reverse("participant_edit", args=[program.slug, own.participant_id])
    base = {"full_name": own.participant.full_name, "phone": own.participant.phone}
    base["consent_method"] = "paper"

    answers = {}
    for suffix in range(1, 98):  # the attack: 97 edits through the last digits
        candidate = f"180805410190{suffix:04d}"
        response = client.post(url, {**base, "nik": candidate})
        answers[candidate] = response

    pages = [r.content.decode() for r in answers.values() if r.status_code == 200]
    assert not any("Ibu Rahasia" in page for page in pages)
    secret = answers[SECRET_NIK]
    assert secret.status_code == 200
    assert secret.context["form"].errors["nik"] == [
        "Terlalu banyak pemeriksaan NIK. Coba lagi nanti atau tanyakan kepada admin."
    ]
    # Once over the limit, a free NIK is refused with the very same words.
    free = client.post(url, {**base, "nik": "3201010101010101"})
    assert free.context["form"].errors["nik"] == secret.context["form"].errors["nik"]


def test_a_taken_nik_is_refused_without_a_name_for_a_facilitator(login, facilitator, program):
    ParticipantFactory(organization=program.organization, full_name="Ibu Rahasia", nik=SECRET_NIK)

    response = login(facilitator).post(
        reverse("participant_create", args=[program.slug]),
        {
            "full_name": "Siti",
            "phone": "081299990000",
            "nik": SECRET_NIK,
            "consent_method": "paper",
        },
    )

    assert response.context["form"].errors == {"nik": ["NIK ini perlu diperiksa admin."]}
    assert response.context["duplicate"] is None
    assert "Ibu Rahasia" not in response.content.decode()


def test_an_admin_is_told_whose_nik_it_is(login, admin_user, program):
    ParticipantFactory(organization=program.organization, full_name="Ibu Rahasia", nik=SECRET_NIK)

    response = login(admin_user).post(
        reverse("participant_create", args=[program.slug]),
        {
            "full_name": "Siti",
            "phone": "081299990000",
            "nik": SECRET_NIK,
            "consent_method": "paper",
        },
    )

    assert response.context["form"].errors == {
        "nik": ["NIK ini sudah terdaftar atas nama Ibu Rahasia."]
    }


def _candidates_csv(niks):
    lines = ["Nama,No HP,NIK"] + [
        f"Calon {i},08129999{i:04d},{nik}" for i, nik in enumerate(niks, start=1)
    ]
    return ("\r\n".join(lines) + "\r\n").encode()


def test_import_preview_names_no_owner_of_an_uploaded_nik(login, coordinator, program):
    owners = [
        ParticipantFactory(
            organization=program.organization,
            full_name=f"Pemilik {i}",
            nik=f"18080541019000{i:02d}",
        )
        for i in range(1, 6)
    ]
    client = login(coordinator)
    upload = SimpleUploadedFile(
        "calon.csv", _candidates_csv([o.nik for o in owners]), content_type="text/csv"
    )

    preview = client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": upload, "consent_method": "paper", "consent_note": "Formulir PKK"},
    )

    html = preview.content.decode()
    report = preview.context["report"]
    assert not any(o.full_name in html for o in owners)
    assert (report.new, report.updated) == (0, 0)
    assert [reason for _row, _column, reason in report.invalid] == [
        "NIK ini perlu diperiksa admin.",
        "NIK ini perlu diperiksa admin.",
        "NIK ini perlu diperiksa admin.",
        "NIK ini perlu diperiksa admin.",
        "NIK ini perlu diperiksa admin.",
    ]
    assert Participant.objects.count() == 5
