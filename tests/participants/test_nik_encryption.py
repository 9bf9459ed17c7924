"""NIKs encrypted at rest, found only through their keyed hash, and the key's life."""

import base64
import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.core.management import call_command
from django.db import IntegrityError, connection
from django.test import override_settings
from django.urls import reverse

from participants.models import Participant, ParticipantImport
from participants.services import participant_create, participants_import
from pkk_training.checks import nik_key_configured
from pkk_training.crypto import (
    NikKeyError,
    check_key,
    decrypt_nik,
    encrypt_niks,
    nik_hash,
    nik_hasher,
    nik_hashes,
)
from tests.factories import ParticipantFactory

NIK = "1808054101900042"
OTHER_NIK = "1808055202910043"


def stored(participant):
    """The row as the database holds it (what a stolen backup shows)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nik, nik_hash FROM participants_participant WHERE id = %s",
            [participant.pk.hex if connection.vendor == "sqlite" else participant.pk],
        )
        return cursor.fetchone()


def test_a_nik_is_stored_as_a_token_and_read_back_in_clear(program):
    person = participant_create(
        organization=program.organization,
        by=None,
        consent_method="paper",
        full_name="Siti",
        nik="1808 0541 0190 0042",
    )

    column, digest = stored(person)
    assert column.startswith("gAAAAA")
    assert NIK not in column
    assert len(column) == 120
    assert digest == nik_hash(NIK)
    assert len(digest) == 64 and NIK not in digest
    assert Participant.objects.get(pk=person.pk).nik == NIK


def test_the_same_nik_encrypts_differently_each_time(db):
    first = ParticipantFactory(nik=NIK)
    second = ParticipantFactory(nik=NIK)  # another organization

    assert stored(first)[0] != stored(second)[0]
    assert stored(first)[1] == stored(second)[1]


def test_no_nik_is_a_blank_column_and_a_null_hash(db):
    person = ParticipantFactory(nik="")

    assert stored(person) == ("", None)


def test_blanking_a_nik_clears_its_hash_by_save_and_by_update(db):
    saved, updated = ParticipantFactory(nik=NIK), ParticipantFactory(nik=OTHER_NIK)

    saved.nik = ""
    saved.save(update_fields=["nik"])
    Participant.objects.filter(pk=updated.pk).update(nik="")

    assert stored(saved) == ("", None)
    assert stored(updated) == ("", None)


def test_one_nik_per_organization_is_kept_by_the_hash(program):
    ParticipantFactory(organization=program.organization, nik=NIK)

    with pytest.raises(IntegrityError):
        ParticipantFactory(organization=program.organization, nik=NIK)


def test_a_wrong_key_fails_loudly_instead_of_returning_garbage(db):
    person = ParticipantFactory(nik=NIK)

    with (
        override_settings(PKK_NIK_KEY=Fernet.generate_key().decode()),
        pytest.raises(NikKeyError, match="cannot be decrypted with PKK_NIK_KEY"),
    ):
        Participant.objects.get(pk=person.pk)


def test_a_clear_nik_left_in_the_column_fails_loudly(db):
    person = ParticipantFactory(nik="")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE participants_participant SET nik = %s", [NIK])

    with pytest.raises(NikKeyError):
        Participant.objects.get(pk=person.pk)


@pytest.mark.parametrize(
    "lookup", [{"nik": NIK}, {"nik__icontains": "0042"}, {"nik__in": [NIK]}, {"nik__endswith": "2"}]
)
def test_looking_up_the_encrypted_column_is_refused(db, lookup):
    with pytest.raises(FieldError):
        list(Participant.objects.filter(**lookup))


def test_with_nik_finds_her_through_the_hash(db):
    siti = ParticipantFactory(full_name="Siti", nik=NIK)
    ParticipantFactory(full_name="Ani", nik=OTHER_NIK)
    ParticipantFactory(full_name="Rina", nik="")

    assert list(Participant.objects.with_nik(NIK)) == [siti]
    assert list(Participant.objects.with_nik("")) == []
    assert list(Participant.objects.filter(nik="").values_list("full_name", flat=True)) == ["Rina"]


def test_admin_search_finds_a_whole_nik_and_never_a_part(client, admin_user):
    ParticipantFactory(full_name="Siti", nik=NIK)
    ParticipantFactory(full_name="Ani", nik=OTHER_NIK)
    client.force_login(admin_user)
    changelist = reverse("admin:participants_participant_changelist")

    whole = client.get(changelist, {"q": "1808 0541 0190 0042"})
    part = client.get(changelist, {"q": "0042"})

    assert [p.full_name for p in whole.context["cl"].result_list] == ["Siti"]
    assert list(part.context["cl"].result_list) == []


def test_an_import_finds_her_by_nik_and_keeps_no_clear_nik_for_undo(program):
    siti = ParticipantFactory(
        organization=program.organization, full_name="Siti", phone="+6281370000030", nik=NIK
    )
    ani = ParticipantFactory(
        organization=program.organization, full_name="Ani", phone="+6281370000031", nik=""
    )
    content = f"Nama,No HP,NIK\nSiti,,{NIK}\nAni,081370000031,{OTHER_NIK}\n".encode()

    report = participants_import(
        program=program, by=None, file_name="d.csv", content=content, consent_method="paper"
    )

    assert (report.new, report.updated) == (0, 1)
    assert [e.participant for e in program.enrollments.order_by("participant__full_name")] == [
        ani,
        siti,
    ]
    record = ParticipantImport.objects.get()
    assert OTHER_NIK not in str(record.undo)
    (field, before, after) = record.undo["changed"][str(ani.pk)][0]
    assert (field, before, after[:6]) == ("nik", "", "gAAAAA")

    from participants.services import participants_import_undo

    participants_import_undo(record=record, by=None)

    assert stored(Participant.objects.get(pk=ani.pk)) == ("", None)


# -- the key ------------------------------------------------------------------


def test_a_malformed_key_stops_the_settings():
    with pytest.raises(ImproperlyConfigured, match="PKK_NIK_KEY is not a valid key"):
        check_key("not-a-fernet-key")


def test_settings_refuse_a_malformed_key_in_the_environment(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pkk_training.settings",
        "DJANGO_DEBUG": "1",
        "PKK_NIK_KEY": "0123456789",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 1
    assert "ImproperlyConfigured: PKK_NIK_KEY is not a valid key" in result.stderr


def test_deploy_check_fails_without_a_real_key():
    with override_settings(PKK_NIK_KEY=""):
        missing = nik_key_configured(None)
    dev = nik_key_configured(None)  # the key derived from SECRET_KEY for tests
    with override_settings(PKK_NIK_KEY=Fernet.generate_key().decode()):
        real = nik_key_configured(None)

    assert [e.id for e in missing] == ["pkk.E002"]
    assert [e.id for e in dev] == ["pkk.E002"]
    assert real == []


def test_without_a_key_nothing_is_written_in_clear(db):
    with override_settings(PKK_NIK_KEY=""), pytest.raises(ImproperlyConfigured):
        ParticipantFactory(nik=NIK)

    assert Participant.objects.count() == 0


def test_rotating_the_key_re_encrypts_and_re_hashes_every_row(program):
    old = settings.PKK_NIK_KEY
    new = Fernet.generate_key().decode()
    siti = ParticipantFactory(organization=program.organization, nik=NIK)
    ani = ParticipantFactory(
        organization=program.organization, full_name="Ani", phone="+6281370000031", nik=""
    )
    content = f"Nama,No HP,NIK\nAni,081370000031,{OTHER_NIK}\n".encode()
    participants_import(
        program=program, by=None, file_name="d.csv", content=content, consent_method="paper"
    )
    before = stored(siti)

    with override_settings(PKK_NIK_KEY=new, PKK_NIK_OLD_KEYS=(old,)):
        # Between the key change and the command, the old hash still finds her.
        assert list(Participant.objects.with_nik(NIK)) == [siti]
        call_command("rotate_nik_key", stdout=open(os.devnull, "w"))  # noqa: SIM115
    with override_settings(PKK_NIK_KEY=new):
        after = stored(siti)
        assert Participant.objects.get(pk=siti.pk).nik == NIK
        assert Participant.objects.get(pk=ani.pk).nik == OTHER_NIK
        assert after[1] == nik_hash(NIK) != before[1]
        assert list(Participant.objects.with_nik(NIK)) == [siti]
        undo = ParticipantImport.objects.get().undo["changed"][str(ani.pk)]
        from pkk_training.crypto import decrypt_nik

        assert [decrypt_nik(v) for v in undo[0][1:]] == ["", OTHER_NIK]
    assert after[0] != before[0]
    with pytest.raises(NikKeyError):
        Participant.objects.get(pk=siti.pk)  # the old key alone no longer opens it


def test_rotation_without_the_old_key_changes_nothing(db):
    person = ParticipantFactory(nik=NIK)
    before = stored(person)

    with (
        override_settings(PKK_NIK_KEY=Fernet.generate_key().decode()),
        pytest.raises(NikKeyError),
    ):
        call_command("rotate_nik_key")

    assert stored(person) == before


def test_the_bulk_hasher_agrees_with_nik_hashes(db):
    with override_settings(PKK_NIK_OLD_KEYS=(Fernet.generate_key().decode(),)):
        hashes = nik_hasher()

        assert (hashes(NIK), hashes(""), len(hashes(NIK))) == (nik_hashes(NIK), [], 2)


def test_bulk_encryption_makes_fernet_tokens_each_with_its_own_iv(db):
    niks = [NIK, "", "3171234567890123", "bukan-nik", NIK]

    tokens = encrypt_niks(niks)

    # Version, time, then the IV: the same NIK twice is two different tokens.
    ivs = [base64.urlsafe_b64decode(t)[9:25] for t in tokens if t]
    assert (len(set(ivs)), tokens[1]) == (4, "")
    assert [decrypt_nik(t) for t in tokens] == niks
