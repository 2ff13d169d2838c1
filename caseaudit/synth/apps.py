from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "caseaudit.synth"
    verbose_name = "Synthetic data and benchmarks"
