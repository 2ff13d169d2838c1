"""Who may see or change what: the one place.

Every view, API endpoint, export and report gets case-bearing objects through these functions.
Default deny: anything not granted here is refused. An object the user may not see raises
Http404, exactly as one that does not exist, so nobody can learn that a child's case exists.
"""

from typing import TypeGuard

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from caseaudit.accounts.models import User
from caseaudit.audit_tools.models import ToolVersion

AnyUser = User | AnonymousUser


def _active(user: AnyUser) -> TypeGuard[User]:
    return user.is_authenticated and user.is_active


def is_coordinator(user: AnyUser) -> bool:
    return _active(user) and user.is_coordinator


def can_manage_accounts(user: AnyUser) -> bool:
    """Administrators manage users and agencies (and nothing else by that role alone)."""
    return _active(user) and user.is_administrator


def can_manage_tools(user: AnyUser) -> bool:
    """Coordinators import, derive and publish audit tools."""
    return is_coordinator(user)


def visible_tool_versions(user: AnyUser) -> QuerySet[ToolVersion]:
    """Coordinators see every tool version, drafts included; nobody else browses tools."""
    if can_manage_tools(user):
        return ToolVersion.objects.all()
    return ToolVersion.objects.none()


def get_tool_version(user: AnyUser, tool_version_id: int) -> ToolVersion:
    try:
        return visible_tool_versions(user).get(pk=tool_version_id)
    except ToolVersion.DoesNotExist:
        raise Http404("No such tool version") from None


def can_publish_tool_version(user: AnyUser, tool_version: ToolVersion) -> bool:
    return can_manage_tools(user) and not tool_version.is_published
