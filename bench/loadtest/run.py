"""`make loadtest`: two app servers, a worker, Redis and PostgreSQL on this
machine, a day's mix of requests from locust, then a marks-only run (users
tapping attendance and checklist steps without pause), then every
acknowledged mark looked up in the database.

Bounded: locust runs LOAD_SECONDS (default 40) for the mix and
LOAD_MARK_SECONDS (default 30) for the marks, with LOAD_USERS (default 16)
users against 127.0.0.1 only, and everything started here is stopped at the
end. Needs PostgreSQL (LOAD_DATABASE_URL, default a `pkk_load` database on
127.0.0.1:5432, dropped and made again) and Redis (REDIS_URL, default
redis://127.0.0.1:6379/15).
"""

import base64
import csv
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
DB_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/pkk_load")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
PORTS = (8101, 8102)
SECONDS = int(os.environ.get("LOAD_SECONDS", "40"))
MARK_SECONDS = int(os.environ.get("LOAD_MARK_SECONDS", "30"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))  # gunicorn workers per app server
USERS = int(os.environ.get("LOAD_USERS", "16"))
PASSWORD = secrets.token_urlsafe(12)
# One of each for every process of the run: the servers share sessions and NIKs.
SECRET_KEY = secrets.token_urlsafe(50)
NIK_KEY = base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()  # a Fernet key
WORLD = Path(__file__).with_name("world.py")


def environment():
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pkk_training.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "PKK_NIK_KEY": NIK_KEY,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": DB_URL,
        "REDIS_URL": REDIS_URL,
    }


def manage(env, *args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def recreate_database():
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def prepare(env, scratch):
    """Demo data, load-test accounts, and what locust needs to know of them."""
    out = scratch / "world.json"
    subprocess.run(
        [PYTHON, str(WORLD), "prepare", PASSWORD, str(out)], cwd=ROOT, env=env, check=True
    )
    return json.loads(out.read_text())


def wait_for_jobs(seconds=300):
    """Wait until the worker has finished the jobs the mix started (seconds waited).

    The mix starts roll-up jobs; their PDFs take the worker a while, and the
    marks-only run is to measure marks, not marks beside PDF rendering."""
    import psycopg

    start = time.monotonic()
    with psycopg.connect(DB_URL, autocommit=True) as connection:
        while time.monotonic() - start < seconds:
            (pending,) = connection.execute(
                "SELECT count(*) FROM jobs_job WHERE status IN ('queued', 'running')"
            ).fetchone()
            if not pending:
                break
            time.sleep(1)
    return time.monotonic() - start


def wait_for(url, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 (our own server on loopback)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"{url} did not answer within {seconds} s")


def percentiles(stats_csv):
    with open(stats_csv) as stats:
        rows = list(csv.DictReader(stats))
    return [
        (
            row["Name"],
            int(row["Request Count"]),
            int(row["Failure Count"]),
            row["50%"],
            row["95%"],
            row["99%"],
            float(row["Requests/s"]),
        )
        for row in rows
    ]


def locust(load_env, prefix, classes, seconds=SECONDS):
    """One headless locust run of the given user classes; prints its table."""
    subprocess.run(
        [
            PYTHON,
            "-m",
            "locust",
            "-f",
            str(Path(__file__).with_name("locustfile.py")),
            *classes,
            "--headless",
            "-u",
            str(USERS),
            "-r",
            str(USERS),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{PORTS[0]}",
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=load_env,
        timeout=seconds + 120,
        check=False,
    )
    print(f"{'request':<24}{'count':>7}{'fail':>6}{'p50':>7}{'p95':>7}{'p99':>7}{'req/s':>8}")
    for name, count, failed, p50, p95, p99, rate in percentiles(f"{prefix}_stats.csv"):
        print(f"{name:<24}{count:>7}{failed:>6}{p50:>7}{p95:>7}{p99:>7}{rate:>8.1f}")


def acknowledged_marks(env, acks_file):
    out = subprocess.run(
        [PYTHON, str(WORLD), "check", str(acks_file)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out)


def main():
    env = environment()
    scratch = Path(tempfile.mkdtemp(prefix="pkk-load-"))
    recreate_database()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    world = prepare(env, scratch)
    (scratch / "rolls.json").write_text(json.dumps(world["rolls"]))
    acks = scratch / "acks.txt"
    acks.touch()
    processes = []
    try:
        for port in PORTS:
            processes.append(
                subprocess.Popen(
                    [
                        PYTHON,
                        "-m",
                        "gunicorn",
                        "pkk_training.wsgi",
                        "-b",
                        f"127.0.0.1:{port}",
                        "-w",
                        str(WORKERS),
                        "--access-logfile",
                        "/dev/null",
                        "--error-logfile",
                        str(scratch / f"gunicorn-{port}.log"),
                    ],
                    cwd=ROOT,
                    env=env,
                )
            )
        processes.append(
            subprocess.Popen(
                [PYTHON, "manage.py", "db_worker", "--interval", "1", "--no-startup-delay"],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for port in PORTS:
            wait_for(f"http://127.0.0.1:{port}/accounts/login/")
        load_env = {
            **env,
            "PKK_LOAD_HOSTS": ",".join(f"http://127.0.0.1:{p}" for p in PORTS),
            "PKK_LOAD_PROGRAM": world["program"],
            "PKK_LOAD_ORGANIZATION": world["organization"],
            "PKK_LOAD_ROLLS": str(scratch / "rolls.json"),
            "PKK_LOAD_SURVEY": world["survey"],
            "PKK_LOAD_PHONES": ",".join(world["phones"]),
            "PKK_LOAD_STEPS": json.dumps(world["steps"]),
            "PKK_LOAD_SESSIONS": json.dumps(world["sessions"]),
            "PKK_LOAD_STEP_MARKERS": str(USERS // 2),
            "PKK_LOAD_PASSWORD": PASSWORD,
            "PKK_LOAD_ACKS": str(acks),
        }
        setup = f"2 app servers x {WORKERS} workers, PostgreSQL, Redis, a worker"
        if SECONDS:
            print(f"\n== a day's mix: {USERS} users, {SECONDS} s, {setup}")
            locust(load_env, scratch / "mix", ["Facilitator", "Coordinator", "Participant"])
            print(f"\n(the worker finished the mix's jobs {wait_for_jobs():.0f} s after it)")
        print(f"\n== marks only: {USERS} users tapping without pause, {MARK_SECONDS} s, {setup}")
        print("(half mark attendance, half checklist steps, each on steps of their own)")
        locust(load_env, scratch / "marks", ["AttendanceMarker", "StepMarker"], MARK_SECONDS)
        marks = acknowledged_marks(env, acks)
        print()
        for kind, found in marks.items():
            print(
                f"acknowledged {kind} marks: {found['acknowledged']}; missing in the "
                f"database: {found['missing']}; recorded twice: {found['twice']}"
            )
        if any(found["missing"] or found["twice"] for found in marks.values()):
            raise SystemExit("an acknowledged mark was lost or doubled")
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    main()
