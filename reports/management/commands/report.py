import argparse
import datetime as dt
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import timezone, translation

from pkk_training.pdf import render_pdf
from programs.models import Organization, Program
from reports import rollup, selectors
from reports.exports import program_report_xlsx
from reports.word import program_report_docx_bytes

TEXT_FORMATS = ("json", "html")


def as_of_date(value):
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = (
        "Write a program's evaluation report (html, pdf, docx, json or xlsx), or with "
        "--organization one PDF per program plus the roll-up into a folder. "
        "json and html go to standard output when --output is left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("program", nargs="?", help="the program's slug")
        parser.add_argument("--organization", help="an organization's slug: every program")
        parser.add_argument(
            "--format", choices=["html", "pdf", "docx", "json", "xlsx"], default="pdf"
        )
        parser.add_argument(
            "--output",
            help="a file, or a folder with --organization (json, html: stdout if left out)",
        )
        parser.add_argument(
            "--as-of",
            type=as_of_date,
            dest="as_of",
            help="count only what was recorded up to the end of this day (YYYY-MM-DD)",
        )
        parser.add_argument("--annex", action="store_true", help="add each participant's status")
        parser.add_argument("--language", default="id", choices=["id", "en"])

    def handle(
        self,
        *args,
        program=None,
        organization=None,
        format="pdf",
        output=None,
        annex=False,
        language="id",
        as_of=None,
        **options,
    ):
        if bool(program) == bool(organization):
            raise CommandError("Name either a program slug or --organization SLUG.")
        if output is None and (organization or format not in TEXT_FORMATS):
            raise CommandError(
                f"--output is needed for {'--organization' if organization else format}; "
                f"only {' and '.join(TEXT_FORMATS)} can go to standard output."
            )
        if as_of and as_of > timezone.localdate():
            raise CommandError(f"--as-of {as_of} is in the future.")
        with translation.override(language):
            if organization:
                self._organization(organization, format, Path(output), annex)
            else:
                self._program(program, format, output and Path(output), annex, as_of)

    def _program(self, slug, file_format, output, annex, as_of):
        program = Program.objects.select_related("organization").filter(slug=slug).first()
        if program is None:
            raise CommandError(f"No program with the slug {slug!r}.")
        if file_format == "json":
            content = json.dumps(program_json(program, as_of=as_of), ensure_ascii=False, indent=2)
        elif file_format == "html":
            context = selectors.program_report(program, annex=annex, as_of=as_of)
            content = render_to_string("reports/program_report_pdf.html", context)
        elif file_format == "xlsx":
            content = program_report_xlsx(program, as_of=as_of)
        elif file_format == "docx":
            context = selectors.program_report(program, annex=annex, as_of=as_of)
            content = program_report_docx_bytes(context)
        else:
            context = selectors.program_report(program, annex=annex, as_of=as_of)
            content = render_pdf("reports/program_report_pdf.html", context)
        if output is None:
            self.stdout.write(content)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            output.write_text(content, encoding="utf-8")
        else:
            output.write_bytes(content)
        self.stdout.write(f"{output}")

    def _organization(self, slug, file_format, folder, annex):
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise CommandError(f"No organization with the slug {slug!r}.")
        if file_format != "pdf":
            raise CommandError("With --organization the format is pdf.")
        folder.mkdir(parents=True, exist_ok=True)
        programs = organization.programs.order_by("name")
        for program in programs:
            context = selectors.program_report(program, annex=annex)
            path = folder / f"{program.slug}.pdf"
            path.write_bytes(render_pdf("reports/program_report_pdf.html", context))
            self.stdout.write(f"{path}")
        table = rollup.rollup(organization, programs, rollup.RollupFilters())
        path = folder / f"rekap-{organization.slug}.pdf"
        path.write_bytes(
            render_pdf(
                "reports/rollup_pdf.html",
                {"organization": organization, "table": table, "query": ""},
            )
        )
        self.stdout.write(f"{path}")


def program_json(program, *, as_of=None):
    return {
        "program": program.slug,
        "name": program.name,
        "organization": program.organization.name,
        "as_of": as_of.isoformat() if as_of else None,
        "indicators": [
            {
                "label": r.indicator.label,
                "numerator": r.numerator,
                "denominator": r.denominator,
                "percentage": None if r.empty else round(r.percent, 1),
                "failure": {
                    "count": r.rest,
                    "percentage": None if r.empty else round(r.rest_percent, 1),
                    "reasons": [{"reason": label, "count": n} for label, n in r.reasons],
                },
                "sentence": r.sentence,
                "base": r.base,
            }
            for r in selectors.program_indicators(program, as_of=as_of)
        ],
    }
