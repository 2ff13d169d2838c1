from django.urls import path

from caseaudit.meetings import views

app_name = "meetings"
urlpatterns = [
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/programmes/<int:programme_id>/", views.programme_meeting, name="programme"),
    path("meetings/programmes/<int:programme_id>/open/", views.open_for_meeting, name="open"),
    path(
        "meetings/programmes/<int:programme_id>/attendees/", views.add_attendee, name="attendee-add"
    ),
    path("meetings/programmes/<int:programme_id>/minutes.pdf", views.minutes, name="minutes"),
    path(
        "meetings/attendees/<int:attendee_id>/remove/",
        views.remove_attendee,
        name="attendee-remove",
    ),
    path("meetings/cases/<int:case_id>/", views.case_view, name="case"),
    path("meetings/cases/<int:case_id>/discussion/", views.save_discussion, name="discussion"),
    path("meetings/cases/<int:case_id>/agreed-grades/", views.agreed_grades, name="agreed-grades"),
    path("meetings/cases/<int:case_id>/findings/new/", views.finding_form, name="finding-new"),
    path(
        "meetings/cases/<int:case_id>/findings/<int:finding_id>/",
        views.finding_form,
        name="finding-edit",
    ),
    path("findings/<int:finding_id>/actions/new/", views.action_new, name="action-new"),
    path("themes/", views.theme_list, name="theme-list"),
    path("themes/<int:theme_id>/", views.theme_detail, name="theme-detail"),
    path("themes/external-audits/new/", views.external_audit_new, name="external-audit-new"),
    path("actions/", views.action_list, name="action-list"),
    path("actions/<int:action_id>/", views.action_detail, name="action-detail"),
]
