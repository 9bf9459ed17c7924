"""The checklist grid's rows as HTML, written in Python rather than a template.

At 500 participants the grid's template loops (a card per participant, a chip
per step) took most of the page's time; the page has a budget of 50 ms. Here
what every row shares (step titles, state labels, the participant page's
address) is worked out once, and a row is a few string joins. A state's symbol
(✓ ✗ – ·) comes from the style sheet, not from each of 5,000 chips, and not
started, the most common state, is a chip with no class. sessions/roll_markup.py
does the same for the roll.

The page must stay small (≤ 60 KiB gzip at 500 participants and 10 steps) for
a phone on a weak signal, so there is one markup for every screen: a wide one
lays the cards out as rows (static/css/app.css); a second, table, copy of every
step doubled the page. What compresses badly is what changes from row to row:
a participant's address (a UUID) in each of her chips cost 10 KiB. So her
address is in her card's name link only; her chips link to the grid's own
short addresses, relative, by track and step (grid_chip, a redirect), and
static/js/app.js sends a tapped one straight to her page, which the phone may
hold offline.
"""

from html import escape

from django.urls import reverse
from django.utils.translation import gettext

from checklists.enums import StepState

_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"
# A state's class; not started has none (the style sheet's default chip).
_STATE_CLASS = {v: "" if v == StepState.NOT_STARTED else f"cell-{v}" for v in StepState.values}
_CHIP = {v: f"grid-chip {c}".rstrip() for v, c in _STATE_CLASS.items()}


class GridMarkup:
    def __init__(self, program, steps):
        self.page_url = reverse("participant_checklists", args=[program.slug, _PLACEHOLDER])
        self.total = len(steps)
        self.titles = {s.pk: escape(s.title) for s in steps}
        self.labels = {value: escape(str(label)) for value, label in StepState.choices}
        self.not_started = escape(gettext("not started"))
        # By (step, state, started, reason); by stage: its cells' id, alive
        # while the rows that share them are.
        self.chips, self.stages = {}, {}

    def _url(self, participant_id):
        return self.page_url.replace(_PLACEHOLDER, str(participant_id))

    def _label(self, cell):
        """What a chip says to a screen reader: step, state and the blocker's reason."""
        state = self.labels[cell.state] if cell.started else self.not_started
        reason = f": {escape(cell.reason_label)}" if cell.reason_label else ""
        return f"{cell.step.position}. {self.titles[cell.step.pk]}: {state}{reason}"

    # A chip differs from row to row only by its track: the rest of its markup
    # is made once per step and state (5,000 chips at 500 × 10). Rows at the
    # same stage share their cells (checklists.selectors.checklist_grid), so a
    # stage's chips are made once too, as the pieces between its tracks: a
    # row's chips are then one join.
    def _chip(self, key, cell):
        self.chips[key] = (
            f'<li><a class="{_CHIP[cell.state]}" href="',
            f'/{cell.step.pk}/" aria-label="{self._label(cell)}">{cell.step.position}</a></li>',
        )
        return self.chips[key]

    def _stage(self, cells):
        known, pieces = self.chips, [""]
        for c in cells:
            key = (c.step.id, c.state, c.started, c.reason_label)  # .id: .pk is a slower property
            head, tail = known.get(key) or self._chip(key, c)
            pieces[-1] += head
            pieces.append(tail)
        self.stages[id(cells)] = pieces
        return pieces

    def cards(self, rows):
        """A card per participant, every step a tappable chip."""
        return "".join([self.card(row) for row in rows])

    def card(self, row):
        url, total, done = self._url(row.participant_id), self.total, row.done
        chips = str(row.track_id).join(self.stages.get(id(row.cells)) or self._stage(row.cells))
        return (
            f'<li class="grid-card">\n<a class="grid-card-name" href="{url}">'
            f"{escape(row.full_name)}</a>\n"
            f'<p class="app-meta grid-progress"><progress max="{total}" value="{done}"></progress> '
            f"{done} / {total}</p>\n"
            f'<ol class="grid-chips list-unstyled">{chips}</ol>\n</li>\n'
        )
