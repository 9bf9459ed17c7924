import calendar
import dataclasses
import datetime as dt
import logging
import os
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from participants import hooks
from participants.enums import ConsentMethod, EnrollmentSource, EnrollmentStatus
from participants.models import (
    Enrollment,
    EnrollmentDateChange,
    ImportColumnMapping,
    Participant,
    ParticipantImport,
    PendingImport,
)
from participants.tmp_storage import import_temp_dir
from participants.validators import clean_text, normalize_nik, normalize_phone, person_name_key
from pkk_training.crypto import decrypt_nik, encrypt_nik
from pkk_training.ratelimit import rate_limit_exceeded, rate_limit_hit
from programs import permissions
from programs.enums import AuditAction
from programs.services import audit_record

audit_logger = logging.getLogger("pkk_training.audit")

PARTICIPANT_FIELDS = (
    "full_name",
    "phone",
    "nik",
    "birth_year",
    "dusun",
    "rt",
    "rw",
    "address",
    "village",
)


class DuplicateParticipant(ValidationError):
    """The phone or NIK already belongs to `existing` in the same organization.

    code "duplicate": she is already registered; "shared_phone": someone else
    uses this phone, saved only once a person confirms a shared household phone."""

    def __init__(self, message, *, field, existing, code="duplicate"):
        super().__init__({field: ValidationError(message, code=code)})
        self.existing = existing
        self.code = code


def _clean_keys(data):
    if "phone" in data:
        data["phone"] = normalize_phone(data["phone"])
    if "nik" in data:
        data["nik"] = normalize_nik(data["nik"])
    for field in ("full_name", "dusun", "rt", "rw", "address", "village"):
        if field in data:
            data[field] = clean_text(data[field])  # no control, zero-width or bidi characters


# A non-admin's answers about whole NIKs already on file: few, so that
# guessing a masked NIK's digits edit by edit cannot finish.
NIK_CHECK_LIMIT = 5
NIK_CHECK_WINDOW = 60 * 60


def may_name_duplicate(*, by, existing, program=None):
    """Whether `by` may learn who already holds a phone: an admin or the system
    (by=None), a coordinator of the program, or anyone when she is enrolled in it.
    The owner of a NIK is named to admins only (see _check_duplicates)."""
    if by is None or permissions.is_admin(by):
        return True
    if program is None:
        return False
    if permissions.can_manage_program(by, program):
        return True
    return existing.enrollments.filter(program=program).exists()


def _trusted(by):
    return by is None or permissions.is_admin(by)


def _nik_checks_exhausted(by):
    return not _trusted(by) and rate_limit_exceeded(f"nik-check:{by.pk}", limit=NIK_CHECK_LIMIT)


def _too_many_nik_checks():
    return DuplicateParticipant(
        _("Too many NIK checks. Try again later or ask an admin."), field="nik", existing=None
    )


def _nik_duplicate(by, existing):
    """The answer to `by` when the NIK is already `existing`'s: her name to admins only.

    Anyone else gets one sentence that names nobody, is logged, and counts:
    past NIK_CHECK_LIMIT in an hour every NIK she types is refused alike, so
    that the answers stop telling a taken NIK from a free one."""
    if _trusted(by):
        return DuplicateParticipant(
            _("This NIK already belongs to %(name)s.") % {"name": existing.full_name},
            field="nik",
            existing=existing,
        )
    audit_logger.warning("nik_duplicate_check user=%s participant=%s", by.pk, existing.pk)
    audit_record(
        by=by,
        action=AuditAction.NIK_CHECK,
        organization=existing.organization,
        detail=_lazy("A NIK already on file was typed"),
        people=1,
    )
    if not rate_limit_hit(f"nik-check:{by.pk}", limit=NIK_CHECK_LIMIT, window=NIK_CHECK_WINDOW):
        return _too_many_nik_checks()
    return DuplicateParticipant(
        _("This NIK needs to be checked by an admin."), field="nik", existing=None
    )


def import_nik_match_error(*, by, by_phone, by_nik):
    """What an import row whose NIK is already on file may say to `by`, or None to go on.

    The NIK's owner is named to admins only; for anyone else a NIK that finds
    someone the row's phone did not find is refused without a name, so that
    uploading candidate NIKs confirms none (and each such answer is counted
    and logged like an edit's)."""
    if _nik_checks_exhausted(by):
        return ValidationError({"nik": _too_many_nik_checks().message_dict["nik"]})
    if by_nik is None or by_phone is by_nik:
        return None
    if _trusted(by):
        if by_phone is None:
            return None
        return ValidationError(
            {
                "nik": [
                    _("The phone number belongs to %(a)s but the NIK to %(b)s.")
                    % {"a": by_phone.full_name, "b": by_nik.full_name}
                ]
            }
        )
    return ValidationError({"nik": _nik_duplicate(by, by_nik).message_dict["nik"]})


def _check_duplicates(
    organization, data, exclude=None, *, by=None, program=None, shared_phone=False
):
    """Refuse a phone or NIK the organization already has, saying only what `by` may know.

    A phone may be a household's: one held by someone of another name is
    accepted when `shared_phone` says a person confirmed it."""
    others = Participant.objects.filter(organization=organization)
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    # An edit that keeps her phone asks nothing again (the form has already
    # copied the typed values onto `exclude`, hence the database).
    phone_changed = exclude is None or data.get("phone") != (
        Participant.objects.filter(pk=exclude.pk).values_list("phone", flat=True).first()
    )
    if data.get("phone") and phone_changed:
        holders = list(others.filter(phone=data["phone"]).order_by("created_at")[:20])
        name = person_name_key(data.get("full_name") or (exclude.full_name if exclude else ""))
        same = next((p for p in holders if person_name_key(p.full_name) == name), None)
        if same is not None:
            if may_name_duplicate(by=by, existing=same, program=program):
                raise DuplicateParticipant(
                    _("This phone number already belongs to %(name)s.") % {"name": same.full_name},
                    field="phone",
                    existing=same,
                )
            raise DuplicateParticipant(
                _("This phone number is already registered; ask a coordinator."),
                field="phone",
                existing=None,
            )
        if holders and not shared_phone:
            existing = holders[0]
            if may_name_duplicate(by=by, existing=existing, program=program):
                message = _(
                    "%(name)s already uses this phone number. If this is another person of "
                    "the same household, tick “Shared phone” and save again."
                ) % {"name": existing.full_name}
            else:
                existing = None
                message = _(
                    "Another participant already uses this phone number. If this is another "
                    "person of the same household, tick “Shared phone” and save again."
                )
            raise DuplicateParticipant(
                message, field="phone", existing=existing, code="shared_phone"
            )
    if data.get("nik"):
        if _nik_checks_exhausted(by):
            raise _too_many_nik_checks()
        existing = others.with_nik(data["nik"]).first()
        if existing:
            raise _nik_duplicate(by, existing)


def _set_consent(participant, consent_method, by):
    if consent_method and consent_method != participant.consent_method:
        participant.consent_method = consent_method
        participant.consent_at = timezone.now()
        participant.consent_recorded_by = by


def participant_create(
    *, organization, by, consent_method, program=None, shared_phone=False, **data
):
    """Create a participant with consent recorded; phone and NIK normalised, NIK unique.

    `program`: where `by` is registering her, which decides whom a duplicate may name.
    `shared_phone`: a person confirmed that she shares a phone someone else uses."""
    _clean_keys(data)
    _check_duplicates(organization, data, by=by, program=program, shared_phone=shared_phone)
    participant = Participant(organization=organization)
    for field in PARTICIPANT_FIELDS:
        if field in data:
            setattr(participant, field, data[field])
    _set_consent(participant, consent_method, by)
    participant.full_clean()
    try:
        with transaction.atomic():
            participant.save(force_insert=True)
    except IntegrityError:  # a concurrent registration of the same NIK
        _check_duplicates(organization, data, by=by, program=program, shared_phone=shared_phone)
        raise
    return participant


def _nik_is_new(participant, nik):
    # Asked of the database: a ModelForm has already copied the typed NIK onto the instance.
    return not Participant.objects.filter(pk=participant.pk).with_nik(nik).exists()


def participant_update(
    *, participant, by, consent_method=None, program=None, shared_phone=False, **data
):
    _clean_keys(data)
    if data.get("nik") and not _trusted(by) and _nik_is_new(participant, data["nik"]):
        # Every change of a NIK counts, so that edits cannot walk through guesses.
        if not rate_limit_hit(f"nik-check:{by.pk}", limit=NIK_CHECK_LIMIT, window=NIK_CHECK_WINDOW):
            raise _too_many_nik_checks()
    _check_duplicates(
        participant.organization,
        data,
        exclude=participant,
        by=by,
        program=program,
        shared_phone=shared_phone,
    )
    if participant.erased_at:
        raise ValidationError(_("This participant's personal data were erased."))
    before = Participant.objects.filter(pk=participant.pk).values(*PARTICIPANT_FIELDS).first()
    for field in PARTICIPANT_FIELDS:
        if field in data:
            setattr(participant, field, data[field])
    _set_consent(participant, consent_method, by)
    participant.full_clean()
    participant.save()
    changed = [f for f in PARTICIPANT_FIELDS if before and before[f] != getattr(participant, f)]
    if changed:
        # Which fields, never their values: the log must not become a copy of the data.
        audit_record(
            by=by,
            action=AuditAction.CORRECTION,
            organization=participant.organization,
            program=program,
            detail="participant corrected: " + ", ".join(changed),
            people=1,
            subject=participant.pk,
        )
    return participant


ERASED_NAME = "Peserta terhapus #{short_id}"
ERASED_FIELDS = ("phone", "nik", "birth_year", "dusun", "rt", "rw", "address", "village")


@transaction.atomic
def participant_erase(*, participant, by, program=None):
    """Anonymise her for good (UU PDP 27/2022, the right to erasure).

    Her row, enrolments, attendance, steps and chosen survey answers stay, so
    that counts and reports stay correct; what names or describes her goes:
    name, phone, NIK (and any column derived from it), birth year, address,
    the notes written about her, her typed survey answers, answers held for a
    check, and the before/after values an import kept to be undone."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if participant.erased_at:
        raise ValidationError(_("This participant's personal data were erased already."))
    for hook in hooks.participant_erasing:
        hook(participant)
    key = str(participant.pk)
    for record in ParticipantImport.objects.filter(
        program__organization_id=participant.organization_id
    ):
        if key in (record.undo or {}).get("changed", {}):
            del record.undo["changed"][key]
            record.save(update_fields=["undo"])
    participant.full_name = ERASED_NAME.format(short_id=participant.pk.hex[:8])
    for field in participant._meta.concrete_fields:
        if field.name in ERASED_FIELDS or (field.name.startswith("nik") and field.name != "nik"):
            setattr(participant, field.attname, None if field.null else "")
    participant.erased_at = timezone.now()
    participant.save()
    audit_logger.info("participant_erased %s by=%s", participant.pk, getattr(by, "pk", None))
    audit_record(
        by=by,
        action=AuditAction.ERASURE,
        organization=participant.organization,
        program=program,
        detail="participant erased",
        people=1,
        subject=participant.pk,
    )
    return participant


def enrollment_create(
    *, program, participant, by, source=EnrollmentSource.MANUAL, enrolled_on=None
):
    """Enroll a consenting participant of the program's organization, once."""
    if participant.organization_id != program.organization_id:
        raise ValidationError(_("This participant belongs to another organization."))
    if not participant.has_consent:
        raise ValidationError(
            _("%(name)s has not given consent to data processing and cannot be enrolled.")
            % {"name": participant.full_name},
            code="no_consent",
        )
    if Enrollment.objects.filter(program=program, participant=participant).exists():
        raise ValidationError(
            _("%(name)s is already enrolled in this program.") % {"name": participant.full_name},
            code="already_enrolled",
        )
    enrollment = Enrollment(
        program=program,
        participant=participant,
        source=source,
        created_by=by,
        enrolled_on=enrolled_on or timezone.localdate(),
    )
    try:
        with transaction.atomic():
            enrollment.save(force_insert=True)
    except IntegrityError:
        raise ValidationError(
            _("%(name)s is already enrolled in this program.") % {"name": participant.full_name},
            code="already_enrolled",
        ) from None
    return enrollment


@transaction.atomic
def participant_register(
    *, program, by, source=EnrollmentSource.MANUAL, consent_method, enrolled_on=None, **data
):
    """Create a participant and enroll them in the program, all or nothing."""
    participant = participant_create(
        organization=program.organization,
        by=by,
        consent_method=consent_method,
        program=program,
        **data,
    )
    return enrollment_create(
        program=program, participant=participant, by=by, source=source, enrolled_on=enrolled_on
    )


def enrollment_update(*, enrollment, status):
    if status not in EnrollmentStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    enrollment.status = status
    enrollment.save(update_fields=["status", "updated_at"])
    return enrollment


@transaction.atomic
def enrollments_create(*, program, participants, by, source=EnrollmentSource.MANUAL):
    """Enroll several participants; those already enrolled are left as they are.

    Returns (enrolled, skipped): a participant of another organization or
    without consent refuses the whole batch, nothing is written.
    """
    enrolled = skipped = 0
    for participant in participants:
        try:
            with transaction.atomic():
                enrollment_create(program=program, participant=participant, by=by, source=source)
        except ValidationError as error:
            if error.code != "already_enrolled":
                raise
            skipped += 1
        else:
            enrolled += 1
    return enrolled, skipped


@transaction.atomic
def enrollments_withdraw(*, program, participants):
    """Withdraw the participants from the program; returns how many were active."""
    count = 0
    for enrollment in Enrollment.objects.filter(
        program=program, participant__in=participants, status=EnrollmentStatus.ACTIVE
    ):
        enrollment_update(enrollment=enrollment, status=EnrollmentStatus.WITHDRAWN)
        count += 1
    return count


def enrollment_date_change(*, enrollment, enrolled_on, by, reason=""):
    """Move an enrolment's date, keeping who moved it, when, and the old date."""
    if enrolled_on is None:
        raise ValidationError({"enrolled_on": _("Enter the enrolment date.")})
    if enrolled_on > timezone.localdate():
        raise ValidationError({"enrolled_on": _("The enrolment date cannot be in the future.")})
    if enrolled_on == enrollment.enrolled_on:
        return enrollment
    with transaction.atomic():
        EnrollmentDateChange.objects.create(
            enrollment=enrollment,
            old_date=enrollment.enrolled_on,
            new_date=enrolled_on,
            reason=reason,
            by=by,
            at=timezone.now(),
        )
        enrollment.enrolled_on = enrolled_on
        enrollment.save(update_fields=["enrolled_on", "updated_at"])
    return enrollment


@dataclass
class ImportReport:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: list = dataclasses.field(default_factory=list)  # (row, the earlier row it repeats)
    invalid: list = dataclasses.field(default_factory=list)  # (row, column, reason)
    near_duplicates: list = dataclasses.field(default_factory=list)  # (row, name, existing)
    conflicts: list = dataclasses.field(default_factory=list)  # Conflict, never written
    skipped: list = dataclasses.field(default_factory=list)  # (row, why it is not a person)
    table: object = None  # the sheet, header rows and column mapping that were read
    outcomes: dict = dataclasses.field(default_factory=dict)  # row → (what, [(field, old, new)])
    written: bool = False
    record: object = None
    needs_name_column: bool = False  # nothing read: no column is known to hold the names

    @property
    def invalid_rows(self):
        return sorted({row for row, _column, _reason in self.invalid})


def participants_import(
    *,
    program,
    by,
    file_name,
    content,
    consent_method,
    consent_note="",
    dry_run=False,
    valid_only=False,
    sheet=None,
    mapping=None,
    decisions=None,
    max_bytes=None,
    progress=None,
    on_written=None,
):
    """Import a village spreadsheet into the program; see participants/importing/.

    With any invalid row nothing is written, unless `valid_only`: then the
    valid rows are, and the report lists the skipped ones. `dry_run` writes
    nothing and reports what would happen (the preview). A row that would
    touch an existing person in a way the file cannot settle (a shared phone
    with another name, a NIK with another name) is a conflict: it is never
    written, and stops the import unless `valid_only`.
    `sheet` and `mapping` ({header key: field}) override what is detected.
    `max_bytes` raises the upload limit (the command's --max-size); the rows
    of a real import are then read as they are written, not all at once.
    `progress(rows read)` is called after each batch; `on_written(record)` inside
    the import's transaction, so that what it records commits with the import or
    not at all (a job's "done already", a pending upload's deletion).
    """
    from participants import tasks
    from participants.importing import ImportRun
    from participants.importing.writes import statistics_stale
    from participants.spreadsheets import NameColumnMissing, field_label, read_table

    if consent_method not in ConsentMethod.values:
        raise ValidationError({"consent_method": _("Say how consent was collected.")})
    remembered = dict(
        ImportColumnMapping.objects.filter(organization_id=program.organization_id).values_list(
            "header", "field"
        )
    )
    chosen = {key: field for key, field in (mapping or {}).items() if field is not None}
    try:
        table = read_table(
            content,
            file_name,
            sheet=sheet or None,
            mapping=remembered | chosen,
            max_bytes=max_bytes,
            stream=not dry_run,  # only the preview shows the rows
        )
    except NameColumnMissing as missing:
        if not (dry_run and missing.table):
            raise
        # The preview opens on the column choices, so a person can say which column holds the names.
        return ImportReport(table=missing.table, needs_name_column=True)
    run = ImportRun(
        program=program,
        by=by,
        consent_method=consent_method,
        decisions=decisions,
        write=not dry_run,
        progress=progress,
    )
    try:
        with transaction.atomic():
            run.run(table.rows)
            written = not dry_run and (valid_only or not (run.invalid or run.conflicts))
            if not written:
                raise _NothingWritten
            _remember_columns(program.organization_id, chosen)
            record = ParticipantImport.objects.create(
                program=program,
                file_name=file_name[:255],
                imported_by=by,
                consent_method=consent_method,
                consent_note=consent_note[:255],
                valid_only=valid_only,
                new=run.counts["new"],
                updated=run.counts["update"],
                unchanged=run.counts["unchanged"],
                duplicates=len(run.duplicates),
                skipped=len({row for row, _f, _m in run.invalid}) + len(run.conflicts),
                undo=run.undo,
            )
            import_audit(by=by, program=program, file_name=file_name, people=run.touched)
            if on_written is not None:
                on_written(record)
            if statistics_stale(run.counts["new"]):
                # Robust: the import has committed; a failed enqueue must not turn it into an error.
                transaction.on_commit(tasks.refresh_statistics.enqueue, robust=True)
    except _NothingWritten:
        written, record = False, None
    if not dry_run:
        table.rows = []
    return ImportReport(
        new=run.counts["new"],
        updated=run.counts["update"],
        unchanged=run.counts["unchanged"],
        duplicates=sorted(run.duplicates.items()),
        invalid=sorted(
            ((row, str(field_label(field)), message) for row, field, message in run.invalid),
            key=lambda item: item[0],
        ),
        near_duplicates=run.near_duplicates,
        conflicts=run.conflicts,
        outcomes=run.outcomes,
        skipped=table.skipped,
        table=table,
        written=written,
        record=record,
    )


class _NothingWritten(Exception):
    """Rolls back an import that must not be written (invalid rows, conflicts, a dry run)."""


def import_audit(*, by, program, file_name, people, undone=False):
    """Log an import written (or undone) with the people it touched, on every entry point."""
    audit_record(
        by=by,
        action=AuditAction.IMPORT_UNDO if undone else AuditAction.IMPORT,
        program=program,
        detail=file_name,
        people=people,
    )


PENDING_IMPORT_LIFETIME = dt.timedelta(hours=24)


def pending_imports_purge(*, now=None):
    """Delete uploads never confirmed within a day (their NIKs and phones included);
    returns how many. Run by `manage.py purge_personal_data` from cron, not only
    when someone previews another upload."""
    cutoff = (now or timezone.now()) - PENDING_IMPORT_LIFETIME
    deleted, _by_model = PendingImport.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def import_temp_files_purge(*, now=None):
    """Delete the Django admin import's copies of uploads older than a day
    (participants/tmp_storage.py); returns how many."""
    folder = import_temp_dir()
    if not os.path.isdir(folder):
        return 0
    cutoff = (now or timezone.now()).timestamp() - PENDING_IMPORT_LIFETIME.total_seconds()
    deleted = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) and entry.stat().st_mtime < cutoff:
                os.remove(entry.path)
                deleted += 1
    return deleted


def months_before(day, months):
    """The same day `months` months earlier (the month's last day if it has fewer)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def participants_past_retention(*, today=None):
    """Participants to anonymise under their organization's retention setting:
    enrolled somewhere, and every program they are enrolled in finished and
    ended more than `retention_months` months ago. An organization without the
    setting keeps everyone; a program still planned or running, or without an
    end date, keeps all its participants (withdrawn ones too)."""
    from programs.enums import ProgramStatus
    from programs.models import Organization

    today = today or timezone.localdate()
    found = Participant.objects.none()
    for organization in Organization.objects.filter(retention_months__isnull=False):
        cutoff = months_before(today, organization.retention_months)
        keeping = Enrollment.objects.filter(
            models.Q(program__end_date__isnull=True)
            | models.Q(program__end_date__gte=cutoff)
            | ~models.Q(program__status=ProgramStatus.FINISHED),
            program__organization=organization,
        ).values("participant_id")
        found |= Participant.objects.filter(
            organization=organization, erased_at__isnull=True, enrollments__isnull=False
        ).exclude(pk__in=keeping)
    return found.distinct()


def participants_retention_purge(*, today=None):
    """Anonymise everyone `participants_past_retention` finds; returns how many."""
    erased = 0
    for participant in participants_past_retention(today=today).order_by("pk"):
        participant_erase(participant=participant, by=None)
        erased += 1
    return erased


def _remember_columns(organization_id, chosen):
    for header, field in chosen.items():
        if header:
            ImportColumnMapping.objects.update_or_create(
                organization_id=organization_id, header=header[:120], defaults={"field": field}
            )


def undo_value(field, value):
    """How an import keeps a value it may restore: a NIK encrypted, like its column."""
    return encrypt_nik(value) if field == "nik" else value


def _undo_read(field, value):
    return decrypt_nik(value) if field == "nik" else value


def _later(value, moment):
    return value is not None and value > moment


def participants_import_blockers(*, record):
    """Why `record` cannot be undone: [(participant name, reason)], [] when it can.

    Anything written after the import to the rows it wrote blocks it: a field
    changed again, a participant edited, an enrolment with attendance, a
    checklist step, a survey answer (whatever another app keeps on it).
    """
    from django.db.models.deletion import Collector

    if record.undone_at is not None:
        return [("", _("This import was already undone."))]
    undo = record.undo or {}
    moment = record.imported_at + dt.timedelta(seconds=5)
    created, enrolled = undo.get("created", []), undo.get("enrolled", [])
    changed = undo.get("changed", {})
    people = {
        str(p.pk): p for p in Participant.objects.filter(pk__in=[*created, *enrolled, *changed])
    }
    blockers = []
    for pk in created:
        participant = people.get(pk)
        if participant is not None and _later(participant.updated_at, moment):
            blockers.append((participant.full_name, _("edited after the import")))
    for pk, fields in changed.items():
        participant = people.get(pk)
        if participant is None:
            continue
        if any(getattr(participant, f) != _undo_read(f, after) for f, _before, after in fields):
            blockers.append((participant.full_name, _("changed again after the import")))
    enrollments = list(
        Enrollment.objects.filter(program_id=record.program_id, participant_id__in=enrolled)
    )
    for enrollment in enrollments:
        if _later(enrollment.updated_at, moment):
            blockers.append(
                (people[str(enrollment.participant_id)].full_name, _("enrolment changed"))
            )
    collector = Collector(using="default")
    if enrollments:
        collector.collect(enrollments)
    created_people = [people[pk] for pk in created if pk in people]
    if created_people:
        collector.collect(created_people)
    for model, instances in collector.data.items():
        if model in (Participant, Enrollment):
            continue
        times = [f.attname for f in model._meta.fields if isinstance(f, models.DateTimeField)]
        for instance in instances:
            if any(_later(getattr(instance, name), moment) for name in times) or not times:
                owner = getattr(instance, "participant", None) or getattr(
                    getattr(instance, "enrollment", None), "participant", None
                )
                blockers.append(
                    (
                        getattr(owner, "full_name", ""),
                        _("%(what)s recorded after the import")
                        % {"what": model._meta.verbose_name},
                    )
                )
    return sorted(set(blockers))


@transaction.atomic
def participants_import_undo(*, record, by):
    """Reverse an import's creations, enrolments and field changes, or refuse
    with the rows that were touched since (see participants_import_blockers)."""
    record = ParticipantImport.objects.select_for_update().get(pk=record.pk)
    blockers = participants_import_blockers(record=record)
    if blockers:
        raise ValidationError(
            [
                _("%(name)s: %(reason)s") % {"name": name, "reason": reason} if name else reason
                for name, reason in blockers
            ],
            code="undo_blocked",
        )
    undo = record.undo or {}
    Enrollment.objects.filter(
        program_id=record.program_id, participant_id__in=undo.get("enrolled", [])
    ).delete()
    Participant.objects.filter(pk__in=undo.get("created", [])).delete()
    changed = undo.get("changed", {})
    people = Participant.objects.in_bulk(list(changed))
    for pk, participant in people.items():
        for field, before, _after in changed[str(pk)]:
            setattr(participant, field, _undo_read(field, before))
            if field == "consent_method" and not before:
                participant.consent_at = None
                participant.consent_recorded_by = None
    Participant.objects.bulk_update(
        people.values(),
        [*IMPORT_UNDO_FIELDS, "consent_at", "consent_recorded_by", "updated_at"],
        batch_size=1000,
    )
    record.undone_at = timezone.now()
    record.undone_by = by
    record.save(update_fields=["undone_at", "undone_by"])
    touched = {*undo.get("created", []), *undo.get("enrolled", []), *changed}
    import_audit(
        by=by, program=record.program, file_name=record.file_name, people=len(touched), undone=True
    )
    return record


IMPORT_UNDO_FIELDS = (
    "full_name",
    "phone",
    "nik",
    "birth_year",
    "dusun",
    "rt",
    "rw",
    "address",
    "consent_method",
)


NIK_REKEY_BATCH = 1000


@transaction.atomic
def participants_nik_rekey():
    """Re-encrypt and re-hash every stored NIK under the current PKK_NIK_KEY, and the
    NIKs imports keep for undoing, all or nothing; returns (participants, imports).

    Old keys (PKK_NIK_OLD_KEYS) must still be configured: they open what is stored.
    A NIK no configured key opens stops it (NikKeyError) with nothing changed."""
    # Locked first, then read in batches (no server-side cursor: a NIK no key
    # opens must leave the transaction clean to roll back).
    pks = list(
        Participant.objects.select_for_update()
        .exclude(nik="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(pks), NIK_REKEY_BATCH):
        batch = list(
            Participant.objects.filter(pk__in=pks[start : start + NIK_REKEY_BATCH]).only(
                "pk", "nik", "nik_hash"
            )
        )  # read through every key; written back under the current one
        Participant.objects.bulk_update(batch, ["nik"])
    people = len(pks)
    imports = 0
    for record in ParticipantImport.objects.select_for_update().only("pk", "undo").order_by("pk"):
        entries = [
            entry
            for fields in (record.undo or {}).get("changed", {}).values()
            for entry in fields
            if entry[0] == "nik"
        ]
        for entry in entries:
            entry[1], entry[2] = (undo_value("nik", _undo_read("nik", v)) for v in entry[1:3])
        if entries:
            record.save(update_fields=["undo"])
            imports += 1
    return people, imports
