from django.core.management.base import BaseCommand

from participants.services import pending_imports_purge


class Command(BaseCommand):
    help = (
        "Delete personal data kept longer than needed: uploads never confirmed "
        "within 24 hours. Run it from cron (e.g. hourly)."
    )

    def handle(self, *args, **options):
        pending = pending_imports_purge()
        self.stdout.write(f"pending imports deleted: {pending}")
