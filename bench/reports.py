"""Reports: the demo's PDF, and an organization of 100 programs / 10,000 participants.

Run: `make bench` or `.venv/bin/python bench/reports.py`. Prints figures only.
The generator writes rows in bulk (it is set-up, not what is measured).
"""

import datetime as dt
import io
import itertools
import random
import tempfile
import time

from _django import baseline, setup, timed

setup()

from django.conf import settings  # noqa: E402

# Uploaded photos go to a throwaway folder, never into the working tree.
settings.MEDIA_ROOT = tempfile.mkdtemp(prefix="pkk-bench-media-")

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402
from PIL import Image  # noqa: E402

from checklists.models import ChecklistTemplate, Track  # noqa: E402
from demo.services import PROGRAM_SLUG, demo_load  # noqa: E402
from participants.models import Enrollment, Participant  # noqa: E402
from pkk_training.pdf import render_pdf  # noqa: E402
from programs import regions  # noqa: E402
from programs.models import Program  # noqa: E402
from reports import rollup, selectors  # noqa: E402
from reports import services as report_services  # noqa: E402
from reports.services import indicators_copy  # noqa: E402
from reports.word import program_report_docx_bytes  # noqa: E402
from sessions.models import Attendance, TrainingSession  # noqa: E402
from surveys.models import Answer, Response  # noqa: E402
from tests.factories import OrganizationMembershipFactory, UserFactory  # noqa: E402

PROGRAMS, PER_PROGRAM = 100, 100


def generate(demo):
    """100 programs measured like the demo (its indicators and survey copied to each)."""
    rng = random.Random(7)
    user = UserFactory(username="bench-coordinator")
    organization = demo.organization
    OrganizationMembershipFactory(organization=organization, user=user)
    templates = list(ChecklistTemplate.objects.filter(code__in=["tiktok-seller", "tiktok-kreator"]))
    now = timezone.now()
    sequence = itertools.count(1)
    # Three regencies of Lampung, seven districts each: the roll-up's groups.
    regencies = regions.children("18")[:3]
    districts = {r.code: regions.children(r.code)[:7] for r in regencies}
    for p in range(PROGRAMS):
        regency = regencies[p % 3]
        district = districts[regency.code][p % 7]
        village = regions.children(district.code)[0]
        program = Program.objects.create(
            organization=organization,
            name=f"Pelatihan desa {p:03d}",
            slug=f"desa-{p:03d}",
            village=village.name,
            district=district.name,
            regency=regency.name,
            province="Lampung",
            province_code="18",
            regency_code=regency.code,
            district_code=district.code,
            village_code=village.code,
            start_date=dt.date(2023 + p % 2, 7, 1),
            status="finished",
        )
        training = TrainingSession.objects.create(
            program=program, phase="training", title="Pelatihan", date=dt.date(2023 + p % 2, 8, 5)
        )
        indicators_copy(source=demo, target=program, by=user)
        survey = program.surveys.get()
        questions = list(survey.questions.prefetch_related("choices").order_by("position"))
        people = Participant.objects.bulk_create(
            Participant(
                organization=organization,
                full_name=f"Peserta {n}",
                phone=f"+62815{n:08d}",
                consent_method="paper",
                consent_at=now,
            )
            for n in (next(sequence) for _ in range(PER_PROGRAM))
        )
        enrollments = Enrollment.objects.bulk_create(
            Enrollment(program=program, participant=person, enrolled_on=dt.date(2023, 7, 1))
            for person in people
        )
        Attendance.objects.bulk_create(
            Attendance(session=training, participant=person, status="present", marked_at=now)
            for person in people
            if rng.random() < 0.7
        )
        Track.objects.bulk_create(
            Track(
                enrollment=e,
                template=rng.choice(templates),
                completed_at=now if rng.random() < 0.45 else None,
            )
            for e in enrollments
        )
        responses = Response.objects.bulk_create(
            Response(
                survey=survey,
                participant=person,
                channel="assisted",
                submitted_at=now,
                updated_at=now,
            )
            for person in people
            if rng.random() < 0.8
        )
        answers = Answer.objects.bulk_create(
            Answer(response=response, question=question)
            for response in responses
            for question in questions[:3]
        )
        through = Answer.choices.through
        choices = {q.pk: list(q.choices.all()) for q in questions[:3]}
        through.objects.bulk_create(
            through(answer_id=a.pk, choice_id=rng.choice(choices[a.question_id]).pk)
            for a in answers
        )
    return user


def phone_photo(width=4000, height=3000):
    """A 12-megapixel JPEG with GPS EXIF, as a phone takes it."""
    # A gradient with noise compresses like a photograph, not like a flat colour.
    image = Image.linear_gradient("L").resize((width, height)).convert("RGB")
    image = Image.blend(image, Image.effect_noise((width, height), 60).convert("RGB"), 0.4)
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "S", 2: (4.0, 42.0, 0.0), 3: "E", 4: (104.0, 30.0, 0.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif)
    return out.getvalue()


def with_photos(demo):
    """The demo's report with a logo and four documentation photos, as handed in."""
    photo = phone_photo()
    start = time.perf_counter()
    report_services.report_settings_save(
        program=demo,
        letterhead_name="Universitas Islam Negeri Raden Intan Lampung",
        logo=SimpleUploadedFile("logo.jpg", phone_photo(800, 800)),
    )
    for n in range(4):
        report_services.photo_add(
            program=demo, image=SimpleUploadedFile(f"foto{n}.jpg", photo), caption=f"Foto {n}"
        )
    per_photo = (time.perf_counter() - start) / 5 * 1000
    print(
        f"photo upload: a 12-megapixel phone JPEG ({len(photo) // 1024} kB) resized and "
        f"stripped of EXIF in {per_photo:.0f} ms"
    )


def main():
    demo_load()
    demo = Program.objects.get(slug=PROGRAM_SLUG)
    with CaptureQueriesContext(connection) as queries:  # also warms up fonts and templates
        render_pdf("reports/program_report_pdf.html", selectors.program_report(demo))
    n_queries = len(queries)
    median, p90 = timed(
        lambda: render_pdf("reports/program_report_pdf.html", selectors.program_report(demo)),
        repeat=5,
    )
    print(
        f"demo program report PDF as the demo ships (no photos), in-process: {median:.0f} ms "
        f"median, {p90:.0f} ms p90, {n_queries} queries (target under 500 ms)"
    )
    with_photos(demo)
    median, p90 = timed(
        lambda: render_pdf("reports/program_report_pdf.html", selectors.program_report(demo)),
        repeat=5,
    )
    print(
        f"demo program report PDF with a logo and 4 photos, in-process: {median:.0f} ms "
        f"median, {p90:.0f} ms p90 (the photos are not in the issue's 500 ms target)"
    )
    as_of = dt.date(2023, 8, 12)
    with CaptureQueriesContext(connection) as queries:
        program_report_docx_bytes(selectors.program_report(demo, as_of=as_of))
    print(
        f"demo program report as of {as_of} with a logo and 4 photos, as the PDF and DOCX "
        f"read it: {len(queries)} queries"
    )
    median, p90 = timed(
        lambda: render_pdf(
            "reports/program_report_pdf.html", selectors.program_report(demo, as_of=as_of)
        ),
        repeat=5,
    )
    print(
        f"demo program report PDF as of {as_of} (from the history tables), with the photos: "
        f"{median:.0f} ms median, {p90:.0f} ms p90"
    )
    median, p90 = timed(
        lambda: program_report_docx_bytes(selectors.program_report(demo, as_of=as_of)),
        repeat=5,
    )
    print(
        f"demo program report DOCX as of {as_of}, with a logo and 4 photos: "
        f"{median:.0f} ms median, {p90:.0f} ms p90"
    )

    start = time.perf_counter()
    user = generate(demo)
    organization = demo.organization
    print(
        f"generated {PROGRAMS} programs, {PROGRAMS * PER_PROGRAM} participants in "
        f"{time.perf_counter() - start:.0f} s"
    )

    client = Client()
    client.force_login(user)
    url = reverse("organization_rollup", args=[organization.slug])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    n_queries = len(queries)
    median, p90 = timed(lambda: client.get(url), repeat=5)
    print(
        f"roll-up HTML ({PROGRAMS + 1} programs): {median:.0f} ms median, {p90:.0f} ms p90, "
        f"{n_queries} queries (target under 500 ms)"
    )

    programs = organization.programs.all()
    median, p90 = timed(
        lambda: render_pdf(
            "reports/rollup_pdf.html",
            {
                "organization": organization,
                "table": rollup.rollup(organization, programs, rollup.RollupFilters()),
            },
        ),
        repeat=3,
    )
    print(f"roll-up PDF: {median:.0f} ms median, {p90:.0f} ms p90 (target under 3,000 ms)")

    program = Program.objects.get(slug="desa-000")
    report_url = reverse("program_report", args=[program.slug])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(report_url, {"annex": "1"}).status_code == 200
    n_queries = len(queries)
    median, p90 = timed(lambda: client.get(report_url, {"annex": "1"}), repeat=5)
    print(
        f"one generated program's report page with its annex: {median:.0f} ms median, "
        f"{p90:.0f} ms p90, {n_queries} queries for {PER_PROGRAM} participants "
        "(tests/reports/test_query_counts.py holds the count at 1 and 3)"
    )
    median, p90 = timed(
        lambda: program_report_docx_bytes(selectors.program_report(program)), repeat=5
    )
    print(
        f"one generated program's report DOCX ({PER_PROGRAM} participants): "
        f"{median:.0f} ms median, {p90:.0f} ms p90"
    )
    print(f"login page (baseline, same run): {baseline():.1f} ms median")


if __name__ == "__main__":
    main()
