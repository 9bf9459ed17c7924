"""Finding 5: imports and their undoing are logged (who, when, what, how many people)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participants.models import ParticipantImport, PendingImport
from programs.models import AuditEvent
from tests.factories import EnrollmentFactory, OrganizationMembershipFactory, ParticipantFactory


def logged():
    return list(
        AuditEvent.objects.order_by("pk").values_list(
            "organization", "program", "user", "action", "detail", "people"
        )
    )


def test_an_import_and_its_undo_are_logged_and_listed(login, coordinator, program):
    EnrollmentFactory(
        program=program, participant__full_name="Sri", participant__phone="+6281370000040"
    )
    ParticipantFactory(organization=program.organization, full_name="Ani", phone="+6281370000041")
    client = login(coordinator)
    content = (
        b"Nama,No HP\nSri,081370000040\nAni,081370000041\nRina,081370000042\nRina,081370000042\n"
    )
    client.post(
        reverse("participant_import", args=[program.slug]),
        {"file": SimpleUploadedFile("desa.csv", content), "consent_method": "paper"},
    )
    assert logged() == []  # a preview writes nothing and logs nothing

    client.post(
        reverse("participant_import_confirm", args=[program.slug, PendingImport.objects.get().pk]),
        {"action": "import"},
    )
    record = ParticipantImport.objects.get()
    client.post(reverse("participant_import_undo", args=[program.slug, record.pk]))

    org, prog, user = program.organization_id, program.pk, coordinator.pk
    assert logged() == [
        (org, prog, user, "import", "desa.csv", 3),
        (org, prog, user, "import_undo", "desa.csv", 2),  # Rina created, Ani enrolled
    ]
    org_coordinator = OrganizationMembershipFactory(organization=program.organization).user
    page = login(org_coordinator).get(
        reverse("organization_audit", args=[program.organization.slug])
    )
    assert [(e.get_action_display(), e.people) for e in page.context["page"]] == [
        ("Impor dibatalkan", 2),
        ("Impor", 3),
    ]


def test_a_refused_undo_logs_nothing(login, coordinator, program):
    from participants.services import participants_import

    participants_import(
        program=program,
        by=coordinator,
        file_name="a.csv",
        content=b"Nama,No HP\nRina,081370000043\n",
        consent_method="paper",
    )
    record = ParticipantImport.objects.get()
    record.undone_at = record.imported_at
    record.save()

    login(coordinator).post(reverse("participant_import_undo", args=[program.slug, record.pk]))

    assert [row[3] for row in logged()] == ["import"]


def test_a_dry_run_and_a_refused_import_log_nothing(program):
    from participants.services import participants_import

    participants_import(
        program=program,
        by=None,
        file_name="a.csv",
        content=b"Nama,No HP\nRina,081370000044\n",
        consent_method="paper",
        dry_run=True,
    )
    participants_import(
        program=program,
        by=None,
        file_name="b.csv",
        content=b"Nama,No HP\nRina,081370000044\nAni,12\n",
        consent_method="paper",
    )

    assert logged() == []
