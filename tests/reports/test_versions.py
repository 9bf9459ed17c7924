"""Issued versions: frozen bytes, their hash, the list on the report page."""

import datetime as dt
import hashlib

from django.urls import reverse

from reports.models import ReportVersion
from tests.factories import TrainingSessionFactory, UserFactory
from tests.reports.test_as_of import finish_one_affiliate_track_now
from tests.reports.test_reports import SEED_TABLE_1, text_of


def test_an_issued_version_keeps_its_bytes_after_the_data_changes(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user
    client = login(coordinator)

    issued = client.post(reverse("report_issue", args=[demo.slug]), {"as_of": "2023-08-12"})
    finish_one_affiliate_track_now(demo)
    again = client.post(reverse("report_issue", args=[demo.slug]), {"as_of": ""})
    first = client.get(reverse("report_version_pdf", args=[demo.slug, 1]))
    second = client.get(reverse("report_version_pdf", args=[demo.slug, 2]))
    page = client.get(reverse("program_report", args=[demo.slug]))

    assert (issued.status_code, again.status_code) == (302, 302)
    versions = list(ReportVersion.objects.order_by("number"))
    assert [(v.number, v.as_of, v.issued_by) for v in versions] == [
        (1, dt.date(2023, 8, 12), coordinator),
        (2, dt.date.today(), coordinator),
    ]
    assert hashlib.sha256(first.content).hexdigest() == versions[0].sha256
    assert first["Digest"] == f"sha-256={versions[0].sha256}"
    text = text_of(first.content)
    assert "Versi 1 Data Data per 12 Agustus 2023" in text
    assert " ".join(SEED_TABLE_1[1].split()) in text
    assert "50% (10 dari 20) peserta berhasil membuat akun TikTok Affiliate" in text_of(
        second.content
    )
    assert [v.number for v in page.context["versions"]] == [2, 1]
    assert versions[0].sha256 in page.content.decode()


def test_a_facilitator_cannot_issue_and_a_future_date_is_refused(login, demo):
    coordinator = demo.memberships.get(role="coordinator").user
    facilitator = demo.memberships.filter(role="facilitator").first().user

    refused = login(facilitator).post(reverse("report_issue", args=[demo.slug]))
    future = login(coordinator).post(
        reverse("report_issue", args=[demo.slug]), {"as_of": "2999-01-01"}, follow=True
    )

    assert refused.status_code == 403
    assert [str(m) for m in future.context["messages"]] == ["Tanggal tidak boleh di masa depan."]
    assert ReportVersion.objects.count() == 0


def test_another_programs_version_is_not_found(login, demo, program, coordinator):
    login(demo.memberships.get(role="coordinator").user).post(
        reverse("report_issue", args=[demo.slug]), {"as_of": "2023-08-12"}
    )

    response = login(coordinator).get(reverse("report_version_pdf", args=[program.slug, 1]))

    assert response.status_code == 404


def test_the_report_lists_versions_newest_first_and_facilitators_by_name_once(
    login, program, coordinator
):
    ani = UserFactory(username="ani", first_name="Ani", last_name="Lestari")
    budi = UserFactory(username="budi", first_name="", last_name="")
    for people in ([budi, ani], [ani]):
        TrainingSessionFactory(program=program).facilitators.set(people)
    for number, by in [(1, ani), (2, None), (3, coordinator)]:
        ReportVersion.objects.create(
            program=program,
            number=number,
            as_of=dt.date(2023, 8, number),
            pdf=b"%PDF",
            sha256=f"{number}" * 64,
            issued_at=dt.datetime(2023, 8, 10 + number, 9, tzinfo=dt.UTC),
            issued_by=by,
        )
    client = login(coordinator)
    issuer = coordinator.get_full_name() or coordinator.username

    context = client.get(reverse("program_report", args=[program.slug])).context

    assert (
        [(p.pk, p.get_full_name() or p.username) for p in context["facilitators"]],
        [(v.number, v.as_of, v.issued_at, v.sha256[0], v.issuer_name) for v in context["versions"]],
    ) == (
        [(budi.pk, "budi"), (ani.pk, "Ani Lestari")],
        [
            (3, dt.date(2023, 8, 3), dt.datetime(2023, 8, 13, 9, tzinfo=dt.UTC), "3", issuer),
            (2, dt.date(2023, 8, 2), dt.datetime(2023, 8, 12, 9, tzinfo=dt.UTC), "2", "—"),
            (
                1,
                dt.date(2023, 8, 1),
                dt.datetime(2023, 8, 11, 9, tzinfo=dt.UTC),
                "1",
                "Ani Lestari",
            ),
        ],
    )
