"""Finding 5: an uncommitted import (NIKs included) stayed until someone previewed another."""

import datetime as dt
import io

from django.core.management import call_command
from django.utils import timezone

from participants.models import PendingImport


def _pending(program, user, age):
    pending = PendingImport.objects.create(
        program=program,
        uploaded_by=user,
        file_name="desa.csv",
        content=b"Nama,NIK\r\nSiti,1808054101900001\r\n",
        consent_method="paper",
    )
    PendingImport.objects.filter(pk=pending.pk).update(created_at=timezone.now() - age)
    return pending


def test_the_command_deletes_uploads_older_than_a_day_and_keeps_fresh_ones(program, coordinator):
    _pending(program, coordinator, dt.timedelta(days=40))
    _pending(program, coordinator, dt.timedelta(hours=25))
    fresh = _pending(program, coordinator, dt.timedelta(hours=2))
    out = io.StringIO()

    call_command("purge_personal_data", stdout=out)

    assert list(PendingImport.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert out.getvalue().splitlines()[0] == "pending imports deleted: 2"
