"""Render country gap reports in this process, without the queue."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from assessments.models import Assessment, Cycle
from reports.overview import ALL_MEMBER_STATES
from reports.services import report_render_now, report_render_overview_now

BAR_WIDTH = 30


class Command(BaseCommand):
    help = (
        "Render the PDF gap report of one country (ISO3) synchronously, or with --all of every "
        "country of the cycle, or with --overview the global overview (--region NAME: the "
        "regional one). --cycle defaults to the latest cycle that is not the 2004 baseline; "
        "--language (ar, zh-hans, en, fr, ru, es) defaults to English."
    )

    def add_arguments(self, parser):
        parser.add_argument("iso3", nargs="?", help="The country's ISO 3166 alpha-3 code.")
        parser.add_argument("--cycle", help="The cycle's name (default: the latest).")
        parser.add_argument(
            "--out", help="The PDF file (one country) or the directory (--all). Default: here."
        )
        parser.add_argument("--all", action="store_true", help="Every country of the cycle.")
        parser.add_argument(
            "--overview", action="store_true", help="The overview of the cycle's countries."
        )
        parser.add_argument(
            "--region", default="", help="With --overview: the region (default: every country)."
        )
        parser.add_argument(
            "--language", default=settings.LANGUAGE_CODE,
            choices=[code for code, _name in settings.LANGUAGES],
            help="The language of the report (default: %(default)s).",
        )

    def handle(
        self, *args, iso3=None, cycle=None, out=None, all=False, overview=False, region="",
        language=settings.LANGUAGE_CODE, **options,
    ):
        if sum(map(bool, (iso3, all, overview))) != 1:
            raise CommandError("Give one ISO3 code, or --all, or --overview.")
        if region and not overview:
            raise CommandError("--region goes with --overview.")
        cycle_row = self._cycle(cycle)
        if overview:
            self._overview(cycle_row, region, out, language)
            return
        assessments = Assessment.objects.filter(cycle=cycle_row).select_related(
            "country", "cycle"
        ).order_by("country__iso3")
        if iso3:
            assessment = assessments.filter(country__iso3=iso3.upper()).first()
            if assessment is None:
                raise CommandError(f"No assessment of {iso3} in the cycle {cycle_row.name}.")
            path = Path(out or self._name(assessment, language))
            started = time.monotonic()
            path.write_bytes(report_render_now(assessment=assessment, language=language))
            self.stdout.write(f"{path} ({time.monotonic() - started:.1f} s)")
            return
        directory = Path(out or ".")
        directory.mkdir(parents=True, exist_ok=True)
        total = assessments.count()
        for done, assessment in enumerate(assessments, start=1):
            (directory / self._name(assessment, language)).write_bytes(
                report_render_now(assessment=assessment, language=language)
            )
            filled = BAR_WIDTH * done // total
            self.stdout.write(
                f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} "
                f"{assessment.country.iso3}",
                ending="\n" if done == total else "",
            )
            self.stdout.flush()

    def _overview(self, cycle: Cycle, region: str, out: str | None, language: str) -> None:
        subject = slugify(region or ALL_MEMBER_STATES)
        path = Path(out or f"{subject}-{slugify(cycle.name)}-{language}.pdf")
        started = time.monotonic()
        try:
            pdf = report_render_overview_now(cycle=cycle, region=region, language=language)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        path.write_bytes(pdf)
        self.stdout.write(f"{path} ({time.monotonic() - started:.1f} s)")

    def _cycle(self, name: str | None) -> Cycle:
        cycles = Cycle.objects.filter(is_baseline=False)
        cycle = cycles.filter(name=name).first() if name else cycles.order_by("-starts_on").first()
        if cycle is None:
            raise CommandError(f"No such cycle: {name}." if name else "No cycle yet.")
        return cycle

    @staticmethod
    def _name(assessment: Assessment, language: str) -> str:
        return f"{assessment.country.iso3}-{slugify(assessment.cycle.name)}-{language}.pdf"
