"""The report reads cached configuration lists: every way of editing one shows
on the next report, whatever the report cached before the edit."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from checklists import services as checklists
from reports import services as reports
from tests.factories import ChecklistTemplateFactory, UserFactory, program_of_size


@pytest.fixture
def sized(db):
    return program_of_size(1)


@pytest.fixture
def admin_client(db):
    # A client of its own: `login`'s stays the coordinator's.
    admin = Client()
    admin.force_login(UserFactory(is_staff=True, is_superuser=True))
    return admin


def _funnel(client, sized, **params):
    """[(step label, [(reason label, n)])] of the report's first checklist."""
    response = client.get(reverse("program_report", args=[sized.program.slug]), params)
    assert response.status_code == 200
    funnel = response.context["checklists"][0].funnel
    return [
        (f"{s.step.position}. {s.step.title}", [(r.label, n) for r, n in s.blocked_by_reason])
        for s in funnel.steps
    ]


def _step(sized, position):
    return sized.template.steps.get(position=position, archived_at__isnull=True)


def _post_form(client, url, change):
    """POST an admin change form as shown, with `change` applied to its fields."""
    page = client.get(url)
    data = {}
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += [formset.management_form, *formset.forms]
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value
    data.update(change)
    assert client.post(url, data).status_code == 302


def _titles(funnel):
    return [label for label, _reasons in funnel]


def test_report_shows_steps_edited_through_the_services(login, sized):
    client = login(sized.coordinator)
    before = _funnel(client, sized)

    checklists.step_update(step=_step(sized, 3), title="Tambah 5 produk")
    renamed = _funnel(client, sized)
    checklists.step_add(template=sized.template, title="Promosikan")
    added = _funnel(client, sized)
    checklists.step_move(step=_step(sized, 4), direction="up")
    moved = _funnel(client, sized)
    checklists.step_remove(step=_step(sized, 4))
    removed = _funnel(client, sized)

    assert [_titles(f) for f in (before, renamed, added, moved, removed)] == [
        ["1. Daftar", "2. Unggah KTP", "3. Tambah produk"],
        ["1. Daftar", "2. Unggah KTP", "3. Tambah 5 produk"],
        ["1. Daftar", "2. Unggah KTP", "3. Tambah 5 produk", "4. Promosikan"],
        ["1. Daftar", "2. Unggah KTP", "3. Promosikan", "4. Tambah 5 produk"],
        ["1. Daftar", "2. Unggah KTP", "3. Promosikan"],
    ]


def test_report_as_of_a_day_shows_a_step_edited_through_the_service(login, sized):
    client = login(sized.coordinator)
    today = {"as_of": timezone.localdate().isoformat()}
    _funnel(client, sized, **today)

    checklists.step_update(step=_step(sized, 3), title="Tambah 5 produk")

    assert _titles(_funnel(client, sized, **today)) == [
        "1. Daftar",
        "2. Unggah KTP",
        "3. Tambah 5 produk",
    ]


def test_report_shows_a_step_with_progress_replaced_through_the_service(login, sized):
    client = login(sized.coordinator)
    _funnel(client, sized)

    checklists.step_update(step=_step(sized, 1), title="Daftar akun")

    # The replacement is a new step: nobody has done it yet.
    assert [(s.step.title, s.done) for s in _report(client, sized).funnel.steps] == [
        ("Daftar akun", 0),
        ("Unggah KTP", 0),
        ("Tambah produk", 0),
    ]


def _report(client, sized):
    response = client.get(reverse("program_report", args=[sized.program.slug]))
    return response.context["checklists"][0]


def test_report_shows_a_reason_renamed_in_the_admin(login, admin_client, sized):
    client = login(sized.coordinator)
    reason = sized.template.blocker_reasons.order_by("position").first()
    _funnel(client, sized)

    _post_form(
        admin_client,
        reverse("admin:checklists_blockerreason_change", args=[reason.pk]),
        {"label": "KTP ditolak"},
    )

    assert _funnel(client, sized)[1][1] == [("KTP ditolak", 1)]


def test_report_shows_a_step_renamed_in_the_admin(login, admin_client, sized):
    client = login(sized.coordinator)
    _funnel(client, sized)

    _post_form(
        admin_client,
        reverse("admin:checklists_checkliststep_change", args=[_step(sized, 3).pk]),
        {"title": "Tambah 5 produk"},
    )

    assert _titles(_funnel(client, sized))[2] == "3. Tambah 5 produk"


def test_report_shows_steps_and_reasons_edited_in_the_template_admin(login, admin_client, sized):
    client = login(sized.coordinator)
    _funnel(client, sized)
    steps = {s.position: s.pk for s in sized.template.steps.all()}
    reason = sized.template.blocker_reasons.order_by("position").first()
    url = reverse("admin:checklists_checklisttemplate_change", args=[sized.template.pk])

    page = admin_client.get(url)
    step_forms = page.context["inline_admin_formsets"][0].formset.forms
    reason_forms = page.context["inline_admin_formsets"][1].formset.forms
    step_index = next(i for i, f in enumerate(step_forms) if f.instance.pk == steps[3])
    reason_index = next(i for i, f in enumerate(reason_forms) if f.instance.pk == reason.pk)
    _post_form(
        admin_client,
        url,
        {
            f"steps-{step_index}-title": "Tambah 5 produk",
            f"blocker_reasons-{reason_index}-label": "KTP ditolak",
        },
    )

    funnel = _funnel(client, sized)
    assert (funnel[2][0], funnel[1][1]) == ("3. Tambah 5 produk", [("KTP ditolak", 1)])


def test_report_shows_a_step_deleted_in_the_admin(login, admin_client, sized):
    client = login(sized.coordinator)
    _funnel(client, sized)

    response = admin_client.post(
        reverse("admin:checklists_checkliststep_changelist"),
        {"action": "delete_selected", "_selected_action": [_step(sized, 3).pk], "post": "yes"},
    )

    assert (response.status_code, _titles(_funnel(client, sized))) == (
        302,
        ["1. Daftar", "2. Unggah KTP"],
    )


def _jpeg():
    image = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(image, "JPEG")
    return SimpleUploadedFile("foto.jpg", image.getvalue(), content_type="image/jpeg")


def _photos_and_signatories(client, sized):
    response = client.get(reverse("program_report", args=[sized.program.slug]))
    return (
        [p.caption for p in response.context["photos"]],
        [s.name for s in response.context["signatories"]],
    )


def test_report_shows_photos_and_signatories_edited_through_the_services(login, sized):
    client = login(sized.coordinator)
    program = sized.program
    seen = [_photos_and_signatories(client, sized)]

    first = reports.photo_add(program=program, image=_jpeg(), caption="Pembukaan")
    second = reports.photo_add(program=program, image=_jpeg(), caption="Praktik")
    seen.append(_photos_and_signatories(client, sized))
    reports.photo_caption(photo=first, caption="Pembukaan pelatihan")
    reports.photo_move(photo=second, offset=-1)
    seen.append(_photos_and_signatories(client, sized))
    reports.photo_delete(photo=first)
    signatory = reports.signatory_add(program=program, role="Kepala Kampung", name="Budi")
    seen.append(_photos_and_signatories(client, sized))
    reports.signatory_delete(signatory=signatory)
    seen.append(_photos_and_signatories(client, sized))

    assert seen == [
        ([], []),
        (["Pembukaan", "Praktik"], []),
        (["Praktik", "Pembukaan pelatihan"], []),
        (["Praktik"], ["Budi"]),
        (["Praktik"], []),
    ]


def test_report_shows_signatories_edited_in_the_admin(login, admin_client, sized):
    client = login(sized.coordinator)
    other = program_of_size(1)
    signatory = reports.signatory_add(program=sized.program, role="DPL", name="Siti")
    _photos_and_signatories(client, sized)
    seen = []

    admin_client.post(
        reverse("admin:reports_signatory_add"),
        {"program": sized.program.pk, "position": 2, "heading": "", "role": "Ketua", "name": "Ani"},
    )
    seen.append(_photos_and_signatories(client, sized))
    url = reverse("admin:reports_signatory_change", args=[signatory.pk])
    _post_form(admin_client, url, {"name": "Siti Aminah"})
    seen.append(_photos_and_signatories(client, sized))
    other_client = Client()
    other_client.force_login(other.coordinator)
    other_before = _photos_and_signatories(other_client, other)
    _post_form(admin_client, url, {"program": other.program.pk})
    seen.append(_photos_and_signatories(client, sized))
    admin_client.post(
        reverse("admin:reports_signatory_changelist"),
        {"action": "delete_selected", "_selected_action": [signatory.pk], "post": "yes"},
    )

    assert (seen, other_before, _photos_and_signatories(other_client, other)) == (
        [([], ["Siti", "Ani"]), ([], ["Siti Aminah", "Ani"]), ([], ["Ani"])],
        ([], []),
        ([], []),
    )


def test_report_leaves_out_a_step_moved_to_another_checklist_in_the_admin(
    login, admin_client, sized
):
    """The step's old checklist's cached steps go stale too, not only its new one's."""
    client = login(sized.coordinator)
    before = _titles(_funnel(client, sized))
    other = ChecklistTemplateFactory(organization=sized.program.organization)

    _post_form(
        admin_client,
        reverse("admin:checklists_checkliststep_change", args=[_step(sized, 3).pk]),
        {"template": other.pk},
    )

    assert (len(before), _titles(_funnel(client, sized))) == (3, before[:2])
