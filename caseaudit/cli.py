"""The `caseaudit` command: Django's management commands under the service's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["caseaudit", *sys.argv[1:]])
