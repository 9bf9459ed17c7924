"""What sessions holds on one participant, for "Data saya": her attendance."""

from django.utils.translation import gettext_lazy as _

from participants.hooks import DataSection
from sessions.models import Attendance


def collect(participant):
    marks = (
        Attendance.objects.filter(participant=participant)
        .select_related("session__program")
        .order_by("session__date", "session_id")
    )
    return [
        DataSection(
            "attendance",
            _("Attendance"),
            (
                ("program", _("Program")),
                ("session", _("Session")),
                ("date", _("Date")),
                ("status", _("Status")),
                ("marked_at", _("Marked at")),
            ),
            [
                {
                    "program": mark.session.program.name,
                    "session": mark.session.title,
                    "date": mark.session.date,
                    "status": mark.get_status_display(),
                    "marked_at": mark.marked_at,
                }
                for mark in marks
            ],
        )
    ]
