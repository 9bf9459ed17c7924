"""Roll call: server time of the session page and of one mark, and page weight.

Run: `make bench` or `.venv/bin/python bench/attendance.py`.
Prints figures; it asserts nothing (timings vary by machine).
"""

import datetime as dt
import gzip
import re
import uuid

from _django import baseline, setup, timed

setup()

from django.contrib.staticfiles import finders  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import (  # noqa: E402
    EnrollmentFactory,
    MembershipFactory,
    ProgramFactory,
    TrainingSessionFactory,
)


def build(participants):
    program = ProgramFactory()
    session = TrainingSessionFactory(program=program, date=dt.date(2023, 8, 5))
    user = MembershipFactory(program=program, role="facilitator").user
    enrollments = EnrollmentFactory.create_batch(participants, program=program)
    client = Client()
    client.force_login(user)
    return session, enrollments, client


def gzipped(data):
    return len(gzip.compress(data, compresslevel=6))


def page_weight(html):
    """HTML plus every CSS/JS/icon file it references, each gzip-compressed."""
    total = gzipped(html)
    assets = re.findall(r'(?:href|src)="/static/([^"]+)"', html.decode())
    for asset in assets:
        with open(finders.find(asset), "rb") as f:
            total += gzipped(f.read())
    return total, gzipped(html), assets


def main():
    print(
        f"{'participants':>12} {'page ms (median/p90)':>22} {'queries':>8} "
        f"{'HTML KiB gz':>12} {'page+assets KiB gz':>19}"
    )
    for participants in (30, 500):
        session, enrollments, client = build(participants)
        url = session.get_absolute_url()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        n_queries = len(queries)  # read now: the next request clears the query log
        assert response.status_code == 200, response.status_code
        total, html_gz, _assets = page_weight(response.content)
        median, p90 = timed(lambda client=client, url=url: client.get(url), repeat=20)
        print(
            f"{participants:>12} {median:>10.1f} / {p90:<9.1f} {n_queries:>8} "
            f"{html_gz / 1024:>12.1f} {total / 1024:>19.1f}"
        )

    mark_url = session.get_absolute_url() + "attendance/mark/"
    statuses = iter(["present", "late", "excused", "absent"] * 1000)
    targets = iter(enrollments * 10)

    def mark():
        response = client.post(
            mark_url,
            {
                "participant": next(targets).participant_id,
                "status": next(statuses),
                "mark_id": str(uuid.uuid4()),
            },
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        return response

    sample = mark()
    median, p90 = timed(mark, repeat=200)
    print(
        f"one mark (htmx): {median:.1f} ms median, {p90:.1f} ms p90; "
        f"response {len(sample.content)} B ({gzipped(sample.content)} B gz)"
    )
    print(f"login page (baseline, same run): {baseline():.1f} ms median")
    print("target: first load of the page for 30 participants under 100 KiB compressed in total")


if __name__ == "__main__":
    main()
