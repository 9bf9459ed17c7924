from django.utils.translation import gettext as _

from pkk_training.exports import xlsx_bytes
from reports import selectors
from sessions.selectors import session_attendance_summary


def program_report_xlsx(program, *, as_of=None):
    """Table 1 and the attendance summary as a workbook."""
    table = [
        [
            r.indicator.label,
            r.numerator,
            r.denominator,
            None if r.empty else round(r.percent, 1),
            r.reasons[0][0] if r.rest and r.reasons else "",
            r.sentence,
        ]
        for r in selectors.program_indicators(program, as_of=as_of)
    ]
    attendance = [
        [
            s.title,
            s.date,
            s.n_attended,
            s.n_eligible,
            None if s.rate is None else round(100 * s.rate, 1),
        ]
        for s in session_attendance_summary(program)
    ]
    return xlsx_bytes(
        [
            (
                _("Table 1"),
                [
                    _("Indicator"),
                    _("Successful"),
                    _("Counted"),
                    "%",
                    _("Leading reason"),
                    _("Sentence"),
                ],
                table,
            ),
            (
                _("Attendance"),
                [_("Session"), _("Date"), _("Attended"), _("Counted"), _("Rate")],
                attendance,
            ),
        ]
    )
