import hashlib

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from pkk_training.pdf import render_pdf
from programs.models import Program
from reports.enums import Population, ReasonSource, SuccessSource
from reports.images import LOGO_MAX_SIDE, PHOTO_MAX_SIDE, image_clean
from reports.models import Indicator, ReportPhoto, ReportSettings, ReportVersion, Signatory
from reports.selectors import program_report
from surveys.services import survey_copy

FIELDS = (
    "label",
    "success_phrase",
    "failure_phrase",
    "source",
    "question",
    "step",
    "session",
    "min_sessions",
    "population",
    "population_session",
    "population_survey",
    "reason_source",
    "reason_question",
    "twin",
)


def _check(indicator, program, success_choices, templates):
    errors = {}
    source = indicator.source
    if source == SuccessSource.SURVEY_ANSWER:
        if indicator.question is None or indicator.question.survey.program_id != program.pk:
            errors["question"] = _("Choose a question of one of this program's surveys.")
        elif not success_choices or any(
            c.question_id != indicator.question_id for c in success_choices
        ):
            errors["success_choices"] = _(
                "Choose the answers of that question that count as success."
            )
    elif source == SuccessSource.CHECKLIST_COMPLETE and not templates:
        errors["templates"] = _("Choose at least one checklist.")
    elif source == SuccessSource.CHECKLIST_STEP and indicator.step is None:
        errors["step"] = _("Choose the step.")
    elif source == SuccessSource.ATTENDED_SESSION and (
        indicator.session is None or indicator.session.program_id != program.pk
    ):
        errors["session"] = _("Choose a session of this program.")
    elif source == SuccessSource.ATTENDED_MIN and not indicator.min_sessions:
        errors["min_sessions"] = _("Give the number of sessions.")
    if indicator.population == Population.ATTENDED_SESSION and (
        indicator.population_session is None
        or indicator.population_session.program_id != program.pk
    ):
        errors["population_session"] = _("Choose the session whose attendees are counted.")
    if indicator.population == Population.ANSWERED_SURVEY and (
        indicator.population_survey is None or indicator.population_survey.program_id != program.pk
    ):
        errors["population_survey"] = _("Choose the survey whose respondents are counted.")
    if indicator.reason_source == ReasonSource.SURVEY_QUESTION and (
        indicator.reason_question is None
        or indicator.reason_question.survey.program_id != program.pk
    ):
        errors["reason_question"] = _("Choose the follow-up question.")
    if indicator.twin is not None and (
        indicator.twin.program_id != program.pk
        or (indicator.pk is not None and indicator.twin.pk == indicator.pk)
    ):
        errors["twin"] = _("Choose another indicator of this program.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def indicator_save(*, program, indicator=None, success_choices=(), templates=(), **data):
    """Create or change an indicator; every reference must belong to the program."""
    if indicator is None:
        last = program.indicators.aggregate(last=Max("position"))["last"] or 0
        indicator = Indicator(program=program, position=last + 1)
    for name in FIELDS:
        if name in data:
            setattr(indicator, name, data[name])
    success_choices, templates = list(success_choices), list(templates)
    _check(indicator, program, success_choices, templates)
    indicator.full_clean()
    indicator.save()
    indicator.success_choices.set(success_choices)
    indicator.templates.set(templates)
    return indicator


def indicator_delete(*, indicator):
    indicator.delete()


@transaction.atomic
def indicators_copy(*, source, target, by):
    """Copy a program's indicators so that another program is measured the same way.

    Survey references follow the survey: the target program's survey with the
    same title is used (a copy of the source survey is made when it has
    none), its question at the same position, its options with the same labels.
    Sessions are matched by title, then by phase and order. Returns how many.
    """
    surveys = {}

    def target_survey(survey):
        if survey is None:
            return None
        if survey.pk not in surveys:
            surveys[survey.pk] = target.surveys.filter(title=survey.title).first() or survey_copy(
                source=survey, program=target, by=by
            )
        return surveys[survey.pk]

    def target_question(question):
        if question is None:
            return None
        return target_survey(question.survey).questions.filter(position=question.position).first()

    def target_session(session):
        if session is None:
            return None
        same = target.sessions.filter(title=session.title).first()
        if same:
            return same
        order = list(session.program.sessions.filter(phase=session.phase).order_by("date", "pk"))
        candidates = list(target.sessions.filter(phase=session.phase).order_by("date", "pk"))
        index = order.index(session)
        return candidates[index] if index < len(candidates) else None

    copied, made = 0, {}
    for indicator in source.indicators.prefetch_related("success_choices", "templates"):
        question = target_question(indicator.question)
        labels = {c.label for c in indicator.success_choices.all()}
        choices = list(question.choices.filter(label__in=labels)) if question else []
        data = {name: getattr(indicator, name) for name in FIELDS}
        data.update(
            question=question,
            session=target_session(indicator.session),
            population_session=target_session(indicator.population_session),
            population_survey=target_survey(indicator.population_survey),
            reason_question=target_question(indicator.reason_question),
            twin=None,  # linked below, to the copy of its twin
        )
        made[indicator.pk] = indicator_save(
            program=target,
            success_choices=choices,
            templates=indicator.templates.all(),
            **data,
        )
        copied += 1
    for source_indicator in source.indicators.filter(twin__isnull=False):
        copy = made[source_indicator.pk]
        copy.twin = made.get(source_indicator.twin_id)
        copy.save(update_fields=["twin"])
    return copied


SETTINGS_FIELDS = (
    "letterhead_name",
    "letterhead_lines",
    "place",
    "report_date",
    "conclusions",
    "recommendations",
)


def _delete_stored_file(name):
    """Remove a file from storage once the deleting transaction has committed."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def report_settings_save(*, program, logo=None, logo_clear=False, **data):
    """Create or change the program's letterhead, place and date, conclusions.

    A new logo is re-encoded (no EXIF) and replaces the old one; `logo_clear`
    removes it.
    """
    settings, _created = ReportSettings.objects.get_or_create(program=program)
    for name in SETTINGS_FIELDS:
        if name in data:
            setattr(settings, name, data[name])
    settings.full_clean(exclude=["logo"])
    old_logo = settings.logo.name
    if logo:
        cleaned = image_clean(logo, max_side=LOGO_MAX_SIDE, field="logo")
        settings.logo.save(cleaned.name, cleaned, save=False)
    elif logo_clear:
        settings.logo = ""
    settings.save()
    if old_logo and old_logo != settings.logo.name:
        _delete_stored_file(old_logo)
    return settings


@transaction.atomic
def photo_add(*, program, image, caption=""):
    """Add a documentation photo at the end, resized and without EXIF/GPS."""
    cleaned = image_clean(image, max_side=PHOTO_MAX_SIDE, field="image")
    last = program.report_photos.aggregate(last=Max("position"))["last"] or 0
    photo = ReportPhoto(program=program, position=last + 1, caption=caption.strip())
    photo.full_clean(exclude=["image"])
    from PIL import Image

    with Image.open(cleaned) as decoded:
        photo.width, photo.height = decoded.size
    cleaned.seek(0)
    photo.image.save(cleaned.name, cleaned, save=False)
    photo.save()
    report_parts_changed(program=program)
    return photo


@transaction.atomic
def photo_caption(*, photo, caption):
    photo.caption = caption.strip()
    photo.full_clean(exclude=["image"])
    photo.save(update_fields=["caption"])
    report_parts_changed(program=photo.program)
    return photo


@transaction.atomic
def photo_move(*, photo, offset):
    """Move a photo one place up (offset -1) or down (+1); positions are renumbered."""
    photos = list(photo.program.report_photos.select_for_update().order_by("position", "pk"))
    index = next(i for i, p in enumerate(photos) if p.pk == photo.pk)
    target = index + offset
    if 0 <= target < len(photos):
        photos[index], photos[target] = photos[target], photos[index]
    for position, each in enumerate(photos, start=1):
        if each.position != position:
            each.position = position
            each.save(update_fields=["position"])
    report_parts_changed(program=photo.program)


@transaction.atomic
def photo_delete(*, photo):
    name = photo.image.name
    photo.delete()
    report_parts_changed(program=photo.program)
    _delete_stored_file(name)


def _nip(value):
    digits = "".join(value.split())
    if digits and (not digits.isdigit() or len(digits) != 18):
        raise ValidationError({"nip": _("A NIP has 18 digits.")})
    return digits


@transaction.atomic
def signatory_add(*, program, role, name, heading="", nip=""):
    last = program.report_signatories.aggregate(last=Max("position"))["last"] or 0
    signatory = Signatory(
        program=program,
        position=last + 1,
        role=role.strip(),
        name=name.strip(),
        heading=heading,
        nip=_nip(nip),
    )
    signatory.full_clean()
    signatory.save()
    report_parts_changed(program=program)
    return signatory


@transaction.atomic
def signatory_delete(*, signatory):
    signatory.delete()
    report_parts_changed(program=signatory.program)


def report_parts_changed(*, program):
    """Call in the same transaction as any write to the report's photos or
    signatories (the admin's too): their cached lists are keyed by the stamp."""
    program.report_changed_at = timezone.now()
    # Not save(): the program's own updated_at stays as it was.
    Program.objects.filter(pk=program.pk).update(report_changed_at=program.report_changed_at)


def report_issue(*, program, by, as_of=None):
    """Freeze the program's report as of a day (default today) as the next version.

    The PDF is rendered once and kept with its SHA-256; it is never rendered again.
    """
    as_of = as_of or timezone.localdate()
    if as_of > timezone.localdate():
        raise ValidationError({"as_of": _("The date cannot be in the future.")})
    with transaction.atomic():
        # Lock the program row so two coordinators issuing at once get two numbers.
        Program.objects.select_for_update().filter(pk=program.pk).first()
        number = (program.report_versions.aggregate(last=Max("number"))["last"] or 0) + 1
        context = program_report(program, as_of=as_of)
        context["version"] = number
        pdf = render_pdf("reports/program_report_pdf.html", context)
        return ReportVersion.objects.create(
            program=program,
            number=number,
            as_of=as_of,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            issued_at=timezone.now(),
            issued_by=by,
        )
