"""All the programs of an organization side by side, one row each."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from checklists.models import ChecklistTemplate, Track
from participants.models import Enrollment
from programs import regions
from reports.indicators import evaluate_programs, with_links
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
        """Regency and district are Kemendagri codes (18.08, 18.08.02)."""
        if self.year:
            programs = programs.filter(start_date__year=self.year)
        if self.regency:
            programs = programs.filter(regency_code=self.regency)
        if self.district:
            programs = programs.filter(district_code=self.district)
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
    labelled: list = field(default_factory=list)  # [(label, cell)], for stacked rows on a phone

    @property
    def attendance_rate(self):
        return 100 * self.attended / self.eligible if self.eligible else None


@dataclass
class Sum:
    """Numerator over denominator added up over several programs."""

    numerator: int = 0
    denominator: int = 0

    @property
    def empty(self):
        return self.denominator == 0

    @property
    def percent(self):
        return 100 * self.numerator / self.denominator if self.denominator else None


@dataclass
class RollupTotal:
    """A total or subtotal row: people added up, percentages recomputed from them."""

    label: str
    level: int  # 0: everything, 1: a regency, 2: a district
    programs: int = 0
    enrolled: int = 0
    attended: int = 0
    eligible: int = 0
    cells: list = field(default_factory=list)  # Sum per table label
    labelled: list = field(default_factory=list)

    @property
    def attendance_rate(self):
        return 100 * self.attended / self.eligible if self.eligible else None

    def add(self, row):
        self.programs += 1
        self.enrolled += row.enrolled
        self.attended += row.attended
        self.eligible += row.eligible
        for total, result in zip(self.cells, row.cells, strict=True):
            if result is not None:
                total.numerator += result.numerator
                total.denominator += result.denominator


@dataclass
class RollupLine:
    """One printed row: a program, or the subtotal closing its district or regency."""

    row: RollupRow | None = None
    total: RollupTotal | None = None


def _region_name(code, fallback):
    region = regions.region(code) if code else None
    return region.name if region else fallback


@dataclass
class RollupTable:
    labels: list
    rows: list

    def __post_init__(self):
        # Programs need not share every indicator: line each row up with the columns.
        for row in self.rows:
            row.cells = [row.indicators.get(label) for label in self.labels]
            row.labelled = list(zip(self.labels, row.cells, strict=True))
        self.total = self._total(_("All programs"), 0)
        self.subtotals, self.lines = [], []
        # Grouped by official code, programs keep their sort order inside a
        # district; programs without codes come last, in a group of their own.
        regencies = defaultdict(lambda: defaultdict(list))
        for row in self.rows:
            self.total.add(row)
            program = row.program
            regencies[program.regency_code][program.district_code].append(row)
        for regency_code in sorted(regencies, key=lambda code: (not code, code)):
            name = _region_name(regency_code, _("(location not coded)"))
            regency_total = self._total(name, 1)
            for district_code in sorted(regencies[regency_code], key=lambda c: (not c, c)):
                district_rows = regencies[regency_code][district_code]
                district_total = self._total(_region_name(district_code, _("(no district)")), 2)
                for row in district_rows:
                    self.lines.append(RollupLine(row=row))
                    district_total.add(row)
                    regency_total.add(row)
                if regency_code:
                    self.subtotals.append(district_total)
                    self.lines.append(RollupLine(total=district_total))
            self.subtotals.append(regency_total)
            self.lines.append(RollupLine(total=regency_total))
        if self.rows:
            self.lines.append(RollupLine(total=self.total))

    def _total(self, label, level):
        cells = [Sum() for _label in self.labels]
        return RollupTotal(
            label=label,
            level=level,
            cells=cells,
            labelled=list(zip(self.labels, cells, strict=True)),
        )

    @property
    def wide(self):
        """Many indicator columns: the PDF uses smaller type so none is dropped."""
        return len(self.labels) > 4

    def plain_header(self):
        """Each indicator as three number columns (successful, counted, %), so sheets sum."""
        indicator_columns = []
        for label in self.labels:
            indicator_columns += [
                _("%(label)s: successful") % {"label": label},
                _("%(label)s: counted") % {"label": label},
                _("%(label)s: %%") % {"label": label},
            ]
        return [
            _("Program"),
            _("Village"),
            _("District"),
            _("Regency"),
            _("Start"),
            _("Enrolled"),
            _("Attended"),
            _("Counted"),
            _("Attendance %"),
            *indicator_columns,
        ]

    def plain_rows(self):
        """The programs of each district, its subtotal under them, each regency's
        subtotal under its districts, then the total: as printed."""
        rows = []
        for line in self.lines:
            if line.row is not None:
                program = line.row.program
                head = [program.name, program.village, program.district, program.regency]
                rows.append(self._plain(head + [program.start_date], line.row))
                continue
            total = line.total
            if total.level == 0:
                head = [total.label, "", "", ""]
            elif total.level == 1:
                head = [_("Subtotal"), "", "", total.label]
            else:
                head = [_("Subtotal"), "", total.label, ""]
            rows.append(self._plain(head + [None], total))
        return rows

    @staticmethod
    def _plain(head, row):
        cells = [
            *head,
            row.enrolled,
            row.attended,
            row.eligible,
            None if row.attendance_rate is None else round(row.attendance_rate, 1),
        ]
        for result in row.cells:
            if result is None:
                cells += [None, None, None]
            else:
                cells += [
                    result.numerator,
                    result.denominator,
                    None if result.empty else round(result.percent, 1),
                ]
        return cells


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
        .prefetch_related("indicators")
        .order_by("name")
    )
    with_links(indicator for program in programs for indicator in program.indicators.all())
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


def _coded(codes):
    return [(code, _region_name(code, code)) for code in sorted(set(codes) - {""})]


def filter_choices(programs):
    """The years, regencies and districts (code, name) the programs have."""
    rows = list(programs.values_list("start_date", "regency_code", "district_code"))
    return {
        "years": sorted({start.year for start, _r, _d in rows}, reverse=True),
        "regencies": _coded(regency for _s, regency, _d in rows),
        "districts": _coded(district for _s, _r, district in rows),
        "templates": ChecklistTemplate.objects.filter(Q(tracks__enrollment__program__in=programs))
        .distinct()
        .order_by("name"),
    }
