"""Run by run.py in the load test's environment: `world.py prepare PASSWORD OUT`
builds the demo and the load accounts and writes what locust needs to OUT;
`world.py check ACKS` prints how many acknowledged marks are missing or doubled."""

import json
import sys
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def prepare(password, out):
    from django.contrib.auth import get_user_model

    from checklists.models import ChecklistStep, StepProgress, Track
    from demo.services import PROGRAM_SLUG, demo_load
    from participants.models import Enrollment
    from programs.models import Membership, OrganizationMembership, Program
    from surveys.models import Survey

    demo_load()
    program = Program.objects.get(slug=PROGRAM_SLUG)
    users = get_user_model().objects
    signed_in = []
    for n in range(8):
        user, _ = users.get_or_create(username=f"load-fasilitator-{n}")
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(
            program=program, user=user, defaults={"role": "facilitator"}
        )
        signed_in.append(_session_for(user))
    for n in range(4):
        user, _ = users.get_or_create(username=f"load-koordinator-{n}")
        user.set_password(password)
        user.save()
        OrganizationMembership.objects.get_or_create(organization=program.organization, user=user)
    versions = {
        (track, step): version
        for track, step, version in StepProgress.objects.values_list("track", "step", "version")
    }
    enrollments = Enrollment.objects.active().filter(program=program).select_related("participant")
    world = {
        "program": program.slug,
        "organization": program.organization.slug,
        "rolls": {
            session.pk: [
                str(e.participant_id) for e in enrollments if e.enrolled_on <= session.date
            ]
            for session in program.sessions.all()
        },
        "survey": Survey.objects.filter(program=program).first().public_token,
        "phones": [e.participant.phone for e in enrollments if e.participant.phone],
        # Sessions signed in already, for the marks-only run: it measures marks,
        # not the password hashing of sixteen logins at its start.
        "sessions": signed_in,
        # Every (participant, track, step, its progress's version) a facilitator
        # can tap in the checklists.
        "steps": [
            [
                str(track.enrollment.participant_id),
                track.pk,
                step.pk,
                versions.get((track.pk, step.pk), 0),
            ]
            for track in Track.objects.filter(enrollment__in=enrollments)
            .select_related("enrollment")
            .order_by("pk")
            for step in ChecklistStep.objects.filter(
                template_id=track.template_id, archived_at__isnull=True
            ).order_by("position")
        ],
    }
    Path(out).write_text(json.dumps(world))


def _session_for(user):
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "pkk_training.auth_backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


def check(acks_file):
    """Each acknowledged mark id (attendance marks as "a <id>", step marks as
    "s <id>") must be in its table's change history exactly once."""
    from checklists.models import ProgressEvent
    from sessions.models import AttendanceEvent

    acks = {"a": [], "s": []}
    for line in Path(acks_file).read_text().splitlines():
        kind, _space, mark_id = line.partition(" ")
        acks[kind].append(uuid.UUID(mark_id))
    result = {}
    for kind, model in (("a", AttendanceEvent), ("s", ProgressEvent)):
        found = {}
        for start in range(0, len(acks[kind]), 1000):
            batch = model.objects.filter(mark_id__in=acks[kind][start : start + 1000])
            for mark_id in batch.values_list("mark_id", flat=True):
                found[mark_id] = found.get(mark_id, 0) + 1
        result[kind] = {
            "acknowledged": len(acks[kind]),
            "missing": sum(1 for mark_id in acks[kind] if mark_id not in found),
            "twice": sum(1 for n in found.values() if n > 1),
        }
    print(json.dumps({"attendance": result["a"], "steps": result["s"]}))


if __name__ == "__main__":
    import django

    django.setup()
    {"prepare": prepare, "check": check}[sys.argv[1]](*sys.argv[2:])
