from django.urls import include, path

from caseaudit.audits import views

app_name = "audits"
urlpatterns = [
    path("", include("caseaudit.audits.planning_urls")),
    path("my-audits/", views.my_audits, name="my-audits"),
    path("returns/<int:return_id>/", views.return_overview, name="return-overview"),
    path("returns/<int:return_id>/check/", views.check_answers, name="return-check"),
    path("returns/<int:return_id>/submitted/", views.return_submitted, name="return-submitted"),
    path("returns/<int:return_id>/amend/", views.return_for_amendment, name="return-amend"),
    path("returns/<int:return_id>/history/", views.return_history, name="return-history"),
    path("returns/<int:return_id>/auditor/", views.assign_auditor, name="return-auditor"),
    path("returns/<int:return_id>/escalation/", views.return_escalation, name="return-escalation"),
    path("returns/<int:return_id>/<slug:slug>/", views.return_part, name="return-part"),
    path("escalations/", views.escalation_list, name="escalation-list"),
    path("escalations/<int:escalation_id>/", views.escalation_detail, name="escalation-detail"),
]
