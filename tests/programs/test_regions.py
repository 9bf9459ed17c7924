"""Kemendagri region codes: the vendored data, the program form's location
fields, the migration from typed names, and the roll-up by code."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from programs import regions
from programs.models import Program
from reports import rollup
from tests.factories import OrganizationFactory, ProgramFactory
from tests.programs.test_upgrade import scratch_database  # noqa: F401 - a fixture

migration = importlib.import_module("programs.migrations.0010_region_codes_from_names")


def test_the_vendored_data_knows_way_kanan_and_kasui():
    assert [(r.code, r.name) for r in regions.path("18.08.02.2013")] == [
        ("18", "Lampung"),
        ("18.08", "Kabupaten Way Kanan"),
        ("18.08.02", "Kasui"),
        ("18.08.02.2013", "Jaya Tinggi"),
    ]
    assert len(regions.children("")) == 38
    assert regions.region("18.08.02.9999") is None
    assert regions.region("../../etc") is None
    assert regions.data_version() == "4.0.1"


@pytest.mark.parametrize(
    ("regency", "district", "village"),
    [
        ("Kabupaten Way Kanan", "Kecamatan Kasui", "Kampung Jaya Tinggi"),
        ("Way Kanan", "Kasui", "Jaya Tinggi"),
        ("Kab. Way Kanan", "Kec. Kasui", "Desa Jaya Tinggi"),
        ("  way  kanan ", "KASUI", "jaya tinggi"),
    ],
)
def test_typed_names_match_one_code_each(regency, district, village):
    found, complete = regions.match_names(
        province="Lampung", regency=regency, district=district, village=village
    )

    assert [found[level].code for level in range(4)] == ["18", "18.08", "18.08.02", "18.08.02.2013"]
    assert complete is True


def test_an_ambiguous_or_unknown_name_is_not_matched():
    bogor, bogor_complete = regions.match_names(regency="Bogor")  # Kabupaten and Kota Bogor
    typo, typo_complete = regions.match_names(regency="Way Kanan", district="Kasuii")

    assert (bogor, bogor_complete) == ({}, False)
    assert sorted(r.code for r in typo.values()) == ["18", "18.08"]
    assert typo_complete is False


def test_migration_codes_every_way_kanan_program_however_typed_and_the_rollup_finds_them(db):
    organization = OrganizationFactory()
    typed = [
        ("Kabupaten Way Kanan", "Kecamatan Kasui", "Kampung Jaya Tinggi"),
        ("Way Kanan", "Kasui", "Jaya Tinggi"),
        ("Kab. Way Kanan", "Kec. Kasui", "Kampung Jaya Tinggi"),
        ("way kanan", "Baradatu", "Tidak Ada Di Daftar"),
    ]
    for i, (regency, district, village) in enumerate(typed):
        ProgramFactory(
            organization=organization,
            name=f"P{i}",
            regency=regency,
            district=district,
            village=village,
            province_code="",
            regency_code="",
            district_code="",
            village_code="",
        )
    ProgramFactory(
        organization=organization,
        name="Elsewhere",
        regency="Lampung Barat",
        district="Sekincau",
        village="?",
        **dict.fromkeys(["province_code", "regency_code", "district_code", "village_code"], ""),
    )

    migration.codes_from_names(django_apps, SimpleNamespace(connection=connections["default"]))

    rows = Program.objects.order_by("name").values_list(
        "name", "regency", "district", "regency_code", "district_code", "location_unmatched"
    )
    assert list(rows) == [
        ("Elsewhere", "Lampung Barat", "Sekincau", "18.04", "18.04.08", True),
        ("P0", "Kabupaten Way Kanan", "Kecamatan Kasui", "18.08", "18.08.02", False),
        ("P1", "Way Kanan", "Kasui", "18.08", "18.08.02", False),
        ("P2", "Kab. Way Kanan", "Kec. Kasui", "18.08", "18.08.02", False),
        ("P3", "way kanan", "Baradatu", "18.08", "18.08.04", True),
    ]
    way_kanan = rollup.rollup(
        organization, organization.programs.all(), rollup.RollupFilters(regency="18.08")
    )
    kasui = rollup.rollup(
        organization, organization.programs.all(), rollup.RollupFilters(district="18.08.02")
    )
    assert sorted(r.program.name for r in way_kanan.rows) == ["P0", "P1", "P2", "P3"]
    assert sorted(r.program.name for r in kasui.rows) == ["P0", "P1", "P2"]


def test_the_region_migration_keeps_every_row_and_every_typed_name(
    scratch_database,  # noqa: F811
    django_db_blocker,
):
    before = [("programs", "0009_region_codes")]
    after = [("programs", "0010_region_codes_from_names")]
    with django_db_blocker.unblock():
        executor = MigrationExecutor(scratch_database)
        executor.migrate(before)
        old = executor.loader.project_state(before).apps
        organization = old.get_model("programs", "Organization").objects.using("upgrade")
        org = organization.create(name="KKN", slug="kkn")
        programs = old.get_model("programs", "Program").objects.using("upgrade")
        typed = [
            ("Kampung Jaya Tinggi", "Kecamatan Kasui", "Kabupaten Way Kanan", "Lampung"),
            ("Jaya Tinggi", "Kasui", "Way Kanan", "Lampung"),
            ("Sukamaju", "Kecamatan Entah", "Kabupaten Entah", "Provinsi Entah"),
            ("", "", "", ""),
        ]
        for i, (village, district, regency, province) in enumerate(typed):
            programs.create(
                organization=org,
                name=f"P{i}",
                slug=f"p{i}",
                village=village,
                district=district,
                regency=regency,
                province=province,
                start_date="2023-07-23",
            )

        MigrationExecutor(scratch_database).migrate(after)

        new = MigrationExecutor(scratch_database).loader.project_state(after).apps
        rows = (
            new.get_model("programs", "Program")
            .objects.using("upgrade")
            .order_by("slug")
            .values_list(
                "village", "district", "regency", "province", "district_code", "location_unmatched"
            )
        )
        assert list(rows) == [
            (*typed[0], "18.08.02", False),
            (*typed[1], "18.08.02", False),
            (*typed[2], "", True),
            (*typed[3], "", False),
        ]
        connections["upgrade"].close()


def test_program_form_location_fields_follow_the_choices(login, coordinator, program):
    client = login(coordinator)

    regencies = client.get(reverse("region_fields"), {"province_code": "18"})
    districts = client.get(
        reverse("region_fields"),
        {"province_code": "18", "regency_code": "18.08", "district_code": "31.71.01"},
    )
    picked = client.get(reverse("region_fields"), {"pick": "18.08.02.2013"})
    found = client.get(reverse("region_search"), {"region_q": "jaya tinggi"})

    levels = regencies.context["region"]["levels"]
    assert [len(level["options"]) for level in levels] == [38, 15, 0, 0]
    assert [level["value"] for level in districts.context["region"]["levels"]] == [
        "18",
        "18.08",
        "",  # a district of Jakarta is not in Way Kanan
        "",
    ]
    assert [level["value"] for level in picked.context["region"]["levels"]] == [
        "18",
        "18.08",
        "18.08.02",
        "18.08.02.2013",
    ]
    assert 'value="18.08.02.2013" selected' in picked.content.decode()
    assert [(r["code"], r["within"]) for r in found.context["results"]] == [
        ("18.08.02.2013", "Kasui, Kabupaten Way Kanan, Lampung")
    ]
    assert f'hx-get="{reverse("region_fields")}?pick=18.08.02.2013"' in found.content.decode()


def test_program_form_saves_codes_and_the_official_names(login, coordinator, program):
    response = login(coordinator).post(
        reverse("program_edit", args=[program.slug]),
        {
            "name": program.name,
            "slug": program.slug,
            "province_code": "18",
            "regency_code": "18.08",
            "district_code": "18.08.04",
            "village_code": "18.08.02.2013",  # Jaya Tinggi is in Kasui, not Baradatu
            "start_date": "2023-07-23",
            "status": "running",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "village_code": ["Desa ini tidak ada di kecamatan yang dipilih."]
    }


def test_an_unmatched_program_shows_what_was_typed_on_its_form(login, coordinator, program):
    program.village, program.location_unmatched = "Kampung Entah", True
    program.village_code = program.district_code = ""
    program.save()

    page = login(coordinator).get(reverse("program_edit", args=[program.slug])).content.decode()

    assert "Ditulis sebelumnya: “Kampung Entah, Kecamatan Kasui" in page


def test_regions_refresh_replaces_the_data_from_a_tarball(tmp_path, settings):
    import io
    import tarfile

    archive = tmp_path / "idn-area-data-9.9.9.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        for name in regions.FILES + ("LICENSE.md",):
            data = (regions.DATA_DIR / name).read_bytes()
            if name == "districts.csv":
                data = data.replace(b"18.08.02,18.08,Kasui", b"18.08.02,18.08,Kasui Baru")
            info = tarfile.TarInfo(f"package/data/{name}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = tmp_path / "data"
    out = io.StringIO()

    call_command(
        "regions_refresh",
        "--tarball",
        archive,
        "--package-version",
        "9.9.9",
        "--into",
        target,
        stdout=out,
    )

    assert (target / "VERSION").read_text() == "9.9.9\n"
    assert b"18.08.02,18.08,Kasui Baru" in (target / "districts.csv").read_bytes()
    assert sorted(p.name for p in target.iterdir()) == [
        "LICENSE.md",
        "VERSION",
        "districts.csv",
        "provinces.csv",
        "regencies.csv",
        "villages.csv",
    ]
