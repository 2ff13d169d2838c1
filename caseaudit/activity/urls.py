from django.urls import path

from caseaudit.activity import views

app_name = "activity"
urlpatterns = [
    path("access-log/", views.access_log, name="access-log"),
    path("cases/<int:case_id>/subject-access/", views.subject_access, name="subject-access"),
]
