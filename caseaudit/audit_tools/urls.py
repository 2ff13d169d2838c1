from django.urls import path

from caseaudit.audit_tools import views

app_name = "audit_tools"
urlpatterns = [
    path("", views.tool_list, name="list"),
    path("<int:tool_version_id>/", views.preview, name="preview"),
    path("<int:tool_version_id>/publish/", views.publish, name="publish"),
]
