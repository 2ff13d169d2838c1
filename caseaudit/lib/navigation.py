from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from caseaudit import access


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for the signed-in user's roles."""
    if not request.user.is_authenticated:
        return []
    user = request.user
    items = [("Home", reverse("home"), True)]
    items.append(("My audits", reverse("audits:my-audits"), user.is_auditor or user.is_agency_lead))
    items.append(("Escalations", reverse("audits:escalation-list"), access.is_coordinator(user)))
    items.append(
        (
            "Programmes",
            reverse("audits:programme-list"),
            access.can_manage_programmes(request.user),
        )
    )
    items.append(
        ("Audit tools", reverse("audit_tools:list"), access.can_manage_tools(request.user))
    )
    items.append(("Accounts", reverse("admin:index"), access.can_manage_accounts(request.user)))
    return [
        {"text": text, "href": href, "current": request.path == href}
        for text, href, allowed in items
        if allowed
    ]
