"""The Django admin's import (django-import-export) as a thin adapter over the
import service: the file goes to `participants_import`, as from the program's
import page and the import_participants command, and the engine's outcome of
each row comes back as the admin's Result. No rule of the import lives here."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from import_export import resources
from import_export.results import Error, Result, RowResult

from participants import hooks
from participants.importing import IMPORTED_FIELDS
from participants.models import Participant
from participants.services import participants_import
from participants.spreadsheets import NameColumnMissing, field_label

# The engine's outcomes as the admin names them; an unchanged or repeated row
# writes nothing, which is the admin's "skip".
ROW_TYPES = {
    "new": RowResult.IMPORT_TYPE_NEW,
    "update": RowResult.IMPORT_TYPE_UPDATE,
    "unchanged": RowResult.IMPORT_TYPE_SKIP,
    "repeated": RowResult.IMPORT_TYPE_SKIP,
}


class ParticipantResource(resources.ModelResource):
    class Meta:
        model = Participant
        fields = IMPORTED_FIELDS

    def __init__(self, *, program=None, consent_method="", consent_note="", **kwargs):
        super().__init__(**kwargs)
        self.program = program
        self.consent_method = consent_method
        self.consent_note = consent_note

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        """Preview (dry_run) or write the whole file, all or nothing, through the service."""
        result = Result()
        fields = [*IMPORTED_FIELDS, *(column.field for column in hooks.import_columns)]
        result.diff_headers = [str(field_label(f)) for f in fields] + [_("What happens")]
        # The file itself, not the dataset: the service reads it as the import page
        # does, with the column choices remembered for the organization.
        content = getattr(dataset, "content", None)
        if content is None:
            content = dataset.export("csv").encode()
        try:
            if self.program is None:
                raise ValidationError(_("Choose the program to import into."))
            report = participants_import(
                program=self.program,
                by=kwargs.get("user"),
                file_name=kwargs.get("file_name") or "",
                content=content,
                consent_method=self.consent_method,
                consent_note=self.consent_note,
                dry_run=dry_run,
            )
            if report.needs_name_column:  # the admin has no column choices: say so
                raise NameColumnMissing()
        except ValidationError as error:
            if raise_errors:
                raise
            result.append_base_error(Error(Exception(" ".join(error.messages))))
            return result
        self._problems(result, report, fields)
        if dry_run:
            self._preview(result, report, fields)
        else:
            result.record = report.record  # None when nothing was written
            # A real run keeps no outcome per row (100,000 rows stay small): its totals.
            result.totals[RowResult.IMPORT_TYPE_NEW] = report.new
            result.totals[RowResult.IMPORT_TYPE_UPDATE] = report.updated
            result.totals[RowResult.IMPORT_TYPE_SKIP] = (
                report.unchanged + len(report.duplicates) + len(report.skipped)
            )
        return result

    def _problems(self, result, report, fields):
        """Invalid rows and undecided conflicts: either one means nothing is written."""
        values = dict(report.table.rows) if report.table else {}
        errors, what = {}, {}
        for number, column, message in report.invalid:
            errors.setdefault(number, {}).setdefault(column, []).append(message)
            what[number] = _("invalid")
        url = reverse("participant_import", args=[self.program.slug])
        name = str(field_label("full_name"))
        for conflict in report.conflicts:
            message = _(
                "%(reason)s %(name)s is already known: whether this is the same person is "
                "decided on the program's import page, %(url)s"
            ) % {"reason": conflict.reason, "name": conflict.existing.full_name, "url": url}
            errors.setdefault(conflict.row, {}).setdefault(name, []).append(message)
            what[conflict.row] = _("conflict")
        for number in sorted(errors):
            row = self._labelled(values.get(number, {}), fields)
            row[_("What happens")] = what[number]
            result.append_invalid_row(number, row, ValidationError(errors[number]))
            result.totals[RowResult.IMPORT_TYPE_INVALID] += 1

    def _preview(self, result, report, fields):
        """What each row would do, in file order, as the import page's preview says it."""
        notes = {number: f"{_('skipped')}: {why}" for number, why in report.skipped}
        for number, _first in report.duplicates:
            notes[number] = _("repeated in the file")
        rows = dict(report.table.rows)
        for number in sorted(rows.keys() | notes.keys()):
            what, changes = report.outcomes.get(number, ("skipped", []))
            if what not in ROW_TYPES and number not in notes:
                continue  # invalid or a conflict: listed by _problems
            row_result = RowResult()
            row_result.import_type = ROW_TYPES.get(what, RowResult.IMPORT_TYPE_SKIP)
            note = notes.get(number) or (_("unchanged") if what == "unchanged" else "")
            if changes:
                note = "; ".join(
                    f"{field_label(f)}: {old or '–'} → {new or '–'}" for f, old, new in changes
                )
            row = self._labelled(rows.get(number, {}), fields)
            row_result.diff = [*row.values(), note]
            result.append_row_result(row_result)
            result.increment_row_result_total(row_result)

    @staticmethod
    def _labelled(values, fields):
        return {str(field_label(f)): values.get(f, "") for f in fields}
