from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caseaudit.lib.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the whole database to FILE while the service runs (SQLite's online backup, "
        "or pg_dump's custom format). The file holds every case: keep it encrypted."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            backup(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes)")
