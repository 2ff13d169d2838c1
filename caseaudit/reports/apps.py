from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "caseaudit.reports"
