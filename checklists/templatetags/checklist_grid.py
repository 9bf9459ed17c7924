from django import template
from django.utils.safestring import mark_safe

from checklists.grid_markup import GridMarkup

register = template.Library()


@register.simple_tag
def grid_cards(rows, program, steps):
    """The grid's cards (checklists/grid_markup.py says why not a template)."""
    return mark_safe(GridMarkup(program, steps).cards(rows))  # noqa: S308 (every value escaped there)
