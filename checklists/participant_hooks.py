"""What checklists adds to participants: the track choice at enrolment, a link
on the participant's page and the "Jalur" column of imported lists."""

from collections import defaultdict

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from checklists.models import Track
from checklists.selectors import templates_for_program
from checklists.services import track_assign
from participants.hooks import EnrollmentExtension, ImportColumn, PageSection
from participants.models import Enrollment


def add_track_field(form, program):
    # Chosen at enrolment; changeable later on the participant's checklist page.
    form.fields["tracks"] = forms.ModelMultipleChoiceField(
        queryset=templates_for_program(program),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_lazy("Checklists to follow"),
    )


def save_tracks(enrollment, cleaned_data, by):
    for template in cleaned_data.get("tracks") or ():
        track_assign(enrollment=enrollment, template=template, by=by)


def checklist_link(request, enrollment):
    return {}


def _name_key(name):
    return " ".join(str(name or "").lower().split())


class TrackColumn:
    """One file's "Jalur" cells: a checklist named by its name or code."""

    def __init__(self, program, by):
        self.program, self.by = program, by
        templates = list(templates_for_program(program))
        self.templates = {_name_key(t.name): t for t in templates} | {
            _name_key(t.code): t for t in templates if t.code
        }
        self.wanted = defaultdict(set)  # participant id → template ids

    def check(self, value):
        key = _name_key(value)
        if key and key not in self.templates:
            return _("No checklist is named %(value)s.") % {"value": value}
        return None

    def collect(self, participant_id, value):
        template = self.templates.get(_name_key(value))
        if template:
            self.wanted[participant_id].add(template.pk)

    def save(self):
        if not self.wanted:
            return
        enrollment_of = dict(
            Enrollment.objects.filter(
                program=self.program, participant_id__in=list(self.wanted)
            ).values_list("participant_id", "pk")
        )
        Track.objects.bulk_create(
            [
                Track(enrollment_id=enrollment_of[pk], template_id=template_id, assigned_by=self.by)
                for pk, template_ids in self.wanted.items()
                for template_id in template_ids
            ],
            ignore_conflicts=True,
        )


def register():
    from checklists import personal_data
    from participants import hooks

    hooks.personal_data.append(personal_data.collect)
    hooks.participant_erasing.append(personal_data.erase)
    hooks.enrollment_extensions.append(EnrollmentExtension(add_track_field, save_tracks))
    hooks.participant_sections.append(
        PageSection(10, "checklists/_participant_section.html", checklist_link)
    )
    hooks.import_columns.append(
        ImportColumn(
            field="track",
            label=_lazy("Track"),
            aliases=("jalur", "track", "daftar periksa", "checklist"),
            start=TrackColumn,
        )
    )
