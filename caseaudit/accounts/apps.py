from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "caseaudit.accounts"

    def ready(self) -> None:
        from caseaudit.accounts import signals  # noqa: F401 - connects the receivers
