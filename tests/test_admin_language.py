"""The login page and the Django admin speak Indonesian, once."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import result_headers
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.functional import Promise

from tests.factories import UserFactory

# Every app of ours: a column header left in English is a defect (issue #11).
TRANSLATED_APPS = {
    "programs",
    "jobs",
    "participants",
    "training_sessions",
    "checklists",
    "surveys",
    "reports",
}


def column_headers(response):
    return [str(header["text"]) for header in result_headers(response.context["cl"])]


def test_login_error_names_the_username_once(client, db):
    UserFactory(username="siti")

    response = client.post(reverse("login"), {"username": "siti", "password": "salah"})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Nama pengguna atau kata sandi salah. Huruf besar dan kecil dibedakan."]
    }


@pytest.mark.parametrize(
    ("model", "headers"),
    [
        ("participants/participant", ["nama lengkap", "organisasi"]),
        ("training_sessions/attendance", ["peserta", "sesi", "status", "ditandai oleh"]),
        ("participants/participantimport", ["program", "diimpor oleh"]),
        ("participants/enrollment", ["peserta", "program"]),
        ("checklists/progressevent", ["waktu", "jalur", "langkah", "keadaan", "oleh"]),
        (
            "surveys/response",
            ["survei", "peserta", "cara kontak", "dikirim pada", "diperbarui pada"],
        ),
        ("reports/reportversion", ["program", "versi"]),
    ],
)
def test_admin_column_headers_are_indonesian(client, admin_user, model, headers):
    client.force_login(admin_user)

    response = client.get(f"/admin/{model}/")

    assert response.status_code == 200
    shown = column_headers(response)
    assert [h for h in shown if h in headers] == headers, shown


def test_every_admin_column_of_our_models_is_translated():
    untranslated = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in TRANSLATED_APPS:
            continue
        for name in model_admin.list_display:
            try:
                label = model._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                continue
            if not isinstance(label, Promise):
                untranslated.append(f"{model._meta.label}.{name}")

    assert untranslated == []
