import shlex
import socket
import subprocess
import sys

from django.conf import settings
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
        "Jaya Tinggi",
        "Kasui",
        "Kabupaten Way Kanan",
    )
    codes = (program.province_code, program.regency_code, program.district_code)
    assert (*codes, program.village_code) == ("18", "18.08", "18.08.02", "18.08.02.2013")
    assert program.location == "Jaya Tinggi, Kec. Kasui, Kabupaten Way Kanan, Lampung"
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


def test_demo_logins_come_last_in_a_box(db, capsys):
    call_command("load_demo")
    lines = capsys.readouterr().out.splitlines()

    box = lines[lines.index(next(line for line in lines if line.startswith("+-"))) :]
    assert [line[:2] for line in box] == ["+-", "| ", "| ", "| ", "| ", "| ", "+-"]
    assert len({len(line) for line in box}) == 1
    assert [line.split()[1] for line in box[2:5]] == ["admin", "koordinator", "fasilitator"]


def test_make_run_checks_the_port_before_migrating_and_uses_port():
    commands = subprocess.run(
        ["make", "-n", "run", "PORT=8001"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    check = next(i for i, c in enumerate(commands) if "connect_ex" in c)
    migrate = next(i for i, c in enumerate(commands) if "manage.py migrate" in c)
    assert check < migrate
    assert any("runserver 127.0.0.1:8001" in c for c in commands)

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = commands[check].replace("$(PORT)", str(port))
        script = shlex.split(line)
        result = subprocess.run(
            [sys.executable, *script[1:-1], str(port)], capture_output=True, text=True
        )

    assert (result.returncode, result.stderr) == (
        1,
        f"Port {port} is busy (another server is listening there). "
        f"Stop it, or run: make run PORT={port + 1}\n",
    )


def test_make_demo_logins_resets_the_passwords_with_the_venv_and_debug():
    commands = subprocess.run(
        # --no-print-directory: under `make test` a nested make names its directory.
        ["make", "-n", "--no-print-directory", "demo-logins"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()

    assert commands[-1] == "DJANGO_DEBUG=1 .venv/bin/python manage.py load_demo --reset-passwords"
