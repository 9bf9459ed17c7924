import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from surveys import selectors, services
from surveys.models import HeldResponse, Response
from tests.factories import EnrollmentFactory, SurveyFactory

EVERY_KIND = [
    {"kind": "yes_no", "text": "Sudah pasang TikTok?"},
    {"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller"},
    {"kind": "multiple", "text": "Dokumen?", "options": "KTP\nKK\nIjazah"},
    {"kind": "scale", "text": "Manfaat?"},
    {"kind": "number", "text": "Berapa video?"},
    {"kind": "short_text", "text": "Nama toko?", "required": False},
    {"kind": "long_text", "text": "Saran?", "required": False},
]


def choice(question, label):
    return question.choices.get(label=label)


def answer_yes_no(survey, participant, yes, by=None):
    question = survey.questions.get()
    return services.response_save(
        survey=survey,
        participant=participant,
        by=by,
        channel="assisted",
        answers={question: [question.choices.get(value="yes" if yes else "no")]},
    )


# --- building ---------------------------------------------------------------


def test_yes_no_and_scale_questions_get_their_fixed_options(program):
    survey = SurveyFactory(program=program, questions=EVERY_KIND)

    labels = {q.text: [c.label for c in q.choices.all()] for q in survey.questions.all()}

    assert labels["Sudah pasang TikTok?"] == ["Ya", "Tidak"]
    assert labels["Manfaat?"] == ["1", "2", "3", "4", "5"]
    assert labels["Jalur?"] == ["Kreator", "Seller"]
    assert labels["Saran?"] == []


def test_destructive_edits_are_refused_once_answered_and_wording_fixes_allowed(program, enrollment):
    survey = SurveyFactory(
        program=program,
        questions=[
            {"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller\nBelum tahu"},
        ],
    )
    question = survey.questions.get()
    services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={question: [choice(question, "Seller")]},
    )

    with pytest.raises(ValidationError) as type_change:
        services.question_update(
            question=question, kind="multiple", text="Jalur?", options="Kreator\nSeller"
        )
    with pytest.raises(ValidationError) as chosen_removed:
        services.question_update(
            question=question, kind="single", text="Jalur?", options="Kreator\nBelum tahu"
        )
    with pytest.raises(ValidationError) as deleted:
        services.question_delete(question=question)
    services.question_update(
        question=question,
        kind="single",
        text="Jalur pendaftaran?",
        options="Kreator (affiliator)\n*Seller\nLainnya",
    )

    assert list(type_change.value.message_dict) == ["kind"]
    assert chosen_removed.value.message_dict == {
        "options": ["Pilihan ini sudah dipilih responden dan tidak bisa dihapus: Seller."]
    }
    assert deleted.value.messages == ["Pertanyaan ini sudah dijawab dan tidak bisa dihapus."]
    question.refresh_from_db()
    assert (question.text, [(c.label, c.is_correct) for c in question.choices.all()]) == (
        "Jalur pendaftaran?",
        [("Kreator (affiliator)", False), ("Seller", True), ("Lainnya", False)],
    )
    assert [c.label for c in Response.objects.get().answers.get().choices.all()] == ["Seller"]


def test_unchosen_option_can_be_removed_after_answers(program, enrollment):
    survey = SurveyFactory(
        program=program,
        questions=[
            {"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller\nBelum tahu"},
        ],
    )
    question = survey.questions.get()
    services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={question: [choice(question, "Kreator")]},
    )

    services.question_update(
        question=question, kind="single", text="Jalur?", options="Kreator\nSeller"
    )

    assert [c.label for c in question.choices.all()] == ["Kreator", "Seller"]


# --- answering --------------------------------------------------------------


def test_a_second_submission_updates_the_first(program, enrollment):
    survey = SurveyFactory(program=program)

    first, created_first = answer_yes_no(survey, enrollment.participant, yes=False)
    second, created_second = answer_yes_no(survey, enrollment.participant, yes=True)

    assert (first.pk, created_first, created_second) == (second.pk, True, False)
    assert Response.objects.count() == 1
    assert [c.value for c in second.answers.get().choices.all()] == ["yes"]


def test_anonymous_resubmission_is_recognised_by_its_form_id(program):
    survey = SurveyFactory(program=program, anonymous=True)
    question = survey.questions.get()
    form_id = "6a0c5b3a-7b55-4a7a-9a55-1f0d3c8f1e11"

    for _ in range(2):  # a double tap
        services.response_save(
            survey=survey,
            channel="self",
            submission_id=form_id,
            answers={question: [question.choices.get(value="yes")]},
        )

    assert Response.objects.count() == 1


def test_closed_survey_refuses_answers(program, enrollment):
    survey = SurveyFactory(program=program, closes_at=timezone.now() - dt.timedelta(hours=1))

    with pytest.raises(ValidationError) as caught:
        answer_yes_no(survey, enrollment.participant, yes=True)

    assert caught.value.code == "closed"
    assert Response.objects.count() == 0


def test_public_page_answers_identify_by_phone_written_any_way(client, program, enrollment):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    url = reverse("survey_public", args=[survey.public_token])
    local = "0" + enrollment.participant.phone[3:]  # +62813… written as 0813…

    page = client.get(url).content.decode()
    response = client.post(
        url, {"phone": local, f"q{question.pk}": question.choices.get(value="yes").pk}
    )

    assert enrollment.participant.full_name not in page
    assert response.url == reverse("survey_public_done", args=[survey.public_token])
    assert Response.objects.get().participant == enrollment.participant


def test_public_page_keeps_an_unknown_number_aside_without_revealing_anyone(
    client, program, enrollment
):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    EnrollmentFactory(participant__phone="+6281399990000")  # enrolled elsewhere only

    response = client.post(
        reverse("survey_public", args=[survey.public_token]),
        {"phone": "081399990000", f"q{question.pk}": question.choices.first().pk},
    )

    assert response.url == reverse("survey_public_done", args=[survey.public_token])
    assert Response.objects.count() == 0
    assert HeldResponse.objects.get().participant is None


def test_closed_public_page_says_so(client, program):
    survey = SurveyFactory(program=program, closes_at=timezone.now() - dt.timedelta(days=1))

    response = client.get(reverse("survey_public", args=[survey.public_token]))

    assert response.status_code == 410
    assert "Survei ini sudah ditutup" in response.content.decode()


def test_unknown_public_token_is_404(client, db):
    assert client.get(reverse("survey_public", args=["nope"])).status_code == 404


def test_missing_required_answer_is_a_clear_error(client, program, enrollment):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()

    response = client.post(
        reverse("survey_public", args=[survey.public_token]),
        {"phone": enrollment.participant.phone},
    )

    html = response.content.decode()
    assert response.context["form"].errors == {f"q{question.pk}": ["Wajib diisi."]}
    # Under the question, before its first option (not beside the last one).
    assert html.index("Wajib diisi.") < html.index('class="survey-option"')


def test_every_option_row_is_a_label_wrapping_its_input(client, program):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    choice = question.choices.first()

    html = client.get(reverse("survey_public", args=[survey.public_token])).content.decode()

    assert (
        f'<label class="survey-option" for="id_q{question.pk}_0"><input type="radio" '
        f'name="q{question.pk}" value="{choice.pk}"'
    ) in html


def test_assisted_entry_moves_on_to_the_next_person(login, facilitator, program):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    budi = EnrollmentFactory(program=program, participant__full_name="Budi")

    response = login(facilitator).post(
        reverse("survey_answer", args=[program.slug, survey.pk, ani.participant_id]),
        {f"q{question.pk}": question.choices.first().pk},
    )

    assert response.url == reverse(
        "survey_answer", args=[program.slug, survey.pk, budi.participant_id]
    )
    assert Response.objects.get().entered_by == facilitator


def test_survey_of_another_program_is_404(login, facilitator, program):
    foreign = SurveyFactory()

    response = login(facilitator).get(reverse("survey_results", args=[program.slug, foreign.pk]))

    assert response.status_code == 404


# --- results ----------------------------------------------------------------


def test_results_give_n_of_n_and_percentages(program):
    survey = SurveyFactory(program=program, questions=EVERY_KIND)
    q = {question.text: question for question in survey.questions.all()}
    for i, (yes, path, docs, scale, number, text) in enumerate(
        [
            (True, "Seller", ["KTP"], "5", Decimal("3"), "Toko Siti"),
            (True, "Seller", ["KTP", "KK"], "4", Decimal("1"), ""),
            (False, "Kreator", [], "4", None, '=HYPERLINK("x")'),
        ]
    ):
        enrollment = EnrollmentFactory(program=program, participant__full_name=f"P{i}")
        services.response_save(
            survey=survey,
            participant=enrollment.participant,
            channel="assisted",
            answers={
                q["Sudah pasang TikTok?"]: [
                    q["Sudah pasang TikTok?"].choices.get(value="yes" if yes else "no")
                ],
                q["Jalur?"]: [choice(q["Jalur?"], path)],
                q["Dokumen?"]: [choice(q["Dokumen?"], d) for d in docs],
                q["Manfaat?"]: [choice(q["Manfaat?"], scale)],
                q["Berapa video?"]: number,
                q["Nama toko?"]: text,
                q["Saran?"]: "",
            },
        )

    results = {r.question.text: r for r in selectors.survey_results(survey)}

    def counts(text):
        r = results[text]
        return (
            r.answered,
            r.total,
            [(o.choice.label, o.count, round(o.percent)) for o in r.options],
        )

    assert counts("Sudah pasang TikTok?") == (3, 3, [("Ya", 2, 67), ("Tidak", 1, 33)])
    assert counts("Dokumen?") == (2, 3, [("KTP", 2, 100), ("KK", 1, 50), ("Ijazah", 0, 0)])
    assert counts("Manfaat?")[2][3:] == [("4", 2, 67), ("5", 1, 33)]
    stats = results["Berapa video?"].stats
    assert (stats["count"], stats["avg"], stats["min"], stats["max"]) == (
        2,
        Decimal("2"),
        Decimal("1"),
        Decimal("3"),
    )
    assert results["Nama toko?"].texts == ["Toko Siti", '=HYPERLINK("x")']
    assert results["Saran?"].answered == 0


def test_pre_post_scores_on_a_hand_built_case(program):
    knowledge = [
        {"kind": "single", "text": "Siapa memberi komisi?", "options": "Pembeli\n*Seller"},
        {"kind": "yes_no", "text": "Perlu rekening?", "options": "*Ya"},
        {"kind": "multiple", "text": "Dokumen?", "options": "*KTP\nIjazah\n*NPWP"},
        {"kind": "short_text", "text": "Nama?", "required": False},
    ]
    pre = SurveyFactory(program=program, kind="pre_test", questions=knowledge)
    post = services.survey_copy(source=pre, program=program, by=None)
    post.kind, post.baseline = "post_test", pre
    post.save()
    ani, budi, only_pre = (EnrollmentFactory(program=program).participant for _ in range(3))

    def answer(survey, who, commission, account, docs):
        q = list(survey.questions.order_by("position"))
        services.response_save(
            survey=survey,
            participant=who,
            channel="assisted",
            answers={
                q[0]: [choice(q[0], commission)],
                q[1]: [q[1].choices.get(value=account)],
                q[2]: [choice(q[2], d) for d in docs],
            },
        )

    answer(pre, ani, "Pembeli", "no", ["KTP"])  # 0 of 3 right
    answer(pre, budi, "Seller", "yes", ["KTP"])  # 2 of 3
    answer(pre, only_pre, "Seller", "yes", ["KTP", "NPWP"])  # not paired
    answer(post, ani, "Seller", "yes", ["KTP", "NPWP"])  # 3 of 3
    answer(post, budi, "Seller", "yes", ["KTP", "NPWP"])  # 3 of 3

    result = selectors.pre_post(post)

    assert (result.pairs, result.questions) == (2, 3)
    assert round(result.mean_pre, 2) == round(100 * (0 + 2 / 3) / 2, 2)
    assert (result.mean_post, round(result.mean_gain, 2)) == (100, round(100 - 100 / 3, 2))
    assert [(p, q.text, round(b), round(a)) for p, q, b, a in result.per_question] == [
        (1, "Siapa memberi komisi?", 50, 100),
        (2, "Perlu rekening?", 50, 100),
        (3, "Dokumen?", 0, 100),
    ]


def test_exports_neutralise_formula_text(login, coordinator, program):
    survey = SurveyFactory(program=program, questions=[{"kind": "short_text", "text": "Saran?"}])
    question = survey.questions.get()
    enrollment = EnrollmentFactory(program=program, participant__full_name="@Siti")
    services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={question: "=cmd|' /C calc'!A0"},
    )

    response = login(coordinator).get(
        reverse("survey_export", args=[program.slug, survey.pk, "csv"])
    )

    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["Peserta", "Dikirim", "Cara pengisian", "Saran?"]
    assert (rows[1][0], rows[1][3]) == ("'@Siti", "'=cmd|' /C calc'!A0")


def test_text_answers_are_escaped_on_the_results_page(login, coordinator, program, enrollment):
    survey = SurveyFactory(program=program, questions=[{"kind": "long_text", "text": "Saran?"}])
    services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={survey.questions.get(): "<script>alert(1)</script>"},
    )

    html = (
        login(coordinator)
        .get(reverse("survey_results", args=[program.slug, survey.pk]))
        .content.decode()
    )

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_qr_code_is_an_svg_of_the_public_link(login, facilitator, program):
    survey = SurveyFactory(program=program)

    response = login(facilitator).get(reverse("survey_qr", args=[program.slug, survey.pk]))

    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<?xml") and b"<svg" in response.content
