"""The service worker and the page it shows when there is no signal and nothing stored."""

import hashlib
import json

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.decorators.http import require_GET

# What every page needs; stored when the worker installs. Hashed names in
# production, so a new release gets a new cache.
SHELL_FILES = [
    "favicon.svg",
    "bootstrap/css/bootstrap.min.css",
    "css/app.css",
    "js/app.js",
    "js/outbox.js",
    "django_htmx/htmx-2.min.js",
    "django_htmx/django-htmx.js",
]
# Bumped when sw.js itself changes in a way the static names do not show.
WORKER_REVISION = "1"


@require_GET
@login_not_required
def service_worker(request):
    shell = [static(name) for name in SHELL_FILES]
    offline = reverse("offline")
    version = hashlib.sha256(json.dumps([WORKER_REVISION, shell, offline]).encode()).hexdigest()[
        :12
    ]
    response = render(
        request,
        "sw.js",
        {
            "config": json.dumps(
                {
                    "version": version,
                    "shell": shell,
                    "offline": offline,
                    "static_prefix": settings.STATIC_URL,
                }
            )
        },
        content_type="text/javascript; charset=utf-8",
    )
    # Served from / so that it may control every page; the browser checks it
    # for updates itself, so no long caching.
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@login_not_required
def offline(request):
    return render(request, "offline.html")
