"""Finding 1: the public survey link as an enumeration oracle, an overwrite, a flood."""

from django.urls import reverse

from surveys.models import HeldResponse, Response
from tests.factories import EnrollmentFactory, SurveyFactory


def _post(client, survey, phone, yes=True, ip="10.1.1.1"):
    question = survey.questions.get()
    return client.post(
        reverse("survey_public", args=[survey.public_token]),
        {"phone": phone, f"q{question.pk}": question.choices.get(value="yes" if yes else "no").pk},
        REMOTE_ADDR=ip,
    )


def _answer(response):
    return response.answers.get().choices.get().value


def test_an_enrolled_and_an_unknown_phone_get_the_same_answer(client, program, enrollment):
    survey = SurveyFactory(program=program)
    enrolled = "0" + enrollment.participant.phone[3:]

    known = _post(client, survey, enrolled)
    unknown = _post(client, survey, "081399990000")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == reverse("survey_public_done", args=[survey.public_token])
    assert Response.objects.get().participant == enrollment.participant
    held = HeldResponse.objects.get()
    assert (held.phone, held.participant, held.reason) == ("+6281399990000", None, "unknown_phone")


def test_a_stranger_who_knows_her_number_cannot_replace_her_answers(client, program, enrollment):
    survey = SurveyFactory(program=program)
    phone = "0" + enrollment.participant.phone[3:]
    _post(client, survey, phone, yes=True, ip="10.1.1.1")

    stranger = _post(client, survey, phone, yes=False, ip="10.9.9.9")

    assert stranger.url == reverse("survey_public_done", args=[survey.public_token])
    assert _answer(Response.objects.get()) == "yes"
    held = HeldResponse.objects.get()
    assert (held.participant, held.reason) == (enrollment.participant, "would_replace")


def test_probing_many_numbers_from_one_client_is_stopped(client, program):
    survey = SurveyFactory(program=program)

    statuses = [_post(client, survey, f"0813{n:08d}").status_code for n in range(100)]

    assert statuses[:20] == [302] * 20
    assert set(statuses[20:]) == {429}
    assert HeldResponse.objects.count() == 20
    assert "Coba lagi nanti" in _post(client, survey, "081300000000").content.decode()


def test_an_anonymous_survey_takes_two_answers_per_browser(client, program):
    survey = SurveyFactory(program=program, anonymous=True)
    question = survey.questions.get()
    url = reverse("survey_public", args=[survey.public_token])

    def send():
        page = client.get(url)
        submission = page.context["form"].initial["submission_id"]
        return client.post(
            url,
            {"submission_id": submission, f"q{question.pk}": question.choices.first().pk},
        )

    statuses = [send().status_code for _ in range(50)]

    assert statuses[:2] == [302, 302]
    assert set(statuses[2:20]) == {200}  # "already answered" on the form
    assert set(statuses[20:]) == {429}  # and then the client's limit
    assert Response.objects.count() == 2


def test_an_unknown_phone_of_a_real_participant_is_kept_not_lost(client, program):
    survey = SurveyFactory(program=program)
    EnrollmentFactory(program=program, participant__phone="+6281211110000")

    _post(client, survey, "0812 2222 0000")  # her new number, not yet recorded

    assert HeldResponse.objects.get().answers == {
        str(survey.questions.get().pk): [survey.questions.get().choices.get(value="yes").pk]
    }


def test_a_phone_shared_by_a_household_is_held_for_a_facilitator(client, program):
    survey = SurveyFactory(program=program)
    for name in ("Sumiati", "Dewi"):
        EnrollmentFactory(
            program=program, participant__full_name=name, participant__phone="+6281211110001"
        )

    answered = _post(client, survey, "0812 1111 0001")

    assert answered.url == reverse("survey_public_done", args=[survey.public_token])
    assert Response.objects.count() == 0
    assert list(HeldResponse.objects.values_list("reason", "participant")) == [
        ("shared_phone", None)
    ]
