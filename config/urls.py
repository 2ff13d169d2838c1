from django.contrib import admin
from django.urls import include, path

from caseaudit.accounts import views as account_views

admin.site.site_header = "Case Audit administration"
admin.site.site_title = "Case Audit administration"

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("caseaudit.accounts.urls")),
    path("tools/", include("caseaudit.audit_tools.urls")),
    path("activity/", include("caseaudit.activity.urls")),
    path("exchange/", include("caseaudit.exchange.urls")),
    path("", include("caseaudit.audits.urls")),
    path("", include("caseaudit.meetings.urls")),
    path("api/v1/", include("caseaudit.api.v1.urls")),
    path("account/tokens/", include("caseaudit.api.urls")),
    path("reports/", include("caseaudit.reports.urls")),
    path("admin/", admin.site.urls),
    path("", include("caseaudit.synth.urls")),
]
