"""Reports: the demo's PDF, and an organization of 100 programs / 10,000 participants.

Run: `make bench` or `.venv/bin/python bench/reports.py`. Prints figures only.
The generator writes rows in bulk (it is set-up, not what is measured).
"""

import datetime as dt
import itertools
import random
import time

from _django import baseline, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from checklists.models import ChecklistTemplate, Track  # noqa: E402
from demo.services import PROGRAM_SLUG, demo_load  # noqa: E402
from participants.models import Enrollment, Participant  # noqa: E402
from pkk_training.pdf import render_pdf  # noqa: E402
from programs.models import Program  # noqa: E402
from reports import rollup, selectors  # noqa: E402
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
    for p in range(PROGRAMS):
        program = Program.objects.create(
            organization=organization,
            name=f"Pelatihan desa {p:03d}",
            slug=f"desa-{p:03d}",
            village=f"Kampung {p:03d}",
            district=f"Kecamatan {p % 7}",
            regency=f"Kabupaten {p % 3}",
            province="Lampung",
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


def main():
    demo_load()
    demo = Program.objects.get(slug=PROGRAM_SLUG)
    context = selectors.program_report(demo)
    render_pdf("reports/program_report_pdf.html", context)  # warm up fonts and templates
    median, p90 = timed(
        lambda: render_pdf("reports/program_report_pdf.html", selectors.program_report(demo)),
        repeat=5,
    )
    print(
        f"demo program report PDF, in-process: {median:.0f} ms median, {p90:.0f} ms p90 "
        "(target under 500 ms)"
    )
    as_of = dt.date(2023, 8, 12)
    median, p90 = timed(
        lambda: render_pdf(
            "reports/program_report_pdf.html", selectors.program_report(demo, as_of=as_of)
        ),
        repeat=5,
    )
    print(
        f"demo program report PDF as of {as_of} (from the history tables): "
        f"{median:.0f} ms median, {p90:.0f} ms p90 (target under 500 ms)"
    )
    median, p90 = timed(
        lambda: program_report_docx_bytes(selectors.program_report(demo, as_of=as_of)),
        repeat=5,
    )
    print(f"demo program report DOCX: {median:.0f} ms median, {p90:.0f} ms p90")

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
    print(f"login page (baseline, same run): {baseline():.1f} ms median")


if __name__ == "__main__":
    main()
