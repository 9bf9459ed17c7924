"""Bulk import against the database's own speed, at 1,000, 10,000 and 100,000 rows.

For each size: the import of a csv (read, checked, matched, written, enrolled)
beside a raw write of the same rows, values already prepared, into the same two
tables in the same run (executemany INSERT on SQLite, COPY on PostgreSQL, in
id order as the import writes), the two run in turns, and their ratio (issue
#16: ≥ 0.35 at 10k and 100k). Then the 100,000-row file
through `manage.py import_participants --max-size` in a process of its own, for
its peak resident memory (target ≤ 300 MB).

Run: `make bench` or `.venv/bin/python bench/import_participants.py`
(PostgreSQL: see README, BENCH_DATABASE_URL). Prints figures only.
"""

import csv
import datetime as dt
import io
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from _django import ROOT, setup

setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from participants.models import Enrollment, Participant  # noqa: E402
from participants.services import participants_import  # noqa: E402
from tests.factories import ProgramFactory  # noqa: E402

ROWS = 10_000
SIZES = (1_000, 10_000, 100_000)
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


def timed_import(name, content, count):
    program = ProgramFactory()
    start = time.perf_counter()
    report = participants_import(
        program=program,
        by=None,
        file_name=name,
        content=content,
        consent_method="paper",
        max_bytes=20 * 1024 * 1024,
    )
    seconds = time.perf_counter() - start
    assert (report.new, report.invalid) == (count, []), (report.new, report.invalid[:3])
    return seconds


def clean_participants(program, now, count=ROWS, **extra):
    """The file's rows as participants, already as the import would store them."""
    for r in rows(count):
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


def raw_write(count=ROWS):
    """The database's own speed: the same rows, values already prepared, sent
    with one executemany INSERT per table (SQLite) or COPY (PostgreSQL)."""
    program = ProgramFactory()
    now, today = timezone.now(), dt.date.today()
    # In id order, as the import writes each batch: both pay the same index work.
    people = sorted(
        clean_participants(program, now, count, created_at=now, updated_at=now),
        key=lambda p: p.pk,
    )
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


def best(repeat, fn, *args):
    return min(fn(*args) for _i in range(repeat))


def best_of_both(repeat, count, content):
    """Best times of the raw write and of the import, run in turns: the tables
    grow with every run, and a larger table is slower to write to, so neither
    side gets all the small tables."""
    raws, imports = [], []
    for _i in range(repeat):
        raws.append(raw_write(count))
        imports.append(timed_import("peserta.csv", content, count))
    return min(raws), min(imports)


def main():
    how = "COPY" if connection.vendor == "postgresql" else "executemany INSERT"
    print(f"import of a csv vs raw {how} of the same rows into the same tables:")
    for count in SIZES:
        content = as_csv(count)
        repeat = 5 if count < 100_000 else 1  # best of 5: a shared machine is noisy
        raw, seconds = best_of_both(repeat, count, content)
        rate, raw_rate = count / seconds, count / raw
        print(
            f"{count:>7,} rows ({len(content) / 1024 / 1024:4.1f} MB): import {seconds:6.2f} s "
            f"{rate:8,.0f} rows/s | raw {raw:5.2f} s {raw_rate:8,.0f} rows/s | "
            f"ratio {rate / raw_rate:.2f}" + (" (target ≥ 0.35)" if count >= 10_000 else "")
        )
    xlsx = as_xlsx()
    seconds = best(3, timed_import, "peserta.xlsx", xlsx, ROWS)
    print(f" {ROWS:>6,} rows as xlsx ({len(xlsx) / 1024:.0f} KiB): {ROWS / seconds:,.0f} rows/s")
    command_rss(100_000)


PEAK_OF_COMMAND = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_path(sys.argv[0], run_name="__main__")
finally:
    status = open("/proc/self/status").read()
    sys.stderr.write(status[status.index("VmHWM:"):].split("\\n")[0] + "\\n")
"""


def command_rss(count):
    """`manage.py import_participants --max-size` in a process of its own, as an
    admin would run it: its peak resident memory is the import's alone."""
    tag = uuid.uuid4().hex[:8]  # a second run on the same PostgreSQL database
    program = ProgramFactory(slug=f"besar-{tag}", organization__slug=f"org-besar-{tag}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "besar.csv"
        path.write_bytes(as_csv(count))
        size = path.stat().st_size
        start = time.perf_counter()
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                PEAK_OF_COMMAND,
                str(ROOT / "manage.py"),
                "import_participants",
                str(path),
                f"--program={program.slug}",
                "--consent=paper",
                "--max-size=20",
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
    # VmHWM, the peak of the command's own memory: getrusage() would also count
    # this process's pages, which the child holds between fork and exec.
    maxrss = int(done.stderr.rsplit("VmHWM:", 1)[1].split()[0]) / 1024
    assert Enrollment.objects.filter(program=program).count() == count
    print(
        f"manage.py import_participants --max-size=20, {count:,} rows "
        f"({size / 1024 / 1024:.1f} MB csv): {seconds:.1f} s with start-up; "
        f"peak resident memory {maxrss:.0f} MB (target ≤ 300 MB)"
    )


if __name__ == "__main__":
    if "--rss" in sys.argv:  # the command's memory alone
        command_rss(100_000)
    else:
        main()
