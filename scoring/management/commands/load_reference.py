from django.core.management.base import BaseCommand, CommandError

from catalogue.upsert import ReferenceDataError
from scoring.reference import load_reference


class Command(BaseCommand):
    help = (
        "Load the framework, guidelines, compendium, member states and 2004 synopsis from the "
        "data files. Idempotent; rows staff edited in admin are kept unless --overwrite."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Replace staff edits in admin with the values of the data files.",
        )

    def handle(self, *args, overwrite: bool = False, **options) -> None:
        try:
            report = load_reference(overwrite=overwrite)
        except ReferenceDataError as exc:
            raise CommandError(f"Reference data not loaded: {exc}") from exc
        for line in report.lines():
            self.stdout.write(line)
        if options.get("verbosity", 1) >= 1:
            for line in report.notes:
                self.stdout.write(line)
        if not report.changed:
            self.stdout.write(self.style.SUCCESS("Reference data already up to date."))
        else:
            self.stdout.write(self.style.SUCCESS("Reference data loaded."))
