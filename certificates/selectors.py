"""Who may have a certificate and why not, built on the report's indicator sets."""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from certificates.models import Certificate, CertificateSettings
from participants.models import Enrollment
from reports.enums import SuccessSource
from reports.indicators import who_succeeded
from reports.models import Indicator
from surveys.selectors import survey_scores


@dataclass
class Criterion:
    label: str
    met: set  # ids of the participants enrolled who fulfil it


@dataclass
class Row:
    enrollment: object
    certificate: object | None
    missing: list = field(default_factory=list)  # labels of the unmet conditions

    @property
    def eligible(self):
        return not self.missing


@dataclass
class Eligibility:
    settings: object
    criteria: list
    rows: list

    @property
    def has_rule(self):
        return bool(self.criteria)

    @property
    def eligible_count(self):
        return sum(1 for row in self.rows if row.eligible)

    @property
    def issued_count(self):
        return sum(1 for row in self.rows if row.certificate)

    @property
    def pending(self):
        """Eligible and without a valid certificate: what "generate" would issue."""
        return [row for row in self.rows if row.eligible and row.certificate is None]


def certificate_settings(program):
    settings = CertificateSettings.objects.filter(program=program).first()
    return settings or CertificateSettings(program=program)


def criteria(program, settings, enrolled):
    """The rule's conditions, each the set an indicator of the same source counts."""
    out = []
    if settings.min_sessions:
        indicator = Indicator(
            program=program, source=SuccessSource.ATTENDED_MIN, min_sessions=settings.min_sessions
        )
        _counted, met = who_succeeded(indicator, program)
        out.append(
            Criterion(_("attended at least %(n)d sessions") % {"n": settings.min_sessions}, met)
        )
    if settings.checklist_id:
        indicator = Indicator(program=program, source=SuccessSource.CHECKLIST_COMPLETE)
        indicator.template_ids = [settings.checklist_id]
        _counted, met = who_succeeded(indicator, program)
        out.append(
            Criterion(_("completed “%(checklist)s”") % {"checklist": settings.checklist.name}, met)
        )
    if settings.post_test_id and settings.min_score is not None:
        scores = survey_scores(settings.post_test)
        met = {pid for pid, score in scores.items() if score >= settings.min_score}
        out.append(
            Criterion(
                _("scored at least %(score)d on “%(survey)s”")
                % {"score": settings.min_score, "survey": settings.post_test.title},
                met & enrolled,
            )
        )
    return out


def eligibility(program):
    settings = certificate_settings(program)
    enrollments = list(
        Enrollment.objects.active()
        .filter(program=program)
        .select_related("participant")
        .order_by("participant__full_name", "pk")
    )
    conditions = criteria(program, settings, {e.participant_id for e in enrollments})
    valid = {
        c.enrollment_id: c
        for c in Certificate.objects.filter(program=program, revoked_at__isnull=True).only(
            "pk", "enrollment_id", "number", "code", "sequence", "issued_at"
        )
    }
    rows = []
    for enrollment in enrollments:
        pid = enrollment.participant_id
        if conditions:
            missing = [c.label for c in conditions if pid not in c.met]
        else:
            missing = [_("no rule set yet")]
        rows.append(Row(enrollment, valid.get(enrollment.pk), missing))
    return Eligibility(settings, conditions, rows)


def program_certificates(program):
    return (
        Certificate.objects.filter(program=program)
        .select_related("enrollment__participant")
        .defer("pdf")
        .order_by("sequence")
    )


def scan_tool_context(request, session):
    return {
        "scan_url": reverse(
            "card_scan", kwargs={"program_slug": session.program.slug, "session_id": session.pk}
        )
    }
