"""Bulk import: 10,000 rows from csv and xlsx against a bare bulk_create.

Run: `make bench` or `.venv/bin/python bench/import_participants.py`
(PostgreSQL: see README, BENCH_DATABASE_URL). Prints figures only.
"""

import csv
import datetime as dt
import io
import resource
import subprocess
import sys
import time
import tracemalloc
import uuid

from _django import setup

setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from participants.models import Enrollment, Participant  # noqa: E402
from participants.services import participants_import  # noqa: E402
from tests.factories import ProgramFactory  # noqa: E402

ROWS = 10_000
BIG_ROWS = 50_000
# Django caps an SQLite statement at 999 parameters: a bulk INSERT of
# participants (18 columns) goes out 55 rows at a time there.
SQLITE_NOTE = " (Django sends SQLite 55 participants per INSERT)"
HEADER = ["Nama Lengkap", "No HP", "NIK", "Tahun Lahir", "Dusun", "RT", "RW", "Alamat"]


def rows(count=ROWS):
    for i in range(count):
        day = 41 + i % 28
        yield [
            f"Peserta {i:05d}",
            f"0813{i:08d}",
            f"1808{i % 90 + 10:02d}{day:02d}{1 + i % 12:02d}{70 + i % 25:02d}{i % 10000:04d}",
            str(1970 + i % 25),
            f"Dusun {i % 9 + 1}",
            f"{i % 20 + 1:03d}",
            f"{i % 6 + 1:03d}",
            f"Jalan Desa No. {i % 300}",
        ]


def as_csv(count=ROWS):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(HEADER)
    writer.writerows(rows(count))
    return buffer.getvalue().encode("utf-8")


def as_xlsx():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for row in rows():
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run_import(name, content):
    program = ProgramFactory()
    report = participants_import(
        program=program, by=None, file_name=name, content=content, consent_method="paper"
    )
    assert (report.new, report.invalid) == (ROWS, []), (report.new, report.invalid[:3])


def timed_import(name, content):
    """Wall time and queries of one import; memory is measured in a separate run,
    since tracing allocations slows Python down several times."""
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        run_import(name, content)
    seconds = time.perf_counter() - start
    n_queries = len(queries)
    tracemalloc.start()
    run_import(name, content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, n_queries, peak


def clean_participants(program, now, **extra):
    """The file's rows as participants, already as the import would store them."""
    for r in rows():
        yield Participant(
            organization=program.organization,
            full_name=r[0],
            phone="+62" + r[1][1:],
            nik=r[2],
            birth_year=int(r[3]),
            dusun=r[4],
            rt=r[5],
            rw=r[6],
            address=r[7],
            consent_method="paper",
            consent_at=now,
            **extra,
        )


def bare_bulk_create():
    """The same rows, already clean, written with nothing but bulk_create."""
    program = ProgramFactory()
    now = timezone.now()
    start = time.perf_counter()
    people = Participant.objects.bulk_create(
        clean_participants(program, now),
        batch_size=1000,
    )
    Enrollment.objects.bulk_create(
        (Enrollment(program=program, participant=p, enrolled_on=dt.date.today()) for p in people),
        batch_size=1000,
    )
    return time.perf_counter() - start


def raw_write():
    """The database's own speed: the same rows, values already prepared, sent
    with one executemany INSERT per table (SQLite) or COPY (PostgreSQL)."""
    program = ProgramFactory()
    now, today = timezone.now(), dt.date.today()
    people = list(clean_participants(program, now, created_at=now, updated_at=now))
    enrollments = [
        Enrollment(
            program=program, participant=p, enrolled_on=today, created_at=now, updated_at=now
        )
        for p in people
    ]
    prepared = []
    for model, objects in ((Participant, people), (Enrollment, enrollments)):
        fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and f.get_internal_type().endswith("AutoField"))
        ]
        values = [
            tuple(f.get_db_prep_save(getattr(o, f.attname), connection) for f in fields)
            for o in objects
        ]
        prepared.append((model._meta.db_table, [f.column for f in fields], values))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for table, columns, values in prepared:
            names = ", ".join(f'"{c}"' for c in columns)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join("%s" for _c in columns)
                cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', values)
    return time.perf_counter() - start


def main():
    csv_content, xlsx_content = as_csv(), as_xlsx()
    kib = 1024
    print(
        f"{ROWS} rows: csv {len(csv_content) / kib:.0f} KiB, xlsx {len(xlsx_content) / kib:.0f} KiB"
    )
    bare = bare_bulk_create()
    bare_rate = ROWS / bare
    print(f"bare bulk_create (participants + enrollments): {bare:.2f} s, {bare_rate:,.0f} rows/s")
    raw = raw_write()
    raw_rate = ROWS / raw
    how = "COPY" if connection.vendor == "postgresql" else "executemany INSERT"
    print(f"raw {how} into the same two tables: {raw:.2f} s, {raw_rate:,.0f} rows/s")
    for name, content in (("peserta.csv", csv_content), ("peserta.xlsx", xlsx_content)):
        seconds, n_queries, peak = timed_import(name, content)
        rate = ROWS / seconds
        note = SQLITE_NOTE if connection.vendor == "sqlite" else ""
        print(
            f"import {name}: {seconds:.2f} s, {rate:,.0f} rows/s, ratio {rate / bare_rate:.2f} "
            f"to bulk_create (target ≥ 0.40), {rate / raw_rate:.2f} to raw {how} "
            f"(target ≥ 0.35, issue #16), {n_queries} queries{note}, "
            f"peak traced memory {peak / 1024 / 1024:.0f} MB"
        )
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak resident memory: {maxrss:.0f} MB (target under 300 MB)")
    # The big file in a process of its own, as a worker would run it: the peak
    # resident memory is then the import's, not the leftovers of the runs above.
    subprocess.run([sys.executable, __file__, "--big"], check=True)


def big_import():
    big = as_csv(BIG_ROWS)
    tag = uuid.uuid4().hex[:8]  # a second process on the same PostgreSQL database
    program = ProgramFactory(slug=f"besar-{tag}", organization__slug=f"org-besar-{tag}")
    start = time.perf_counter()
    report = participants_import(
        program=program, by=None, file_name="besar.csv", content=big, consent_method="paper"
    )
    seconds = time.perf_counter() - start
    assert report.new == BIG_ROWS, (report.new, report.invalid[:3])
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"import {BIG_ROWS} rows ({len(big) / 1024 / 1024:.1f} MB csv) in a new process: "
        f"{seconds:.1f} s, {BIG_ROWS / seconds:,.0f} rows/s; peak resident memory "
        f"{maxrss:.0f} MB (target under 300 MB)"
    )


if __name__ == "__main__":
    if "--big" in sys.argv:
        big_import()
    else:
        main()
