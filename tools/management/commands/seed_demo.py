from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tools.demo import DEFAULT_PASSWORD, DemoDataError, seed_demo


class Command(BaseCommand):
    help = "Create the demo accounts (UNODC staff, focal points for Kenya and Fiji). Idempotent."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="Password for all.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts share one known password).",
        )

    def handle(self, *args, password: str, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a production site, and demo accounts with a known "
                "password do not belong there. Run with DEBUG=1, or pass --force if you mean it."
            )
        if not password:
            raise CommandError("--password must not be empty.")
        try:
            accounts = seed_demo(password=password)
        except DemoDataError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write("Demo accounts (all with the same password):")
        for account in accounts:
            self.stdout.write(f"  {account.username:<12} {account.description}")
        self.stdout.write(f"Password: {password}")
        self.stdout.write(self.style.SUCCESS("Demo data ready: http://127.0.0.1:8000/"))
