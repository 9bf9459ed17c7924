"""A participant's step rows as HTML, written in Python rather than a template.

Every step mark answers with its row, and rendering the row template took
2.5 ms of a mark's 9 on PostgreSQL (in a slow phase of this machine: two CSRF
inputs, the reason buttons, a dozen translations); a mark has a budget of
5 ms. Here what a track's rows share (labels, the reason buttons, the CSRF
input) is worked out once, and a row is a few string joins. The participant's
checklists page (the `step_rows` tag, checklists/templatetags/checklist_steps.py)
and a mark's answer both come through `StepRowMarkup.row`, so the outbox
(static/js/outbox.js) swaps in exactly what the page shows.
sessions/roll_markup.py does the same for the roll.
"""

from html import escape

from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from checklists.enums import StepState

_PRESSED = {True: "true", False: "false"}


class StepRowMarkup:
    def __init__(self, *, program_slug, participant_id, track_id, reasons, csrf_token):
        self.owner, self.track_id = (program_slug, participant_id), track_id
        self.csrf = (
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(csrf_token)}">'
            if csrf_token and csrf_token != "NOTPROVIDED"
            else ""
        )
        self.labels = {value: escape(str(label)) for value, label in StepState.choices}
        text = {
            "optional": gettext("optional"),
            "how": gettext("How"),
            "conflict": gettext("Someone else changed this step meanwhile; this is its state now."),
            "done": gettext("Done"),
            "not_applicable": gettext("Not applicable"),
            "undo": gettext("Undo"),
            "blocked": gettext("Blocked"),
            "blocked_ask": gettext("Blocked…"),
            "note": gettext("Note (optional, required for “other”)"),
            "tap_reason": gettext("Tap the reason:"),
            "follow_up": gettext("Log a follow-up for this step"),
            "not_started": gettext("Not started"),
        }
        self.text = {key: escape(value) for key, value in text.items()}
        # The reason buttons, cut where a row puts its pressed state.
        self.reasons = [
            (
                reason.pk,
                f'<button name="reason" value="{reason.pk}" class="reason-btn" aria-pressed="',
                f'">{escape(reason.label)}</button>',
            )
            for reason in reasons
        ]

    def row(self, row, *, conflict=False):
        """One step's row (a selectors.StepRow): its state, the marks it takes
        and who made the last one."""
        t, track = self.text, self.track_id
        step, progress, state, version = row.step, row.progress, row.state, row.version
        started = progress is not None and state != StepState.NOT_STARTED
        blocked = state == StepState.BLOCKED
        anchor = f"step-{track}-{step.pk}"
        url = reverse("progress_mark", args=(*self.owner, track, step.pk))
        form = (
            f'<form method="post" action="{url}"'
            f' data-outbox="step" data-outbox-target="#{anchor}">{self.csrf}'
            f'<input type="hidden" name="version" value="{version}">'
        )
        required = " data-required" if step.required else ""
        optional = (
            "" if step.required else f' <span class="badge text-bg-light">{t["optional"]}</span>'
        )
        how = (
            f'<details class="step-how"><summary>{t["how"]}</summary>'
            f"<p>{linebreaksbr(step.how_to, autoescape=True)}</p></details>"
            if step.how_to
            else ""
        )
        undo = (
            f'<button name="state" value="not_started" class="roll-btn" aria-pressed="false">'
            f"{t['undo']}</button>"
            if started
            else ""
        )
        reason = progress.reason if blocked else None
        summary = f"{t['blocked']}: {escape(reason.label) if reason else ''}" if blocked else ""
        pressed_reason = progress.reason_id if progress else None
        reasons = "".join(
            [f"{head}{_PRESSED[pk == pressed_reason]}{tail}" for pk, head, tail in self.reasons]
        )
        follow_up = (
            f'<p class="mb-1"><a class="btn btn-outline-secondary" href="?step={step.pk}'
            f'#mentoring">{t["follow_up"]}</a></p>'
            if blocked
            else ""
        )
        return (
            f'<li class="step-row" id="{anchor}" data-mark-row data-state="{state}"{required}>\n'
            f'<div class="step-head"><span class="step-no">{step.position}</span>'
            f'<span class="step-title">{escape(step.title)}</span>{optional}</div>\n'
            f"{how}\n"
            + (f'<p class="step-conflict" role="status">{t["conflict"]}</p>' if conflict else "")
            + f"\n{form}\n"
            '<div class="step-choices">\n'
            '<button name="state" value="done" class="roll-btn roll-present" aria-pressed="'
            f'{_PRESSED[state == StepState.DONE]}">{t["done"]}</button>\n'
            '<button name="state" value="not_applicable" class="roll-btn roll-excused" '
            f'aria-pressed="{_PRESSED[state == StepState.NOT_APPLICABLE]}">'
            f"{t['not_applicable']}</button>\n"
            f"{undo}\n</div></form>\n"
            f'<details class="step-block"{" open" if blocked else ""}>'
            f'<summary class="roll-btn roll-absent" aria-pressed="{_PRESSED[blocked]}">'
            f"{summary or t['blocked_ask']}</summary>\n"
            f'{form}<input type="hidden" name="state" value="blocked">\n'
            f'<label class="form-label" for="note-{track}-{step.pk}">{t["note"]}</label>\n'
            f'<input class="form-control mb-2" id="note-{track}-{step.pk}" name="note" '
            f'maxlength="500" value="{escape(progress.note) if blocked else ""}">\n'
            f'<p class="app-meta mb-1">{t["tap_reason"]}</p>\n'
            f'<div class="step-reasons">{reasons}</div>\n'
            "</form></details>\n"
            f"{follow_up}\n"
            f'<p class="roll-state">{self._state_line(progress, started, blocked)}</p>\n'
            '<p class="roll-error" role="alert" hidden></p>\n'
            "</li>\n"
        )

    def _state_line(self, progress, started, blocked):
        if not started:
            return self.text["not_started"]
        line = self.labels[progress.state]
        if blocked and progress.note:
            line += f" — “{escape(progress.note)}”"
        line += f" · {date_format(timezone.localtime(progress.at), 'j M H:i')}"
        if progress.by:
            line += f" · {escape(progress.by.first_name or progress.by.username)}"
        return line
