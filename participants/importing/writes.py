"""Rows written as fast as the database takes them."""

import itertools
import operator

from django.db import connection

from participants.enums import EnrollmentSource, EnrollmentStatus
from participants.importing.people import IMPORTED_FIELDS
from participants.models import Enrollment, Participant
from pkk_training.crypto import encrypt_niks


def in_id_order(people):
    """New people by id: their random ids then fill each page of the id and enrolment
    indexes in turn instead of every page at random (a 10,000-row import on SQLite:
    about an eighth less CPU, with 5,000 rows a batch)."""
    return sorted(people, key=_BY_ID)


_BY_ID = operator.attrgetter("pk.int")


def insert_rows(model, prepared):
    """Write rows as fast as the database takes them: COPY on PostgreSQL, one
    executemany INSERT elsewhere. `prepared` is (the attnames each row gives, the
    values shared by every row, the rows as tuples); shared values and other
    columns' defaults are prepared once per column, not once per row."""
    own, shared, rows = prepared
    fields = {
        f.attname: f
        for f in model._meta.concrete_fields
        if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
    }
    rest = [name for name in fields if name not in own]
    constant = tuple(
        fields[name].get_db_prep_save(
            shared[name] if name in shared else fields[name].get_default(), connection
        )
        for name in rest
    )
    names = [*own, *rest]
    columns = ", ".join(connection.ops.quote_name(fields[n].column) for n in names)
    table = connection.ops.quote_name(model._meta.db_table)
    rows = (row + constant for row in rows)
    first = next(rows, None)
    if first is None:
        return
    rows = itertools.chain([first], rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(names))
            # Names from the model, quoted; the values go as parameters.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, rows)


# A large import into tables whose statistics predate it (a new database, or a
# province's list) has the program's pages planned as if the rows were not
# there until autovacuum's next pass: nested loops over thousands of rows (the
# grid's reads took 23 ms instead of 3). After a bulk load PostgreSQL's advice
# is ANALYZE, which reads a sample and blocks neither reads nor writes.
ANALYZE_AFTER_ROWS = 1000


def statistics_stale(rows):
    """Whether `rows` new people call for fresh planner statistics (PostgreSQL)."""
    return connection.vendor == "postgresql" and rows >= ANALYZE_AFTER_ROWS


def refresh_statistics():
    """ANALYZE the people and enrolment tables (participants.tasks runs it after
    a large import, in the worker: it took 0.25 s, a quarter of a 10,000-row
    import's time, and the person importing need not wait for it)."""
    tables = ", ".join(
        connection.ops.quote_name(m._meta.db_table) for m in (Participant, Enrollment)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def participant_rows(people, run):
    """New people as (attnames, values shared by all, a tuple per person)."""
    native_uuid = connection.features.has_native_uuid_field
    people = list(people)
    tokens = encrypt_niks([p.nik for p in people])
    shared = {
        "organization_id": run.organization.pk,
        "consent_method": run.consent_method,
        "consent_at": run.now,
        "consent_recorded_by_id": run.by.pk if run.by else None,
        "created_at": run.now,
        "updated_at": run.now,
    }
    own = ("id", "full_name", "phone", "nik", "nik_hash", "birth_year", "dusun", "rt", "rw")
    rows = (
        (
            p.pk if native_uuid else p.pk.hex,
            p.full_name,
            p.phone,
            token,
            p.nik_hash,
            p.birth_year,
            p.dusun,
            p.rt,
            p.rw,
            p.address,
        )
        for p, token in zip(people, tokens, strict=True)
    )
    return (*own, "address"), shared, rows


def enrollment_rows(people, run):
    """Their enrolments in the run's program, likewise."""
    native_uuid = connection.features.has_native_uuid_field
    shared = {
        "program_id": run.program.pk,
        "status": EnrollmentStatus.ACTIVE.value,
        "source": EnrollmentSource.IMPORT.value,
        "enrolled_on": run.today,
        "created_by_id": run.by.pk if run.by else None,
        "created_at": run.now,
        "updated_at": run.now,
    }
    rows = ((p.pk if native_uuid else p.pk.hex,) for p in people)
    return ("participant_id",), shared, rows


def update_people(people, run):
    """People already on file as the rows left them, consent recorded where none was."""
    fields = [*IMPORTED_FIELDS, "updated_at"]
    instances, consented = [], []
    for person in people:
        participant = Participant(
            pk=person.pk,
            organization=run.organization,
            **{f: getattr(person, f) for f in IMPORTED_FIELDS},
            updated_at=run.now,
        )
        instances.append(participant)
        if not person.consent_method:
            person.consent_method = run.consent_method
            participant.consent_method = run.consent_method
            participant.consent_at = run.now
            participant.consent_recorded_by = run.by
            consented.append(participant)
    Participant.objects.bulk_update(instances, fields, batch_size=500)
    Participant.objects.bulk_update(
        consented, ["consent_method", "consent_at", "consent_recorded_by"], batch_size=500
    )
