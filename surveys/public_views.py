"""The participant's own page: a public link, no account, nothing about anyone else."""

import uuid

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pkk_training.forms import add_service_errors
from surveys import selectors, services
from surveys.access import get_public_survey
from surveys.forms import AnswersForm, RespondentForm


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_public(request, token):
    survey = get_public_survey(token)
    if not survey.is_open():
        return render(request, "surveys/public_closed.html", {"survey": survey}, status=410)
    posted = request.POST if request.method == "POST" else None
    form = AnswersForm(posted, questions=selectors.survey_questions(survey))
    who = None if survey.anonymous else RespondentForm(posted)
    if posted is not None and form.is_valid() and (who is None or who.is_valid()):
        participant = None
        if who is not None:
            participant = selectors.respondent_by_phone(survey, who.cleaned_data["phone"])
            if participant is None:
                # Say only that this number is not registered; never who is.
                who.add_error("phone", _("This number is not registered for this program."))
        if who is None or participant is not None:
            try:
                services.response_save(
                    survey=survey,
                    participant=participant,
                    channel=services.SELF,
                    answers=form.answers(),
                    submission_id=form.cleaned_data["submission_id"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("survey_public_done", token=token)
    if not form.is_bound:
        form.initial["submission_id"] = uuid.uuid4()
    return render(request, "surveys/public_form.html", {"survey": survey, "form": form, "who": who})


@login_not_required
@require_GET
def survey_public_done(request, token):
    survey = get_public_survey(token)
    return render(request, "surveys/public_done.html", {"survey": survey})
