from django.urls import URLPattern, URLResolver, path

from caseaudit.audits import planning_views as views

urlpatterns: list[URLPattern | URLResolver] = [
    path("programmes/", views.programme_list, name="programme-list"),
    path("programmes/new/", views.programme_new, name="programme-new"),
    path("programmes/<int:programme_id>/", views.programme_detail, name="programme-detail"),
    path("programmes/<int:programme_id>/edit/", views.programme_edit, name="programme-edit"),
    path("programmes/<int:programme_id>/status/", views.programme_status, name="programme-status"),
    path("programmes/<int:programme_id>/cases/new/", views.case_new, name="case-new"),
    path("programmes/<int:programme_id>/cases/import/", views.case_import, name="case-import"),
    path("cases/import/template.csv", views.case_import_template, name="case-import-template"),
    path("programmes/<int:programme_id>/sample/", views.sample, name="sample"),
    path(
        "programmes/<int:programme_id>/sample/<int:draw_id>/",
        views.sample_draw,
        name="sample-draw",
    ),
    path(
        "programmes/<int:programme_id>/sample/<int:draw_id>/add/",
        views.sample_add,
        name="sample-add",
    ),
    path("cases/<int:case_id>/", views.case_detail, name="case-detail"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:case_id>/assignments/", views.case_assignments, name="case-assignments"),
    path(
        "cases/<int:case_id>/assignments/<int:return_id>/remove/",
        views.assignment_remove,
        name="assignment-remove",
    ),
]
