"""Why the people counted by an indicator did not succeed: Table 1's "leading reason"."""

from checklists.enums import StepState
from checklists.models import ProgressEvent
from reports.enums import ReasonSource
from reports.indicators.history import latest
from reports.indicators.links import template_ids


def reason_templates(indicator):
    if indicator.step_id:
        return {indicator.step.template_id}
    return set(template_ids(indicator))


def _most_first(people):
    """[(label, people)] from {label: participant ids}, most first; the dict's
    order (the database's order of the labels) breaks ties."""
    return sorted(((label, len(ids)) for label, ids in people.items()), key=lambda r: -r[1])


class Failed:
    """One indicator's people counted but not successful, and why."""

    def __init__(self, result, program_id, participant_ids):
        self.result = result
        self.indicator = result.indicator
        self.program_id = program_id
        self.participant_ids = participant_ids


def failure_reasons(failed, facts, before=None):
    """Sets each result's reasons: [(reason label, people)] among those counted
    but not successful, most first. The answers and the checklists' current
    reasons come with the facts; as of a day, one query reads the checklists'."""
    checklist = [f for f in failed if f.indicator.reason_source == ReasonSource.CHECKLIST]
    if checklist:
        _checklist_reasons(checklist, facts, before)
    for f in failed:
        if f.indicator.reason_source == ReasonSource.SURVEY_QUESTION:
            f.result.reasons = _answered_reasons(f, facts.picks)


def _everyone(failed):
    return {
        "programs": {f.program_id for f in failed},
        "participants": set().union(*(f.participant_ids for f in failed)),
    }


def _checklist_reasons(failed, facts, before):
    """From the facts: their `blocked` [(program, template, participant, reason
    label)] in label order, or as of a day their history when they have one."""
    templates = {f: reason_templates(f.indicator) for f in failed}
    everyone = _everyone(failed)
    where = {
        "track__template_id__in": set().union(*templates.values()),
        "track__enrollment__program_id__in": everyone["programs"],
        "track__enrollment__participant_id__in": everyone["participants"],
    }
    if before is None:
        rows = facts.blocked
    else:
        # Each step's last change before `before`: blocked then, with a reason.
        last = latest(
            ((program, template, person, step), (state, label))
            for program, template, person, step, state, label in _progress_events(
                facts.history, where, before
            )
        )
        rows = sorted(
            (
                (*key[:3], label)
                for key, (state, label) in last.items()
                if state == StepState.BLOCKED and label
            ),
            key=lambda row: row[3],
        )
    for f in failed:
        people = {}
        for program, template, person, label in rows:
            if program == f.program_id and template in templates[f] and person in f.participant_ids:
                people.setdefault(label, set()).add(person)
        f.result.reasons = _most_first(people)


def _progress_events(history, where, before):
    """[(program, template, participant, step, state, reason label)] before
    `before`, oldest first: from the program's history when there is one."""
    if history is not None:
        program = history.program.pk
        templates = where["track__template_id__in"]
        people = where["track__enrollment__participant_id__in"]
        return (
            (program, template, person, step, state, label)
            for _track, template, person, step, state, _reason, label in history.progress
            if template in templates and person in people
        )
    return (
        ProgressEvent.objects.filter(at__lt=before, **where)
        .order_by("at", "pk")
        .values_list(
            "track__enrollment__program_id",
            "track__template_id",
            "track__enrollment__participant_id",
            "step_id",
            "state",
            "reason__label",
        )
    )


def _answered_reasons(failed, picks):
    """From the picks [(question, choice, participant, label)] in label order."""
    people = {}
    question = failed.indicator.reason_question_id
    for question_id, _choice, person, label in picks:
        if question_id == question and question is not None and person in failed.participant_ids:
            people.setdefault(label, set()).add(person)
    return _most_first(people)
