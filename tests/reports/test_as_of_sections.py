"""An "as of" report counts only what was recorded up to that day in every
section: the method's attendance, the checklists, the surveys, the mentoring."""

import datetime as dt

from django.utils import timezone

from reports import selectors
from sessions.services import attendance_mark
from surveys.models import Response
from surveys.services import response_save
from tests.reports.test_as_of import EVALUATION_DAY, finish_one_affiliate_track_now


def sections(context):
    """What the report prints outside Table 1, as plain numbers."""
    survey, results, _prepost = context["surveys"][0]
    return {
        "enrolled": context["enrolled"],
        "held": context["sessions_held"],
        "attendance": [(s.title, s.n_attended, s.n_eligible) for s in context["sessions"]],
        "checklists": [
            (r.funnel.template.code, r.funnel.completed, [f.done for f in r.funnel.steps])
            for r in context["checklists"]
        ],
        "survey": [(r.answered, r.total) for r in results],
        "mentoring": context["mentoring"]["contacts"],
    }


def later_answer_attendance_and_completion(demo):
    """Today: a participant who skipped the evaluation answers it, one who
    missed the training is marked present after all, one finishes her signup."""
    survey = demo.surveys.get()
    answered = Response.objects.filter(survey=survey).values_list("participant_id", flat=True)
    late = demo.enrollments.exclude(participant_id__in=answered).order_by("pk").first()
    survey.closes_at = None
    survey.save()
    first = survey.questions.order_by("position").first()
    response_save(
        survey=survey,
        participant=late.participant,
        channel="assisted",
        answers={first: [first.choices.get(value="yes")]},
    )
    training = demo.sessions.get(phase="training")
    absent = training.attendance.exclude(status__in=["present", "late"]).order_by("pk").first()
    attendance_mark(
        session=training,
        enrollment=demo.enrollments.get(participant=absent.participant),
        status="present",
        by=None,
    )
    finish_one_affiliate_track_now(demo)


def test_a_later_survey_answer_attendance_and_completion_leave_an_as_of_report_alone(demo):
    before = sections(selectors.program_report(demo, as_of=EVALUATION_DAY))
    now_before = sections(selectors.program_report(demo))

    later_answer_attendance_and_completion(demo)

    after = sections(selectors.program_report(demo, as_of=EVALUATION_DAY))
    now = sections(selectors.program_report(demo))
    assert after == before
    assert before["survey"][0] == (20, 20)
    assert now["survey"][0] == (21, 21)
    title = demo.sessions.get(phase="training").title
    assert [row[1] for row in now["attendance"] if row[0] == title] == [
        row[1] + 1 for row in before["attendance"] if row[0] == title
    ]
    assert sum(c[1] for c in now["checklists"]) == sum(c[1] for c in before["checklists"]) + 1
    assert now_before["survey"] == before["survey"]


def test_as_of_before_the_training_holds_only_the_sessions_held_by_then(demo):
    context = selectors.program_report(demo, as_of=dt.date(2023, 7, 30))

    assert [(s.date.isoformat(), s.n_attended) for s in context["sessions"]] == [
        ("2023-07-25", 0),
        ("2023-07-29", context["sessions"][1].n_attended),
    ]
    assert context["sessions_held"] == 2
    assert sections(context)["survey"][0] == (0, 0)
    assert context["as_of"] < timezone.localdate()
