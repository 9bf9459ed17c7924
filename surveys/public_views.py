"""The participant's own page: a public link, no account, nothing about anyone else."""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pkk_training.forms import add_service_errors
from pkk_training.ratelimit import client_ip, rate_limit_hit, too_many_requests
from surveys import selectors, services
from surveys.access import get_personal_survey, get_public_survey
from surveys.forms import AnswersForm, RespondentForm

# Per client and survey, and per survey whatever the client: enough for a
# village hall full of phones on one mobile IP, far too few to probe numbers.
CLIENT_LIMIT = (20, 10 * 60)
SURVEY_LIMIT = (600, 10 * 60)
# An anonymous survey: answers one browser may send (a cookie counts them).
ANONYMOUS_REPEATS = 2


def _over_limits(request, survey):
    client_limit, client_window = CLIENT_LIMIT
    survey_limit, survey_window = SURVEY_LIMIT
    return not (
        rate_limit_hit(
            f"public:{survey.pk}:{client_ip(request)}", limit=client_limit, window=client_window
        )
        and rate_limit_hit(f"public:{survey.pk}", limit=survey_limit, window=survey_window)
    )


def _closed_or_over_limits(request, survey):
    """The answer to a survey link that takes no answers now, or None."""
    if not survey.is_open():
        return render(request, "surveys/public_closed.html", {"survey": survey}, status=410)
    if request.method == "POST" and _over_limits(request, survey):
        return too_many_requests(request)
    return None


def _anonymous_cookie(survey):
    return f"answered-{survey.pk}"


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_public(request, token):
    survey = get_public_survey(token)
    refused = _closed_or_over_limits(request, survey)
    if refused:
        return refused
    posted = request.POST if request.method == "POST" else None
    form = AnswersForm(posted, questions=selectors.survey_questions(survey))
    who = None if survey.anonymous else RespondentForm(posted)
    if posted is not None and form.is_valid() and (who is None or who.is_valid()):
        try:
            if who is None:
                sent = int(request.get_signed_cookie(_anonymous_cookie(survey), 0, salt="survey"))
                if sent >= ANONYMOUS_REPEATS:
                    raise ValidationError(_("This browser has already answered this survey."))
                services.response_save(
                    survey=survey,
                    participant=None,
                    channel=services.SELF,
                    answers=form.answers(),
                    submission_id=form.cleaned_data["submission_id"],
                )
            else:
                # The same page whether or not the phone is enrolled: it tells nobody who is.
                services.public_response_submit(
                    survey=survey,
                    phone=who.cleaned_data["phone"],
                    answers=form.answers(),
                    submission_id=form.cleaned_data["submission_id"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            response = redirect("survey_public_done", token=token)
            if who is None:
                response.set_signed_cookie(
                    _anonymous_cookie(survey),
                    sent + 1,
                    salt="survey",
                    max_age=365 * 24 * 3600,
                    httponly=True,
                    samesite="Lax",
                )
            return response
    if not form.is_bound:
        form.initial["submission_id"] = uuid.uuid4()
    return render(request, "surveys/public_form.html", {"survey": survey, "form": form, "who": who})


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_personal(request, token):
    """A participant's own link: no phone asked; a second submission is held
    for a facilitator like any replacement."""
    survey, enrollment = get_personal_survey(token)
    refused = _closed_or_over_limits(request, survey)
    if refused:
        return refused
    posted = request.POST if request.method == "POST" else None
    form = AnswersForm(posted, questions=selectors.survey_questions(survey))
    if posted is not None and form.is_valid():
        try:
            services.personal_response_submit(
                survey=survey,
                participant=enrollment.participant,
                answers=form.answers(),
                submission_id=form.cleaned_data["submission_id"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("survey_public_done", token=survey.public_token)
    if not form.is_bound:
        form.initial["submission_id"] = uuid.uuid4()
    return render(
        request,
        "surveys/public_form.html",
        {"survey": survey, "form": form, "who": None, "personal": True},
    )


@login_not_required
@require_GET
def survey_public_done(request, token):
    survey = get_public_survey(token)
    return render(request, "surveys/public_done.html", {"survey": survey})
