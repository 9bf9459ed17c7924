from django.core.management import call_command

from demo.services import PROGRAM_SLUG, demo_load
from participants.models import Enrollment, Participant
from programs.models import Program
from sessions.models import TrainingSession


def counts():
    return (
        Program.objects.count(),
        TrainingSession.objects.count(),
        Participant.objects.count(),
        Enrollment.objects.count(),
    )


def test_demo_builds_the_seed_program(db):
    result = demo_load()

    program = Program.objects.get(slug=PROGRAM_SLUG)
    assert (program.organization.name, program.village, program.district, program.regency) == (
        "UIN Raden Intan Lampung — KKN Kelompok 23",
        "Kampung Jaya Tinggi",
        "Kecamatan Kasui",
        "Kabupaten Way Kanan",
    )
    assert counts() == (1, 6, 30, 30)
    training = program.sessions.get(phase="training")
    assert (str(training.date), training.date.strftime("%A"), training.venue) == (
        "2023-08-05",
        "Saturday",
        "Gedung Serba Guna (GSG) Kampung Jaya Tinggi",
    )
    assert sorted(result.passwords) == ["admin", "fasilitator", "koordinator"]


def test_demo_twice_changes_nothing(db):
    demo_load()
    before = counts()

    again = demo_load()

    assert counts() == before
    assert (again.created, again.passwords) == (False, {})


def test_load_demo_command_prints_logins_then_skips_when_not_empty(db, capsys):
    call_command("load_demo", "--if-empty")
    first = capsys.readouterr().out
    call_command("load_demo", "--if-empty")
    second = capsys.readouterr().out

    assert "fasilitator" in first and "Demo logins" in first
    assert second.startswith("The database already has programs; demo not loaded.")
