"""The sessions' pages a facilitator needs with no signal (programs.hooks.offline_pages)."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone


def offline_pages(request, program):
    today = timezone.localdate()
    sessions = program.sessions.filter(date__in=[today, today + dt.timedelta(days=1)])
    urls = [reverse("program_detail", args=[program.slug])]
    for session in sessions.order_by("date", "start_time", "pk"):
        urls.append(session.get_absolute_url())
        urls.append(reverse("attendance_walk_in", args=[program.slug, session.pk]))
    return urls
