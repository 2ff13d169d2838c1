from django.urls import path

from caseaudit.exchange import views

app_name = "exchange"
urlpatterns = [
    path("returns/<int:return_id>/word/", views.download, name="word-download"),
]
