from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.activity.forms import AccessLogFilter
from caseaudit.activity.models import AccessEvent
from caseaudit.activity.subject_access import export_zip
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


def subject_access(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """Everything held about the child of this case, for a subject-access request."""
    if not access.can_export_subject_access(request.user):
        raise Http404("No such case")
    case = access.get_case(request.user, case_id)
    record_access(request, case, "subject access export")
    response = HttpResponse(export_zip(case), content_type="application/zip")
    name = f"subject-access-case-{case.pk}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
