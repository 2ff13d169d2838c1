from argparse import ArgumentParser
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from caseaudit.activity import retention


class Command(BaseCommand):
    help = (
        "Anonymise the case details of programmes closed longer ago than RETENTION_MONTHS, "
        "keeping grades, categories and themes for reports. A dry run unless --apply; every "
        "run is logged."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--apply", action="store_true", help="anonymise (else a dry run)")
        parser.add_argument(
            "--date", type=date.fromisoformat, help="count the period back from this day"
        )
        parser.add_argument(
            "--months", type=int, help=f"retention period (default {settings.RETENTION_MONTHS})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run = retention.run(apply=options["apply"], today=options["date"], months=options["months"])
        self.stdout.write(
            f"Retention period: {run.retention_months} months; programmes closed before "
            f"{run.cutoff:%-d %B %Y} are due."
        )
        if not run.programmes:
            self.stdout.write("No programme is due: nothing to anonymise.")
            return
        for programme in run.programmes:
            self.stdout.write(f"  {programme['title']} (closed {programme['closed_on']})")
        counts = ", ".join(
            f"{number} {name.replace('_', ' ')}" for name, number in run.counts.items()
        )
        if run.applied:
            self.stdout.write(f"Anonymised: {counts}.")
        else:
            self.stdout.write(f"Would anonymise: {counts}.")
            self.stdout.write("Dry run: nothing changed. Run again with --apply to anonymise.")
