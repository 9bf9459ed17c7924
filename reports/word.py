"""The evaluation report as a Word file: KKN and Dinas reports are finished in Word.

Same data as the HTML/PDF report (one `selectors.program_report` context);
tables are real Word tables so they can be edited and pasted.
"""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value, fmt="j F Y"):
    return formats.date_format(value, fmt) if value else ""


def _table(document, header, rows, numeric=()):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = str(text)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, row, strict=True)):
            cell.text = "" if value is None else str(value)
            if i in numeric:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return table


def _figure(n, total):
    return f"{round(100 * n / total)}% ({n}/{total})" if total else "—"


def _picture(document, file_field, width):
    """A stored picture into the document, centred; a lost file is skipped."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    try:
        with file_field.open("rb") as file:
            data = io.BytesIO(file.read())
    except FileNotFoundError:
        return False
    document.add_picture(data, width=width)
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    return True


def _letterhead(document, settings):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if settings.logo:
        _picture(document, settings.logo, Cm(2.5))
    name = document.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = name.add_run(settings.letterhead_name)
    run.bold, run.font.size, run.font.all_caps = True, Pt(14), True
    for line in settings.letterhead_line_list:
        paragraph = document.add_paragraph(line)
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
    document.add_paragraph("═" * 48).alignment = WD_ALIGN_PARAGRAPH.CENTER


def _signatures(document, settings, context):
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    day = (settings and settings.report_date) or context["generated_at"]
    place = f"{settings.place}, " if settings and settings.place else ""
    document.add_paragraph(place + _date(day)).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    people = context["signatories"]
    table = document.add_table(rows=(len(people) + 1) // 2, cols=2)
    for i, person in enumerate(people):
        lines = []
        if person.heading:
            lines.append(person.get_heading_display_short() + ",")
        lines += [person.role, "", "", "", person.name]
        if person.nip:
            lines.append(f"NIP {person.nip}")
        cell = table.rows[i // 2].cells[i % 2]
        cell.text = "\n".join(lines)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER


def program_report_docx_bytes(context):
    """Bytes of a .docx holding the report of `context` (see selectors.program_report)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    program = context["program"]
    document = Document()
    section = document.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    document.styles["Normal"].font.size = Pt(11)

    settings = context.get("settings")
    if settings and (settings.letterhead_name or settings.logo):
        _letterhead(document, settings)
    document.add_paragraph(_("Evaluation report")).runs[0].bold = True
    document.add_heading(program.name, level=0)
    as_of = context["as_of"]
    data_line = (
        _("Data as of %(day)s: only what was recorded up to the end of that day is counted.")
        % {"day": _date(as_of)}
        if as_of
        else _("Data as of %(when)s.") % {"when": _date(context["generated_at"], "j F Y H:i")}
    )
    dates = _date(program.start_date)
    if program.end_date:
        dates += " – " + _date(program.end_date)
    facilitators = ", ".join(
        person.get_full_name() or person.username for person in context["facilitators"]
    )
    _table(
        document,
        [_("Organization"), program.organization.name],
        [
            [_("Location"), program.location],
            [_("Dates"), dates],
            [_("Data"), data_line],
            [_("Facilitators"), facilitators or "—"],
        ],
    )

    document.add_heading(_("Method"), level=1)
    summary = _("%(enrolled)s participants enrolled; %(held)s sessions held.") % {
        "enrolled": context["enrolled"],
        "held": context["sessions_held"],
    }
    if context["method"]:
        summary += " " + _("The program ran in these phases:") + " "
        summary += " → ".join(
            f"{label.lower()} ({', '.join(_date(s.date) for s in group)})"
            for label, group in context["method"]
        )
        summary += "."
    document.add_paragraph(summary)
    _table(
        document,
        [_("Phase"), _("Session"), _("Date"), _("Venue"), _("Present"), _("Rate")],
        [
            [
                s.get_phase_display(),
                s.title,
                _date(s.date, "j M Y"),
                s.venue or "—",
                f"{s.n_attended} / {s.n_eligible}" if s.roll_taken else "—",
                f"{round(100 * s.n_attended / s.n_eligible)}%" if s.rate is not None else "—",
            ]
            for s in context["sessions"]
        ],
        numeric=(4, 5),
    )

    document.add_heading(_("Table 1. Success of the training"), level=1)
    results = context["indicators"]
    if results:
        _table(
            document,
            [_("Indicator"), pgettext("success", "Yes"), _("Not yet"), _("Leading reason")],
            [
                [
                    r.indicator.label,
                    _("no data") if r.empty else _figure(r.numerator, r.denominator),
                    "" if r.empty else _figure(r.rest, r.denominator),
                    f"{r.reasons[0][0]} ({r.reasons[0][1]})" if r.rest and r.reasons else "—",
                ]
                for r in results
            ],
            numeric=(1, 2),
        )
        for r in results:
            document.add_paragraph(
                f"{r.sentence} " + _("Base: %(base)s.") % {"base": r.base},
                style="List Bullet",
            )
        if context.get("twins"):
            document.add_heading(_("Same measure, two sources"), level=2)
            for pair in context["twins"]:
                _table(
                    document,
                    [_("Indicator"), _("Source"), pgettext("success", "Yes")],
                    [
                        [
                            r.indicator.label,
                            r.indicator.get_source_display(),
                            _("no data") if r.empty else _figure(r.numerator, r.denominator),
                        ]
                        for r in pair.results
                    ],
                    numeric=(2,),
                )
                document.add_paragraph(pair.note)
    else:
        document.add_paragraph(_("No indicators are defined for this program yet."))

    if context["checklists"]:
        document.add_heading(_("Signup checklists"), level=1)
        for report in context["checklists"]:
            result = report.funnel
            document.add_heading(result.template.name, level=2)
            document.add_paragraph(
                _("%(done)s of %(n)s complete") % {"done": result.completed, "n": result.tracks}
            )
            _table(
                document,
                [_("Step"), _("Reached"), _("Done"), _("Blocked")],
                [
                    [f"{f.step.position}. {f.step.title}", f.reached, f.done, f.blocked]
                    for f in result.steps
                ],
                numeric=(1, 2, 3),
            )

    for survey, results_, _prepost in context["surveys"]:
        document.add_heading(f"{_('Survey')}: {survey.title}", level=1)
        for number, result in enumerate(results_, start=1):
            document.add_heading(f"{number}. {result.question.text}", level=3)
            answered = _("%(n)s of %(total)s answered") % {
                "n": result.answered,
                "total": result.total,
            }
            if result.question.help_text:
                answered += f" · {result.question.help_text}"
            document.add_paragraph(answered)
            if result.scale_mean is not None:
                document.add_paragraph(
                    _("Mean %(mean)s on the scale of 1 to 5 (n = %(n)s).")
                    % {"mean": formats.number_format(result.scale_mean, 1), "n": result.answered}
                )
            if result.options:
                _table(
                    document,
                    [_("Answer"), _("People"), "%"],
                    [[o.choice.label, o.count, f"{round(o.percent)}%"] for o in result.options],
                    numeric=(1, 2),
                )
            elif result.texts:
                for text in result.texts:
                    document.add_paragraph(text, style="List Bullet")

    mentoring = context["mentoring"]
    document.add_heading(_("Mentoring"), level=1)
    document.add_paragraph(
        _(
            "%(contacts)s follow-up contacts with %(people)s participants; "
            "%(resolved)s problems resolved."
        )
        % mentoring
    )
    if context.get("photos"):
        document.add_heading(_("Documentation"), level=1)
        for number, photo in enumerate(context["photos"], start=1):
            if _picture(document, photo.image, Cm(12)):
                figure = _("Figure %(n)s.") % {"n": number}
                caption = document.add_paragraph(f"{figure} {photo.caption}".strip())
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if settings and settings.conclusions:
        document.add_heading(_("Conclusions"), level=1)
        for paragraph in settings.conclusions.split("\n\n"):
            document.add_paragraph(paragraph.strip())
    if settings and settings.recommendations:
        document.add_heading(_("Recommendations"), level=1)
        for paragraph in settings.recommendations.split("\n\n"):
            document.add_paragraph(paragraph.strip())
    if context["signatories"]:
        _signatures(document, settings, context)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
