from django import template
from django.utils.safestring import mark_safe

from checklists.step_markup import StepRowMarkup

register = template.Library()


@register.simple_tag(takes_context=True)
def step_rows(context, view, rows):
    """A track's step rows (checklists/step_markup.py says why not a template)."""
    markup = StepRowMarkup(
        program_slug=context["program"].slug,
        participant_id=context["participant"].pk,
        track_id=view.track.pk,
        reasons=view.reasons,
        csrf_token=str(context.get("csrf_token", "")),
    )
    html = "".join([markup.row(row) for row in rows])
    return mark_safe(html)  # noqa: S308 (every value escaped there)
