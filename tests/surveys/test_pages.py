"""One behaviour test for each survey view that had only the permission matrix."""

import datetime as dt

from django.urls import reverse

from surveys import services
from surveys.models import Question, Survey
from tests.factories import EnrollmentFactory, MembershipFactory, SurveyFactory
from tests.pages import messages_of, text_of


def url(name, survey, *more):
    return reverse(name, args=[survey.program.slug, survey.pk, *more])


def questions(survey):
    return [
        (q.kind, q.text, [c.label for c in q.choices.order_by("position")])
        for q in survey.questions.order_by("position")
    ]


def test_survey_list_counts_responses_and_offers_ways_to_start(login, coordinator, program):
    survey = SurveyFactory(program=program, title="Evaluasi akhir")
    other = SurveyFactory(program=MembershipFactory(user=coordinator).program, title="Pre-test")
    services.response_save(
        survey=survey,
        participant=EnrollmentFactory(program=program).participant,
        channel="assisted",
        answers={survey.questions.get(): [survey.questions.get().choices.first()]},
    )

    response = login(coordinator).get(reverse("survey_list", args=[program.slug]))

    assert [(s.title, s.n_responses) for s in response.context["surveys"]] == [
        ("Evaluasi akhir", 1)
    ]
    start = dict(response.context["new_form"].fields["start"].choices)
    assert start["empty"] == "Survei kosong"
    assert [key for key, _label in start["Salin dari program lain"]] == [f"copy:{other.pk}"]


def test_coordinator_starts_from_a_template_a_copy_or_empty(login, coordinator, program):
    source = SurveyFactory(
        program=MembershipFactory(user=coordinator, role="coordinator").program,
        title="Dari program lain",
    )
    client = login(coordinator)
    start = reverse("survey_start", args=[program.slug])

    from_library = client.post(start, {"start": "library:evaluasi-tiktok"})
    from_copy = client.post(start, {"start": f"copy:{source.pk}"})
    empty = client.post(start, {"start": "empty"})
    junk = client.post(start, {"start": "copy:999999"})

    library, copy = Survey.objects.filter(program=program).order_by("pk")
    assert (from_library.url, from_copy.url) == (
        library.get_absolute_url(),
        copy.get_absolute_url(),
    )
    assert (library.title, library.questions.count()) == ("Evaluasi pelatihan TikTok Affiliate", 5)
    assert (copy.copied_from, questions(copy)) == (source, questions(source))
    assert empty.url == reverse("survey_create", args=[program.slug])
    assert junk.url == reverse("survey_list", args=[program.slug])
    assert Survey.objects.filter(program=program).count() == 2


def test_coordinator_creates_then_edits_a_survey(login, coordinator, program):
    client = login(coordinator)

    created = client.post(
        reverse("survey_create", args=[program.slug]),
        {"kind": "pre_test", "title": "Tes awal", "intro": "Jawab sebisanya."},
    )
    survey = Survey.objects.get()
    edited = client.post(
        url("survey_edit", survey),
        {
            "kind": "pre_test",
            "title": "Tes awal TikTok",
            "closes_at": "2023-08-31T17:00",  # as a phone's datetime-local sends it
        },
    )

    survey.refresh_from_db()
    assert (created.url, edited.url) == (survey.get_absolute_url(), survey.get_absolute_url())
    assert (survey.kind, survey.title, survey.intro, survey.created_by) == (
        "pre_test",
        "Tes awal TikTok",
        "",
        coordinator,
    )
    assert survey.closes_at == dt.datetime(2023, 8, 31, 10, 0, tzinfo=dt.UTC)  # 17:00 WIB


def test_survey_page_shows_questions_the_public_link_and_the_count(login, facilitator, program):
    survey = SurveyFactory(
        program=program,
        questions=[{"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller"}],
    )

    response = login(facilitator).get(survey.get_absolute_url())

    assert [q.text for q in response.context["questions"]] == ["Jalur?"]
    assert response.context["public_url"] == f"http://testserver/s/{survey.public_token}/"
    assert (response.context["n_responses"], response.context["can_manage"]) == (0, False)
    assert "Kreator" in text_of(response)


def test_coordinator_adds_edits_moves_and_deletes_questions(login, coordinator, program):
    survey = SurveyFactory(program=program)  # one yes/no question
    client = login(coordinator)
    (first,) = survey.questions.all()

    added = client.post(
        url("question_create", survey),
        {"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller", "required": "on"},
    )
    second = survey.questions.get(text="Jalur?")
    edited = client.post(
        url("question_edit", survey, second.pk),
        {"kind": "single", "text": "Jalur yang dipilih?", "options": "Kreator\nSeller\nBelum"},
    )
    moved = client.post(url("question_move", survey, second.pk), {"direction": "up"})
    deleted = client.post(url("question_delete", survey, first.pk))

    anchor = survey.get_absolute_url() + "#questions"
    assert [added.url, edited.url, deleted.url] == [anchor] * 3
    assert moved.url == survey.get_absolute_url() + f"#question-{second.pk}"
    assert questions(survey) == [("single", "Jalur yang dipilih?", ["Kreator", "Seller", "Belum"])]
    assert Question.objects.get().required is False


def test_an_answered_question_is_not_deleted(login, coordinator, program, enrollment):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    services.response_save(
        survey=survey,
        participant=enrollment.participant,
        channel="assisted",
        answers={question: [question.choices.first()]},
    )

    response = login(coordinator).post(url("question_delete", survey, question.pk))

    assert Question.objects.get() == question
    assert messages_of(response) == ["Pertanyaan ini sudah dijawab dan tidak bisa dihapus."]


def test_respondents_list_who_has_answered(login, facilitator, program):
    survey = SurveyFactory(program=program)
    question = survey.questions.get()
    ani = EnrollmentFactory(program=program, participant__full_name="Ani")
    EnrollmentFactory(program=program, participant__full_name="Budi")
    EnrollmentFactory(program=program, participant__full_name="Cici", status="withdrawn")
    services.response_save(
        survey=survey,
        participant=ani.participant,
        channel="assisted",
        answers={question: [question.choices.first()]},
    )

    response = login(facilitator).get(url("survey_respondents", survey))

    assert [(e.participant.full_name, e.answered) for e in response.context["respondents"]] == [
        ("Ani", 1),
        ("Budi", 0),
    ]


def test_respondents_of_an_anonymous_survey_go_to_the_public_page(login, facilitator, program):
    survey = SurveyFactory(program=program, anonymous=True)

    response = login(facilitator).get(url("survey_respondents", survey))

    assert response.url == reverse("survey_public", args=[survey.public_token])


def test_public_thank_you_page_names_the_survey(client, program):
    survey = SurveyFactory(program=program, title="Evaluasi <b>akhir</b>")

    response = client.get(reverse("survey_public_done", args=[survey.public_token]))
    unknown = client.get(reverse("survey_public_done", args=["tidak-ada"]))

    assert (
        "Jawaban Ibu untuk “Evaluasi &lt;b&gt;akhir&lt;/b&gt;” sudah diterima. "
        "Jika ada yang perlu diperiksa, fasilitator akan menghubungi Ibu."
    ) in text_of(response)
    assert unknown.status_code == 404
