"""Survey results: server time of the results page at 20 and 2,000 responses.

Run: `make bench` or `.venv/bin/python bench/surveys.py`. Prints figures only.
"""

from decimal import Decimal

from _django import baseline, setup, timed

setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from surveys.services import response_save  # noqa: E402
from tests.factories import EnrollmentFactory, MembershipFactory, SurveyFactory  # noqa: E402

QUESTIONS = [
    {"kind": "yes_no", "text": "Sudah menginstal TikTok?"},
    {"kind": "single", "text": "Jalur?", "options": "Kreator\nSeller\nBelum"},
    {"kind": "multiple", "text": "Dokumen?", "options": "KTP\nKK\nNPWP"},
    {"kind": "scale", "text": "Manfaat?"},
    {"kind": "number", "text": "Jumlah video?"},
    {"kind": "long_text", "text": "Saran?", "required": False},
]


def build(responses):
    survey = SurveyFactory(questions=QUESTIONS)
    program = survey.program
    user = MembershipFactory(program=program, role="coordinator").user
    q = list(survey.questions.prefetch_related("choices").order_by("position"))
    choices = [list(question.choices.all()) for question in q]
    for i, enrollment in enumerate(EnrollmentFactory.create_batch(responses, program=program)):
        response_save(
            survey=survey,
            participant=enrollment.participant,
            channel="assisted",
            answers={
                q[0]: [choices[0][i % 2]],
                q[1]: [choices[1][i % 3]],
                q[2]: choices[2][: 1 + i % 3],
                q[3]: [choices[3][i % 5]],
                q[4]: Decimal(i % 7),
                q[5]: f"Saran nomor {i}" if i % 4 == 0 else "",
            },
        )
    client = Client()
    client.force_login(user)
    return client, reverse("survey_results", args=[program.slug, survey.pk])


def main():
    print(f"{'responses':>10} {'results page ms (median/p90)':>30} {'queries':>8}")
    for responses in (20, 2000):
        client, url = build(responses)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        n_queries = len(queries)
        median, p90 = timed(lambda client=client, url=url: client.get(url), repeat=10)
        print(f"{responses:>10} {median:>16.1f} / {p90:<11.1f} {n_queries:>8}")
    print(f"login page (baseline, same run): {baseline():.1f} ms median")


if __name__ == "__main__":
    main()
