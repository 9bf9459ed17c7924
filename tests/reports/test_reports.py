import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from checklists import services as checklist_services
from demo.services import PROGRAM_SLUG
from reports import indicators, rollup, selectors, services
from reports.models import Indicator
from sessions.services import attendance_mark
from surveys.services import response_save
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    IndicatorFactory,
    ProgramFactory,
    SurveyFactory,
    TrackFactory,
    TrainingSessionFactory,
)

SEED_TABLE_1 = [
    "90% (18 dari 20) peserta sudah menginstal aplikasi TikTok; 10% (2 dari 20) belum.",
    "45% (9 dari 20) peserta berhasil membuat akun TikTok Affiliate; 55% (11 dari 20) belum "
    "berhasil, terutama karena dokumen wajib (KTP) gagal diunggah atau ditolak (8 orang).",
    "75% (15 dari 20) peserta bisa membuat konten video di TikTok; 25% (5 dari 20) belum bisa.",
]


def text_of(pdf):
    return " ".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages
    )


def test_demo_reproduces_the_seeds_table_1(demo):
    results = selectors.program_indicators(demo)

    assert [(r.numerator, r.denominator, r.rest) for r in results] == [
        (18, 20, 2),
        (9, 20, 11),
        (15, 20, 5),
    ]
    assert [r.sentence for r in results] == SEED_TABLE_1
    assert results[1].reasons[0] == ("Dokumen wajib (KTP) gagal diunggah atau ditolak", 8)


def test_report_pdf_holds_the_indicator_sentences(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user

    response = login(coordinator).get(reverse("program_report_pdf", args=[demo.slug]))

    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert [s for s in SEED_TABLE_1 if " ".join(s.split()) not in text] == []
    assert "Pelatihan E-Commerce TikTok Affiliate" in text


def test_report_pdf_cannot_be_made_to_read_local_files(login, program, coordinator, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE")
    for name in [f'<img src="file://{secret}">', f'<link rel="stylesheet" href="file://{secret}">']:
        EnrollmentFactory(program=program, participant__full_name=name)

    response = login(coordinator).get(
        reverse("program_report_pdf", args=[program.slug]), {"annex": "1"}
    )

    text = text_of(response.content)
    assert "TOP-SECRET-LINE" not in text
    assert "<img src=" in text  # the name is printed as text, not obeyed


def _hand_built():
    """Six participants: a survey, a checklist, two sessions."""
    program = ProgramFactory()
    people = [EnrollmentFactory(program=program, participant__full_name=f"P{i}") for i in range(6)]
    survey = SurveyFactory(
        program=program,
        questions=[
            {"kind": "yes_no", "text": "Sudah pasang?"},
            {"kind": "single", "text": "Kenapa belum?", "options": "HP penuh\nTidak ada sinyal"},
        ],
    )
    installed, why = survey.questions.order_by("position")
    training = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5), phase="training")
    later = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 12), phase="mentoring")
    template = ChecklistTemplateFactory(organization=program.organization)
    first, second, third = checklist_services.current_steps(template)
    documents = template.blocker_reasons.get(code="documents")
    signal = template.blocker_reasons.get(code="no_signal")
    # P0–P3 answered the survey: P0, P1 yes; P2 no (HP penuh); P3 no (sinyal)
    for person, yes, reason in [
        (0, True, None),
        (1, True, None),
        (2, False, "HP penuh"),
        (3, False, "Tidak ada sinyal"),
    ]:
        response_save(
            survey=survey,
            participant=people[person].participant,
            channel="assisted",
            answers={
                installed: [installed.choices.get(value="yes" if yes else "no")],
                why: [why.choices.get(label=reason)] if reason else [],
            },
        )
    # P0–P4 attended the training, P0 and P1 the later session as well.
    for person in range(5):
        attendance_mark(session=training, enrollment=people[person], status="present", by=None)
    for person in range(2):
        attendance_mark(session=later, enrollment=people[person], status="late", by=None)
    # Checklist: P0 complete; P1 step 1 done then blocked (documents); P2 blocked (signal).
    tracks = [TrackFactory(enrollment=people[i], template=template) for i in range(3)]
    for step in (first, second, third):
        checklist_services.progress_mark(track=tracks[0], step=step, state="done", by=None)
    checklist_services.progress_mark(track=tracks[1], step=first, state="done", by=None)
    checklist_services.progress_mark(
        track=tracks[1], step=second, state="blocked", reason=documents, by=None
    )
    checklist_services.progress_mark(
        track=tracks[2], step=first, state="blocked", reason=signal, by=None
    )
    return program, {
        "survey": survey,
        "installed": installed,
        "why": why,
        "training": training,
        "later": later,
        "template": template,
        "first": first,
    }


def indicator(program, **fields):
    defaults = {"label": "L", "success_phrase": "berhasil", "failure_phrase": "belum"}
    choices = fields.pop("success_choices", [])
    templates = fields.pop("templates", [])
    return services.indicator_save(
        program=program,
        success_choices=choices,
        templates=templates,
        **{**defaults, **fields},
    )


def counts(result):
    return (result.numerator, result.denominator, result.reasons)


def test_each_source_and_population_on_hand_built_data(db):
    program, d = _hand_built()
    yes = [d["installed"].choices.get(value="yes")]
    cases = {
        "survey answer over respondents, reasons from a follow-up question": indicator(
            program,
            source="survey_answer",
            question=d["installed"],
            success_choices=yes,
            population="answered_survey",
            population_survey=d["survey"],
            reason_source="survey_question",
            reason_question=d["why"],
        ),
        "survey answer over everyone enrolled": indicator(
            program,
            source="survey_answer",
            question=d["installed"],
            success_choices=yes,
        ),
        "checklist complete over the training's attendees, checklist reasons": indicator(
            program,
            source="checklist_complete",
            templates=[d["template"]],
            population="attended_session",
            population_session=d["training"],
            reason_source="checklist",
        ),
        "one step done over everyone": indicator(
            program,
            source="checklist_step",
            step=d["first"],
            reason_source="checklist",
        ),
        "attended the later session": indicator(
            program,
            source="attended_session",
            session=d["later"],
        ),
        "attended at least two sessions, over the training's attendees": indicator(
            program,
            source="attended_min",
            min_sessions=2,
            population="attended_session",
            population_session=d["training"],
        ),
    }

    results = {name: counts(indicators.evaluate(i, program)) for name, i in cases.items()}

    assert results == {
        "survey answer over respondents, reasons from a follow-up question": (
            2,
            4,
            [("HP penuh", 1), ("Tidak ada sinyal", 1)],
        ),
        "survey answer over everyone enrolled": (2, 6, []),
        "checklist complete over the training's attendees, checklist reasons": (
            1,
            5,
            [
                ("Dokumen wajib (KTP) gagal diunggah atau ditolak", 1),
                ("Tidak ada sinyal atau kuota", 1),
            ],
        ),
        "one step done over everyone": (2, 6, [("Tidak ada sinyal atau kuota", 1)]),
        "attended the later session": (2, 6, []),
        "attended at least two sessions, over the training's attendees": (2, 5, []),
    }


def test_empty_and_tiny_populations_say_so(db):
    program, d = _hand_built()
    nobody = TrainingSessionFactory(program=program, title="Kosong")
    empty = indicator(
        program,
        label="Hadir",
        source="attended_min",
        min_sessions=1,
        population="attended_session",
        population_session=nobody,
    )
    tiny = indicator(
        program,
        source="attended_session",
        session=d["later"],
        success_phrase="peserta hadir",
        failure_phrase="tidak hadir",
    )

    empty_result, tiny_result = (indicators.evaluate(i, program) for i in (empty, tiny))

    assert (empty_result.percent, empty_result.sentence) == (None, "Belum ada data untuk “Hadir”.")
    assert tiny_result.sentence == (
        "33% (2 dari 6) peserta hadir; 67% (4 dari 6) tidak hadir. "
        "(Berdasarkan sedikit peserta: n = 6.)"
    )


def test_references_must_belong_to_the_program(db):
    program, d = _hand_built()
    other_session = TrainingSessionFactory()
    other_question = SurveyFactory().questions.get()

    with pytest.raises(ValidationError) as wrong_session:
        indicator(program, source="attended_session", session=other_session)
    with pytest.raises(ValidationError) as wrong_question:
        indicator(
            program,
            source="survey_answer",
            question=other_question,
            success_choices=list(other_question.choices.all()),
        )
    with pytest.raises(ValidationError) as no_choices:
        indicator(program, source="survey_answer", question=d["installed"])

    assert list(wrong_session.value.message_dict) == ["session"]
    assert list(wrong_question.value.message_dict) == ["question"]
    assert list(no_choices.value.message_dict) == ["success_choices"]
    assert Indicator.objects.count() == 0


def test_indicators_copy_to_another_program_with_its_survey(demo):
    target = ProgramFactory(organization=demo.organization)
    TrainingSessionFactory(program=target, phase="training", title="Pelatihan di kampung lain")

    copied = services.indicators_copy(source=demo, target=target, by=None)

    survey = target.surveys.get()
    assert (copied, survey.title) == (3, "Evaluasi pelatihan TikTok Affiliate")
    first, second, third = target.indicators.order_by("position")
    assert (first.question.survey, first.population_survey) == (survey, survey)
    assert [c.label for c in first.success_choices.all()] == ["Ya"]
    assert second.population_session.title == "Pelatihan di kampung lain"
    assert sorted(t.code for t in second.templates.all()) == ["tiktok-kreator", "tiktok-seller"]
    assert [r.sentence for r in selectors.program_indicators(target)][0] == (
        "Belum ada data untuk “Peserta yang sudah menginstal aplikasi TikTok”."
    )


def test_rollup_filters_and_sorts(db):
    organization = ProgramFactory(name="A", regency="Way Kanan").organization
    ProgramFactory(
        organization=organization,
        name="B",
        regency="Lampung Barat",
        regency_code="18.04",
        district_code="18.04.08",
        start_date=dt.date(2024, 1, 1),
        end_date=None,
    )
    for program in organization.programs.all():
        EnrollmentFactory.create_batch(2 if program.name == "A" else 5, program=program)
        IndicatorFactory(program=program, label="Hadir")

    everyone = rollup.rollup(
        organization, organization.programs.all(), rollup.RollupFilters(sort="-enrolled")
    )
    way_kanan = rollup.rollup(
        organization, organization.programs.all(), rollup.RollupFilters(regency="18.08")
    )
    year_2024 = rollup.rollup(
        organization, organization.programs.all(), rollup.RollupFilters(year=2024)
    )

    assert [(r.program.name, r.enrolled) for r in everyone.rows] == [("B", 5), ("A", 2)]
    assert (everyone.labels, [r.program.name for r in way_kanan.rows]) == (["Hadir"], ["A"])
    assert [r.program.name for r in year_2024.rows] == ["B"]


def test_report_command_writes_json_xlsx_html_and_an_organizations_pdfs(demo, tmp_path):
    call_command("report", PROGRAM_SLUG, "--format", "json", "--output", tmp_path / "r.json")
    call_command("report", PROGRAM_SLUG, "--format", "xlsx", "--output", tmp_path / "r.xlsx")
    call_command("report", PROGRAM_SLUG, "--format", "html", "--output", tmp_path / "r.html")
    call_command(
        "report",
        "--organization",
        demo.organization.slug,
        "--format",
        "pdf",
        "--output",
        tmp_path / "all",
    )

    data = json.loads((tmp_path / "r.json").read_text())
    assert data["indicators"][1] == {
        "label": "Peserta yang berhasil membuat akun TikTok Affiliate",
        "numerator": 9,
        "denominator": 20,
        "percentage": 45.0,
        "failure": {
            "count": 11,
            "percentage": 55.0,
            "reasons": [
                {"reason": "Dokumen wajib (KTP) gagal diunggah atau ditolak", "count": 8},
                {"reason": "Lupa kata sandi / kode OTP tidak masuk", "count": 1},
                {"reason": "Menunggu persetujuan seller", "count": 1},
                {"reason": "Tidak ada sinyal atau kuota", "count": 1},
            ],
        },
        "sentence": SEED_TABLE_1[1],
        "base": "20 peserta yang hadir pada “Pelatihan E-Commerce TikTok Affiliate” 5 Agustus "
        "2023, dari 30 terdaftar",
    }
    sheet = load_workbook(tmp_path / "r.xlsx")["Tabel 1"]
    assert [c.value for c in sheet[2]][:4] == [
        "Peserta yang sudah menginstal aplikasi TikTok",
        18,
        20,
        90,
    ]
    assert SEED_TABLE_1[0] in (tmp_path / "r.html").read_text()
    assert sorted(p.name for p in (tmp_path / "all").iterdir()) == [
        "rekap-uin-raden-intan-kkn-23.pdf",
        "tiktok-affiliate-jaya-tinggi.pdf",
    ]


def test_report_command_refuses_unknown_program(db, tmp_path):
    with pytest.raises(CommandError, match="No program with the slug 'nope'"):
        call_command("report", "nope", "--output", tmp_path / "x.pdf")
