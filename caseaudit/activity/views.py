from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.activity.forms import AccessLogFilter
from caseaudit.activity.models import AccessEvent
from caseaudit.lib.types import AuthenticatedRequest

PAGE_SIZE = 50


def access_log(request: AuthenticatedRequest) -> HttpResponse:
    """Who viewed, downloaded or exported which case content, when and from where."""
    if not access.can_view_access_log(request.user):
        raise PermissionDenied
    form = AccessLogFilter(request.GET or None)
    events = AccessEvent.objects.select_related("user__agency").order_by("-at", "-pk")
    if form.is_bound and form.is_valid():
        events = form.apply(events)
    elif form.is_bound:
        events = events.none()
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    # Read the page before this search is itself logged, so the page is what was searched.
    page.object_list = list(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    record_access(request, None, "search access log")
    return render(
        request,
        "activity/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
        status=422 if form.errors else 200,
    )
