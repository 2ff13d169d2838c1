from django.urls import include, path

from caseaudit.audits import views

app_name = "audits"
urlpatterns = [
    path("", include("caseaudit.audits.planning_urls")),
    path("my-audits/", views.my_audits, name="my-audits"),
]
