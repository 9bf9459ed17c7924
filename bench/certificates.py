"""Certificates: 30 and 500 as one PDF, and issuing 500 (one PDF per person, hashed).

Run: `make bench` or `.venv/bin/python bench/certificates.py`. Prints figures only.
Each measurement runs in a forked child, so its peak RSS is its own.
Targets (issue #17): under 3 s for 30, under 30 s and 500 MB for 500.
"""

import os
import resource
import sys
import time

from _django import baseline, setup

setup()

from django.db import connections  # noqa: E402
from django.utils import timezone  # noqa: E402

from certificates import rendering, selectors, services  # noqa: E402
from certificates.jobs import verify_url_maker  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from participants.models import Enrollment, Participant  # noqa: E402
from reports.models import Signatory  # noqa: E402
from sessions.models import Attendance  # noqa: E402
from tests.factories import ProgramFactory, TrainingSessionFactory  # noqa: E402

VERIFY = verify_url_maker("https://pkk.example")


def program_of(size):
    program = ProgramFactory(slug=f"sertifikat-{size}")
    session = TrainingSessionFactory(program=program)
    people = Participant.objects.bulk_create(
        Participant(
            organization=program.organization,
            full_name=f"Peserta Pelatihan Nomor {i:03d} Binti Fulan",
            phone=f"+62812{i:08d}",
        )
        for i in range(size)
    )
    enrollments = Enrollment.objects.bulk_create(
        Enrollment(program=program, participant=p, enrolled_on=session.date) for p in people
    )
    Attendance.objects.bulk_create(
        Attendance(session=session, participant=p, status="present", marked_at=timezone.now())
        for p in people
    )
    Signatory.objects.create(program=program, role="Kepala Kampung Jaya Tinggi", name="Budi")
    Signatory.objects.create(program=program, role="DPL", name="Siti Aminah", nip="1" * 18)
    services.certificate_settings_update(program=program, min_sessions=1, program_code="KKN-23")
    return program, enrollments


def unsaved(program, enrollments):
    now = timezone.now()
    return [
        Certificate(
            program=program,
            enrollment=e,
            name=e.participant.full_name,
            sequence=i,
            number=f"{i:03d}/KKN-23/VIII/2023",
            code=f"{i:012d}",
            issued_at=now,
        )
        for i, e in enumerate(enrollments, start=1)
    ]


def in_child(label, work):
    """Run `work()` in a forked child; print its wall time and peak RSS."""
    for connection in connections.all():
        connection.close()
    pid = os.fork()
    if pid == 0:
        start = time.perf_counter()
        detail = work()
        seconds = time.perf_counter() - start
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{label:<44} {seconds:7.2f} s   peak RSS {peak_mb:6.0f} MB   {detail}")
        sys.stdout.flush()
        os._exit(0)
    os.waitpid(pid, 0)


def main():
    print(f"baseline (login page, median): {baseline():.1f} ms")
    small, small_enrollments = program_of(30)
    large, large_enrollments = program_of(500)
    settings = selectors.certificate_settings(large)

    def one_pdf(program, enrollments):
        def work():
            certificates = unsaved(program, enrollments)
            pdf = rendering.certificates_document(
                program, settings, certificates, VERIFY
            ).write_pdf()
            return f"{len(pdf) / 1024:.0f} KB"

        return work

    # Warm-up in the parent, so that every child starts with Pango and the fonts loaded.
    start = time.perf_counter()
    one_pdf(small, small_enrollments[:1])()
    print(f"{'warm-up (1 certificate, in the parent)':<44} {time.perf_counter() - start:7.2f} s")
    in_child("30 certificates as one PDF", one_pdf(small, small_enrollments))
    in_child("500 certificates as one PDF", one_pdf(large, large_enrollments))

    def issue(program):
        def work():
            issued = services.certificates_generate(program=program, by=None, verify_url=VERIFY)
            size = sum(len(c.pdf) for c in issued)
            return f"{len(issued)} issued, {size / 1024:.0f} KB of single PDFs"

        return work

    in_child("issue 30 (one PDF each, SHA-256)", issue(small))
    in_child("issue 500 (one PDF each, SHA-256)", issue(large))


if __name__ == "__main__":
    main()
