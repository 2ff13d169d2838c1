from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from caseaudit import access


def navigation_items(request: HttpRequest) -> list[dict[str, Any]]:
    """The service navigation for the signed-in user's roles."""
    if not request.user.is_authenticated:
        return []
    items = [("Home", reverse("home"), True)]
    items.append(
        ("Audit tools", reverse("audit_tools:list"), access.can_manage_tools(request.user))
    )
    items.append(("Accounts", reverse("admin:index"), access.can_manage_accounts(request.user)))
    return [
        {"text": text, "href": href, "current": request.path == href}
        for text, href, allowed in items
        if allowed
    ]
