from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from caseaudit import access


def my_audits(request: HttpRequest) -> HttpResponse:
    returns = (
        access.listed_returns(request.user)
        .select_related("case__programme", "agency", "tool_version", "auditor")
        .order_by("case__programme__return_deadline", "case__case_identifier")
    )
    return render(request, "audits/my_audits.html", {"returns": returns})
