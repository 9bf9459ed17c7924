import datetime as dt
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from checklists import selectors, services
from checklists.models import (
    ChecklistTemplate,
    MentoringContact,
    ProgressEvent,
    StepProgress,
    Track,
)
from tests.factories import (
    ChecklistTemplateFactory,
    EnrollmentFactory,
    MembershipFactory,
    ProgramFactory,
    TrackFactory,
    UserFactory,
)

# The session, the user, the program, the enrolment, the tracks, the templates'
# parts (cached after a first view), the progress and the page's forms' lists.
CHECKLIST_PAGE_QUERIES = 10
# The session, the user, the program, the template, its parts (cached after
# this first view), the tracks and the progress: the funnel is counted from them.
GRID_QUERIES = 7


@pytest.fixture
def track(enrollment):
    return TrackFactory(enrollment=enrollment)


def steps(track):
    return list(services.current_steps(track.template))


def reason(track, code):
    return track.template.blocker_reasons.get(code=code)


def follow(plans, program, template, by):
    """A participant of the program per plan, marking its [(state, reason code)] step by step."""
    steps, tracks = services.current_steps(template), []
    for plan in plans:
        track = TrackFactory(enrollment=EnrollmentFactory(program=program), template=template)
        tracks.append(track)
        for step, (state, code) in zip(steps, plan, strict=False):
            services.progress_mark(
                track=track,
                step=step,
                state=state,
                by=by,
                reason=reason(track, code) if code else None,
            )
    return tracks


def states(track):
    return [
        (p.step.title, p.state, p.reason.code if p.reason else None)
        for p in StepProgress.objects.filter(track=track)
        .select_related("step", "reason")
        .order_by("step__position")
    ]


def mark_url(track, step):
    e = track.enrollment
    return reverse("progress_mark", args=[e.program.slug, e.participant_id, track.pk, step.pk])


# --- services --------------------------------------------------------------


def test_marks_record_who_when_and_the_history(track, facilitator):
    first, second, third = steps(track)
    services.progress_mark(track=track, step=first, state="done", by=facilitator, base_version=0)
    services.progress_mark(
        track=track,
        step=second,
        state="blocked",
        by=facilitator,
        base_version=0,
        reason=reason(track, "documents"),
    )

    assert states(track) == [("Daftar", "done", None), ("Unggah KTP", "blocked", "documents")]
    assert ProgressEvent.objects.filter(track=track, by=facilitator).count() == 2


def test_blocked_needs_a_reason_and_other_needs_a_note(track, facilitator):
    step = steps(track)[0]

    with pytest.raises(ValidationError) as no_reason:
        services.progress_mark(track=track, step=step, state="blocked", by=facilitator)
    with pytest.raises(ValidationError) as no_note:
        services.progress_mark(
            track=track, step=step, state="blocked", by=facilitator, reason=reason(track, "other")
        )

    assert (list(no_reason.value.message_dict), list(no_note.value.message_dict)) == (
        ["reason"],
        ["note"],
    )
    assert StepProgress.objects.count() == 0


def test_reason_of_another_template_is_refused(track, facilitator):
    foreign = ChecklistTemplateFactory().blocker_reasons.first()

    with pytest.raises(ValidationError):
        services.progress_mark(
            track=track, step=steps(track)[0], state="blocked", by=facilitator, reason=foreign
        )

    assert StepProgress.objects.count() == 0


def test_a_replayed_old_request_never_reverts_a_newer_state(track, facilitator, coordinator):
    step = steps(track)[0]
    old_id = uuid.uuid4()
    services.progress_mark(
        track=track,
        step=step,
        state="blocked",
        by=facilitator,
        base_version=0,
        mark_id=old_id,
        reason=reason(track, "documents"),
    )
    services.progress_mark(track=track, step=step, state="done", by=coordinator, base_version=1)

    # The phone resends the first request after a timeout...
    repeat = services.progress_mark(
        track=track,
        step=step,
        state="blocked",
        by=facilitator,
        base_version=0,
        mark_id=old_id,
        reason=reason(track, "documents"),
    )
    # ...and another phone, offline for a while, sends a mark made on version 1.
    stale = services.progress_mark(
        track=track, step=step, state="not_applicable", by=facilitator, base_version=1
    )

    assert (repeat[1], stale[1]) == (services.REPEAT, services.CONFLICT)
    assert (stale[0].state, stale[0].version) == ("done", 2)
    assert states(track) == [("Daftar", "done", None)]
    assert ProgressEvent.objects.count() == 2


def test_completion_time_is_kept_and_follows_required_steps(enrollment, facilitator):
    template = ChecklistTemplateFactory(
        organization=enrollment.program.organization, steps=["Satu", "Dua", "Opsional"]
    )
    first, second, optional = services.current_steps(template)
    optional.required = False
    optional.save()
    track = TrackFactory(enrollment=enrollment, template=template)
    when = dt.datetime(2023, 8, 9, 10, tzinfo=dt.UTC)

    services.progress_mark(track=track, step=first, state="done", by=facilitator, at=when)
    track.refresh_from_db()
    assert track.completed_at is None
    services.progress_mark(
        track=track, step=second, state="not_applicable", by=facilitator, at=when
    )
    track.refresh_from_db()
    assert track.completed_at == when

    services.progress_mark(
        track=track,
        step=optional,
        state="blocked",
        by=facilitator,
        reason=reason(track, "no_signal"),
    )
    services.progress_mark(track=track, step=first, state="done", by=facilitator)
    track.refresh_from_db()
    assert track.completed_at == when  # kept, not moved by later marks

    services.progress_mark(
        track=track, step=first, state="blocked", by=facilitator, reason=reason(track, "no_signal")
    )
    track.refresh_from_db()
    assert track.completed_at is None


def test_editing_a_used_step_keeps_what_participants_did(track, facilitator, coordinator):
    used, unused, _third = steps(track)
    services.progress_mark(track=track, step=used, state="done", by=facilitator)

    new = services.step_update(step=used, title="Daftar (baru)", how_to="Baru")
    services.step_update(step=unused, title="Unggah KTP-el")

    used.refresh_from_db()
    assert (used.title, used.archived_at is not None) == ("Daftar", True)
    assert [(s.position, s.title) for s in steps(track)] == [
        (1, "Daftar (baru)"),
        (2, "Unggah KTP-el"),
        (3, "Tambah produk"),
    ]
    assert new.replaces == used
    assert states(track) == [("Daftar", "done", None)]
    view = selectors.participant_checklists(track.enrollment)[0]
    assert ([r.state for r in view.rows], [p.step.title for p in view.earlier]) == (
        ["not_started", "not_started", "not_started"],
        ["Daftar"],
    )


def test_removing_and_moving_steps(track, facilitator, coordinator):
    used, unused, third = steps(track)
    services.progress_mark(track=track, step=used, state="done", by=facilitator)

    services.step_remove(step=used)
    services.step_remove(step=unused)
    services.step_move(step=third, direction="up")

    assert [s.title for s in steps(track)] == ["Tambah produk"]
    assert StepProgress.objects.filter(step=used).count() == 1  # history kept


def test_copy_takes_current_steps_and_reasons(track, coordinator):
    services.step_remove(step=steps(track)[1])
    other = ProgramFactory().organization

    copy = services.template_copy(template=track.template, organization=other, by=coordinator)

    assert [s.title for s in services.current_steps(copy)] == ["Daftar", "Tambah produk"]
    assert copy.blocker_reasons.count() == 8
    assert (copy.copied_from, copy.organization) == (track.template, other)


def test_bulk_assign_is_idempotent_and_skips_withdrawn(program, facilitator):
    template = ChecklistTemplateFactory(organization=program.organization)
    EnrollmentFactory.create_batch(3, program=program)
    EnrollmentFactory(program=program, status="withdrawn")

    first = services.tracks_assign_bulk(program=program, template=template, by=facilitator)
    again = services.tracks_assign_bulk(program=program, template=template, by=facilitator)

    assert (first, again, Track.objects.count()) == (3, 0, 3)


def test_template_of_another_organization_cannot_be_assigned(enrollment, facilitator):
    foreign = ChecklistTemplateFactory()

    with pytest.raises(ValidationError):
        services.track_assign(enrollment=enrollment, template=foreign, by=facilitator)

    assert Track.objects.count() == 0


def test_resolving_a_blocker_in_mentoring_marks_the_step_done(track, facilitator):
    step = steps(track)[1]
    services.progress_mark(
        track=track, step=step, state="blocked", by=facilitator, reason=reason(track, "documents")
    )

    services.mentoring_add(
        enrollment=track.enrollment,
        by=facilitator,
        date=dt.date(2023, 8, 8),
        channel="visit",
        action="Unggah ulang KTP",
        resolved=True,
        step=step,
        mark_done=True,
    )

    assert states(track)[0][1:] == ("done", None)
    assert MentoringContact.objects.get().track == track


def test_funnel_counts_reached_done_blocked_by_reason(program, facilitator):
    template = ChecklistTemplateFactory(organization=program.organization)
    plans = [
        [("done", None), ("done", None), ("done", None)],
        [("done", None), ("blocked", "documents")],
        [("done", None), ("blocked", "documents")],
        [("done", None), ("blocked", "no_signal")],
        [("blocked", "password_otp")],
        [],
    ]
    follow(plans, program, template, facilitator)
    TrackFactory(template=template, enrollment=EnrollmentFactory())  # another program

    result = selectors.funnel(template, ProgramFactory._meta.model.objects.filter(pk=program.pk))

    assert (result.tracks, result.completed) == (6, 1)
    assert [
        (f.reached, f.done, f.blocked, [(r.code, n) for r, n in f.blocked_by_reason])
        for f in result.steps
    ] == [
        (5, 4, 1, [("password_otp", 1)]),
        (4, 1, 3, [("documents", 2), ("no_signal", 1)]),
        (1, 1, 0, []),
    ]


def test_the_grids_funnel_counts_what_the_funnel_counts(program, facilitator, coordinator):
    template = ChecklistTemplateFactory(organization=program.organization)
    first, second, third = services.current_steps(template)
    plans = [
        [("done", None), ("done", None), ("done", None)],  # completed
        [("done", None), ("blocked", "documents")],
        [("not_applicable", None), ("blocked", "no_signal")],
        [("done", None), ("not_started", None)],  # set back: not reached
        [("blocked", "password_otp")],
        [],
    ]
    tracks = follow(plans, program, template, facilitator)
    tracks[1].enrollment.status = "withdrawn"  # counted by the funnel, not a grid row
    tracks[1].enrollment.save()
    services.step_remove(step=third)  # its progress no longer counts
    TrackFactory(template=template, enrollment=EnrollmentFactory())  # another program

    grid = selectors.checklist_grid(program, template)
    expected = selectors.funnel(template, ProgramFactory._meta.model.objects.filter(pk=program.pk))

    def figures(funnel):
        return (
            funnel.tracks,
            funnel.completed,
            [
                (f.step.pk, f.reached, f.done, f.blocked, f.not_applicable)
                + tuple((r.code, n) for r, n in f.blocked_by_reason)
                for f in funnel.steps
            ],
        )

    assert figures(grid.funnel) == figures(expected)
    assert figures(grid.funnel) == (
        6,
        1,
        [
            (first.pk, 5, 3, 1, 1, ("password_otp", 1)),
            (second.pk, 3, 1, 2, 0, ("documents", 1), ("no_signal", 1)),
        ],
    )
    assert len(grid.rows) == 5


@pytest.mark.parametrize("participants", [1, 3])
def test_funnel_is_a_constant_number_of_queries(program, participants, django_assert_num_queries):
    template = ChecklistTemplateFactory(organization=program.organization)
    for enrollment in EnrollmentFactory.create_batch(participants, program=program):
        TrackFactory(enrollment=enrollment, template=template)

    with django_assert_num_queries(3):
        selectors.funnel(template, [program])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_concurrent_marks_give_one_row_and_no_error():
    track = TrackFactory()
    step = services.current_steps(track.template).first()
    users = [MembershipFactory(program=track.enrollment.program).user for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def mark(user, state):
        try:
            barrier.wait()
            outcomes.append(
                services.progress_mark(
                    track=track, step=step, state=state, by=user, base_version=0
                )[1]
            )
        except Exception as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=mark, args=a)
        for a in ((users[0], "done"), (users[1], "not_applicable"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(outcomes) == [services.APPLIED, services.CONFLICT]
    assert StepProgress.objects.count() == 1
    assert ProgressEvent.objects.count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_the_last_two_required_steps_marked_at_once_complete_the_track():
    # Each mark judged completion without the other's (uncommitted) one: before
    # the track was locked, six tracks in eight stayed open with every step done.
    user = UserFactory()
    tracks = TrackFactory.create_batch(4)
    errors = []

    def mark(track, step, barrier):
        try:
            barrier.wait()
            services.progress_mark(track=track, step=step, state="done", by=user, base_version=0)
        except Exception as exc:  # noqa: BLE001 - any error fails the test
            errors.append(exc)
        finally:
            connection.close()

    for track in tracks:
        *earlier, last_but_one, last = services.current_steps(track.template)
        for step in earlier:
            services.progress_mark(track=track, step=step, state="done", by=user)
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=mark, args=(track, step, barrier))
            for step in (last_but_one, last)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    completed = Track.objects.filter(pk__in=[t.pk for t in tracks], completed_at__isnull=False)
    assert completed.count() == 4


# --- views -----------------------------------------------------------------


def test_htmx_mark_returns_the_row(login, facilitator, track):
    step = steps(track)[1]

    response = login(facilitator).post(
        mark_url(track, step),
        {
            "state": "blocked",
            "reason": reason(track, "documents").pk,
            "version": 0,
            "mark_id": str(uuid.uuid4()),
        },
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert 'data-state="blocked"' in html
    # The row's forms post to this same step again.
    assert html.count(f'action="{mark_url(track, step)}"') == 2
    assert "Terkendala: Dokumen wajib (KTP) gagal diunggah atau ditolak" in html
    assert states(track) == [("Unggah KTP", "blocked", "documents")]


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"state": ""},
        {"state": "done\x00"},
        {"state": "x" * 100_000},
        {"state": "done", "version": "abc"},
        {"state": "done", "version": "99999999999999999999"},  # past any bigint
        {"state": "done", "version": "-1"},
        {"state": "blocked", "reason": "=1+1"},
        {"state": "done", "mark_id": "not-a-uuid"},
        {"state": "done", "note": "KTP\x00"},
        {"state": "done", "note": "x" * 501},
    ],
)
def test_a_junk_mark_is_refused_plainly_and_writes_nothing(login, facilitator, track, data):
    step = steps(track)[0]

    response = login(facilitator).post(mark_url(track, step), data, HTTP_HX_REQUEST="true")

    assert (response.status_code, response.content.decode()) == (400, "Tanda tidak valid.")
    assert (StepProgress.objects.count(), ProgressEvent.objects.count()) == (0, 0)


def test_stale_mark_over_htmx_shows_the_newer_state(login, facilitator, track):
    step = steps(track)[0]
    services.progress_mark(track=track, step=step, state="done", by=facilitator)

    response = login(facilitator).post(
        mark_url(track, step), {"state": "not_applicable", "version": 0}, HTTP_HX_REQUEST="true"
    )

    html = response.content.decode()
    assert 'data-state="done"' in html
    assert "Orang lain baru saja mengubah langkah ini" in html


@pytest.mark.parametrize("target", ["track", "step", "reason"])
def test_another_programs_or_templates_ids_are_404_and_write_nothing(
    login, facilitator, track, target
):
    foreign_track = TrackFactory()
    foreign_template = ChecklistTemplateFactory(organization=track.enrollment.program.organization)
    step = steps(track)[0]
    data = {"state": "done", "version": 0}
    url = mark_url(track, step)
    if target == "track":
        url = mark_url(foreign_track, steps(foreign_track)[0]).replace(
            foreign_track.enrollment.program.slug, track.enrollment.program.slug
        )
    elif target == "step":
        url = mark_url(track, services.current_steps(foreign_template).first())
    else:
        data = {
            "state": "blocked",
            "reason": foreign_template.blocker_reasons.first().pk,
            "version": 0,
        }

    response = login(facilitator).post(url, data)

    assert response.status_code == 404
    assert ProgressEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_one_mark_is_at_most_seven_queries(client, assert_max_data_queries):
    track = TrackFactory()
    first, second, _third = services.current_steps(track.template)
    client.force_login(MembershipFactory(program=track.enrollment.program).user)
    documents = track.template.blocker_reasons.first().pk
    # Steady state: an earlier mark has cached the template's reason list.
    client.post(mark_url(track, first), {"state": "done", "version": 0}, HTTP_HX_REQUEST="true")

    # Session, user, lookup, the track's lock, the progress, its event, completion.
    with assert_max_data_queries(7):
        blocked = client.post(
            mark_url(track, second),
            {"state": "blocked", "reason": documents, "version": 0, "mark_id": str(uuid.uuid4())},
            HTTP_HX_REQUEST="true",
        )
    with assert_max_data_queries(7):
        done = client.post(
            mark_url(track, second),
            {"state": "done", "version": 1, "mark_id": str(uuid.uuid4())},
            HTTP_HX_REQUEST="true",
        )

    assert (blocked.status_code, done.status_code) == (200, 200)
    assert states(track) == [("Daftar", "done", None), ("Unggah KTP", "done", None)]


def test_grid_filters_stuck_at_step_and_reason(login, facilitator, program):
    template = ChecklistTemplateFactory(organization=program.organization)
    first, second, _third = services.current_steps(template)
    people = {}
    for name, plan in [
        ("Ani", [("done", None), ("blocked", "documents")]),
        ("Budi", [("done", None), ("blocked", "no_signal")]),
        ("Cici", [("blocked", "documents")]),
        ("Dewi", []),
    ]:
        track = TrackFactory(
            enrollment=EnrollmentFactory(program=program, participant__full_name=name),
            template=template,
        )
        people[name] = track
        for step, (state, code) in zip((first, second), plan, strict=False):
            services.progress_mark(
                track=track,
                step=step,
                state=state,
                by=facilitator,
                reason=reason(track, code) if code else None,
            )
    client = login(facilitator)
    url = reverse("checklist_grid", args=[program.slug, template.pk])
    documents = template.blocker_reasons.get(code="documents").pk

    def names(query):
        return [r.full_name for r in client.get(url, query).context["rows"]]

    assert names({"stuck_at": 2}) == ["Ani", "Budi"]
    assert names({"stuck_at": 1}) == ["Cici", "Dewi"]
    assert names({"reason": documents}) == ["Ani", "Cici"]
    assert names({"stuck_at": 2, "reason": documents}) == ["Ani"]
    assert names({"stuck_at": "x"}) == ["Ani", "Budi", "Cici", "Dewi"]


def test_shared_templates_are_edited_by_admins_only(login, coordinator, admin_user):
    shared = ChecklistTemplateFactory(organization=None)
    url = reverse("template_edit", args=[shared.pk])

    assert login(coordinator).get(url).status_code == 403
    assert login(admin_user).get(url).status_code == 200


def test_coordinator_builds_a_template_with_default_reasons(login, coordinator, program):
    response = login(coordinator).post(
        reverse("template_create"),
        {"organization": program.organization_id, "name": "Daftar Shopee Affiliate"},
    )

    template = program.organization.checklist_templates.get()
    assert response.url == template.get_absolute_url()
    assert template.blocker_reasons.count() == 8


def test_template_page_shows_the_funnel_across_the_users_programs(login, facilitator, track):
    services.progress_mark(track=track, step=steps(track)[0], state="done", by=facilitator)
    TrackFactory(template=track.template)  # a program the facilitator does not belong to

    response = login(facilitator).get(track.template.get_absolute_url())

    result = response.context["funnel"]
    assert (result.tracks, [f.done for f in result.steps]) == (1, [1, 0, 0])


# --- a participant's page: prerequisites first, finished steps folded ------


def checklist_page(enrollment):
    return reverse(
        "participant_checklists", args=[enrollment.program.slug, enrollment.participant_id]
    )


def test_prerequisites_come_first_by_the_templates_order(login, facilitator, enrollment):
    creator = ChecklistTemplateFactory(
        organization=enrollment.program.organization, name="Daftar sebagai Kreator", position=20
    )
    prerequisites = ChecklistTemplateFactory(
        organization=enrollment.program.organization, name="Persyaratan", position=10
    )
    TrackFactory(enrollment=enrollment, template=creator)
    TrackFactory(enrollment=enrollment, template=prerequisites)

    response = login(facilitator).get(checklist_page(enrollment))

    assert [v.track.template.name for v in response.context["tracks"]] == [
        "Persyaratan",
        "Daftar sebagai Kreator",
    ]


def test_finished_steps_fold_away_and_a_link_jumps_to_the_first_open_one(login, facilitator, track):
    first, second, _third = steps(track)
    services.progress_mark(track=track, step=first, state="done", by=facilitator)

    html = login(facilitator).get(checklist_page(track.enrollment)).content.decode()

    folded = html[html.index('<details class="steps-finished">') :]
    folded = folded[: folded.index("</details>\n")]
    assert "1 langkah selesai" in folded and f'id="step-{track.pk}-{first.pk}"' in folded
    assert f'id="step-{track.pk}-{second.pk}"' not in folded
    assert f'href="#step-{track.pk}-{second.pk}">Langkah berikutnya:' in html


def test_shipped_templates_are_ordered_prerequisites_first(db):
    call_command("loaddata", "checklist_templates", verbosity=0)

    assert list(ChecklistTemplate.objects.values_list("code", flat=True)) == [
        "tiktok-persyaratan",
        "tiktok-kreator",
        "tiktok-seller",
    ]


@pytest.mark.parametrize("participants", [1, 3])
def test_participant_checklist_page_is_a_fixed_number_of_queries(
    login, facilitator, program, participants, django_assert_num_queries
):
    template = ChecklistTemplateFactory(organization=program.organization)
    enrollments = EnrollmentFactory.create_batch(participants, program=program)
    for enrollment in enrollments:
        TrackFactory(enrollment=enrollment, template=template)
    client = login(facilitator)

    with django_assert_num_queries(CHECKLIST_PAGE_QUERIES):
        client.get(checklist_page(enrollments[0]))
    with django_assert_num_queries(CHECKLIST_PAGE_QUERIES - 1):
        client.get(checklist_page(enrollments[-1]))


# --- mentoring opened from a blocked step ----------------------------------


def test_follow_up_link_preselects_the_blocked_step(login, facilitator, track):
    step = steps(track)[1]
    services.progress_mark(
        track=track, step=step, state="blocked", by=facilitator, reason=reason(track, "documents")
    )
    client = login(facilitator)

    page = client.get(checklist_page(track.enrollment)).content.decode()
    opened = client.get(checklist_page(track.enrollment), {"step": step.pk})

    assert f'href="?step={step.pk}#mentoring"' in page
    assert opened.context["mentoring_form"]["step"].value() == step.pk
    assert f'<option value="{step.pk}" selected>' in opened.content.decode()


@pytest.mark.parametrize("junk", ["x", "-1", "99999999999999999999999", "1.5", ""])
def test_junk_step_gives_the_form_without_preselection(login, facilitator, track, junk):
    response = login(facilitator).get(checklist_page(track.enrollment), {"step": junk})

    assert response.status_code == 200
    assert response.context["mentoring_form"]["step"].value() is None


def test_a_step_of_another_participants_checklist_is_not_preselected(login, facilitator, track):
    other = TrackFactory(enrollment=EnrollmentFactory(program=track.enrollment.program))

    response = login(facilitator).get(
        checklist_page(track.enrollment), {"step": steps(other)[0].pk}
    )

    assert response.context["mentoring_form"]["step"].value() is None


def test_mentoring_has_one_outcome_control(login, facilitator, track):
    step = steps(track)[0]
    services.progress_mark(
        track=track, step=step, state="blocked", by=facilitator, reason=reason(track, "documents")
    )
    client = login(facilitator)
    url = reverse(
        "mentoring_add", args=[track.enrollment.program.slug, track.enrollment.participant_id]
    )

    form = client.get(checklist_page(track.enrollment)).context["mentoring_form"]
    client.post(
        url,
        {
            "date": "2023-08-08",
            "channel": "visit",
            "step": step.pk,
            "action": "Unggah ulang KTP",
            "outcome": "resolved_done",
        },
    )
    refused = client.post(
        url,
        {"date": "2023-08-08", "channel": "visit", "action": "x", "outcome": "resolved_done"},
    )

    assert [n for n in form.fields if n in ("resolved", "mark_done", "outcome")] == ["outcome"]
    assert MentoringContact.objects.get().resolved is True
    assert states(track)[0][1:] == ("done", None)
    assert refused.context["mentoring_form"].errors == {
        "outcome": ["Untuk menandai langkah selesai, pilih langkahnya."]
    }


# --- the grid on a phone ---------------------------------------------------


def test_grid_has_a_card_per_participant_with_every_step_a_short_link(login, facilitator, track):
    first, second, third = steps(track)
    services.progress_mark(track=track, step=first, state="done", by=facilitator)
    services.progress_mark(
        track=track, step=second, state="blocked", reason=reason(track, "documents"), by=facilitator
    )
    enrollment, t = track.enrollment, track.pk
    enrollment.participant.full_name = "Ani"
    enrollment.participant.save()

    html = (
        login(facilitator)
        .get(reverse("checklist_grid", args=[enrollment.program.slug, track.template.pk]))
        .content.decode()
    )

    # Her page's address once, in her name; each chip's link, relative, by
    # track and step; not started is a chip with no state class. One markup
    # for every screen: no table copy of the steps.
    blocked = "2. Unggah KTP: Terkendala: Dokumen wajib (KTP) gagal diunggah atau ditolak"
    card = html[html.index('<li class="grid-card">') : html.index('<p class="app-meta">✓')]
    assert card == (
        f'<li class="grid-card">\n<a class="grid-card-name" href="{checklist_page(enrollment)}">'
        "Ani</a>\n"
        '<p class="app-meta grid-progress"><progress max="3" value="1"></progress> 1 / 3</p>\n'
        '<ol class="grid-chips list-unstyled">'
        f'<li><a class="grid-chip cell-done" href="{t}/{first.pk}/" '
        'aria-label="1. Daftar: Selesai">1</a></li>'
        f'<li><a class="grid-chip cell-blocked" href="{t}/{second.pk}/" '
        f'aria-label="{blocked}">2</a></li>'
        f'<li><a class="grid-chip" href="{t}/{third.pk}/" '
        'aria-label="3. Tambah produk: belum dimulai">3</a></li></ol>\n</li>\n\n</ul>\n'
    )
    assert html.count(f'href="{t}/') == 3  # no second copy of her steps
    assert "Kemajuan per langkah" in html and "Corong" not in html


def test_a_grid_chips_link_leads_to_the_participants_step(login, facilitator, track):
    """Where a chip's short link goes without the page's script; the grid has no
    other short link (the participant's own is her page's address)."""
    enrollment, second = track.enrollment, steps(track)[1]
    grid = reverse("checklist_grid", args=[enrollment.program.slug, track.template.pk])
    client = login(facilitator)

    chip = client.get(f"{grid}{track.pk}/{second.pk}/")
    track_only = client.get(f"{grid}{track.pk}/")

    page = checklist_page(enrollment)
    assert (chip.status_code, chip.url) == (302, f"{page}#step-{track.pk}-{second.pk}")
    assert track_only.status_code == 404
    assert f'id="step-{track.pk}-{second.pk}"' in client.get(page).content.decode()


def test_a_grid_link_to_another_programs_track_or_another_templates_step_is_404(
    login, facilitator, track
):
    program, template = track.enrollment.program, track.template
    elsewhere = TrackFactory(template=template)  # the same checklist, another program
    other_template = TrackFactory(
        enrollment=EnrollmentFactory(program=program),
        template=ChecklistTemplateFactory(organization=program.organization),
    )
    foreign_step = steps(other_template)[0]
    client = login(facilitator)

    def status(track_id, step_id):
        args = [program.slug, template.pk, track_id, step_id]
        return client.get(reverse("grid_chip", args=args)).status_code

    assert [
        status(elsewhere.pk, steps(elsewhere)[0].pk),
        status(other_template.pk, steps(other_template)[0].pk),
        status(track.pk, foreign_step.pk),
        status(track.pk, steps(track)[0].pk),
    ] == [404, 404, 404, 302]


@pytest.mark.parametrize("participants", [1, 3])
def test_grid_is_a_fixed_number_of_queries(
    login, facilitator, program, participants, django_assert_num_queries
):
    template = ChecklistTemplateFactory(organization=program.organization)
    for enrollment in EnrollmentFactory.create_batch(participants, program=program):
        TrackFactory(enrollment=enrollment, template=template)
    client = login(facilitator)

    with django_assert_num_queries(GRID_QUERIES):
        response = client.get(reverse("checklist_grid", args=[program.slug, template.pk]))

    assert len(response.context["rows"]) == participants


def test_a_marks_lookup_gives_every_kind_of_user_the_role_rules_answer(db, rf):
    """The lookup is compiled once per shape (pkk_training.prepared); each kind
    of user, admins and others in turn, must still get her own role."""
    from django.http import Http404

    from checklists.access import get_track_step_for_user
    from programs.permissions import program_role
    from tests.programs.test_permissions import kinds_of_user

    track = TrackFactory()
    step, blocker = steps(track)[0], reason(track, "other")
    enrollment = track.enrollment
    kinds = kinds_of_user(enrollment.program)

    def role(user, reason_id):
        request = rf.post("/")
        request.user = user
        try:
            found, *_ = get_track_step_for_user(
                request,
                enrollment.program.slug,
                enrollment.participant_id,
                track.pk,
                step.pk,
                reason_id,
            )
        except Http404:
            return None
        return program_role(user, found.enrollment.program)

    expected = {kind: role for kind, (_, role) in kinds.items()}
    assert {kind: role(user, None) for kind, (user, _) in kinds.items()} == expected
    assert {kind: role(user, blocker.pk) for kind, (user, _) in kinds.items()} == expected
