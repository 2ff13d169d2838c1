from django.urls import path

from caseaudit.synth import views

app_name = "synth"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
