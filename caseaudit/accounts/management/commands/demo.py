from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand

from caseaudit.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create the database if needed and load the demo partnership; print its accounts."

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", verbosity=0, interactive=False)
        accounts = load_demo()
        self.stdout.write(f"Demo accounts (password for every one: {DEMO_PASSWORD})")
        for account in accounts:
            roles = ", ".join(role.removeprefix("is_").replace("_", " ") for role in account.roles)
            self.stdout.write(
                f"  {account.email:<32} {roles:<14} {account.full_name}, {account.agency}"
            )
