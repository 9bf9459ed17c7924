"""Shared set-up for bench scripts: Django on a throwaway database.

SQLite in a temporary file, or PostgreSQL when BENCH_DATABASE_URL names an
empty database made for it (the script migrates it and fills it):
createdb -h 127.0.0.1 -U postgres pkk_bench
BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/pkk_bench make bench
"""

import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pkk_training.settings")
    os.environ["DJANGO_DEBUG"] = "1"  # static files from the finders, no collectstatic needed
    # Never DATABASE_URL itself: a benchmark must not fill a real database.
    url = os.environ.get("BENCH_DATABASE_URL")
    if not url:
        path = Path(tempfile.mkdtemp(prefix="pkk-bench-")) / "bench.sqlite3"
        url = f"sqlite:///{path}"
    os.environ["DATABASE_URL"] = url
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False  # do not keep every query in memory while timing
    call_command("migrate", verbosity=0)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")


def settle():
    """After building the bench's data: as pkk_training/wsgi.py does once an app
    server has loaded, the objects made so far are left out of full garbage
    collections (a real server holds none of the factories' objects)."""
    gc.collect()
    gc.freeze()


def timed(fn, repeat, quantile=0.9):
    """Median and `quantile` (90th percentile unless told) wall time of `fn()` in ms."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * quantile) - 1)]


def baseline(repeat=20):
    """Median server time of the login page (ms): the yardstick printed beside
    each figure, so that a slow machine and a slow page can be told apart."""
    from django.test import Client
    from django.urls import reverse

    client, url = Client(), reverse("login")
    assert client.get(url).status_code == 200
    median, _p90 = timed(lambda: client.get(url), repeat=repeat)
    return median
