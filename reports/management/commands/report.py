import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.loader import render_to_string
from django.utils import translation

from pkk_training.pdf import render_pdf
from programs.models import Organization, Program
from reports import rollup, selectors
from reports.exports import program_report_xlsx


class Command(BaseCommand):
    help = (
        "Write a program's evaluation report (html, pdf, json or xlsx), or with "
        "--organization one PDF per program plus the roll-up into a folder."
    )

    def add_arguments(self, parser):
        parser.add_argument("program", nargs="?", help="the program's slug")
        parser.add_argument("--organization", help="an organization's slug: every program")
        parser.add_argument("--format", choices=["html", "pdf", "json", "xlsx"], default="pdf")
        parser.add_argument(
            "--output", required=True, help="a file, or a folder with --organization"
        )
        parser.add_argument("--annex", action="store_true", help="add each participant's status")
        parser.add_argument("--language", default="id", choices=["id", "en"])

    def handle(
        self,
        *args,
        program=None,
        organization=None,
        format="pdf",
        output,
        annex=False,
        language="id",
        **options,
    ):
        if bool(program) == bool(organization):
            raise CommandError("Name either a program slug or --organization SLUG.")
        with translation.override(language):
            if organization:
                self._organization(organization, format, Path(output), annex)
            else:
                self._program(program, format, Path(output), annex)

    def _program(self, slug, file_format, output, annex):
        program = Program.objects.select_related("organization").filter(slug=slug).first()
        if program is None:
            raise CommandError(f"No program with the slug {slug!r}.")
        output.parent.mkdir(parents=True, exist_ok=True)
        if file_format == "json":
            output.write_text(json.dumps(program_json(program), ensure_ascii=False, indent=2))
        elif file_format == "xlsx":
            output.write_bytes(program_report_xlsx(program))
        elif file_format == "html":
            context = selectors.program_report(program, annex=annex)
            output.write_text(render_to_string("reports/program_report_pdf.html", context))
        else:
            context = selectors.program_report(program, annex=annex)
            output.write_bytes(render_pdf("reports/program_report_pdf.html", context))
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


def program_json(program):
    return {
        "program": program.slug,
        "name": program.name,
        "organization": program.organization.name,
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
            }
            for r in selectors.program_indicators(program)
        ],
    }
