"""One behaviour test for each checklist view that had only the permission matrix."""

import datetime as dt

from django.urls import reverse

from checklists import services
from checklists.models import (
    BlockerReason,
    ChecklistStep,
    ChecklistTemplate,
    MentoringContact,
    Track,
)
from tests.factories import ChecklistTemplateFactory, EnrollmentFactory, TrackFactory
from tests.pages import messages_of


def titles(template):
    return [s.title for s in services.current_steps(template)]


def checklists_url(enrollment):
    return reverse(
        "participant_checklists", args=[enrollment.program.slug, enrollment.participant_id]
    )


# --- a program's and a participant's checklists ------------------------------


def test_program_checklists_count_tracks_and_those_without(login, facilitator, program):
    template = ChecklistTemplateFactory(organization=program.organization, name="Seller")
    done, _open, _none = EnrollmentFactory.create_batch(3, program=program)
    TrackFactory(
        enrollment=done, template=template, completed_at=dt.datetime(2023, 8, 9, tzinfo=dt.UTC)
    )
    TrackFactory(enrollment=_open, template=template)

    response = login(facilitator).get(reverse("program_checklists", args=[program.slug]))

    assert [(t.name, t.n_tracks, t.n_completed) for t in response.context["summaries"]] == [
        ("Seller", 2, 1)
    ]
    assert response.context["unassigned"] == 1


def test_bulk_assign_gives_every_active_participant_the_checklist(login, facilitator, program):
    template = ChecklistTemplateFactory(organization=program.organization, name="Seller")
    EnrollmentFactory.create_batch(2, program=program)
    EnrollmentFactory(program=program, status="withdrawn")
    client = login(facilitator)
    url = reverse("tracks_assign_bulk", args=[program.slug])

    response = client.post(url, {"template": template.pk})
    junk = client.post(url, {"template": "x"})

    assert response.url == reverse("program_checklists", args=[program.slug])
    assert Track.objects.filter(template=template).count() == 2
    # The first message is still waiting (the redirect was not followed).
    assert messages_of(junk) == ["2 peserta kini mengikuti “Seller”.", "Pilih daftar periksa."]


def test_participant_checklists_show_each_step_and_its_state(login, facilitator, enrollment):
    track = TrackFactory(enrollment=enrollment)
    first, second, _third = services.current_steps(track.template)
    services.progress_mark(track=track, step=first, state="done", by=facilitator)
    services.progress_mark(
        track=track,
        step=second,
        state="blocked",
        reason=track.template.blocker_reasons.get(code="documents"),
        by=facilitator,
    )

    response = login(facilitator).get(checklists_url(enrollment))

    (view,) = response.context["tracks"]
    assert [(r.step.title, r.progress.state if r.progress else None) for r in view.rows] == [
        ("Daftar", "done"),
        ("Unggah KTP", "blocked"),
        ("Tambah produk", None),
    ]


def test_facilitator_assigns_and_removes_an_unused_checklist(login, facilitator, enrollment):
    template = ChecklistTemplateFactory(organization=enrollment.program.organization)
    client = login(facilitator)

    assigned = client.post(
        reverse("track_assign", args=[enrollment.program.slug, enrollment.participant_id]),
        {"template": template.pk},
    )
    track = Track.objects.get(enrollment=enrollment)
    removed = client.post(
        reverse("track_remove", args=[enrollment.program.slug, enrollment.participant_id, track.pk])
    )

    assert (assigned.url, removed.url) == (checklists_url(enrollment), checklists_url(enrollment))
    assert (track.template, track.assigned_by) == (template, facilitator)
    assert Track.objects.count() == 0
    assert messages_of(removed) == ["Daftar periksa ditetapkan.", "Daftar periksa dilepas."]


def test_a_checklist_with_progress_is_not_removed(login, facilitator, enrollment):
    track = TrackFactory(enrollment=enrollment)
    services.progress_mark(
        track=track, step=services.current_steps(track.template).first(), state="done", by=None
    )

    response = login(facilitator).post(
        reverse("track_remove", args=[enrollment.program.slug, enrollment.participant_id, track.pk])
    )

    assert Track.objects.get() == track
    assert messages_of(response) == [
        "Kemajuan sudah dicatat pada daftar periksa ini; catatannya tetap disimpan."
    ]


def test_mentoring_follow_up_is_logged_and_can_close_the_blocker(login, facilitator, enrollment):
    track = TrackFactory(enrollment=enrollment)
    step = services.current_steps(track.template)[1]
    services.progress_mark(
        track=track,
        step=step,
        state="blocked",
        reason=track.template.blocker_reasons.get(code="documents"),
        by=facilitator,
    )
    url = reverse("mentoring_add", args=[enrollment.program.slug, enrollment.participant_id])
    client = login(facilitator)

    refused = client.post(
        url,
        {
            "date": "2023-08-08",
            "channel": "visit",
            "action": "Kunjungan",
            "outcome": "resolved_done",
        },
    )
    saved = client.post(
        url,
        {
            "date": "2023-08-08",
            "channel": "visit",
            "action": "Unggah ulang KTP",
            "step": step.pk,
            "outcome": "resolved_done",
        },
    )

    assert refused.status_code == 400
    assert list(refused.context["mentoring_form"].errors) == ["outcome"]
    assert saved.url == checklists_url(enrollment) + "#mentoring"
    assert list(
        MentoringContact.objects.values_list("date", "channel", "action", "resolved", "by")
    ) == [(dt.date(2023, 8, 8), "visit", "Unggah ulang KTP", True, facilitator.pk)]
    assert track.progress.get(step=step).state == "done"


# --- building templates ----------------------------------------------------------


def test_template_list_shows_the_users_and_the_shared_templates(login, facilitator, program):
    own = ChecklistTemplateFactory(organization=program.organization, name="B milik kami")
    shared = ChecklistTemplateFactory(organization=None, name="A bersama")
    ChecklistTemplateFactory(name="C organisasi lain")
    ChecklistTemplateFactory(organization=program.organization, name="D arsip", archived=True)

    response = login(facilitator).get(reverse("template_list"))

    assert list(response.context["templates"]) == [shared, own]
    assert response.context["can_build"] is False


def test_coordinator_copies_a_template_into_the_organization(login, coordinator, program):
    source = ChecklistTemplateFactory(organization=None, name="Bersama")

    response = login(coordinator).post(
        reverse("template_copy", args=[source.pk]),
        {"organization": program.organization_id, "name": "Seller Way Kanan"},
    )

    copy = ChecklistTemplate.objects.get(name="Seller Way Kanan")
    assert response.url == copy.get_absolute_url()
    assert (copy.organization, copy.copied_from, titles(copy)) == (
        program.organization,
        source,
        ["Daftar", "Unggah KTP", "Tambah produk"],
    )


def test_coordinator_adds_edits_moves_and_removes_steps(login, coordinator, program):
    template = ChecklistTemplateFactory(organization=program.organization)
    first, second, third = services.current_steps(template)
    client = login(coordinator)

    added = client.post(
        reverse("step_create", args=[template.pk]),
        {"title": "Ajukan sampel", "how_to": "Lewat menu Sampel", "required": "on"},
    )
    edited = client.post(
        reverse("step_edit", args=[template.pk, second.pk]), {"title": "Unggah KTP asli"}
    )
    moved = client.post(reverse("step_move", args=[template.pk, third.pk]), {"direction": "up"})
    removed = client.post(reverse("step_remove", args=[template.pk, first.pk]))

    assert [r.url for r in (added, edited, removed)] == [template.get_absolute_url()] * 3
    assert moved.url == f"{template.get_absolute_url()}#step-{third.pk}"
    assert [(s.title, s.required) for s in services.current_steps(template)] == [
        ("Tambah produk", True),
        ("Unggah KTP asli", False),
        ("Ajukan sampel", True),
    ]
    assert not ChecklistStep.objects.filter(pk=first.pk).exists()  # never used: gone


def test_coordinator_adds_and_archives_blocker_reasons(login, coordinator, program):
    template = ChecklistTemplateFactory(organization=program.organization)
    documents = template.blocker_reasons.get(code="documents")
    client = login(coordinator)
    url = reverse("reason_list", args=[template.pk])

    added = client.post(url, {"label": "HP hilang", "needs_note": "on"})
    archived = client.post(reverse("reason_archive", args=[template.pk, documents.pk]))
    page = client.get(url)

    assert (added.url, archived.url) == (url, url)
    assert BlockerReason.objects.get(label="HP hilang").needs_note is True
    labels = [r.label for r in page.context["reasons"]]
    assert (len(labels), labels[-1], documents.label in labels) == (8, "HP hilang", False)
