from django.core.management.base import BaseCommand

from participants.services import (
    import_temp_files_purge,
    participants_retention_purge,
    pending_imports_purge,
)


class Command(BaseCommand):
    help = (
        "Delete personal data kept longer than needed: uploads never confirmed "
        "within 24 hours (in-app and the Django admin's temporary copies), and "
        "participants past their organization's retention period (anonymised, "
        "counts kept). Run it from cron (e.g. hourly)."
    )

    def handle(self, *args, **options):
        pending = pending_imports_purge()
        temp_files = import_temp_files_purge()
        erased = participants_retention_purge()
        self.stdout.write(f"pending imports deleted: {pending}")
        self.stdout.write(f"admin import temp files deleted: {temp_files}")
        self.stdout.write(f"participants anonymised after retention: {erased}")
