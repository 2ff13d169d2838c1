from django.urls import path

from caseaudit.exchange import views

app_name = "exchange"
urlpatterns = [
    path("returns/<int:return_id>/word/", views.download, name="word-download"),
    path("returns/<int:return_id>/word/upload/", views.upload, name="word-upload"),
    path("imports/<int:import_id>/", views.review, name="import-review"),
    path("imports/<int:import_id>/accept/", views.accept, name="import-accept"),
    path("imports/<int:import_id>/discard/", views.discard, name="import-discard"),
]
