from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.audit_tools import actions


def tool_list(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_tools(request.user):
        raise PermissionDenied
    versions = access.visible_tool_versions(request.user).order_by("title", "-version")
    return render(request, "audit_tools/list.html", {"versions": versions})


def preview(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    tool_version = access.get_tool_version(request.user, tool_version_id)
    return render(
        request,
        "audit_tools/preview.html",
        {
            "tool_version": tool_version,
            "tool": tool_version.tool,
            "can_publish": access.can_publish_tool_version(request.user, tool_version),
        },
    )


@require_POST
def publish(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    tool_version = access.get_tool_version(request.user, tool_version_id)
    if not access.can_publish_tool_version(request.user, tool_version):
        raise PermissionDenied
    actions.publish(tool_version, by=request.user)
    messages.success(request, f"{tool_version} is published and can now be assigned.")
    return redirect("audit_tools:preview", tool_version.pk)
