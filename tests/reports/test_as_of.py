"""A report "as of" a day, the base of each indicator, the Word file, the command's stdout."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from docx import Document

from checklists import services as checklist_services
from checklists.enums import SATISFIED, StepState
from checklists.models import Track
from reports import selectors
from sessions.services import attendance_mark
from surveys.services import response_save
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    ProgramFactory,
    SurveyFactory,
    TrainingSessionFactory,
)
from tests.reports.test_reports import SEED_TABLE_1, indicator, text_of

EVALUATION_DAY = dt.date(2023, 8, 12)
BASES = [
    "Dasar: 20 peserta yang mengisi “Evaluasi pelatihan TikTok Affiliate”, dari 30 terdaftar.",
    "Dasar: 20 peserta yang hadir pada “Pelatihan E-Commerce TikTok Affiliate” 5 Agustus 2023, "
    "dari 30 terdaftar.",
    "Dasar: 20 peserta yang mengisi “Evaluasi pelatihan TikTok Affiliate”, dari 30 terdaftar.",
]


def figures(results):
    return [(r.numerator, r.denominator) for r in results]


def at(day, hour=10):
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def finish_one_affiliate_track_now(program):
    """One participant who was stuck finishes her signup today."""
    track = (
        Track.objects.filter(
            enrollment__program=program,
            template__code__in=["tiktok-seller", "tiktok-kreator"],
            completed_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    satisfied = set(track.progress.filter(state__in=SATISFIED).values_list("step_id", flat=True))
    for step in checklist_services.current_steps(track.template):
        if step.pk not in satisfied:
            checklist_services.progress_mark(track=track, step=step, state=StepState.DONE, by=None)
    track.refresh_from_db()
    assert track.completed_at is not None
    return track


def test_demo_as_of_the_evaluation_day_keeps_table_1_after_a_later_completion(demo):
    finish_one_affiliate_track_now(demo)

    then = selectors.program_indicators(demo, as_of=EVALUATION_DAY)
    now = selectors.program_indicators(demo)
    today = selectors.program_indicators(demo, as_of=timezone.localdate())

    assert figures(then) == [(18, 20), (9, 20), (15, 20)]
    assert [r.sentence for r in then] == SEED_TABLE_1
    assert then[1].reasons[0] == ("Dokumen wajib (KTP) gagal diunggah atau ditolak", 8)
    assert figures(now) == [(18, 20), (10, 20), (15, 20)]
    assert figures(today) == figures(now)
    assert [r.reasons for r in today] == [r.reasons for r in now]


def test_demo_before_the_training_has_nobody_counted(demo):
    results = selectors.program_indicators(demo, as_of=dt.date(2023, 8, 4))

    assert figures(results) == [(0, 0), (0, 0), (0, 0)]
    assert [r.enrolled for r in results] == [30, 30, 30]


def test_every_indicator_states_its_base(demo):
    results = selectors.program_indicators(demo, as_of=EVALUATION_DAY)

    assert ["Dasar: " + r.base + "." for r in results] == BASES


def test_as_of_reads_the_history_of_each_source(db):
    program = ProgramFactory()
    early = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 1))
    late = EnrollmentFactory(program=program, enrolled_on=dt.date(2023, 8, 20))
    session = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5), phase="training")
    later_session = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 25))
    survey = SurveyFactory(program=program, questions=[{"kind": "yes_no", "text": "Sudah?"}])
    question = survey.questions.get()
    template = ChecklistTemplateFactory(organization=program.organization)
    first = checklist_services.current_steps(template)[0]
    track = checklist_services.track_assign(enrollment=early, template=template, by=None)
    # Present on the day, marked absent by mistake two weeks later.
    attendance_mark(
        session=session, enrollment=early, status="present", by=None, at=at(session.date)
    )
    attendance_mark(
        session=session, enrollment=early, status="absent", by=None, at=at(dt.date(2023, 8, 19))
    )
    attendance_mark(
        session=later_session,
        enrollment=late,
        status="present",
        by=None,
        at=at(dt.date(2023, 8, 25)),
    )
    response_save(
        survey=survey,
        participant=early.participant,
        channel="assisted",
        answers={question: [question.choices.get(value="yes")]},
        at=at(dt.date(2023, 8, 14)),
    )
    checklist_services.progress_mark(
        track=track,
        step=first,
        state="blocked",
        by=None,
        at=at(dt.date(2023, 8, 6)),
        reason=template.blocker_reasons.get(code="documents"),
    )
    checklist_services.progress_mark(
        track=track, step=first, state="done", by=None, at=at(dt.date(2023, 8, 16))
    )
    attended = indicator(program, source="attended_session", session=session)
    answered = indicator(
        program,
        source="survey_answer",
        question=question,
        success_choices=[question.choices.get(value="yes")],
        population="answered_survey",
        population_survey=survey,
    )
    step_done = indicator(program, source="checklist_step", step=first, reason_source="checklist")
    at_least_one = indicator(program, source="attended_min", min_sessions=1)
    indicators = [attended, answered, step_done, at_least_one]

    def on(day):
        results = selectors.program_indicators(program, as_of=day)
        return [(r.numerator, r.denominator, r.reasons) for r in results]

    documents = [("Dokumen wajib (KTP) gagal diunggah atau ditolak", 1)]
    assert len(indicators) == 4
    assert on(dt.date(2023, 8, 10)) == [
        (1, 1, []),
        (0, 0, []),
        (0, 1, documents),
        (1, 1, []),
    ]
    assert on(dt.date(2023, 8, 15)) == [
        (1, 1, []),
        (1, 1, []),
        (0, 1, documents),
        (1, 1, []),
    ]
    assert on(dt.date(2023, 8, 31)) == [
        (0, 2, []),
        (1, 1, []),
        (1, 2, []),
        (1, 2, []),
    ]
    assert on(dt.date(2023, 8, 31)) == [
        (r.numerator, r.denominator, r.reasons) for r in selectors.program_indicators(program)
    ]


def test_report_page_and_pdf_say_data_per_and_the_base(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user
    finish_one_affiliate_track_now(demo)
    client = login(coordinator)

    page = client.get(reverse("program_report", args=[demo.slug]), {"as_of": "2023-08-12"})
    pdf = client.get(reverse("program_report_pdf", args=[demo.slug]), {"as_of": "2023-08-12"})

    assert figures(page.context["indicators"]) == [(18, 20), (9, 20), (15, 20)]
    assert page.context["download_query"] == "as_of=2023-08-12"
    assert pdf["Content-Disposition"] == (
        'attachment; filename="laporan-tiktok-affiliate-jaya-tinggi-per-2023-08-12.pdf"'
    )
    text = text_of(pdf.content)
    assert "Data per 12 Agustus 2023: hanya yang tercatat sampai akhir hari itu yang dihitung." in (
        text
    )
    assert [b for b in BASES if " ".join(b.split()) not in text] == []
    assert [s for s in SEED_TABLE_1 if " ".join(s.split()) not in text] == []


@pytest.mark.parametrize(
    ("junk", "message"),
    [
        ("32-08-2023", "Tulis tanggal sebagai TTTT-BB-HH."),
        ("2023-02-30", "Tulis tanggal sebagai TTTT-BB-HH."),
        ("'; DROP TABLE x", "Tulis tanggal sebagai TTTT-BB-HH."),
        ("9999-01-01", "Tanggal tidak boleh di masa depan."),
    ],
)
def test_a_bad_as_of_is_said_and_the_report_counts_until_now(login, demo, junk, message):
    coordinator = demo.memberships.get(role="coordinator").user
    finish_one_affiliate_track_now(demo)

    page = login(coordinator).get(reverse("program_report", args=[demo.slug]), {"as_of": junk})

    assert page.status_code == 200
    assert page.context["as_of"] is None
    assert page.context["as_of_form"].errors == {"as_of": [message]}
    assert message in page.content.decode()
    assert figures(page.context["indicators"]) == [(18, 20), (10, 20), (15, 20)]


def docx_text(content):
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    return paragraphs, cells


def test_docx_opens_and_holds_table_1_as_a_word_table(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user

    response = login(coordinator).get(
        reverse("program_report_docx", args=[demo.slug]), {"as_of": "2023-08-12"}
    )

    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    paragraphs, cells = docx_text(response.content)
    assert [f"{s} {b}" for s, b in zip(SEED_TABLE_1, BASES, strict=True)] == [
        p for p in paragraphs if p.startswith(("90%", "45%", "75%"))
    ]
    assert ["Peserta yang sudah menginstal aplikasi TikTok", "90% (18/20)", "10% (2/20)", "—"] in (
        cells
    )
    assert [
        "Peserta yang berhasil membuat akun TikTok Affiliate",
        "45% (9/20)",
        "55% (11/20)",
        "Dokumen wajib (KTP) gagal diunggah atau ditolak (8)",
    ] in cells
    assert [
        "Data",
        "Data per 12 Agustus 2023: hanya yang tercatat sampai akhir hari itu yang dihitung.",
    ] in cells


def test_command_writes_json_to_stdout_and_docx_as_of_a_day(demo, tmp_path, capsys):
    finish_one_affiliate_track_now(demo)

    call_command("report", demo.slug, "--format", "json")
    now = json.loads(capsys.readouterr().out)
    call_command("report", demo.slug, "--format", "json", "--as-of", "2023-08-12")
    then = json.loads(capsys.readouterr().out)
    call_command("report", demo.slug, "--format", "html", "--as-of", "2023-08-12")
    html = capsys.readouterr().out
    call_command(
        "report", demo.slug, "--format", "docx", "--as-of", "2023-08-12", "--output", tmp_path / "r"
    )

    assert (now["as_of"], [i["numerator"] for i in now["indicators"]]) == (None, [18, 10, 15])
    assert (then["as_of"], [i["numerator"] for i in then["indicators"]]) == (
        "2023-08-12",
        [18, 9, 15],
    )
    assert then["indicators"][1]["base"] == BASES[1][len("Dasar: ") : -1]
    assert SEED_TABLE_1[1] in html
    paragraphs, _cells = docx_text((tmp_path / "r").read_bytes())
    assert SEED_TABLE_1[1] + " " + BASES[1] in paragraphs


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--format", "pdf"], "--output is needed for pdf"),
        (["--format", "docx"], "--output is needed for docx"),
        (["--format", "json", "--as-of", "2999-01-01"], "--as-of 2999-01-01 is in the future"),
        (["--format", "json", "--as-of", "12/08/2023"], "'12/08/2023' is not a date"),
    ],
)
def test_command_refuses_what_it_cannot_do(demo, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("report", demo.slug, *arguments)
