"""The role rule's two forms, the predicate and the SQL, agree for every kind of user."""

import pytest
from django.contrib.auth.models import AnonymousUser

from programs.permissions import (
    ADMIN,
    COORDINATOR,
    FACILITATOR,
    can_manage_program,
    program_role,
)
from programs.selectors import programs_managed_by, programs_visible_to
from sessions.selectors import sessions_visible_to
from tests.factories import (
    MembershipFactory,
    OrganizationMembershipFactory,
    ProgramFactory,
    TrainingSessionFactory,
    UserFactory,
)


def app_admin():
    from django.contrib.auth.models import Permission

    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="administer_all"))
    return user


def kinds_of_user(program):
    """Each kind of user with the role the rule must give them in `program`."""
    sibling = ProgramFactory(organization=program.organization)
    org_coordinator_and_facilitator = OrganizationMembershipFactory(
        organization=program.organization
    ).user
    MembershipFactory(program=program, user=org_coordinator_and_facilitator, role=FACILITATOR)
    inactive = MembershipFactory(program=program, role=COORDINATOR).user
    inactive.is_active = False
    inactive.save()
    return {
        "anonymous": (AnonymousUser(), None),
        "stranger": (UserFactory(), None),
        "inactive coordinator": (inactive, None),
        "other organization's coordinator": (
            OrganizationMembershipFactory().user,
            None,
        ),
        "member of a sibling program": (
            MembershipFactory(program=sibling, role=COORDINATOR).user,
            None,
        ),
        "facilitator": (MembershipFactory(program=program, role=FACILITATOR).user, FACILITATOR),
        "coordinator": (MembershipFactory(program=program, role=COORDINATOR).user, COORDINATOR),
        "organization coordinator": (
            OrganizationMembershipFactory(organization=program.organization).user,
            COORDINATOR,
        ),
        "organization coordinator who also facilitates": (
            org_coordinator_and_facilitator,
            COORDINATOR,
        ),
        "staff without permissions": (UserFactory(is_staff=True), None),
        "superuser": (UserFactory(is_superuser=True), ADMIN),
        "app admin by permission": (app_admin(), ADMIN),
    }


def role_in(queryset, pk):
    # Anonymous and inactive users get an empty queryset without the annotation.
    found = queryset.filter(pk=pk).first()
    return None if found is None else found.user_role


@pytest.mark.django_db
def test_predicate_and_sql_give_the_same_role_to_every_kind_of_user():
    program = ProgramFactory()
    session = TrainingSessionFactory(program=program)
    kinds = kinds_of_user(program)

    by_predicate = {kind: program_role(user, program) for kind, (user, _) in kinds.items()}
    by_sql = {
        kind: role_in(programs_visible_to(user), program.pk) for kind, (user, _) in kinds.items()
    }
    by_sql_through_session = {
        kind: role_in(sessions_visible_to(user), session.pk) for kind, (user, _) in kinds.items()
    }

    expected = {kind: role for kind, (_, role) in kinds.items()}
    assert by_predicate == expected
    assert by_sql == expected
    assert by_sql_through_session == expected


@pytest.mark.django_db
def test_who_manages_a_program_by_predicate_and_by_sql():
    program = ProgramFactory()
    kinds = kinds_of_user(program)

    by_predicate = {kind: can_manage_program(user, program) for kind, (user, _) in kinds.items()}
    by_sql = {
        kind: programs_managed_by(user).filter(pk=program.pk).exists()
        for kind, (user, _) in kinds.items()
    }

    expected = {kind: role in (ADMIN, COORDINATOR) for kind, (_, role) in kinds.items()}
    assert by_predicate == expected
    assert by_sql == expected


@pytest.mark.django_db
def test_a_staff_account_without_permissions_sees_no_participant_and_no_whole_nik(client):
    """Finding 5: staff alone used to be admin everywhere, whole NIKs included."""
    from django.urls import reverse

    from tests.factories import EnrollmentFactory

    enrollment = EnrollmentFactory(participant__nik="1808054101900001")
    program = enrollment.program
    staff = UserFactory(is_staff=True)
    client.force_login(staff)

    listing = client.get(reverse("participant_list", args=[program.slug]))
    detail = client.get(
        reverse("participant_detail", args=[program.slug, enrollment.participant.pk])
    )

    assert (listing.status_code, detail.status_code) == (404, 404)
    assert "1808054101900001" not in detail.content.decode()


def test_a_programs_page_lookup_gives_every_kind_of_user_the_role_rules_answer(db, rf):
    """get_program_for_user is compiled once per shape (pkk_training.prepared):
    each kind of user, in turn on the same compiled query, gets her own role,
    and the program as the ORM reads it, its organization included."""
    from django.http import Http404

    from programs.access import get_program_for_user

    program = ProgramFactory(village="Jaya Tinggi")
    kinds = kinds_of_user(program)

    def lookup(user, slug=program.slug):
        request = rf.get("/")
        request.user = user
        try:
            found = get_program_for_user(request, slug)
        except Http404:
            return None
        return found.user_role, program_role(user, found)

    expected = {kind: role and (role, role) for kind, (_, role) in kinds.items()}
    assert {kind: lookup(user) for kind, (user, _) in kinds.items()} == expected
    superuser = kinds["superuser"][0]
    assert [lookup(superuser, "no-such-program"), lookup(superuser, "x" * 300)] == [None, None]

    request = rf.get("/")
    request.user = kinds["facilitator"][0]
    found = get_program_for_user(request, program.slug)

    def fields(obj):
        return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}

    program.refresh_from_db()
    assert (fields(found), fields(found.organization)) == (
        fields(program),
        fields(program.organization),
    )
