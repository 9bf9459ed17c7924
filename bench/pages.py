"""Every list and grid page at 30 and 500 participants: queries, server time
(median and 95th percentile), HTML gzip-compressed and plain; then, at the largest
size, one attendance mark and one checklist step mark, each as the phone's
outbox sends it.

Run: `make bench` or `.venv/bin/python bench/pages.py`. Prints figures only.
`.venv/bin/python bench/pages.py roll grid` measures only the pages whose name
contains one of the words. The tests hold each page's exact query count at 1
and 3 participants (tests/*/test_query_counts.py); this shows the same pages at
sizes a real program reaches, beside the login page timed in the same run.
"checklist grid, 10 steps" is the checklist the product ships, "Daftar sebagai
Kreator", on a program of its own with progress spread over the steps
(tests/factories.py, program_on_shipped_checklist).
A page that caches configuration lists shows its second view's query count,
then its first view's in brackets.
"""

import gzip
import re
import statistics
import sys
import time
import uuid
from urllib.parse import urlencode

from _django import baseline, settle, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.factories import (  # noqa: E402
    OrganizationMembershipFactory,
    program_of_size,
    program_on_shipped_checklist,
)

SIZES = (30, 500)


def pages(sized, shipped):
    """(name, user, url, GET data, extra headers) for every list or grid page."""
    p, program = sized, sized.program
    slug, session, survey = program.slug, sized.session, sized.survey
    first = sized.enrollments[0].participant_id
    organizer = OrganizationMembershipFactory(organization=program.organization).user
    return [
        ("home", p.facilitator, reverse("home"), {}, {}),
        ("program page", p.facilitator, reverse("program_detail", args=[slug]), {}, {}),
        ("participant list", p.facilitator, reverse("participant_list", args=[slug]), {}, {}),
        (
            "participant search (htmx)",
            p.facilitator,
            reverse("participant_list", args=[slug]),
            {"q": "Peserta"},
            {"HTTP_HX_REQUEST": "true"},
        ),
        (
            "participant page",
            p.facilitator,
            reverse("participant_detail", args=[slug, first]),
            {},
            {},
        ),
        ("session page (roll)", p.facilitator, session.get_absolute_url(), {}, {}),
        (
            "attendance history",
            p.coordinator,
            reverse("attendance_history", args=[slug, session.pk]),
            {},
            {},
        ),
        ("program attendance", p.facilitator, reverse("program_attendance", args=[slug]), {}, {}),
        (
            "checklist grid",
            p.facilitator,
            reverse("checklist_grid", args=[slug, p.template.pk]),
            {},
            {},
        ),
        (
            "checklist grid, 10 steps",
            shipped.facilitator,
            reverse("checklist_grid", args=[shipped.program.slug, shipped.template.pk]),
            {},
            {},
        ),
        ("program checklists", p.facilitator, reverse("program_checklists", args=[slug]), {}, {}),
        (
            "participant checklists",
            p.facilitator,
            reverse("participant_checklists", args=[slug, first]),
            {},
            {},
        ),
        ("template list", p.facilitator, reverse("template_list"), {}, {}),
        ("template page (funnel)", p.facilitator, p.template.get_absolute_url(), {}, {}),
        ("survey list", p.coordinator, reverse("survey_list", args=[slug]), {}, {}),
        (
            "survey results",
            p.coordinator,
            reverse("survey_results", args=[slug, survey.pk]),
            {},
            {},
        ),
        (
            "survey respondents",
            p.facilitator,
            reverse("survey_respondents", args=[slug, survey.pk]),
            {},
            {},
        ),
        (
            "program report + annex",
            p.coordinator,
            reverse("program_report", args=[slug]),
            {"annex": "1"},
            {},
        ),
        (
            "organization roll-up",
            organizer,
            reverse("organization_rollup", args=[program.organization.slug]),
            {},
            {},
        ),
        ("indicators", p.coordinator, reverse("indicator_list", args=[slug]), {}, {}),
        (
            "import history",
            p.coordinator,
            reverse("participant_import_history", args=[slug]),
            {},
            {},
        ),
    ]


def measure(sized, shipped, repeat, words):
    figures = {}
    for name, user, url, data, headers in pages(sized, shipped):
        if words and not any(word in name for word in words):
            continue
        client = Client()
        client.force_login(user)
        views = []
        for _view in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, data, **headers)
            assert response.status_code == 200, (name, response.status_code)
            views.append(len(queries))
        # The second view's count; the first's in brackets when cached lists made
        # the second cheaper.
        first, second = views
        n_queries = f"{second} ({first})" if first != second else str(second)
        compressed = len(gzip.compress(response.content, compresslevel=6)) / 1024
        plain = len(response.content) / 1024

        def get(client=client, url=url, data=data, headers=headers):
            # As a browser asks: the time includes GZipMiddleware's compressing.
            client.get(url, data, HTTP_ACCEPT_ENCODING="gzip", **headers)

        median, p95 = timed(get, repeat=repeat, quantile=0.95)
        figures[name] = (n_queries, median, p95, compressed, plain)
    return figures


class _ServerClock:
    """The test client's handler, timed: a mark's server time without the
    client's own work (building and reading the request and the answer)."""

    def __init__(self, handler):
        self.handler, self.times = handler, []

    def __call__(self, environ):
        start = time.perf_counter()
        try:
            return self.handler(environ)
        finally:
            self.times.append((time.perf_counter() - start) * 1000)

    def median_and_p95(self):
        times = sorted(self.times)
        return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)]


def writes(sized, repeat):
    """One roll mark and one checklist step mark, as the outbox sends them:
    form-encoded, with the tap's and the sending's times (ms of server time)."""
    from checklists.services import current_steps

    client = Client()
    client.force_login(sized.facilitator)
    session, program = sized.session, sized.program
    mark_url = reverse("attendance_mark", args=[program.slug, session.pk])
    targets = iter(sized.enrollments * (repeat // len(sized.enrollments) + 2))
    statuses = iter(["absent", "present", "excused", "late"] * repeat)

    def post(url, data):
        mark_id = str(uuid.uuid4())
        now = str(int(time.time() * 1000))
        response = client.post(
            url,
            urlencode({**data, "mark_id": mark_id, "tapped_at": now, "sent_at": now}),
            content_type="application/x-www-form-urlencoded",
            HTTP_HX_REQUEST="true",
            HTTP_X_OUTBOX_ID=mark_id,
        )
        assert response.status_code == 200, (url, response.status_code)
        return response

    def mark():
        post(mark_url, {"participant": next(targets).participant_id, "status": next(statuses)})

    step = current_steps(sized.template)[2]
    tracks = iter(
        [(e.participant_id, e.tracks.get().pk) for e in sized.enrollments]
        * (repeat // len(sized.enrollments) + 2)
    )
    states = iter(["done", "not_started"] * repeat)
    versions = {}  # the version each step row last showed, sent back as the phone does

    def step_mark():
        participant_id, track_id = next(tracks)
        url = reverse("progress_mark", args=[program.slug, participant_id, track_id, step.pk])
        answer = post(url, {"state": next(states), "version": versions.get(track_id, 0)})
        versions[track_id] = re.search(r'name="version" value="(\d+)"', answer.text).group(1)

    figures = {}
    for name, fn in (("one attendance mark", mark), ("one checklist step mark", step_mark)):
        for _warm in range(20):  # each thread's first marks compile and prepare
            fn()
        client.handler = clock = _ServerClock(client.handler)
        for _ in range(repeat):
            fn()
        client.handler = clock.handler
        figures[name] = clock.median_and_p95()
    return figures


def main():
    words = sys.argv[1:]
    results, login = {}, {}
    for size in SIZES:
        start = time.perf_counter()
        sized = program_of_size(size)
        # The checklist the product ships, on a program of its own.
        shipped = program_on_shipped_checklist(size)
        with connection.cursor() as cursor:
            # A live database's planner has statistics (autovacuum); a freshly
            # filled PostgreSQL one has none and picks slow plans (the grid's
            # funnel took 16 ms instead of 4).
            cursor.execute("ANALYZE")
        settle()
        print(f"built a program of {size} participants in {time.perf_counter() - start:.0f} s")
        results[size] = measure(sized, shipped, repeat=20, words=words)
        login[size] = baseline()  # right after the pages, on the same load
    small, large = SIZES
    print(
        f"{'page':<28} {'queries ' + str(small):>11} {'queries ' + str(large):>12} "
        f"{'ms ' + str(small):>8} {'ms ' + str(large):>8} {'p95 ' + str(large):>8} "
        f"{'x login ' + str(large):>11} {'KiB gz ' + str(small):>10} {'KiB gz ' + str(large):>10} "
        f"{'KiB ' + str(large):>8}"
    )
    print(
        f"{'login page (baseline)':<28} {'':>11} {'':>12} {login[small]:>8.1f} {login[large]:>8.1f}"
    )
    for name in results[small]:
        q_small, ms_small, _p95_small, kib_small, _plain_small = results[small][name]
        q_large, ms_large, p95_large, kib_large, plain_large = results[large][name]
        # The second views' counts: a template shared by both sizes (the shipped
        # one) has its lists cached already at the first view of the larger.
        grows = "  <- grows" if q_large.split()[0] != q_small.split()[0] else ""
        print(
            f"{name:<28} {q_small:>11} {q_large:>12} {ms_small:>8.1f} {ms_large:>8.1f} "
            f"{p95_large:>8.1f} {ms_large / login[large]:>11.1f} {kib_small:>10.1f} "
            f"{kib_large:>10.1f} {plain_large:>8.0f}{grows}"
        )
    print(f"at {large} participants, in-process server time, as the outbox sends them:")
    marks = writes(sized, repeat=200)
    mark_login = baseline()  # right after the marks, on the same load
    for name, (median, p95) in marks.items():
        print(
            f"{name:<28} {median:>6.1f} ms median {p95:>6.1f} ms p95  "
            f"(login page {mark_login:.1f} ms: x{median / mark_login:.1f})"
        )


if __name__ == "__main__":
    main()
