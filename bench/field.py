"""Field mode on emulated 3G: the roll page's first load, compressed bytes, tap to state.

Run: `.venv/bin/python bench/field.py`. Prints figures only (issue #13's
targets: warm load under 1 s, first load at most 60 KiB compressed, a tap
shows its state in under 50 ms whatever the network).

Production mode: DEBUG off, collectstatic with the hashed and precompressed
storage, gunicorn; the demo program in a throwaway SQLite database with a
session dated today. Chromium at 360x740 on an emulated 3G line (300 ms,
50 KB/s down, 20 KB/s up) through CDP. The login page, loaded the same way
in the same run, is printed beside the roll as the yardstick.
"""

import base64
import gzip
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CHROMIUM = os.environ.get("PKK_CHROMIUM", "/usr/bin/chromium")
THREE_G = {
    "offline": False,
    "latency": 300,
    "downloadThroughput": 50_000,
    "uploadThroughput": 20_000,
}

ARRANGE = """
import datetime as dt, json
import django
django.setup()
from django.utils import timezone
from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program
from tests.factories import TrainingSessionFactory
logins = demo_load().passwords
program = Program.objects.get(slug=PROGRAM_SLUG)
session = TrainingSessionFactory(program=program, phase="training", title="Praktik hari ini",
                                 date=timezone.localdate())
# Everyone enrolled by today, so the whole roll can be marked.
program.enrollments.update(enrolled_on=dt.date(2023, 7, 23))
print(json.dumps({"password": logins["fasilitator"], "roll": session.get_absolute_url()}))
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(tmp):
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pkk_training.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        # Production mode requires one since NIKs are encrypted; a throwaway key.
        "PKK_NIK_KEY": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"sqlite:///{tmp}/field.sqlite3",
        "DJANGO_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def run(args, env):
    return subprocess.run(args, env=env, cwd=ROOT, check=True, capture_output=True, text=True)


def start_server(env, port):
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "pkk_training.wsgi", "-b", f"127.0.0.1:{port}"]
        + ["-w", "2", "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


def html_sizes(base, url, cookie):
    request = urllib.request.Request(base + url, headers={"Cookie": cookie})
    plain = urllib.request.urlopen(request).read()
    request.add_header("Accept-Encoding", "gzip")
    with urllib.request.urlopen(request) as response:
        packed = response.read()
        encoding = response.headers.get("Content-Encoding")
    return len(plain), len(packed), encoding, len(gzip.compress(plain))


def transferred(page):
    """Bytes over the wire for the page and everything it loaded (0 when cached)."""
    return page.evaluate(
        """() => performance.getEntries()
            .filter(e => e.transferSize !== undefined)
            .reduce((sum, e) => sum + e.transferSize, 0)"""
    )


def load(page, url):
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    return (time.perf_counter() - start) * 1000


def tap_to_state(page, index, state):
    """ms from a tap on row `index` until it shows `state` (waiting, saved)."""
    return page.evaluate(
        """([index, state]) => new Promise(resolve => {
            const row = document.querySelectorAll(".roll-row[data-eligible]")[index];
            const start = performance.now();
            row.querySelector('button[value$=":late"]').click();
            (function check() {
                if (row.isConnected && row.dataset.sync === state) {
                    resolve(performance.now() - start);
                } else {
                    const fresh = document.getElementById(row.id);
                    if (fresh && fresh !== row && fresh.dataset.sync === state) {
                        resolve(performance.now() - start);
                    } else {
                        requestAnimationFrame(check);
                    }
                }
            })();
        })""",
        [index, state],
    )


def main():
    from playwright.sync_api import sync_playwright

    tmp = tempfile.mkdtemp(prefix="pkk-field-")
    env = production_env(tmp)
    run([PYTHON, "manage.py", "migrate", "--verbosity", "0"], env)
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], env)
    arranged = json.loads(run([PYTHON, "-c", ARRANGE], env).stdout.strip().splitlines()[-1])
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(env, port)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )

            def phone(state=None):
                context = browser.new_context(
                    viewport={"width": 360, "height": 740},
                    locale="id-ID",
                    base_url=base,
                    storage_state=state,
                )
                page = context.new_page()
                if os.environ.get("BENCH_DEBUG"):
                    page.on("console", lambda m: print("console:", m.type, m.text))
                cdp = context.new_cdp_session(page)
                cdp.send("Network.emulateNetworkConditions", THREE_G)
                return context, page

            first, page = phone()
            login_cold = load(page, "/accounts/login/")
            login_bytes = transferred(page)
            login_warm = load(page, "/accounts/login/")
            page.get_by_label("Nama pengguna").fill("fasilitator")
            page.get_by_label("Sandi").fill(arranged["password"])
            page.get_by_role("button", name="Masuk").click()
            page.wait_for_url(base + "/")
            signed_in = first.storage_state()
            cookie = "; ".join(f"{c['name']}={c['value']}" for c in first.cookies())
            first.close()

            # A phone that has never opened the app: only the login cookie.
            context, page = phone(signed_in)
            roll = arranged["roll"]
            roll_cold = load(page, roll)
            roll_bytes = transferred(page)
            page.wait_for_selector("body[data-offline-stored]", state="attached")
            roll_warm = load(page, roll)

            to_waiting = [tap_to_state(page, i, "waiting") for i in range(5)]
            to_saved = [tap_to_state(page, i, "saved") for i in range(5, 10)]

            page.goto(roll)
            buttons = page.locator('.roll-row[data-eligible] button[value$=":present"]')
            count = min(30, buttons.count())
            start = time.perf_counter()
            for i in range(count):
                buttons.nth(i).click()
            tapped = (time.perf_counter() - start) * 1000
            page.wait_for_selector("[data-outbox-badge][hidden]", state="attached", timeout=120_000)
            all_saved = (time.perf_counter() - start) * 1000
            browser.close()
        plain, packed, encoding, gzipped = html_sizes(base, roll, cookie)
    finally:
        server.terminate()
        server.wait()

    def ms(values):
        values = sorted(values)
        return f"median {values[len(values) // 2]:.0f} ms, max {values[-1]:.0f} ms"

    print("emulated 3G: 300 ms, 50 KB/s down, 20 KB/s up; production settings, gunicorn")
    print(
        f"login page (yardstick)  cold {login_cold:.0f} ms, warm {login_warm:.0f} ms, "
        f"{login_bytes / 1024:.1f} KiB over the wire"
    )
    print(
        f"roll page               cold {roll_cold:.0f} ms, warm {roll_warm:.0f} ms "
        f"(service worker and HTTP cache)"
    )
    print(f"roll page bytes         first load {roll_bytes / 1024:.1f} KiB over the wire")
    print(
        f"roll HTML               {plain / 1024:.1f} KiB plain, {packed / 1024:.1f} KiB sent "
        f"({encoding}); gzip -6 would be {gzipped / 1024:.1f} KiB"
    )
    print(f"tap -> 'waiting'        {ms(to_waiting)}")
    print(f"tap -> 'saved'          {ms(to_saved)}")
    print(
        f"mark {count} people          all tapped in {tapped:.0f} ms, all saved after "
        f"{all_saved / 1000:.1f} s"
    )


if __name__ == "__main__":
    main()
