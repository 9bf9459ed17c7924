"""A participant's step rows, written in Python (checklists/step_markup.py)."""

import datetime as dt
import re
import uuid

from django.urls import reverse

from checklists import services
from tests.factories import TrackFactory, UserFactory

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def checklists_url(track):
    e = track.enrollment
    return reverse("participant_checklists", args=[e.program.slug, e.participant_id])


def mark_url(track, step):
    e = track.enrollment
    return reverse("progress_mark", args=[e.program.slug, e.participant_id, track.pk, step.pk])


def row_in(html, track, step):
    """The page's <li> of one step, its CSRF token blanked (masked anew per response)."""
    row = re.search(rf'<li class="step-row" id="step-{track.pk}-{step.pk}".*?</li>\n', html, re.S)
    return CSRF.sub('name="csrfmiddlewaretoken" value=""', row.group(0))


def test_a_marks_answer_is_the_row_the_page_shows(login, facilitator, enrollment):
    # The outbox swaps the answer in place of the row: the two must not drift.
    track = TrackFactory(enrollment=enrollment)
    _first, second, _third = services.current_steps(track.template)
    client = login(facilitator)

    answer = client.post(
        mark_url(track, second),
        {
            "state": "blocked",
            "reason": track.template.blocker_reasons.get(code="other").pk,
            "note": "HP rusak",
            "version": 0,
            "mark_id": str(uuid.uuid4()),
        },
        HTTP_HX_REQUEST="true",
    )
    page = client.get(checklists_url(track))

    assert answer.status_code == 200
    assert CSRF.sub('name="csrfmiddlewaretoken" value=""', answer.content.decode()) == row_in(
        page.content.decode(), track, second
    )


def test_a_blocked_row_in_full(login, facilitator, enrollment, settings):
    settings.TIME_ZONE = "Asia/Jakarta"
    track = TrackFactory(enrollment=enrollment)
    _first, second, _third = services.current_steps(track.template)
    second.how_to = "Foto KTP\nterang, tidak buram"
    second.save()
    services.template_changed(template=track.template)
    facilitator.first_name = "Rina"
    facilitator.save()
    documents = track.template.blocker_reasons.get(code="documents")
    services.progress_mark(
        track=track,
        step=second,
        state="blocked",
        reason=documents,
        note="KTP hilang",
        by=facilitator,
        at=dt.datetime(2023, 8, 12, 2, 5, tzinfo=dt.UTC),
    )

    html = row_in(login(facilitator).get(checklists_url(track)).content.decode(), track, second)

    url, anchor = mark_url(track, second), f"step-{track.pk}-{second.pk}"
    reasons = "".join(
        f'<button name="reason" value="{r.pk}" class="reason-btn" '
        f'aria-pressed="{"true" if r == documents else "false"}">{r.label}</button>'
        for r in track.template.blocker_reasons.filter(archived=False).order_by("position")
    )
    form = (
        f'<form method="post" action="{url}" data-outbox="step" data-outbox-target="#{anchor}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="">'
        '<input type="hidden" name="version" value="1">'
    )
    assert html == (
        f'<li class="step-row" id="{anchor}" data-mark-row data-state="blocked" data-required>\n'
        '<div class="step-head"><span class="step-no">2</span>'
        '<span class="step-title">Unggah KTP</span></div>\n'
        '<details class="step-how"><summary>Caranya</summary>'
        "<p>Foto KTP<br>terang, tidak buram</p></details>\n"
        f"\n{form}\n"
        '<div class="step-choices">\n'
        '<button name="state" value="done" class="roll-btn roll-present" aria-pressed="false">'
        "Selesai</button>\n"
        '<button name="state" value="not_applicable" class="roll-btn roll-excused" '
        'aria-pressed="false">Tidak berlaku</button>\n'
        '<button name="state" value="not_started" class="roll-btn" aria-pressed="false">'
        "Urungkan</button>\n"
        "</div></form>\n"
        '<details class="step-block" open><summary class="roll-btn roll-absent" '
        'aria-pressed="true">Terkendala: Dokumen wajib (KTP) gagal diunggah atau ditolak'
        "</summary>\n"
        f'{form}<input type="hidden" name="state" value="blocked">\n'
        f'<label class="form-label" for="note-{track.pk}-{second.pk}">'
        "Catatan (opsional, wajib untuk “lainnya”)</label>\n"
        f'<input class="form-control mb-2" id="note-{track.pk}-{second.pk}" name="note" '
        'maxlength="500" value="KTP hilang">\n'
        '<p class="app-meta mb-1">Ketuk alasannya:</p>\n'
        f'<div class="step-reasons">{reasons}</div>\n'
        "</form></details>\n"
        f'<p class="mb-1"><a class="btn btn-outline-secondary" href="?step={second.pk}'
        '#mentoring">Catat pendampingan untuk langkah ini</a></p>\n'
        '<p class="roll-state">Terkendala — “KTP hilang” · 12 Agu 09:05 · Rina</p>\n'
        '<p class="roll-error" role="alert" hidden></p>\n'
        "</li>\n"
    )


def test_the_rows_escape_what_people_typed(login, facilitator, enrollment):
    # Written without the template's autoescape: every typed value is escaped there.
    attack = '"><img src=x onerror=alert(1)>'
    track = TrackFactory(enrollment=enrollment)
    first, second, _third = services.current_steps(track.template)
    first.title, first.how_to = f"Daftar{attack}", f"Buka{attack}"
    first.save()
    other = track.template.blocker_reasons.get(code="other")
    other.label = f"Lainnya{attack}"
    other.save()
    services.template_changed(template=track.template)
    marker = UserFactory(first_name=f"Rina{attack}")
    services.progress_mark(
        track=track, step=first, state="blocked", reason=other, note=f"HP{attack}", by=marker
    )
    services.progress_mark(track=track, step=second, state="done", by=marker)

    html = login(facilitator).get(checklists_url(track)).content.decode()

    assert "<img" not in html
    # The title (in its row and the follow-up form's choices), the how-to, the note
    # (input and state line), the reason (summary, and a button in each of the three
    # rows), and who marked each of the two marked rows.
    assert html.count("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;") == 11


def test_a_mark_reads_its_reasons_once_per_process_and_anew_after_an_edit(
    login, facilitator, enrollment, django_assert_num_queries, monkeypatch
):
    from django.core.cache import cache

    track = TrackFactory(enrollment=enrollment)
    first, _second, _third = services.current_steps(track.template)
    client = login(facilitator)

    def mark(state, version):
        return client.post(
            mark_url(track, first),
            {"state": state, "version": version, "mark_id": str(uuid.uuid4())},
            HTTP_HX_REQUEST="true",
        ).content.decode()

    mark("done", 0)  # reads the reasons: from the database, then kept
    cache_reads = []
    monkeypatch.setattr(cache, "get_many", lambda keys: cache_reads.append(keys) or {})
    # Session, user, lookup, savepoint, the track's lock, 3 writes, release.
    with django_assert_num_queries(9):
        kept = mark("not_started", 1)
    monkeypatch.undo()
    services.reason_add(template=track.template, label="Sinyal hilang")
    edited = mark("done", 2)

    assert cache_reads == []
    assert kept.count('class="reason-btn"') == 8
    assert "Sinyal hilang" not in kept
    assert edited.count('class="reason-btn"') == 9
    assert ">Sinyal hilang</button>" in edited
