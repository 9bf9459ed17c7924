"""Behaviour of the program views that had only the permission matrix."""

import datetime as dt

from django.urls import reverse

from tests.pages import messages_of


def test_coordinator_edits_the_program(login, coordinator, program):
    response = login(coordinator).post(
        reverse("program_edit", args=[program.slug]),
        {
            "name": "Pelatihan TikTok Kasui",
            "slug": program.slug,
            "province_code": "18",
            "regency_code": "18.08",
            "district_code": "18.08.02",
            "village_code": "18.08.02.2013",
            "start_date": "2023-07-23",
            "end_date": "2023-08-20",
            "status": "finished",
        },
    )

    program.refresh_from_db()
    assert response.url == program.get_absolute_url()
    assert (program.name, program.district, program.end_date, program.status) == (
        "Pelatihan TikTok Kasui",
        "Kasui",
        dt.date(2023, 8, 20),
        "finished",
    )
    assert messages_of(response) == ["Program disimpan."]
