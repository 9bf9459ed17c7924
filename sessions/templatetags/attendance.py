from django import template

from participants.validators import mask_phone as _mask_phone
from sessions.enums import AttendanceStatus

register = template.Library()


@register.simple_tag
def attendance_statuses():
    return AttendanceStatus.choices


@register.filter
def mask_phone(e164):
    return _mask_phone(e164)
