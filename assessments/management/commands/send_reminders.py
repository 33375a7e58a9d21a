import datetime

from django.core.management.base import BaseCommand, CommandError

from assessments.campaigns.reminders import SENT, WOULD_SEND, reminders_send


class Command(BaseCommand):
    help = (
        "Send the deadline reminders due today that no earlier run sent (beat runs this hourly). "
        "With --dry-run, list them without sending anything."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List, send nothing.")
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, dry_run: bool, date: str | None, **options) -> None:
        today = None
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as exc:
                raise CommandError(f"--date must look like 2026-12-31, not “{date}”.") from exc
        reminders = reminders_send(today, dry_run=dry_run)
        for r in reminders:
            self.stdout.write(
                f"{r.assessment.country.iso3} {r.assessment.country.name:<32} {r.key:<12} "
                f"deadline {r.deadline} ({r.days_left:+d} days)  "
                f"{r.recipient.username} <{r.recipient.email}>  {r.outcome}"
            )
        verb = "would be sent" if dry_run else "sent"
        count = sum(r.outcome in (WOULD_SEND, SENT) for r in reminders)
        self.stdout.write(self.style.SUCCESS(f"{count} of {len(reminders)} reminder(s) {verb}."))
