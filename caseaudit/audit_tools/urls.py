from django.urls import path

from caseaudit.audit_tools import views

app_name = "audit_tools"
urlpatterns = [
    path("", views.tool_list, name="list"),
    path("new/", views.start_blank, name="start-blank"),
    path("import/", views.import_tool, name="import"),
    path("compare/", views.compare, name="compare"),
    path("<slug:tool_key>/versions/", views.versions, name="versions"),
    path("<int:tool_version_id>/", views.preview, name="preview"),
    path("<int:tool_version_id>/publish/", views.publish, name="publish"),
    path("<int:tool_version_id>/derive/", views.derive, name="derive"),
    path("<int:tool_version_id>/export/", views.export, name="export"),
    path("<int:tool_version_id>/design/", views.design, name="design"),
    path("<int:tool_version_id>/design/settings/", views.settings_edit, name="settings-edit"),
    path("<int:tool_version_id>/design/sections/add/", views.section_add, name="section-add"),
    path(
        "<int:tool_version_id>/design/sections/<slug:section_id>/",
        views.section_edit,
        name="section-edit",
    ),
    path(
        "<int:tool_version_id>/design/sections/<slug:section_id>/remove/",
        views.section_remove,
        name="section-remove",
    ),
    path(
        "<int:tool_version_id>/design/sections/<slug:section_id>/move/",
        views.section_move,
        name="section-move",
    ),
    path(
        "<int:tool_version_id>/design/sections/<slug:section_id>/questions/add/",
        views.question_add,
        name="question-add",
    ),
    path(
        "<int:tool_version_id>/design/questions/<slug:question_id>/",
        views.question_edit,
        name="question-edit",
    ),
    path(
        "<int:tool_version_id>/design/questions/<slug:question_id>/remove/",
        views.question_remove,
        name="question-remove",
    ),
    path(
        "<int:tool_version_id>/design/questions/<slug:question_id>/move/",
        views.question_move,
        name="question-move",
    ),
]
