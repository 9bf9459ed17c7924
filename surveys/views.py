"""Building surveys, entering answers with participants, and reading results."""

import io

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participants.access import get_enrollment_for_user
from pkk_training.exports import spreadsheet_response
from pkk_training.forms import add_service_errors, run_service
from pkk_training.http import offline_page, posted
from pkk_training.whatsapp import wa_link
from programs import permissions
from programs.access import get_program_for_user
from programs.enums import AuditAction
from programs.selectors import programs_visible_to
from programs.services import audit_record
from surveys import selectors, services
from surveys.access import get_survey_for_user, personal_token
from surveys.forms import AnswersForm, HeldReviewForm, NewSurveyForm, QuestionForm, SurveyForm
from surveys.library import LIBRARY
from surveys.models import HeldResponse, Survey


def _public_url(request, survey):
    return request.build_absolute_uri(reverse("survey_public", args=[survey.public_token]))


def _start_choices(user, program):
    """Empty, the built-in templates, then surveys of the user's other programs."""
    others = (
        Survey.objects.filter(program__in=programs_visible_to(user))
        .exclude(program=program)
        .select_related("program")
        .order_by("program__name", "title")[:200]
    )
    return [
        ("empty", _("An empty survey")),
        (_("Templates"), [(f"library:{key}", d["title"]) for key, d in LIBRARY.items()]),
        (
            _("Copy from another program"),
            [(f"copy:{s.pk}", f"{s.program.name} — {s.title}") for s in others],
        ),
    ]


@require_GET
@offline_page
def survey_list(request, program_slug):
    program = get_program_for_user(request, program_slug)
    can_manage = permissions.can_manage_program(request.user, program)
    return render(
        request,
        "surveys/survey_list.html",
        {
            "program": program,
            "surveys": selectors.program_surveys(program),
            "can_manage": can_manage,
            "new_form": NewSurveyForm(choices=_start_choices(request.user, program))
            if can_manage
            else None,
        },
    )


@require_POST
def survey_start(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = NewSurveyForm(request.POST, choices=_start_choices(request.user, program))
    if not form.is_valid():
        messages.error(request, _("Choose how to start the survey."))
        return redirect("survey_list", program_slug=program.slug)
    start = form.cleaned_data["start"]
    if start == "empty":
        return redirect("survey_create", program_slug=program.slug)
    kind, _sep, key = start.partition(":")
    if kind == "library":
        survey = services.survey_from_definition(
            program=program, by=request.user, definition=LIBRARY[key]
        )
    else:
        source = get_object_or_404(
            Survey.objects.filter(program__in=programs_visible_to(request.user)), pk=key
        )
        survey = services.survey_copy(source=source, program=program, by=request.user)
    messages.success(request, _("Survey created; check its questions and dates."))
    return redirect(survey)


@require_http_methods(["GET", "POST"])
def survey_create(request, program_slug):
    program = get_program_for_user(request, program_slug, manage=True)
    form = SurveyForm(posted(request), program=program)
    if request.method == "POST" and form.is_valid():
        survey = run_service(
            form, services.survey_create, program=program, by=request.user, **form.cleaned_data
        )
        if survey:
            messages.success(request, _("Survey created. Now add its questions."))
            return redirect(survey)
    return render(request, "surveys/survey_form.html", {"program": program, "form": form})


@require_GET
def survey_detail(request, program_slug, survey_id):
    survey = get_survey_for_user(request, program_slug, survey_id)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "program": survey.program,
            "survey": survey,
            "questions": selectors.survey_questions(survey),
            "public_url": _public_url(request, survey),
            "share_url": wa_link(
                _("“%(title)s”: please answer here: %(url)s")
                % {"title": survey.title, "url": _public_url(request, survey)}
            ),
            "can_manage": permissions.can_manage_program(request.user, survey.program),
            "n_responses": survey.responses.count(),
            "n_held": survey.held_responses.count(),
            "is_open": survey.is_open(),
        },
    )


@require_http_methods(["GET", "POST"])
def survey_edit(request, program_slug, survey_id):
    survey = get_survey_for_user(request, program_slug, survey_id, manage=True)
    form = SurveyForm(posted(request), instance=survey, program=survey.program)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.survey_update, survey=survey, **form.cleaned_data):
            messages.success(request, _("Survey saved."))
            return redirect(survey)
    return render(
        request,
        "surveys/survey_form.html",
        {"program": survey.program, "survey": survey, "form": form},
    )


@require_GET
def survey_qr(request, program_slug, survey_id):
    """The public link as a printable SVG QR code."""
    survey = get_survey_for_user(request, program_slug, survey_id)
    qr = segno.make(_public_url(request, survey), error="m")
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=8, border=2, title=survey.title)
    response = HttpResponse(svg.getvalue(), content_type="image/svg+xml")
    response["Content-Disposition"] = f'inline; filename="survei-{survey.pk}-qr.svg"'
    return response


@require_GET
def survey_qr_png(request, program_slug, survey_id):
    """The same QR code as PNG, for sending in a chat or pasting into a poster."""
    survey = get_survey_for_user(request, program_slug, survey_id)
    qr = segno.make(_public_url(request, survey), error="m")
    png = io.BytesIO()
    qr.save(png, kind="png", scale=10, border=2)
    response = HttpResponse(png.getvalue(), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="survei-{survey.pk}-qr.png"'
    return response


def _options_text(question):
    return "\n".join(
        ("*" if c.is_correct else "") + c.label for c in question.choices.order_by("position")
    )


@require_http_methods(["GET", "POST"])
def question_create(request, program_slug, survey_id):
    survey = get_survey_for_user(request, program_slug, survey_id, manage=True)
    form = QuestionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.question_add, survey=survey, **form.cleaned_data):
            messages.success(request, _("Question added."))
            return redirect(f"{survey.get_absolute_url()}#questions")
    return render(
        request,
        "surveys/question_form.html",
        {"program": survey.program, "survey": survey, "form": form},
    )


@require_http_methods(["GET", "POST"])
def question_edit(request, program_slug, survey_id, question_id):
    survey = get_survey_for_user(request, program_slug, survey_id, manage=True)
    question = get_object_or_404(survey.questions, pk=question_id)
    form = QuestionForm(
        posted(request), instance=question, initial={"options": _options_text(question)}
    )
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.question_update, question=question, **form.cleaned_data):
            messages.success(request, _("Question saved."))
            return redirect(f"{survey.get_absolute_url()}#questions")
    return render(
        request,
        "surveys/question_form.html",
        {
            "program": survey.program,
            "survey": survey,
            "form": form,
            "question": question,
            "answered": question.answers.exists(),
        },
    )


@require_POST
def question_move(request, program_slug, survey_id, question_id):
    survey = get_survey_for_user(request, program_slug, survey_id, manage=True)
    question = get_object_or_404(survey.questions, pk=question_id)
    services.question_move(question=question, direction=request.POST.get("direction"))
    return redirect(f"{survey.get_absolute_url()}#question-{question.pk}")


@require_POST
def question_delete(request, program_slug, survey_id, question_id):
    survey = get_survey_for_user(request, program_slug, survey_id, manage=True)
    question = get_object_or_404(survey.questions, pk=question_id)
    try:
        services.question_delete(question=question)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Question deleted."))
    return redirect(f"{survey.get_absolute_url()}#questions")


@require_GET
@offline_page
def survey_respondents(request, program_slug, survey_id):
    """Facilitator-assisted entry: pick who is answering."""
    survey = get_survey_for_user(request, program_slug, survey_id)
    if survey.anonymous:
        return redirect("survey_public", token=survey.public_token)
    return render(
        request,
        "surveys/respondents.html",
        {"program": survey.program, "survey": survey, "respondents": selectors.respondents(survey)},
    )


@require_http_methods(["GET", "POST"])
@offline_page
def survey_answer(request, program_slug, survey_id, participant_id):
    survey = get_survey_for_user(request, program_slug, survey_id)
    if survey.anonymous:
        raise PermissionDenied
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    participant = enrollment.participant
    existing = (
        survey.responses.filter(participant=participant)
        .prefetch_related("answers__choices", "answers__question")
        .first()
    )
    form = AnswersForm(
        posted(request), questions=selectors.survey_questions(survey), response=existing
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.response_save(
                survey=survey,
                participant=participant,
                by=request.user,
                channel=services.ASSISTED,
                answers=form.answers(),
                submission_id=form.cleaned_data["submission_id"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Answers of %(name)s saved.") % {"name": participant.full_name}
            )
            following = (
                selectors.respondents(survey)
                .filter(answered=0, participant__full_name__gt=participant.full_name)
                .first()
            )
            if following:  # straight on to the next person in the room
                return redirect(
                    "survey_answer",
                    program_slug=program_slug,
                    survey_id=survey.pk,
                    participant_id=following.participant_id,
                )
            return redirect("survey_respondents", program_slug=program_slug, survey_id=survey.pk)
    return render(
        request,
        "surveys/answer_form.html",
        {
            "program": survey.program,
            "survey": survey,
            "participant": participant,
            "form": form,
            "existing": existing,
            "is_open": survey.is_open(timezone.now()),
        },
        # Answers not saved say so (a phone's outbox keeps them for review).
        status=400 if request.method == "POST" else 200,
    )


@require_GET
def survey_results(request, program_slug, survey_id):
    survey = get_survey_for_user(request, program_slug, survey_id)
    results, pre_post = selectors.survey_report(survey)
    return render(
        request,
        "surveys/results.html",
        {"program": survey.program, "survey": survey, "results": results, "pre_post": pre_post},
    )


@require_GET
def survey_export(request, program_slug, survey_id, file_format):
    survey = get_survey_for_user(request, program_slug, survey_id)
    questions, rows = selectors.export_rows(survey)
    rows = [[r[0], timezone.localtime(r[1]).strftime("%Y-%m-%d %H:%M"), *r[2:]] for r in rows]
    header = [_("Participant"), _("Submitted"), _("Channel"), *[q.text for q in questions]]
    audit_record(
        by=request.user,
        action=AuditAction.EXPORT,
        program=survey.program,
        detail=f"answers {survey.title}.{file_format}",
        people=len(rows),
    )
    return spreadsheet_response(
        rows=rows,
        header=header,
        file_format=file_format,
        filename=f"survei-{survey.pk}",
        sheet_title=_("Answers"),
    )


@require_GET
def survey_personal_link(request, program_slug, survey_id, participant_id):
    """One participant's own link, to copy into a message or print on a card."""
    survey = get_survey_for_user(request, program_slug, survey_id)
    if survey.anonymous:
        raise Http404
    enrollment = get_enrollment_for_user(request, program_slug, participant_id)
    if enrollment.status != "active":
        raise Http404
    url = request.build_absolute_uri(
        reverse("survey_personal", args=[personal_token(enrollment, survey)])
    )
    qr = segno.make(url, error="m")
    return render(
        request,
        "surveys/personal_link.html",
        {
            "program": survey.program,
            "survey": survey,
            "participant": enrollment.participant,
            "url": url,
            "qr": mark_safe(qr.svg_inline(scale=5, border=2)),  # noqa: S308 (segno's own SVG)
            # To her own number, and only her own link in the text (no name, no NIK).
            "share_url": wa_link(
                _("“%(title)s”: your own link to answer: %(url)s")
                % {"title": survey.title, "url": url},
                enrollment.participant.phone,
            )
            if enrollment.participant.phone
            else "",
        },
    )


@require_GET
def survey_held(request, program_slug, survey_id):
    """Public answers kept aside: replacements, unknown and shared phones."""
    survey = get_survey_for_user(request, program_slug, survey_id)
    questions = list(selectors.survey_questions(survey))
    held = list(selectors.held_responses(survey))
    form = HeldReviewForm(program=survey.program)
    return render(
        request,
        "surveys/held.html",
        {
            "program": survey.program,
            "survey": survey,
            "held": [(h, selectors.held_answer_lines(h, questions)) for h in held],
            "participants": list(form.fields["participant"].queryset.only("pk", "full_name")),
        },
    )


@require_POST
def survey_held_review(request, program_slug, survey_id, held_id):
    survey = get_survey_for_user(request, program_slug, survey_id)
    held = get_object_or_404(
        HeldResponse.objects.select_related("participant"), survey=survey, pk=held_id
    )
    held.survey = survey
    form = HeldReviewForm(request.POST, program=survey.program)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("survey_held", program_slug=program_slug, survey_id=survey.pk)
    action = form.cleaned_data["action"]
    try:
        if action == "discard":
            services.held_response_discard(held=held, by=request.user)
        elif action == "match":
            services.held_response_match(
                held=held, participant=form.cleaned_data["participant"], by=request.user
            )
        else:
            services.held_response_confirm(held=held, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        done = _("The answers were discarded.") if action == "discard" else None
        messages.success(request, done or _("The answers were saved."))
    return redirect("survey_held", program_slug=program_slug, survey_id=survey.pk)
