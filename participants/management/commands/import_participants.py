from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from participants.enums import ConsentMethod
from participants.services import participants_import
from participants.spreadsheets import IGNORE, IMPORT_FIELDS, MAX_UPLOAD_BYTES, header_key
from programs.models import Program


class Command(BaseCommand):
    help = "Import a village spreadsheet (xlsx or csv) of participants into a program."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--program", required=True, help="the program's slug")
        parser.add_argument(
            "--consent",
            required=True,
            choices=ConsentMethod.values,
            help="how the participants gave consent (e.g. paper: the signed registration forms)",
        )
        parser.add_argument("--consent-note", default="")
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument(
            "--valid-only", action="store_true", help="import the valid rows, skip invalid ones"
        )
        parser.add_argument("--user", help="username recorded as the importer")
        parser.add_argument("--sheet", help="the sheet to read (default: the one holding the list)")
        parser.add_argument(
            "--max-size",
            type=int,
            default=MAX_UPLOAD_BYTES // (1024 * 1024),
            metavar="MB",
            help="accept files up to this size, with row limits raised in proportion "
            "(default: the web page's %(default)s MB); the rows are read as they are written",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=f"map a column by its header: FIELD is one of {', '.join(IMPORT_FIELDS)} "
            f"or {IGNORE} to ignore it (repeatable)",
        )

    def handle(
        self,
        *args,
        file,
        program,
        consent,
        consent_note="",
        dry_run=False,
        valid_only=False,
        user=None,
        sheet=None,
        map=(),  # noqa: A002 (the option's name)
        max_size=MAX_UPLOAD_BYTES // (1024 * 1024),
        **options,
    ):
        if max_size < 1:
            raise CommandError("--max-size is a number of megabytes, at least 1.")
        mapping = {}
        for item in map:
            header, _eq, field = item.partition("=")
            if not _eq or field.strip() not in set(IMPORT_FIELDS) | {IGNORE}:
                raise CommandError(
                    f"--map {item!r}: write HEADER=FIELD, FIELD one of "
                    f"{', '.join(IMPORT_FIELDS)} or {IGNORE}."
                )
            mapping[header_key(header)] = field.strip()
        target = Program.objects.select_related("organization").filter(slug=program).first()
        if target is None:
            raise CommandError(f"No program with the slug {program!r}.")
        by = get_user_model().objects.filter(username=user).first() if user else None
        if user and by is None:
            raise CommandError(f"No user {user!r}.")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No file {file!r}.")
        if path.stat().st_size > max_size * 1024 * 1024:
            raise CommandError(
                f"{path.name} is larger than {max_size} MB: raise --max-size to import it."
            )
        try:
            report = participants_import(
                program=target,
                by=by,
                file_name=path.name,
                content=path.read_bytes(),
                consent_method=consent,
                consent_note=consent_note,
                dry_run=dry_run,
                valid_only=valid_only,
                sheet=sheet,
                mapping=mapping,
                max_bytes=max_size * 1024 * 1024,
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"new {report.new}, updated {report.updated}, unchanged {report.unchanged}, "
            f"repeated in the file {len(report.duplicates)}, "
            f"invalid rows {len(report.invalid_rows)}, conflicts {len(report.conflicts)}, "
            f"skipped {len(report.skipped)}"
        )
        for row, column, reason in report.invalid:
            self.stdout.write(f"  row {row}, {column}: {reason}")
        for row, why in report.skipped:
            self.stdout.write(f"  row {row} skipped: {why}")
        for conflict in report.conflicts:
            self.stdout.write(
                f"  row {conflict.row}: conflict, left out: {conflict.reason} "
                f"({conflict.incoming['full_name']!r} / {conflict.existing.full_name!r}); "
                "decide it in the import page"
            )
        for row, name, _existing in report.near_duplicates:
            self.stdout.write(f"  row {row}: {name!r} is new, but the name is already known")
        if report.written:
            self.stdout.write(self.style.SUCCESS("Written."))
        elif dry_run:
            self.stdout.write("Dry run: nothing was written.")
        else:
            raise CommandError(
                "Invalid rows or conflicts: nothing was written "
                "(use --valid-only to leave them out)."
            )
