"""All the programs of an organization side by side, one row each."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from checklists.models import ChecklistTemplate, Track
from participants.models import Enrollment
from reports.indicators import evaluate_programs
from sessions.models import TrainingSession
from sessions.selectors import sessions_with_attendance


@dataclass
class RollupFilters:
    year: int | None = None
    regency: str = ""
    district: str = ""
    template: int | None = None
    sort: str = "name"

    @classmethod
    def from_cleaned(cls, data):
        """From RollupFilterForm's cleaned data (see pkk_training.forms.query_params)."""
        return cls(
            year=data["year"],
            regency=data["regency"],
            district=data["district"],
            template=data["template"],
            sort=data["sort"] or "name",
        )

    def apply(self, programs):
        if self.year:
            programs = programs.filter(start_date__year=self.year)
        if self.regency:
            programs = programs.filter(regency=self.regency)
        if self.district:
            programs = programs.filter(district=self.district)
        if self.template:
            follows = Track.objects.filter(
                enrollment__program=OuterRef("pk"), template_id=self.template
            )
            programs = programs.filter(Exists(follows))
        return programs


@dataclass
class RollupRow:
    program: object
    enrolled: int
    attended: int
    eligible: int
    indicators: dict = field(default_factory=dict)  # label → IndicatorResult
    cells: list = field(default_factory=list)  # IndicatorResult or None, one per table label

    @property
    def attendance_rate(self):
        return 100 * self.attended / self.eligible if self.eligible else None


@dataclass
class RollupTable:
    labels: list
    rows: list

    def __post_init__(self):
        # Programs need not share every indicator: line each row up with the columns.
        for row in self.rows:
            row.cells = [row.indicators.get(label) for label in self.labels]

    def plain_header(self):
        return [
            _("Program"),
            _("Village"),
            _("District"),
            _("Regency"),
            _("Start"),
            _("Enrolled"),
            _("Attendance %"),
            *self.labels,
        ]

    def plain_rows(self):
        rows = []
        for row in self.rows:
            cells = [
                row.program.name,
                row.program.village,
                row.program.district,
                row.program.regency,
                row.program.start_date,
                row.enrolled,
                None if row.attendance_rate is None else round(row.attendance_rate, 1),
            ]
            for result in row.cells:
                cells.append(
                    None
                    if result is None or result.empty
                    else f"{round(result.percent)}% ({result.numerator}/{result.denominator})"
                )
            rows.append(cells)
        return rows


def rollup(organization, programs, filters):
    """One row per program; queries grow with programs and indicators, not people."""
    active = Enrollment.objects.active().filter(program=OuterRef("pk"))
    programs = list(
        filters.apply(programs)
        .annotate(
            enrolled=Coalesce(
                Subquery(active.order_by().values("program").annotate(n=Count("pk")).values("n")),
                0,
            )
        )
        .prefetch_related("indicators__templates", "indicators__success_choices")
        .order_by("name")
    )
    labels, rows = [], []
    sessions_of = defaultdict(list)
    for session in sessions_with_attendance(TrainingSession.objects.filter(program__in=programs)):
        if session.roll_taken:
            sessions_of[session.program_id].append(session)
    # The roll-up shows no failure reasons: skip their queries.
    results = evaluate_programs(
        [(program, list(program.indicators.all())) for program in programs], with_reasons=False
    )
    for program in programs:
        sessions = sessions_of[program.pk]
        row = RollupRow(
            program=program,
            enrolled=program.enrolled,
            attended=sum(s.n_attended for s in sessions),
            eligible=sum(s.n_eligible for s in sessions),
        )
        for result in results[program.pk]:
            if result.indicator.label not in labels:
                labels.append(result.indicator.label)
            row.indicators[result.indicator.label] = result
        rows.append(row)
    rows.sort(key=_sort_key(filters.sort, labels), reverse=filters.sort.startswith("-"))
    return RollupTable(labels=labels, rows=rows)


def _sort_key(sort, labels):
    key = sort.lstrip("-")
    if key == "enrolled":
        return lambda row: row.enrolled
    if key == "attendance":
        return lambda row: (row.attendance_rate is not None, row.attendance_rate or 0)
    if key.startswith("i") and key[1:].isdigit() and int(key[1:]) < len(labels):
        label = labels[int(key[1:])]

        def by_indicator(row):
            result = row.indicators.get(label)
            return (result is not None and not result.empty, (result.percent or 0) if result else 0)

        return by_indicator
    return lambda row: row.program.name.lower()


def filter_choices(programs):
    return {
        "years": sorted(
            {d.year for d in programs.values_list("start_date", flat=True)}, reverse=True
        ),
        "regencies": sorted(set(programs.values_list("regency", flat=True))),
        "districts": sorted(set(programs.values_list("district", flat=True))),
        "templates": ChecklistTemplate.objects.filter(Q(tracks__enrollment__program__in=programs))
        .distinct()
        .order_by("name"),
    }
