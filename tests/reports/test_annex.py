"""The report's checklists: the annex's steps satisfied / total per participant,
the completions and the days from the training to each."""

import datetime as dt

from django.utils import timezone

from checklists import services as checklists
from reports import selectors
from tests.factories import ChecklistTemplateFactory, TrackFactory, program_of_size


def _annex(program):
    return [
        (
            e.participant.full_name,
            [
                (t.template.name, t.satisfied, t.total, bool(t.completed_at))
                for t in e.report_tracks
            ],
        )
        for e in selectors.program_report(program, annex=True)["annex"]
    ]


def test_annex_counts_current_required_steps_of_each_checklist(db):
    sized = program_of_size(2)
    first = sized.enrollments[0]
    other = ChecklistTemplateFactory(
        organization=sized.program.organization, name="Unggah produk", steps=["Foto", "Video"]
    )
    foto, video = checklists.current_steps(other)
    checklists.step_update(step=video, title="Video", required=False)
    checklists.progress_mark(
        track=TrackFactory(enrollment=first, template=other),
        step=foto,
        state="done",
        by=sized.facilitator,
    )
    name = sized.template.name
    before = _annex(sized.program)

    # A step with progress is replaced (its progress stays on the archived one);
    # one without becomes optional.
    daftar, _ktp, produk = checklists.current_steps(sized.template)
    checklists.step_update(step=daftar, title="Daftar akun")
    checklists.step_update(step=produk, title="Tambah produk", required=False)

    assert (before, _annex(sized.program)) == (
        [
            ("Peserta 00", [(name, 1, 3, False), ("Unggah produk", 1, 1, True)]),
            ("Peserta 01", [(name, 1, 3, False)]),
        ],
        [
            ("Peserta 00", [(name, 0, 2, False), ("Unggah produk", 1, 1, True)]),
            ("Peserta 01", [(name, 0, 2, False)]),
        ],
    )


def test_checklists_count_completions_and_days_from_the_training_as_of_a_day(db):
    sized = program_of_size(3)
    steps = checklists.current_steps(sized.template)
    for i, enrollment in enumerate(sized.enrollments):
        # The training is on 5 August 2023: completed 0, 2 and 4 days later, early in
        # the morning (the day before in UTC), so the local day is what counts.
        at = timezone.make_aware(dt.datetime(2023, 8, 5 + 2 * i, 6, 30))
        for step in steps:
            checklists.progress_mark(
                track=enrollment.tracks.get(),
                step=step,
                state="done",
                by=sized.facilitator,
                at=at,
            )

    def figures(as_of):
        report = selectors.program_report(sized.program, as_of=as_of)["checklists"][0]
        return (report.funnel.tracks, report.funnel.completed, report.days_to_complete)

    assert [figures(None), figures(dt.date(2023, 8, 7)), figures(dt.date(2023, 8, 6))] == [
        (3, 3, [0, 2, 4]),
        (3, 2, [0, 2]),
        (3, 1, [0]),
    ]
