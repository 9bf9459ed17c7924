"""Personal survey links, and the facilitator's review of held public answers."""

import pytest
from django.urls import reverse

from programs.models import AuditEvent
from surveys.access import personal_token
from surveys.models import HeldResponse, Response
from tests.factories import EnrollmentFactory, MembershipFactory, SurveyFactory


def _personal_url(enrollment, survey):
    return reverse("survey_personal", args=[personal_token(enrollment, survey)])


def _yes_no(survey, yes=True):
    question = survey.questions.get()
    return {f"q{question.pk}": question.choices.get(value="yes" if yes else "no").pk}


def _answer(response):
    return response.answers.get().choices.get().value


def _link_url(survey, enrollment):
    return reverse(
        "survey_personal_link",
        args=[survey.program.slug, survey.pk, enrollment.participant_id],
    )


def _held_url(survey):
    return reverse("survey_held", args=[survey.program.slug, survey.pk])


def _review_url(held):
    return reverse("survey_held_review", args=[held.survey.program.slug, held.survey_id, held.pk])


# The personal link


def test_the_token_names_no_phone_nik_or_name(program):
    enrollment = EnrollmentFactory(
        program=program, participant__nik="1808054101900001", participant__full_name="Siti Aminah"
    )
    survey = SurveyFactory(program=program)

    token = personal_token(enrollment, survey)

    phone = enrollment.participant.phone
    for secret in (phone, phone[3:], "1808054101900001", "Siti"):
        assert secret not in token


def test_the_personal_page_asks_no_phone_and_saves_her_answers(client, program, enrollment):
    survey = SurveyFactory(program=program)
    url = _personal_url(enrollment, survey)

    page = client.get(url)
    sent = client.post(url, _yes_no(survey))

    assert (page.status_code, page.context["who"]) == (200, None)
    assert "phone" not in page.content.decode().lower().split("<form")[1].split("</form>")[0]
    assert (sent.status_code, sent.url) == (
        302,
        reverse("survey_public_done", args=[survey.public_token]),
    )
    response = Response.objects.get()
    assert (response.participant, response.channel, _answer(response)) == (
        enrollment.participant,
        "self",
        "yes",
    )


def test_a_second_submission_through_the_link_is_held(client, program, enrollment):
    survey = SurveyFactory(program=program)
    url = _personal_url(enrollment, survey)
    client.post(url, _yes_no(survey, yes=True))

    again = client.post(url, _yes_no(survey, yes=False))

    assert again.status_code == 302
    assert _answer(Response.objects.get()) == "yes"
    held = HeldResponse.objects.get()
    assert (held.participant, held.reason, held.phone) == (
        enrollment.participant,
        "would_replace",
        enrollment.participant.phone,
    )


@pytest.mark.parametrize("tamper", ["forged", "other_program", "anonymous", "withdrawn"])
def test_a_forged_or_stale_link_is_404(client, program, enrollment, tamper):
    survey = SurveyFactory(program=program)
    token = personal_token(enrollment, survey)
    if tamper == "forged":
        token = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    elif tamper == "other_program":
        token = personal_token(enrollment, SurveyFactory())
    elif tamper == "anonymous":
        token = personal_token(enrollment, SurveyFactory(program=program, anonymous=True))
    else:
        enrollment.status = "withdrawn"
        enrollment.save()

    response = client.get(reverse("survey_personal", args=[token]))

    assert response.status_code == 404


def test_the_personal_page_answers_only_get_and_post(client, program, enrollment):
    survey = SurveyFactory(program=program)

    assert client.put(_personal_url(enrollment, survey)).status_code == 405


# The facilitator's link page


def test_a_facilitator_opens_one_participants_link(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)

    response = login(facilitator).get(_link_url(survey, enrollment))

    assert response.status_code == 200
    assert response.context["url"] == "http://testserver" + _personal_url(enrollment, survey)
    assert response.context["qr"].startswith("<svg")


def test_the_respondents_page_links_each_personal_link(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)

    response = login(facilitator).get(reverse("survey_respondents", args=[program.slug, survey.pk]))

    assert _link_url(survey, enrollment) in response.content.decode()


def test_the_link_page_of_another_program_is_404(login, program, outsider, enrollment):
    survey = SurveyFactory(program=program)

    assert login(outsider).get(_link_url(survey, enrollment)).status_code == 404


def test_the_link_page_sends_anonymous_visitors_to_login(client, program, enrollment):
    survey = SurveyFactory(program=program)
    url = _link_url(survey, enrollment)

    response = client.get(url)

    assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_the_link_page_refuses_post(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)

    assert login(facilitator).post(_link_url(survey, enrollment)).status_code == 405


# Reviewing held answers


def _held(survey, participant=None, reason="would_replace", yes=False, phone="+6281399990000"):
    question = survey.questions.get()
    return HeldResponse.objects.create(
        survey=survey,
        phone=phone,
        participant=participant,
        reason=reason,
        answers={str(question.pk): [question.choices.get(value="yes" if yes else "no").pk]},
    )


def test_the_held_page_lists_the_answers_of_the_survey(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant)
    _held(SurveyFactory(program=program))  # another survey's

    response = login(facilitator).get(_held_url(survey))

    assert response.status_code == 200
    assert [(h.pk, lines) for h, lines in response.context["held"]] == [
        (held.pk, [(survey.questions.get().text, "Tidak")])
    ]


def test_confirming_replaces_the_stored_response(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    client = login(facilitator)
    client.post(_personal_url(enrollment, survey), _yes_no(survey, yes=True))
    held = _held(survey, enrollment.participant, yes=False)

    response = client.post(_review_url(held), {"action": "confirm"})

    assert (response.status_code, response.url) == (302, _held_url(survey))
    assert _answer(Response.objects.get()) == "no"
    assert HeldResponse.objects.count() == 0
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.detail, event.people) == (
        facilitator,
        "correction",
        f"held answers confirmed: {survey.title}",
        1,
    )


def test_matching_an_unknown_phone_gives_her_the_answers(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, None, reason="unknown_phone", yes=True)

    login(facilitator).post(
        _review_url(held), {"action": "match", "participant": enrollment.participant_id}
    )

    response = Response.objects.get()
    assert (response.participant, _answer(response), response.submitted_at) == (
        enrollment.participant,
        "yes",
        held.submitted_at,
    )
    assert AuditEvent.objects.get().detail == f"held answers matched: {survey.title}"


def test_matching_refuses_someone_not_enrolled_in_the_program(login, program, facilitator):
    survey = SurveyFactory(program=program)
    held = _held(survey, None, reason="unknown_phone")
    stranger = EnrollmentFactory().participant  # another organization's

    response = login(facilitator).post(
        _review_url(held), {"action": "match", "participant": stranger.pk}
    )

    assert response.status_code == 302
    assert (Response.objects.count(), HeldResponse.objects.count()) == (0, 1)


def test_discarding_deletes_the_held_answers_only(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant)

    login(facilitator).post(_review_url(held), {"action": "discard"})

    assert (Response.objects.count(), HeldResponse.objects.count()) == (0, 0)
    assert AuditEvent.objects.get().detail == f"held answers discarded: {survey.title}"


def test_a_closed_survey_still_takes_a_confirmation(login, program, facilitator, enrollment):
    import datetime as dt

    from django.utils import timezone

    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant, yes=True)
    survey.closes_at = timezone.now() - dt.timedelta(days=1)
    survey.opens_at = None
    survey.save()

    login(facilitator).post(_review_url(held), {"action": "confirm"})

    assert _answer(Response.objects.get()) == "yes"


def test_held_pages_of_another_program_are_404(login, program, outsider, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant)
    client = login(outsider)

    assert client.get(_held_url(survey)).status_code == 404
    assert client.post(_review_url(held), {"action": "discard"}).status_code == 404
    assert HeldResponse.objects.count() == 1


def test_a_held_response_of_another_survey_is_404(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    other = _held(SurveyFactory(), enrollment.participant)

    url = reverse("survey_held_review", args=[program.slug, survey.pk, other.pk])

    assert login(facilitator).post(url, {"action": "discard"}).status_code == 404


def test_held_pages_send_anonymous_visitors_to_login(client, program, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant)

    for url in (_held_url(survey), _review_url(held)):
        response = client.get(url) if url == _held_url(survey) else client.post(url)
        assert (response.status_code, response.url) == (302, f"{reverse('login')}?next={url}")


def test_held_pages_wrong_methods(login, program, facilitator, enrollment):
    survey = SurveyFactory(program=program)
    held = _held(survey, enrollment.participant)
    client = login(facilitator)

    assert client.post(_held_url(survey)).status_code == 405
    assert client.get(_review_url(held)).status_code == 405


@pytest.mark.parametrize("size", [1, 3])
def test_held_page_query_count(login, program, size, django_assert_num_queries):
    survey = SurveyFactory(program=program)
    coordinator = MembershipFactory(program=program, role="coordinator").user
    for _n in range(size):
        _held(survey, EnrollmentFactory(program=program).participant)
    client = login(coordinator)

    with django_assert_num_queries(8):
        response = client.get(_held_url(survey))

    assert len(response.context["held"]) == size


def test_a_personal_link_is_the_same_every_time_it_is_made(program, enrollment):
    from unittest import mock

    survey = SurveyFactory(program=program)
    first = personal_token(enrollment, survey)

    with mock.patch("time.time", return_value=4_000_000_000):
        later = personal_token(enrollment, survey)

    assert later == first


def test_a_personal_link_is_shared_over_whatsapp_to_her_own_number_only(
    login, program, facilitator
):
    from urllib.parse import quote

    enrollment = EnrollmentFactory(
        program=program, participant__phone="+6281370000099", participant__nik="1808104101700000"
    )
    survey = SurveyFactory(program=program, title="Evaluasi & akhir")
    url = "http://testserver" + _personal_url(enrollment, survey)

    response = login(facilitator).get(_link_url(survey, enrollment))

    text = f"“Evaluasi & akhir”: tautan Ibu sendiri untuk menjawab: {url}"
    assert (
        response.context["share_url"] == f"https://wa.me/6281370000099?text={quote(text, safe='')}"
    )
    assert "1808104101700000" not in response.context["share_url"]
    assert enrollment.participant.full_name not in text
