import time
from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caseaudit.synth.builder import NotEmpty, build_partnership


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise ArgumentTypeError(f"enter a whole number, not {value!r}") from None
    if number < 1:
        raise ArgumentTypeError("enter a number of 1 or more")
    return number


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"enter the date as YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = (
        "Build a synthetic partnership in an empty database, for benchmarks and scale tests: "
        "agencies, people, programmes over five years, cases, returns in every state with "
        "answers and grades, meetings, findings, themes and actions. No history is written "
        "for synthetic rows. Never run it on a real partnership's database."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--cases", type=positive, required=True, help="number of cases")
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed builds the same data (default 1)"
        )
        parser.add_argument(
            "--today",
            type=day,
            help="the date the data is built around, as YYYY-MM-DD (default: today)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        verbose = options["verbosity"] > 1
        try:
            counts = build_partnership(
                options["cases"],
                seed=options["seed"],
                today=options["today"],
                log=self.stdout.write if verbose else lambda message: None,
            )
        except NotEmpty as error:
            raise CommandError(
                f"Nothing was built: {error}. Synthetic data goes into an empty database only."
            ) from None
        seconds = time.perf_counter() - started
        for label, count in counts.items():
            self.stdout.write(f"{count:>10,}  {label}")
        self.stdout.write(f"Built {options['cases']:,} cases in {seconds:.1f} s.")
