"""The roll's rows as HTML, written in Python rather than a template.

A program of 500 participants made the row template the page's main cost
(about 0.3 ms a row through `{% include %}`, still 0.2 ms inlined), and the
roll page has a budget of 50 ms. Here every label, date and button is worked
out once per page, and a row is a few string joins (about 10 µs). The markup
is the row template's markup: the page (sessions/_roll.html), a mark's answer
(sessions/attendance_views.py, without a template: every tap answers with it)
and a card scan all come through `RollMarkup.row`, so the outbox
(static/js/outbox.js) swaps in exactly what the page shows.

The rows sit in one form for the whole list (sessions/_roll.html): a button
posts `mark=<participant>:<status>`, with `:move` for someone enrolled after
the session's day, so the roll works without JavaScript and carries one CSRF
token, not one per row.
"""

from html import escape

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from participants.validators import mask_phone
from sessions.enums import AttendanceStatus

MOVE = "move"  # the suffix of a late joiner's button value


class RollMarkup:
    def __init__(self, session):
        self.day = date_format(session.date, "j F Y")
        self.timezone = timezone.get_current_timezone()
        self.labels = {value: escape(str(label)) for value, label in AttendanceStatus.choices}
        self.not_marked = escape(gettext("Not marked"))
        self.enrolled_only = gettext("Enrolled only on %(enrolled)s")
        self.confirm = gettext(
            "%(name)s was enrolled on %(enrolled)s, after this session. Mark her anyway "
            "and move her enrolment date to %(day)s? The change is logged."
        )
        # The four buttons, cut where a row puts its own id and pressed state.
        self.buttons = [
            (
                value,
                f":{value}",
                f'" class="roll-btn roll-{value}" aria-pressed="',
                f'">{label}</button>',
            )
            for value, label in self.labels.items()
        ]

    def rows(self, lines):
        return "".join([self.row(line) for line in lines])

    def row(self, line, note=""):
        pk, name = str(line.participant_id), escape(line.full_name)
        status = line.status
        suffix = "" if line.eligible else f":{MOVE}"
        buttons = "".join(
            [
                f'<button name="mark" value="{pk}{colon_value}{suffix}{middle}'
                f"{'true' if value == status else 'false'}{end}"
                for value, colon_value, middle, end in self.buttons
            ]
        )
        if line.eligible:
            classes, extra = "roll-row", " data-eligible"
            if status:
                state = f"{self.labels[status]} · {line.marked_at.astimezone(self.timezone):%H:%M}"
                if line.marked_by:
                    state += f" · {escape(line.marked_by)}"
            else:
                state = self.not_marked
        else:
            enrolled = date_format(line.enrolled_on, "j F Y")
            confirm = self.confirm % {"name": line.full_name, "enrolled": enrolled, "day": self.day}
            classes, extra = "roll-row roll-late-joiner", f' data-confirm="{escape(confirm)}"'
            state = escape(self.enrolled_only % {"enrolled": enrolled})
        phone = (
            f' <span class="roll-phone">{escape(mask_phone(line.phone))}</span>'
            if line.phone
            else ""
        )
        error = f'<p class="roll-error" role="alert">{escape(note)}</p>' if note else ""
        return (
            f'<li class="{classes}" id="p-{pk}" data-mark-row data-status="{status}"{extra}>\n'
            f'<div class="roll-who"><span class="roll-name">{name}</span>{phone}</div>\n'
            f'<div class="roll-choices">{buttons}</div>\n'
            f'<p class="roll-state">{state}</p>{error}\n</li>\n'
        )
