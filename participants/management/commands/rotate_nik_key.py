from django.core.management.base import BaseCommand

from participants.services import participants_nik_rekey


class Command(BaseCommand):
    help = (
        "Re-encrypt and re-hash every NIK under PKK_NIK_KEY, in one transaction. "
        "Set the new key in PKK_NIK_KEY and the previous one(s) in PKK_NIK_OLD_KEYS "
        "(comma-separated), run this, then drop PKK_NIK_OLD_KEYS."
    )

    def handle(self, *args, **options):
        people, imports = participants_nik_rekey()
        self.stdout.write(
            f"{people} NIK(s) and the NIKs of {imports} import(s) re-encrypted "
            "under the current key."
        )
