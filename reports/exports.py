import io

from django.utils.translation import gettext as _

from pkk_training.exports import safe_cell
from reports import selectors
from sessions.selectors import session_attendance_summary


def program_report_xlsx(program):
    """Table 1 and the attendance summary as a workbook, every cell neutralised."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    table = workbook.create_sheet(title=_("Table 1")[:31])
    table.append(
        [_("Indicator"), _("Successful"), _("Counted"), "%", _("Leading reason"), _("Sentence")]
    )
    for r in selectors.program_indicators(program):
        table.append(
            [
                safe_cell(v)
                for v in [
                    r.indicator.label,
                    r.numerator,
                    r.denominator,
                    None if r.empty else round(r.percent, 1),
                    r.reasons[0][0] if r.rest and r.reasons else "",
                    r.sentence,
                ]
            ]
        )
    attendance = workbook.create_sheet(title=_("Attendance")[:31])
    attendance.append([_("Session"), _("Date"), _("Attended"), _("Counted"), _("Rate")])
    for s in session_attendance_summary(program):
        attendance.append(
            [
                safe_cell(v)
                for v in [
                    s.title,
                    s.date,
                    s.n_attended,
                    s.n_eligible,
                    None if s.rate is None else round(100 * s.rate, 1),
                ]
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
