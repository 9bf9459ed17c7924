"""The checklist grid's rows as HTML, written in Python rather than a template.

At 500 participants the grid's template loops (a card and a table row per
participant, a chip and a cell per step) took most of the page's time; the
page has a budget of 50 ms. Here what every row shares (step titles, state
labels, the participant page's address) is worked out once, and a row is a few
string joins. A state's symbol (✓ ✗ – ·) comes from the style sheet, not from
each of 5,000 cells, and not started, the most common state, is a cell or chip
with no class. sessions/roll_markup.py does the same for the roll.

The page must stay small (≤ 60 KiB gzip at 500 participants and 10 steps) for
a phone on a weak signal. What compresses badly is what changes from row to
row: a participant's address (a UUID) in each of her chips cost 10 KiB, and
again in her table row, far from her card, 11 KiB. So her address is in her
card's name link only; her chips and table row link to the grid's own short
addresses, relative, by track (grid_chip and grid_participant, redirects), and
static/js/app.js sends a tapped one straight to her page, which the phone may
hold offline.
"""

from html import escape

from django.urls import reverse
from django.utils.translation import gettext

from checklists.enums import StepState

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# A state's class; not started has none (the style sheet's default cell and chip).
_STATE_CLASS = {v: "" if v == StepState.NOT_STARTED else f"cell-{v}" for v in StepState.values}
_CHIP = {v: f"grid-chip {c}".rstrip() for v, c in _STATE_CLASS.items()}
_TD = {v: f' class="{c}"' if c else "" for v, c in _STATE_CLASS.items()}


class GridMarkup:
    def __init__(self, program, steps):
        self.page_url = reverse("participant_checklists", args=[program.slug, _PLACEHOLDER])
        self.total = len(steps)
        self.titles = {s.pk: escape(s.title) for s in steps}
        self.labels = {value: escape(str(label)) for value, label in StepState.choices}
        self.not_started = escape(gettext("not started"))
        self.chips, self.cells = {}, {}

    def _url(self, participant_id):
        return self.page_url.replace(_PLACEHOLDER, str(participant_id))

    def _label(self, cell):
        """What a chip says to a screen reader: step, state and the blocker's reason."""
        state = self.labels[cell.state] if cell.started else self.not_started
        reason = f": {escape(cell.reason_label)}" if cell.reason_label else ""
        return f"{cell.step.position}. {self.titles[cell.step.pk]}: {state}{reason}"

    # A chip or a cell differs from row to row only by its track: the rest of
    # its markup is made once per step and state (5,000 of them at 500 × 10).
    def _chip(self, key, cell):
        self.chips[key] = (
            f'<li><a class="{_CHIP[cell.state]}" href="',
            f'/{cell.step.pk}/" aria-label="{self._label(cell)}">{cell.step.position}</a></li>',
        )
        return self.chips[key]

    def _cell(self, key, cell):
        self.cells[key] = (
            f'<td{_TD[cell.state]} title="{self.titles[cell.step.pk]}: '
            f'{escape(cell.reason_label)}"></td>'
            if cell.reason_label
            else f"<td{_TD[cell.state]}></td>"
        )
        return self.cells[key]

    def cards(self, rows):
        """A card per participant, every step a tappable chip (phones)."""
        return "".join([self.card(row) for row in rows])

    def card(self, row):
        url, total, done = self._url(row.participant_id), self.total, row.done
        track, known, chips = str(row.track_id), self.chips, []
        for c in row.cells:
            key = (c.step.id, c.state, c.started, c.reason_label)  # .id: .pk is a slower property
            head, tail = known.get(key) or self._chip(key, c)
            chips.append(f"{head}{track}{tail}")
        return (
            f'<li class="grid-card">\n<a class="grid-card-name" href="{url}">'
            f"{escape(row.full_name)}</a>\n"
            f'<p class="app-meta mb-1"><progress max="{total}" value="{done}"></progress> '
            f"{done} / {total}</p>\n"
            f'<ol class="grid-chips list-unstyled">{"".join(chips)}</ol>\n</li>\n'
        )

    def table_rows(self, rows):
        """A table row per participant, a cell per step (wider screens)."""
        return "".join([self.table_row(row) for row in rows])

    def table_row(self, row):
        known = self.cells
        cells = "".join(
            [
                known.get(key) or self._cell(key, c)
                for c in row.cells
                for key in [(c.step.id, c.state, c.reason_label)]
            ]
        )
        return (
            f'<tr class="grid-row">\n<td><a href="{row.track_id}/">'
            f"{escape(row.full_name)}</a></td>\n"
            f'<td><progress max="{self.total}" value="{row.done}"></progress></td>\n'
            f"{cells}\n</tr>\n"
        )
