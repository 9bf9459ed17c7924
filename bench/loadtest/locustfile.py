"""A day's mix against two app servers (started by bench/loadtest/run.py),
and the marks-only run: AttendanceMarker and StepMarker tap without pause.

Facilitators open rolls and mark attendance, coordinators open reports and
now and then start the organization's PDF job, participants answer the public
survey. Every mark the server acknowledges (2xx) is written to the file named
by PKK_LOAD_ACKS, one mark id a line, so run.py can look each one up.
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from html.parser import HTMLParser

from locust import FastHttpUser, HttpUser, between, constant, task

HOSTS = os.environ["PKK_LOAD_HOSTS"].split(",")
PROGRAM = os.environ["PKK_LOAD_PROGRAM"]
ORGANIZATION = os.environ["PKK_LOAD_ORGANIZATION"]
# {session id: [participant ids enrolled by its day]}, written by run.py.
with open(os.environ["PKK_LOAD_ROLLS"]) as rolls:
    ROLLS = {int(k): v for k, v in json.load(rolls).items()}
SURVEY_TOKEN = os.environ["PKK_LOAD_SURVEY"]
PHONES = os.environ["PKK_LOAD_PHONES"].split(",")
PASSWORD = os.environ["PKK_LOAD_PASSWORD"]
ACKS = open(os.environ["PKK_LOAD_ACKS"], "a", buffering=1)  # noqa: SIM115 (one per process)
STATUSES = ["present", "late", "excused", "absent"]
# [participant id, track id, step id] of every checklist step on the demo's tracks.
STEPS = json.loads(os.environ.get("PKK_LOAD_STEPS", "[]"))
SESSIONS = json.loads(os.environ.get("PKK_LOAD_SESSIONS", "[]"))
SESSION_COOKIE = "sessionid"
STEP_MARKERS = int(os.environ.get("PKK_LOAD_STEP_MARKERS", "1"))
_next_host = itertools.cycle(HOSTS)
_next_stepper = itertools.count()
_next_user = itertools.count()


class FormFields(HTMLParser):
    """The inputs of a page's forms, enough to fill a survey or take a CSRF token."""

    def __init__(self):
        super().__init__()
        self.inputs = []

    def handle_starttag(self, tag, attrs):
        if tag in {"input", "textarea", "select"}:
            self.inputs.append((tag, dict(attrs)))


def fields(html):
    parser = FormFields()
    parser.feed(html)
    return parser.inputs


def csrf(html):
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else ""


class Staff(HttpUser):
    abstract = True
    wait_time = between(0.2, 1.0)
    username = ""

    def on_start(self):
        self.client.base_url = next(_next_host)
        page = self.client.get("/accounts/login/", name="login page")
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username_for(next(_next_user)),
                "password": PASSWORD,
                "csrfmiddlewaretoken": csrf(page.text),
            },
            headers={"Referer": self.client.base_url + "/accounts/login/"},
            name="login",
        )
        self.token = self.client.cookies.get("csrftoken", "")

    def post(self, url, data, name):
        return self.client.post(
            url,
            {**data, "csrfmiddlewaretoken": self.token},
            headers={"Referer": self.client.base_url + url, "HX-Request": "true"},
            name=name,
            catch_response=True,
        )


class Facilitator(Staff):
    weight = 6

    def username_for(self, n):
        return f"load-fasilitator-{n % 8}"

    def on_start(self):
        super().on_start()
        self.session = random.choice(list(ROLLS))
        self.participants = ROLLS[self.session]
        self.client.get(self.roll_url(), name="roll page")

    def roll_url(self):
        return f"/programs/{PROGRAM}/sessions/{self.session}/"

    @task(10)
    def mark(self):
        if not self.participants:
            return
        mark_id = str(uuid.uuid4())
        data = {
            "participant": random.choice(self.participants),
            "status": random.choice(STATUSES),
            "mark_id": mark_id,
        }
        with self.post(f"{self.roll_url()}attendance/mark/", data, "attendance mark") as response:
            if 200 <= response.status_code < 300:
                ACKS.write(f"a {mark_id}\n")
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")

    @task(2)
    def roll(self):
        self.client.get(self.roll_url(), name="roll page")

    @task(1)
    def login_page_baseline(self):
        self.client.get("/accounts/login/", name="login page")


class Coordinator(Staff):
    weight = 2

    def username_for(self, n):
        return f"load-koordinator-{n % 4}"

    @task(5)
    def report(self):
        self.client.get(f"/programs/{PROGRAM}/report/", name="program report")

    @task(2)
    def rollup(self):
        self.client.get(f"/organizations/{ORGANIZATION}/rollup/", name="roll-up")

    @task(1)
    def rollup_job(self):
        with self.post(f"/organizations/{ORGANIZATION}/rollup/job/", {}, "start roll-up job") as r:
            r.success() if r.status_code in (200, 302) else r.failure(f"HTTP {r.status_code}")


class Participant(HttpUser):
    weight = 2
    wait_time = between(1, 3)

    def on_start(self):
        self.client.base_url = next(_next_host)

    @task
    def answer(self):
        url = f"/s/{SURVEY_TOKEN}/"
        page = self.client.get(url, name="public survey")
        data, seen = {"phone": random.choice(PHONES)}, set()
        for tag, attrs in fields(page.text):
            name = attrs.get("name")
            if not name or name in seen or name == "phone":
                continue
            kind = attrs.get("type", tag)
            if kind in {"radio", "checkbox"}:
                data[name] = attrs.get("value", "")
                seen.add(name)
            elif kind in {"text", "textarea", "number"}:
                data[name] = "3" if kind == "number" else "baik"
                seen.add(name)
            elif kind == "hidden":
                data[name] = attrs.get("value", "")
        with self.client.post(
            url,
            data,
            headers={"Referer": self.client.base_url + url},
            name="public survey answer",
            catch_response=True,
            allow_redirects=False,
        ) as response:
            # 429 is the rate limit doing its job: one address sends all of these.
            if response.status_code in (200, 302, 429):
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}")


class Marker(FastHttpUser):
    """A facilitator tapping as fast as the server answers (the marks-only run)."""

    abstract = True
    wait_time = constant(0)

    def on_start(self):
        # Half the markers on each server, as a proxy would spread them (the
        # client was made for --host already: its base is what requests use).
        self.host = self.client.base_url = next(_next_host)
        # A session signed in by world.py, and a CSRF secret of our own, sent
        # as Django accepts it: the same 32 characters as cookie and as field.
        self.token = uuid.uuid4().hex
        session = SESSIONS[next(_next_user) % len(SESSIONS)]
        self.cookie = f"{SESSION_COOKIE}={session}; csrftoken={self.token}"

    def tap(self, url, data, name, kind):
        """As the phone's outbox sends a tap (static/js/outbox.js): its id as
        mark_id and X-Outbox-Id, the tap's and the sending's times, the CSRF
        token as a header; acknowledged only by a 2xx carrying the receipt."""
        mark_id = str(uuid.uuid4())
        now = str(int(time.time() * 1000))
        with self.client.post(
            url,
            data={**data, "mark_id": mark_id, "tapped_at": now, "sent_at": now},
            headers={
                "Referer": self.host + url,
                "HX-Request": "true",
                "X-CSRFToken": self.token,
                "X-Outbox-Id": mark_id,
                "Cookie": self.cookie,
            },
            name=name,
            catch_response=True,
        ) as response:
            receipt = response.headers.get("X-Outbox-Id") == mark_id
            if 200 <= response.status_code < 300 and receipt:
                ACKS.write(f"{kind} {mark_id}\n")
                response.success()
            else:
                response.failure(f"HTTP {response.status_code}, receipt {receipt}")
            return response


class AttendanceMarker(Marker):
    @task
    def mark(self):
        session = random.choice(list(ROLLS))
        self.tap(
            f"/programs/{PROGRAM}/sessions/{session}/attendance/mark/",
            {"participant": random.choice(ROLLS[session]), "status": random.choice(STATUSES)},
            "attendance mark",
            "a",
        )


class StepMarker(Marker):
    def on_start(self):
        super().on_start()
        # Each marker taps only its own steps: two people on one step at once is
        # a conflict the app reports (and records nothing), not a lost mark.
        self.steps = STEPS[next(_next_stepper) % STEP_MARKERS :: STEP_MARKERS]
        # The version each step's row last showed, sent back as the phone does.
        self.versions = {(track, step): version for _p, track, step, version in self.steps}

    @task
    def mark(self):
        participant, track, step, _version = random.choice(self.steps)
        response = self.tap(
            f"/programs/{PROGRAM}/participants/{participant}/checklists/{track}/steps/{step}/",
            {
                "state": random.choice(["done", "not_started"]),
                "version": self.versions[track, step],
            },
            "step mark",
            "s",
        )
        shown = re.search(r'name="version" value="(\d+)"', response.text or "")
        if shown:
            self.versions[track, step] = int(shown.group(1))
