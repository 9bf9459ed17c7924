"""The report's annex: each participant's checklists, steps satisfied / total."""

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
