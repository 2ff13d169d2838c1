from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "caseaudit.activity"
