"""Every GET parameter of every page, found by watching the views read them,
then fed junk: a NUL, huge and negative numbers, 10,000 characters."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import QueryDict
from django.urls import get_resolver, reverse

from demo.services import ORGANIZATION_SLUG, PROGRAM_SLUG, demo_load
from jobs.models import Job
from participants.models import ParticipantImport, PendingImport
from programs.models import Program

# The GET parameters each page reads. A view that starts reading another one
# fails test_every_page_reads_only_its_listed_parameters until it is listed
# here (and so fed junk below).
PARAMETERS = {
    "program_detail": {"q", "page"},
    "participant_list": {"q", "page"},
    "attendance_history": {"page"},
    "program_attendance": {"page"},
    "organization_audit": {"page"},
    "checklist_grid": {"stuck_at", "reason"},
    "participant_checklists": {"step"},
    "program_report": {"annex", "as_of"},
    "program_report_pdf": {"annex", "as_of"},
    "program_report_docx": {"as_of"},
    "organization_rollup": {"year", "regency", "district", "template", "sort"},
    "organization_rollup_pdf": {"year", "regency", "district", "template", "sort"},
    "organization_rollup_xlsx": {"year", "regency", "district", "template", "sort"},
    "region_fields": {"province_code", "regency_code", "district_code", "village_code", "pick"},
    "region_search": {"region_q"},
    "login": {"next"},  # Django's LoginView
}

# A signed-in user asking for the login page is sent on (to a safe `next` only).
STATUS = {"login": 302}

JUNK = ["\x00", "99999999999", "99999999999999999999999", "-1", "10000", "x" * 10_000]

IGNORED = "“%s” di alamat diabaikan: %s"

read = []


class RecordingQueryDict(QueryDict):
    def get(self, key, default=None):
        read.append(key)
        return super().get(key, default)

    def __getitem__(self, key):
        read.append(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        read.append(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        read.append(key)
        return super().__contains__(key)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo, built once for the module inside a transaction rolled back at its end."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        built = build_world()
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(db, client, demo_world):
    client.force_login(demo_world["admin"])
    return demo_world


def build_world():
    demo_load()
    program = Program.objects.get(slug=PROGRAM_SLUG)
    admin = get_user_model().objects.get(username="admin")
    session = program.sessions.get(phase="training")
    survey = program.surveys.get()
    enrollment = program.enrollments.select_related("participant").order_by("pk").first()
    track = enrollment.tracks.select_related("template").first()
    template = track.template
    step = template.steps.order_by("position").first()
    pending = PendingImport.objects.create(
        program=program,
        uploaded_by=admin,
        file_name="x.csv",
        content=b"Nama\r\n",
        consent_method="paper",
    )
    record = ParticipantImport.objects.create(
        program=program, file_name="lama.csv", consent_method="paper"
    )
    # Made directly, not through job_start: enqueuing would run the job.
    job = Job.objects.create(
        organization=program.organization, kind="rollup_pdfs", title="Rekap", created_by=admin
    )
    return {
        "admin": admin,
        "job_id": job.pk,
        "program_slug": program.slug,
        "organization_slug": ORGANIZATION_SLUG,
        "session_id": session.pk,
        "participant_id": enrollment.participant_id,
        "membership_id": program.memberships.order_by("pk").first().pk,
        "survey_id": survey.pk,
        "question_id": survey.questions.order_by("position").first().pk,
        "template_id": template.pk,
        "step_id": step.pk,
        "reason_id": template.blocker_reasons.order_by("pk").first().pk,
        "indicator_id": program.indicators.order_by("pk").first().pk,
        "track_id": track.pk,
        "pending_id": pending.pk,
        "import_id": record.pk,
        "held_id": 1,  # a held answer that does not exist: a 404
        "token": survey.public_token,
        "uidb64": "MQ",
        "number": 1,  # an issued report version that does not exist: a 404
        "photo_id": 1,  # no such photo: a 404
        "signatory_id": 1,  # a password-reset link that is not valid: its page says so
        "file_format": "csv",
        "user_id": admin.pk,
        "certificate_id": 1,  # no such certificate: a 404
        "code": "ABCDEFGHJK23",  # no such verification code: its page says so
    }


def our_url_names():
    return sorted(name for name in get_resolver().reverse_dict if isinstance(name, str))


def url_for(name, world):
    params = get_resolver().reverse_dict.getlist(name)[0][0][0][1]
    return reverse(name, kwargs={p: world[p] for p in params})


@pytest.fixture
def recording(monkeypatch):
    def recording_get(request):
        return RecordingQueryDict(
            request.environ.get("QUERY_STRING", ""), encoding=request.encoding
        )

    monkeypatch.setattr(WSGIRequest, "GET", property(recording_get))
    read.clear()
    return read


def test_every_page_reads_only_its_listed_parameters(client, world, recording):
    found = {}
    statuses = {}
    for name in our_url_names():
        recording.clear()
        response = client.get(url_for(name, world))
        statuses[name] = response.status_code
        # A template's {{ request.GET.urlencode }} tries GET["urlencode"] first.
        parameters = {key for key in recording if not hasattr(QueryDict, key)}
        if parameters:
            found[name] = parameters

    assert found == PARAMETERS
    assert {name: s for name, s in statuses.items() if s >= 500} == {}


@pytest.mark.parametrize(
    ("name", "parameter"),
    sorted(
        (name, parameter) for name, parameters in PARAMETERS.items() for parameter in parameters
    ),
)
def test_junk_in_every_parameter_is_no_server_error(client, world, name, parameter):
    url = url_for(name, world)
    for junk in JUNK:
        response = client.get(url, {parameter: junk})

        assert (junk[:12], response.status_code) == (junk[:12], STATUS.get(name, 200))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            {"year": "-1"},
            IGNORED % ("year", "Pastikan nilai ini lebih besar dari atau sama dengan 1900."),
        ),
        (
            {"year": "99999999999"},
            IGNORED % ("year", "Pastikan nilai ini lebih kecil dari atau sama dengan 2999."),
        ),
        (
            {"regency": "\x00"},
            IGNORED
            % (
                "regency",
                "Karakter null tidak diizinkan. Kabupaten dipilih dengan kodenya, mis. 18.08.",
            ),
        ),
        (
            {"sort": "x" * 30},
            IGNORED % ("sort", "Urutkan menurut nama, terdaftar, kehadiran, atau indikator."),
        ),
    ],
)
def test_rollup_says_which_filter_it_ignored(client, world, query, message):
    response = client.get(reverse("organization_rollup", args=[ORGANIZATION_SLUG]), query)

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [message]
    assert len(response.context["table"].rows) == 1


def test_participant_search_with_a_nul_says_so(client, world):
    response = client.get(reverse("participant_list", args=[PROGRAM_SLUG]), {"q": "Siti\x00"})

    assert response.status_code == 200
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "“q” di alamat diabaikan: Karakter null tidak diizinkan."
    ]
    assert response.context["participants"].paginator.count == 30
