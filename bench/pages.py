"""Every list and grid page at 30 and 500 participants: queries and server time.

Run: `make bench` or `.venv/bin/python bench/pages.py`. Prints figures only.
The tests hold each page's exact query count at 1 and 3 participants
(tests/*/test_query_counts.py); this shows the same pages at sizes a real
program reaches, beside the login page timed in the same run.
"""

import time

from _django import baseline, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from tests.factories import OrganizationMembershipFactory, program_of_size  # noqa: E402

SIZES = (30, 500)


def pages(sized):
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
        ("session page (roll call)", p.facilitator, session.get_absolute_url(), {}, {}),
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


def measure(sized, repeat):
    figures = {}
    for name, user, url, data, headers in pages(sized):
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, data, **headers)
        assert response.status_code == 200, (name, response.status_code)
        n_queries = len(queries)

        def get(client=client, url=url, data=data, headers=headers):
            client.get(url, data, **headers)

        median, _p90 = timed(get, repeat=repeat)
        figures[name] = (n_queries, median)
    return figures


def main():
    results, login = {}, {}
    for size in SIZES:
        start = time.perf_counter()
        sized = program_of_size(size)
        print(f"built a program of {size} participants in {time.perf_counter() - start:.0f} s")
        results[size] = measure(sized, repeat=5)
        login[size] = baseline()  # right after the pages, on the same load
    small, large = SIZES
    print(
        f"{'page':<28} {'queries ' + str(small):>11} {'queries ' + str(large):>12} "
        f"{'ms ' + str(small):>8} {'ms ' + str(large):>8} {'x login ' + str(large):>11}"
    )
    print(
        f"{'login page (baseline)':<28} {'':>11} {'':>12} {login[small]:>8.1f} {login[large]:>8.1f}"
    )
    for name in results[small]:
        (q_small, ms_small), (q_large, ms_large) = results[small][name], results[large][name]
        grows = "  <- grows" if q_large != q_small else ""
        print(
            f"{name:<28} {q_small:>11} {q_large:>12} {ms_small:>8.1f} {ms_large:>8.1f} "
            f"{ms_large / login[large]:>11.1f}{grows}"
        )


if __name__ == "__main__":
    main()
