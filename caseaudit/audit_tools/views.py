from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.audit_tools import actions, designer, diff
from caseaudit.audit_tools.forms import (
    AddSectionForm,
    CompareForm,
    ImportForm,
    MoveForm,
    QuestionForm,
    SectionForm,
    StartForm,
    ToolSettingsForm,
)
from caseaudit.audit_tools.loading import dump_tool
from caseaudit.audit_tools.models import ToolSource, ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.audit_tools.schema import Question, Section, Tool


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (so that it shows its errors)."""
    return request.POST if request.method == "POST" else None


def tool_list(request: HttpRequest) -> HttpResponse:
    if not access.can_manage_tools(request.user):
        raise PermissionDenied
    versions = access.visible_tool_versions(request.user).order_by("title", "-version")
    return render(
        request,
        "audit_tools/list.html",
        {"versions": versions, "can_design": access.can_design_tools(request.user)},
    )


def preview(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    tool_version = access.get_tool_version(request.user, tool_version_id)
    return render(
        request,
        "audit_tools/preview.html",
        {
            "tool_version": tool_version,
            "tool": tool_version.tool,
            "can_publish": access.can_publish_tool_version(request.user, tool_version),
            "can_edit": access.can_edit_tool_version(request.user, tool_version),
            "can_export": access.can_export_tool_version(request.user, tool_version),
            "can_design": access.can_design_tools(request.user),
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


# Versions, comparison, export and import ------------------------------------------------------


def versions(request: HttpRequest, tool_key: str) -> HttpResponse:
    if not access.can_manage_tools(request.user):
        raise PermissionDenied
    tool_versions = list(
        access.visible_tool_versions(request.user)
        .filter(tool_key=tool_key)
        .select_related("based_on", "created_by", "published_by")
        .order_by("-version")
    )
    if not tool_versions:
        raise Http404("No such tool")
    return render(
        request,
        "audit_tools/versions.html",
        {
            "tool_key": tool_key,
            "tool_versions": tool_versions,
            "can_design": access.can_design_tools(request.user),
        },
    )


def compare(request: HttpRequest) -> HttpResponse:
    if not access.can_design_tools(request.user):
        raise PermissionDenied
    visible = access.visible_tool_versions(request.user).order_by("title", "-version")
    form = CompareForm(request.GET or None, versions=visible)
    changes = None
    if form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        changes = diff.compare(old.tool, new.tool)
    return render(
        request,
        "audit_tools/compare.html",
        {"form": form, "versions": visible, "changes": changes, "diff": diff},
    )


def export(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    tool_version = access.get_tool_version(request.user, tool_version_id)
    if not access.can_export_tool_version(request.user, tool_version):
        raise PermissionDenied
    response = HttpResponse(
        dump_tool(tool_version.tool), content_type="application/yaml; charset=utf-8"
    )
    file_name = f"{tool_version.tool_key}-version-{tool_version.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def import_tool(request: HttpRequest) -> HttpResponse:
    if not access.can_design_tools(request.user):
        raise PermissionDenied
    form = ImportForm(_posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        draft = actions.create_draft(form.tool, by=request.user, source=ToolSource.IMPORTED)
        messages.success(request, f"Imported {draft}. Check it, then publish it.")
        return redirect("audit_tools:design", draft.pk)
    return render(request, "audit_tools/import.html", {"form": form})


# Starting a draft -----------------------------------------------------------------------------


def start_blank(request: HttpRequest) -> HttpResponse:
    if not access.can_design_tools(request.user):
        raise PermissionDenied
    return _start(request, based_on=None)


def derive(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    based_on = access.get_tool_version(request.user, tool_version_id)
    if not access.can_design_tools(request.user):
        raise PermissionDenied
    return _start(request, based_on=based_on)


def _start(request: HttpRequest, *, based_on: ToolVersion | None) -> HttpResponse:
    form = StartForm(_posted(request), based_on=based_on)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        draft = _try(
            form,
            lambda: actions.start_draft(
                based_on=based_on,
                tool_key=form.tool_key,
                title=data["title"],
                short_title=data["short_title"],
                by=request.user,
            ),
        )
        if draft is not None:
            messages.success(request, f"Started {draft}.")
            return redirect("audit_tools:design", draft.pk)
    return render(request, "audit_tools/start.html", {"form": form, "based_on": based_on})


# The designer: one small form per operation on a draft ----------------------------------------


def _draft(request: HttpRequest, tool_version_id: int) -> ToolVersion:
    tool_version = access.get_tool_version(request.user, tool_version_id)
    if not access.can_edit_tool_version(request.user, tool_version):
        raise PermissionDenied
    return tool_version


def _section(tool: Tool, section_id: str) -> Section:
    for section in tool.sections:
        if section.id == section_id:
            return section
    raise Http404("No such section")


def _question(tool: Tool, question_id: str) -> tuple[Section, Question]:
    for section in tool.sections:
        for question in section.questions:
            if question.id == question_id:
                return section, question
    raise Http404("No such question")


def _try(form: django_forms.Form, action: Callable[[], Any]) -> Any:
    """Run a designer action; a whole-document problem becomes an error on the form."""
    try:
        return action()
    except actions.DraftInvalid as invalid:
        for message in invalid.messages:
            form.add_error(None, message)
        return None


def _designer_url(draft: ToolVersion, anchor: str = "") -> str:
    url = reverse("audit_tools:design", args=[draft.pk])
    return f"{url}#{anchor}" if anchor else url


def design(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    return render(
        request,
        "audit_tools/design.html",
        {
            "draft": draft,
            "tool": draft.tool,
            "report_keys": REPORT_KEYS_BY_KEY,
            "answer_labels": designer.ANSWER_LABELS,
        },
    )


def settings_edit(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    form = ToolSettingsForm(_posted(request), tool=draft.tool)
    if request.method == "POST" and form.is_valid():
        saved = _try(
            form,
            lambda: actions.edit_tool_settings(
                draft,
                form.settings(),
                grade_scale=form.cleaned_data["grade_scale"],
                allow_not_applicable=form.cleaned_data["allow_not_applicable"],
                by=request.user,
            ),
        )
        if saved is not None:
            messages.success(request, "Tool settings saved.")
            return redirect(_designer_url(draft, "settings"))
    return render(request, "audit_tools/settings_form.html", {"draft": draft, "form": form})


def section_add(request: HttpRequest, tool_version_id: int) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    form = AddSectionForm(_posted(request), tool=draft.tool)
    if request.method == "POST" and form.is_valid():
        section_id = _try(
            form,
            lambda: actions.add_section(
                draft,
                form.section_fields(),
                first_question=form.cleaned_data["first_question"],
                by=request.user,
            ),
        )
        if section_id is not None:
            messages.success(request, f"Section “{form.cleaned_data['title']}” added.")
            return redirect(_designer_url(draft, f"section-{section_id}"))
    return render(
        request, "audit_tools/section_form.html", {"draft": draft, "form": form, "section": None}
    )


def section_edit(request: HttpRequest, tool_version_id: int, section_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section = _section(draft.tool, section_id)
    form = SectionForm(_posted(request), tool=draft.tool, section=section)
    if request.method == "POST" and form.is_valid():
        saved = _try(
            form,
            lambda: actions.edit_section(draft, section_id, form.section_fields(), by=request.user),
        )
        if saved is not None:
            messages.success(request, f"Section “{form.cleaned_data['title']}” saved.")
            return redirect(_designer_url(draft, f"section-{section_id}"))
    return render(
        request,
        "audit_tools/section_form.html",
        {"draft": draft, "form": form, "section": section},
    )


def section_remove(request: HttpRequest, tool_version_id: int, section_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section = _section(draft.tool, section_id)
    form = django_forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        removed = _try(form, lambda: actions.remove_section(draft, section_id, by=request.user))
        if removed is not None:
            messages.success(request, f"Section “{section.title}” removed from this draft.")
            return redirect(_designer_url(draft, "sections"))
    return render(
        request,
        "audit_tools/remove.html",
        {"draft": draft, "form": form, "kind": "section", "name": section.title},
    )


@require_POST
def section_move(request: HttpRequest, tool_version_id: int, section_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section = _section(draft.tool, section_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose up or down", status=400)
    direction = designer.Direction(form.cleaned_data["direction"])
    if _try(form, lambda: actions.move_section(draft, section_id, direction, by=request.user)):
        messages.success(request, f"Section “{section.title}” moved {direction.value}.")
    else:
        messages.info(request, " ".join(map(str, form.non_field_errors())))
    return redirect(_designer_url(draft, f"section-{section_id}"))


def question_add(request: HttpRequest, tool_version_id: int, section_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section = _section(draft.tool, section_id)
    form = QuestionForm(_posted(request), section=section)
    if request.method == "POST" and form.is_valid():
        question_id = _try(
            form,
            lambda: actions.add_question(
                draft, section_id, form.question_fields(), by=request.user
            ),
        )
        if question_id is not None:
            messages.success(request, f"Question added to “{section.title}”.")
            return redirect(_designer_url(draft, f"question-{question_id}"))
    return render(
        request,
        "audit_tools/question_form.html",
        {"draft": draft, "form": form, "section": section, "question": None},
    )


def question_edit(request: HttpRequest, tool_version_id: int, question_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section, question = _question(draft.tool, question_id)
    form = QuestionForm(_posted(request), section=section, question=question)
    if request.method == "POST" and form.is_valid():
        saved = _try(
            form,
            lambda: actions.edit_question(
                draft, question_id, form.question_fields(), by=request.user
            ),
        )
        if saved is not None:
            messages.success(request, "Question saved.")
            return redirect(_designer_url(draft, f"question-{question_id}"))
    return render(
        request,
        "audit_tools/question_form.html",
        {"draft": draft, "form": form, "section": section, "question": question},
    )


def question_remove(request: HttpRequest, tool_version_id: int, question_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    section, question = _question(draft.tool, question_id)
    form = django_forms.Form(_posted(request))
    if request.method == "POST" and form.is_valid():
        removed = _try(form, lambda: actions.remove_question(draft, question_id, by=request.user))
        if removed is not None:
            messages.success(request, "Question removed from this draft.")
            return redirect(_designer_url(draft, f"section-{section.id}"))
    return render(
        request,
        "audit_tools/remove.html",
        {"draft": draft, "form": form, "kind": "question", "name": question.text},
    )


@require_POST
def question_move(request: HttpRequest, tool_version_id: int, question_id: str) -> HttpResponse:
    draft = _draft(request, tool_version_id)
    _question(draft.tool, question_id)
    form = MoveForm(request.POST)
    if not form.is_valid():
        return HttpResponse("Choose up or down", status=400)
    direction = designer.Direction(form.cleaned_data["direction"])
    if _try(form, lambda: actions.move_question(draft, question_id, direction, by=request.user)):
        messages.success(request, f"Question moved {direction.value}.")
    else:
        messages.info(request, " ".join(map(str, form.non_field_errors())))
    return redirect(_designer_url(draft, f"question-{question_id}"))
