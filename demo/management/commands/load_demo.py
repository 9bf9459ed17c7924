from django.core.management.base import BaseCommand

from demo.services import PROGRAM_SLUG, demo_load
from programs.models import Program


class Command(BaseCommand):
    help = "Build the seed report's demo program (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give the demo users new random passwords and print them.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds a program.",
        )

    def handle(self, *args, reset_passwords=False, if_empty=False, **options):
        if if_empty and Program.objects.exists():
            self.stdout.write(
                "The database already has programs; demo not loaded. "
                "(`make demo-logins` prints new demo logins.)"
            )
            return
        result = demo_load(reset_passwords=reset_passwords)
        verb = "Created" if result.created else "Checked"
        self.stdout.write(self.style.SUCCESS(f"{verb} the demo program /programs/{PROGRAM_SLUG}/"))
        if result.passwords:
            self.stdout.write(login_box(result.passwords))
        else:
            self.stdout.write(
                "Demo users exist already; their passwords are unchanged "
                "(`make demo-logins` prints new ones)."
            )


def login_box(passwords):
    """The logins framed, so they stand out among the server's start-up lines."""
    lines = [
        "Demo logins (username / password):",
        *[f"  {username:<12} {password}" for username, password in passwords.items()],
        "Sign in at /accounts/login/ ; `make demo-logins` prints new passwords.",
    ]
    width = max(len(line) for line in lines)
    rule = "+" + "-" * (width + 2) + "+"
    return "\n".join([rule, *[f"| {line:<{width}} |" for line in lines], rule])
