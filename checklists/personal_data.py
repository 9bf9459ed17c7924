"""What checklists holds on one participant: her steps and the mentoring notes
about her, for "Data saya"; and how an erasure blanks those notes."""

from django.utils.translation import gettext_lazy as _

from checklists.models import MentoringContact, ProgressEvent, StepProgress
from participants.hooks import DataSection


def collect(participant):
    progress = (
        StepProgress.objects.filter(track__enrollment__participant=participant)
        .select_related("track__enrollment__program", "track__template", "step", "reason")
        .order_by("track__enrollment__program_id", "track__template_id", "step__position")
    )
    contacts = (
        MentoringContact.objects.filter(enrollment__participant=participant)
        .select_related("enrollment__program", "step")
        .order_by("date", "pk")
    )
    return [
        DataSection(
            "checklist_progress",
            _("Checklist progress"),
            (
                ("program", _("Program")),
                ("checklist", _("Checklist")),
                ("step", _("Step")),
                ("state", _("State")),
                ("reason", _("Reason")),
                ("note", _("Note")),
                ("at", _("At")),
            ),
            [
                {
                    "program": p.track.enrollment.program.name,
                    "checklist": p.track.template.name,
                    "step": p.step.title,
                    "state": p.get_state_display(),
                    "reason": p.reason.label if p.reason else "",
                    "note": p.note,
                    "at": p.at,
                }
                for p in progress
            ],
        ),
        DataSection(
            "mentoring",
            _("Mentoring contacts"),
            (
                ("program", _("Program")),
                ("date", _("Date")),
                ("channel", _("Channel")),
                ("step", _("About step")),
                ("action", _("What was done")),
                ("resolved", _("Resolved")),
            ),
            [
                {
                    "program": c.enrollment.program.name,
                    "date": c.date,
                    "channel": c.get_channel_display(),
                    "step": c.step.title if c.step else "",
                    "action": c.action,
                    "resolved": c.resolved,
                }
                for c in contacts
            ],
        ),
    ]


def erase(participant):
    """Free texts written about her go; states, dates and counts stay."""
    StepProgress.objects.filter(track__enrollment__participant=participant).update(note="")
    ProgressEvent.objects.filter(track__enrollment__participant=participant).update(note="")
    MentoringContact.objects.filter(enrollment__participant=participant).update(action="")
