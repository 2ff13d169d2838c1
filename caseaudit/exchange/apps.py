from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "caseaudit.exchange"
    verbose_name = "Word forms"
