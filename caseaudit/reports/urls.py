from django.urls import path

from caseaudit.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("programmes/<int:programme_id>/", views.dashboard, name="dashboard"),
    path("across-programmes/", views.across, name="across"),
    path("equality/", views.equality, name="equality"),
    path("calibration/", views.calibration_report, name="calibration"),
    path("exports/", views.export_start, name="exports"),
    path(
        "programmes/<int:programme_id>/inspection-pack/",
        views.inspection_pack,
        name="inspection-pack",
    ),
    path("exports/<int:job_id>/", views.job_detail, name="job"),
    path("exports/<int:job_id>/download/", views.job_download, name="job-download"),
    path("programmes/<int:programme_id>/learning-summary/", views.summary_edit, name="summary"),
    path(
        "programmes/<int:programme_id>/learning-summary/redraft/",
        views.summary_redraft,
        name="summary-redraft",
    ),
    path(
        "programmes/<int:programme_id>/learning-summary/preview/<str:audience>/",
        views.summary_preview,
        name="summary-preview",
    ),
    path(
        "programmes/<int:programme_id>/learning-summary/publish/",
        views.summary_publish,
        name="summary-publish",
    ),
    path("learning-summaries/<int:edition_id>/", views.edition, name="edition"),
    path("learning-summaries/<int:edition_id>/pdf/", views.edition_pdf, name="edition-pdf"),
    path("learning-summaries/<int:edition_id>/docx/", views.edition_docx, name="edition-docx"),
    path("resources/", views.resource_list, name="resources"),
    path("resources/new/", views.resource_form, name="resource-new"),
    path("resources/<int:resource_id>/", views.resource_form, name="resource-edit"),
]
