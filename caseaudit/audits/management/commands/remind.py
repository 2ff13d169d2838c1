from argparse import ArgumentParser, ArgumentTypeError
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from caseaudit.audits.models import NotificationKind
from caseaudit.audits.notifications import send_deadline_notices


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ArgumentTypeError(f"enter the date as YYYY-MM-DD, not {value!r}") from None


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


class Command(BaseCommand):
    help = (
        "E-mail the reminders before the return deadline and the overdue notices. "
        "Run it daily: nobody is sent the same reminder twice."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--date",
            type=day,
            help="the day to send for, as YYYY-MM-DD (default: today in the UK)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = options["date"] or timezone.localdate()
        sent = send_deadline_notices(today)
        self.stdout.write(
            f"{today.isoformat()}: sent {counted(sent[NotificationKind.REMINDER], 'reminder')} "
            f"and {counted(sent[NotificationKind.OVERDUE], 'overdue notice')}."
        )
