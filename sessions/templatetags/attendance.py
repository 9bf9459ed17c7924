from django import template
from django.utils.safestring import mark_safe

from sessions.roll_markup import RollMarkup

register = template.Library()


@register.simple_tag
def roll_rows(roll, session):
    """Every row of the roll (sessions/roll_markup.py says why not a template)."""
    return mark_safe(RollMarkup(session).rows(roll.rows))  # noqa: S308 (every value escaped there)
