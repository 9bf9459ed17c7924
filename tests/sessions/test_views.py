import datetime as dt

from django.urls import reverse
from django.utils import timezone

from programs.models import Membership, Program
from sessions.models import TrainingSession
from tests.factories import (
    EnrollmentFactory,
    MembershipFactory,
    OrganizationMembershipFactory,
    ProgramFactory,
    TrainingSessionFactory,
    UserFactory,
)


def test_home_lists_only_the_users_programs(login, facilitator, program):
    ProgramFactory(name="Program orang lain")
    EnrollmentFactory.create_batch(2, program=program)

    response = login(facilitator).get(reverse("home"))

    assert [p.name for p in response.context["programs"]] == [program.name]
    assert response.context["programs"][0].participant_count == 2


def test_home_lists_todays_sessions_of_the_users_programs_first(login, facilitator, program):
    today = timezone.localdate()
    TrainingSessionFactory(program=program, date=today, title="Praktik hari ini")
    TrainingSessionFactory(program=program, date=today - dt.timedelta(days=1), title="Kemarin")
    TrainingSessionFactory(date=today, title="Program orang lain")

    response = login(facilitator).get(reverse("home"))

    html = response.content.decode()
    assert [s.title for s in response.context["today"]] == ["Praktik hari ini"]
    assert html.index("Hari ini") < html.index(program.name)


def test_organization_coordinator_sees_every_program_of_the_organization(login, program):
    sibling = ProgramFactory(
        organization=program.organization, start_date=dt.date(2024, 1, 1), end_date=None
    )
    ProgramFactory()  # another organization
    coordinator = OrganizationMembershipFactory(organization=program.organization).user

    response = login(coordinator).get(reverse("home"))

    assert [p.slug for p in response.context["programs"]] == [sibling.slug, program.slug]
    rollup = reverse("organization_rollup", args=[program.organization.slug])
    assert list(response.context["coordinated"]) == [program.organization]
    assert f'href="{rollup}"' in response.content.decode()


def test_a_facilitator_gets_no_rollup_link_on_the_home_page(login, facilitator, program):
    response = login(facilitator).get(reverse("home"))

    assert list(response.context["coordinated"]) == []
    assert "/rollup/" not in response.content.decode()


def test_program_page_lists_one_page_of_participants_and_the_rest_on_the_next(
    login, facilitator, program, monkeypatch
):
    monkeypatch.setattr("participants.selectors.PAGE_SIZE", 2)
    for name in ("Cici", "Ani", "Budi"):
        EnrollmentFactory(program=program, participant__full_name=name)
    client = login(facilitator)
    url = reverse("program_detail", args=[program.slug])

    first = client.get(url).context["participants"]
    second = client.get(url, {"page": "2"}).context["participants"]
    junk = client.get(url, {"page": "x'--"}).context["participants"]

    assert (first.paginator.count, [e.participant.full_name for e in first]) == (3, ["Ani", "Budi"])
    assert [e.participant.full_name for e in second] == ["Cici"]
    assert [e.participant.full_name for e in junk] == ["Ani", "Budi"]


def test_program_page_groups_sessions_by_phase_in_method_order(login, facilitator, program):
    TrainingSessionFactory(program=program, phase="evaluation", title="Evaluasi")
    TrainingSessionFactory(program=program, phase="survey", title="Survei")
    TrainingSessionFactory(
        program=program, phase="training", title="Latihan B", date=dt.date(2023, 8, 6)
    )
    TrainingSessionFactory(
        program=program, phase="training", title="Latihan A", date=dt.date(2023, 8, 5)
    )

    response = login(facilitator).get(reverse("program_detail", args=[program.slug]))

    grouped = [
        (str(phase), [s.title for s in sessions]) for phase, sessions in response.context["phases"]
    ]
    assert grouped == [
        ("Survei", ["Survei"]),
        ("Pelatihan", ["Latihan A", "Latihan B"]),
        ("Evaluasi", ["Evaluasi"]),
    ]


def test_program_dates_out_of_order_are_refused_with_a_message(login, coordinator, program):
    response = login(coordinator).post(
        reverse("program_edit", args=[program.slug]),
        {
            "name": "X",
            "slug": program.slug,
            "province_code": "18",
            "regency_code": "18.08",
            "district_code": "18.08.02",
            "village_code": "18.08.02.2013",
            "start_date": "2023-08-10",
            "end_date": "2023-08-01",
            "status": "running",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Tanggal selesai tidak boleh sebelum tanggal mulai."]
    }
    program.refresh_from_db()
    assert program.name != "X"


def test_program_create_takes_an_organization_the_user_coordinates(login, program):
    user = OrganizationMembershipFactory(organization=program.organization).user
    other = ProgramFactory().organization

    response = login(user).post(
        reverse("program_create"),
        {
            "organization": other.pk,
            "name": "Nyusup",
            "slug": "nyusup",
            "province_code": "18",
            "regency_code": "18.08",
            "district_code": "18.08.02",
            "village_code": "18.08.02.2013",
            "start_date": "2024-01-01",
            "status": "planned",
        },
    )

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Program.objects.filter(slug="nyusup").exists()


def test_session_of_another_program_is_404_under_this_programs_address(login, coordinator, program):
    foreign = TrainingSessionFactory()

    client = login(coordinator)
    responses = [
        client.get(reverse("session_detail", args=[program.slug, foreign.pk])).status_code,
        client.get(reverse("session_edit", args=[program.slug, foreign.pk])).status_code,
        client.post(reverse("session_delete", args=[program.slug, foreign.pk])).status_code,
    ]

    assert responses == [404, 404, 404]
    assert TrainingSession.objects.filter(pk=foreign.pk).exists()


def test_member_of_another_program_cannot_be_removed_through_this_one(login, coordinator, program):
    foreign = MembershipFactory()

    response = login(coordinator).post(reverse("member_remove", args=[program.slug, foreign.pk]))

    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_session_facilitators_must_be_program_members(login, coordinator, program):
    stranger = UserFactory()

    response = login(coordinator).post(
        reverse("session_create", args=[program.slug]),
        {"phase": "training", "title": "Sesi", "date": "2023-08-05", "facilitators": [stranger.pk]},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["facilitators"]
    assert TrainingSession.objects.count() == 0


def test_session_ending_before_it_starts_is_refused(login, coordinator, program):
    response = login(coordinator).post(
        reverse("session_create", args=[program.slug]),
        {
            "phase": "training",
            "title": "Sesi",
            "date": "2023-08-05",
            "start_time": "12:00",
            "end_time": "09:00",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "__all__": ["Waktu selesai harus setelah waktu mulai."]
    }
    assert TrainingSession.objects.count() == 0


def test_session_create_saves_facilitators(login, coordinator, facilitator, program):
    response = login(coordinator).post(
        reverse("session_create", args=[program.slug]),
        {
            "phase": "mentoring",
            "title": "Pendampingan",
            "date": "2023-08-08",
            "start_time": "13:00",
            "end_time": "15:00",
            "venue": "Balai",
            "facilitators": [facilitator.pk],
        },
    )

    session = TrainingSession.objects.get()
    assert response.url == session.get_absolute_url()
    assert (session.phase, list(session.facilitators.all())) == ("mentoring", [facilitator])


def test_coordinator_adds_a_member_by_email_and_cannot_remove_self(login, coordinator, program):
    newcomer = UserFactory(email="Mahasiswa@Kampus.ac.id")
    MembershipFactory(program=ProgramFactory(organization=program.organization), user=newcomer)
    client = login(coordinator)

    client.post(
        reverse("program_members", args=[program.slug]),
        {"user": "mahasiswa@kampus.ac.id", "role": "facilitator"},
    )
    own = Membership.objects.get(program=program, user=coordinator)
    client.post(reverse("member_remove", args=[program.slug, own.pk]))

    assert set(program.memberships.values_list("user__username", "role")) == {
        (coordinator.username, "coordinator"),
        (newcomer.username, "facilitator"),
    }


def test_coordinator_cannot_add_or_detect_an_account_of_another_organization(
    login, coordinator, program
):
    """Finding 6: any account of any organization could be added by username."""
    stranger = MembershipFactory(role="coordinator").user  # works for another organization
    client = login(coordinator)
    url = reverse("program_members", args=[program.slug])

    existing = client.post(url, {"user": stranger.username, "role": "facilitator"})
    missing = client.post(url, {"user": "nobody-at-all", "role": "facilitator"})

    assert (
        existing.context["form"].errors
        == missing.context["form"].errors
        == {
            "user": ["Tidak ada satu pun akun organisasi ini dengan nama pengguna atau e-mail ini."]
        }
    )
    assert not program.memberships.filter(user=stranger).exists()


def test_admin_adds_an_account_from_anywhere(login, admin_user, program):
    stranger = UserFactory()

    login(admin_user).post(
        reverse("program_members", args=[program.slug]),
        {"user": stranger.username, "role": "facilitator"},
    )

    assert program.memberships.get(user=stranger).role == "facilitator"


def test_removed_member_loses_access_and_facilitator_assignments(
    login, coordinator, facilitator, program
):
    session = TrainingSessionFactory(program=program)
    session.facilitators.add(facilitator)
    membership = Membership.objects.get(program=program, user=facilitator)

    login(coordinator).post(reverse("member_remove", args=[program.slug, membership.pk]))

    assert list(session.facilitators.all()) == []
    assert login(facilitator).get(reverse("program_detail", args=[program.slug])).status_code == 404


def test_pages_are_in_indonesian_by_default_and_english_on_request(client, facilitator, program):
    client.force_login(facilitator)
    url = reverse("program_detail", args=[program.slug])

    indonesian = client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": url})
    english = client.get(url).content.decode()

    assert ("Peserta baru" in indonesian, "New participant" in indonesian) == (True, False)
    assert ("New participant" in english, "Peserta baru" in english) == (True, False)


def test_pages_carry_a_content_security_policy(client):
    response = client.get(reverse("login"))

    assert response.headers["Content-Security-Policy"].startswith(
        "default-src 'self'; script-src 'self'"
    )


def test_an_empty_post_is_answered_with_what_is_missing(login, facilitator, program):
    session = TrainingSessionFactory(program=program)

    response = login(facilitator).post(
        reverse("attendance_walk_in", args=[program.slug, session.pk]), {}
    )

    assert response.context["form"].errors == {
        "full_name": ["Bidang ini tidak boleh kosong."],
        "consent_method": [
            "Pilih cara ia memberi persetujuan; tanpa itu ia tidak dapat didaftarkan."
        ],
    }
