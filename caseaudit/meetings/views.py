from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.audits.models import Answer, Case, Programme
from caseaudit.lib.types import AuthenticatedRequest
from caseaudit.meetings import actions
from caseaudit.meetings.consolidation import Consolidated, consolidate
from caseaudit.meetings.forms import (
    ActionForm,
    ActionProgressForm,
    AgreedGradesForm,
    AttendeeForm,
    DiscussionForm,
    ExternalAuditForm,
    FindingForm,
    MeetingForm,
    MergeForm,
    ThemeForm,
)
from caseaudit.meetings.minutes import minutes_pdf
from caseaudit.meetings.models import (
    Action,
    ActionStatus,
    Attendee,
    ExternalAudit,
    Finding,
    Theme,
    actions_with_owners,
)


def _consolidated(request: AuthenticatedRequest, case: Case) -> Consolidated:
    returns = list(
        access.consolidated_returns(request.user, case).select_related("agency", "tool_version")
    )
    answers = Answer.objects.filter(ret__in=returns)
    return consolidate(case, returns, answers)


def _coordinator_programme(request: AuthenticatedRequest, programme_id: int) -> Programme:
    if not access.can_run_meetings(request.user):
        raise Http404("No such programme")
    return access.get_programme(request.user, programme_id)


def meeting_list(request: AuthenticatedRequest) -> HttpResponse:
    """The cases the user may discuss, by programme; coordinators see every programme."""
    cases = (
        access.meeting_cases(request.user)
        .select_related("programme")
        .order_by("-programme__audit_date", "case_identifier")
    )
    if access.can_run_meetings(request.user):
        programmes = access.visible_programmes(request.user).annotate(
            case_count=Count("cases", distinct=True),
            opened=Count(
                "cases", filter=Q(cases__opened_for_meeting_at__isnull=False), distinct=True
            ),
        )
    else:
        cases = cases.filter(opened_for_meeting_at__isnull=False)
        programmes = None
    return render(request, "meetings/meeting_list.html", {"cases": cases, "programmes": programmes})


def programme_meeting(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _coordinator_programme(request, programme_id)
    meeting = actions.meeting_to_show(programme)
    can_record = access.can_record_meeting(request.user, programme)
    form = MeetingForm(
        request.POST or None, initial={"held_on": meeting.held_on, "decisions": meeting.decisions}
    )
    if request.method == "POST":
        if not can_record:
            raise PermissionDenied
        if form.is_valid():
            meeting = actions.meeting_for(programme)
            actions.update_meeting(meeting, by=request.user, **form.cleaned_data)
            messages.success(request, "The meeting record has been saved.")
            return redirect("meetings:programme", programme.pk)
    record_access(request, meeting if meeting.pk else programme, "view meeting record")
    cases = programme.cases.annotate(
        submitted=Count("returns", filter=Q(returns__status__in=access.SUBMITTED_STATUSES)),
        assigned=Count("returns"),
    ).order_by("case_identifier")
    return render(
        request,
        "meetings/programme_meeting.html",
        {
            "programme": programme,
            "meeting": meeting,
            "form": form,
            "attendee_form": AttendeeForm(),
            "attendees": meeting.attendees.select_related("agency") if meeting.pk else [],
            "cases": cases,
            "findings": programme.findings.select_related("case").prefetch_related("themes"),
            "carried_forward": actions.carried_forward_actions(programme),
            "can_record": can_record,
        },
    )


@require_POST
def open_for_meeting(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _coordinator_programme(request, programme_id)
    if not access.can_record_meeting(request.user, programme):
        raise PermissionDenied
    case_id = request.POST.get("case")
    cases = programme.cases.all()
    if case_id:
        cases = cases.filter(pk=case_id if case_id.isdigit() else 0)
        if not cases:
            raise Http404("No such case")
    opened = actions.open_cases_for_meeting(cases.select_related("programme"), by=request.user)
    messages.success(
        request,
        f"{opened} case{'s' if opened != 1 else ''} opened for the meeting. Every agency that "
        "took part in a case can now read its other agencies’ submitted returns.",
    )
    return redirect("meetings:programme", programme.pk)


@require_POST
def add_attendee(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = _coordinator_programme(request, programme_id)
    if not access.can_record_meeting(request.user, programme):
        raise PermissionDenied
    form = AttendeeForm(request.POST)
    if form.is_valid():
        actions.add_attendee(actions.meeting_for(programme), by=request.user, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} added to the attendees.")
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect("meetings:programme", programme.pk)


@require_POST
def remove_attendee(request: AuthenticatedRequest, attendee_id: int) -> HttpResponse:
    attendee = Attendee.objects.select_related("meeting__programme").filter(pk=attendee_id).first()
    if attendee is None or not access.can_run_meetings(request.user):
        raise Http404("No such attendee")
    programme = attendee.meeting.programme
    if not access.can_record_meeting(request.user, programme):
        raise PermissionDenied
    actions.remove_attendee(attendee, by=request.user)
    return redirect("meetings:programme", programme.pk)


def case_view(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    """The consolidated case view: every agency's submitted return side by side."""
    case = access.get_meeting_case(request.user, case_id)
    prefetch_related_objects([case], "agreed_grades")  # read by the matrix and by the form
    consolidated = _consolidated(request, case)
    record_access(request, case, "view consolidated")
    can_record = access.can_record_meeting(request.user, case.programme)
    context: dict[str, Any] = {
        "case": case,
        "consolidated": consolidated,
        "can_record": can_record,
        "findings": access.visible_findings(request.user)
        .filter(case=case)
        .prefetch_related("themes", "agencies", actions_with_owners()),
        "agreed": {agreed.report_key: agreed for agreed in case.agreed_grades.all()},
        "scale": _scale(consolidated),
    }
    if can_record:
        discussion = getattr(case, "discussion", None)
        context["discussion_form"] = DiscussionForm(
            initial={"notes": discussion.notes, "decisions": discussion.decisions}
            if discussion
            else None
        )
        context["grades_form"] = AgreedGradesForm(consolidated, _scale(consolidated))
    else:
        context["discussion"] = getattr(case, "discussion", None)
    return render(request, "meetings/case_view.html", context)


def _scale(consolidated: Consolidated) -> Any:
    if consolidated.columns:
        return consolidated.columns[0].tool.grade_scale
    from caseaudit.audit_tools.models import ToolVersion

    return (
        ToolVersion.objects.published()
        .filter(tool_key="children_in_need_full")
        .latest("version")
        .tool.grade_scale
    )


def _recordable_case(request: AuthenticatedRequest, case_id: int) -> Case:
    case = access.get_meeting_case(request.user, case_id)
    if not access.can_record_meeting(request.user, case.programme):
        raise PermissionDenied
    return case


@require_POST
def save_discussion(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _recordable_case(request, case_id)
    form = DiscussionForm(request.POST)
    if form.is_valid():
        actions.save_discussion(case, by=request.user, **form.cleaned_data)
        messages.success(request, "The discussion has been saved.")
    return redirect("meetings:case", case.pk)


def agreed_grades(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _recordable_case(request, case_id)
    consolidated = _consolidated(request, case)
    form = AgreedGradesForm(consolidated, _scale(consolidated), request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.save_agreed_grades(case, form.grades(), by=request.user)
        messages.success(request, "The agreed grades have been saved.")
        return redirect("meetings:case", case.pk)
    record_access(request, case, "view consolidated")
    return render(
        request,
        "meetings/agreed_grades.html",
        {"case": case, "consolidated": consolidated, "form": form},
        status=422 if form.errors else 200,
    )


def finding_form(
    request: AuthenticatedRequest, case_id: int, finding_id: int | None = None
) -> HttpResponse:
    case = _recordable_case(request, case_id)
    if finding_id is None:
        finding = Finding(programme=case.programme, case=case)
        initial = None
    else:
        found = access.visible_findings(request.user).filter(pk=finding_id, case=case).first()
        if found is None:
            raise Http404("No such finding")
        finding = found
        initial = {
            "kind": finding.kind,
            "text": finding.text,
            "report_keys": finding.report_keys,
            "agencies": finding.agencies.all(),
            "themes": finding.themes.all(),
        }
    participating = case.returns.values("agency")
    form = FindingForm(request.POST or None, initial=initial)
    form.fields["agencies"].queryset = form.fields["agencies"].queryset.filter(pk__in=participating)  # type: ignore[attr-defined]
    if request.method == "POST" and form.is_valid():
        themes = list(form.cleaned_data["themes"])
        new_theme = form.cleaned_data["new_theme"].strip()
        if new_theme:
            existing = Theme.objects.filter(name__iexact=new_theme).first()
            themes.append(existing or actions.create_theme(by=request.user, name=new_theme))
        actions.save_finding(
            finding,
            by=request.user,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            report_keys=form.cleaned_data["report_keys"],
            agencies=form.cleaned_data["agencies"],
            themes=themes,
        )
        messages.success(request, "The finding has been saved.")
        return redirect("meetings:case", case.pk)
    record_access(request, finding if finding.pk else case, "view finding")
    return render(
        request,
        "meetings/finding_form.html",
        {"case": case, "form": form, "finding": finding},
        status=422 if form.errors else 200,
    )


def minutes(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_programme(request.user, programme_id)
    meeting = getattr(programme, "meeting", None)
    if meeting is None or not access.can_download_minutes(request.user, meeting):
        raise Http404("No minutes")
    record_access(request, meeting, "download minutes")
    response = HttpResponse(minutes_pdf(meeting), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-programme-{programme.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# Themes ------------------------------------------------------------------------------------


def theme_list(request: AuthenticatedRequest) -> HttpResponse:
    if not access.can_view_themes(request.user):
        raise PermissionDenied
    can_manage = access.can_manage_themes(request.user)
    form = ThemeForm(request.POST or None)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if form.is_valid():
            theme = actions.create_theme(by=request.user, **form.cleaned_data)
            messages.success(request, f"“{theme.name}” added to the theme register.")
            return redirect("meetings:theme-list")
    themes = (
        Theme.objects.filter(merged_into__isnull=True)
        .annotate(
            finding_count=Count("findings", distinct=True),
            programme_count=Count("findings__programme", distinct=True),
            external_count=Count("external_audits", distinct=True),
        )
        .order_by("name")
    )
    recurring = [t for t in themes if t.programme_count + t.external_count >= 2]
    return render(
        request,
        "meetings/theme_list.html",
        {
            "themes": themes,
            "recurring": recurring,
            "form": form,
            "can_manage": can_manage,
            "external_audits": ExternalAudit.objects.prefetch_related("themes"),
        },
        status=422 if form.errors else 200,
    )


def theme_detail(request: AuthenticatedRequest, theme_id: int) -> HttpResponse:
    if not access.can_view_themes(request.user):
        raise PermissionDenied
    theme = Theme.objects.filter(pk=theme_id).first()
    if theme is None:
        raise Http404("No such theme")
    if theme.merged_into_id is not None:
        return redirect("meetings:theme-detail", theme.merged_into_id)
    can_manage = access.can_manage_themes(request.user)
    rename_form = ThemeForm(
        initial={"name": theme.name, "description": theme.description}, theme=theme
    )
    merge_form = MergeForm(theme=theme)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if "merge" in request.POST:
            merge_form = MergeForm(request.POST, theme=theme)
            if merge_form.is_valid():
                target = actions.merge_themes(
                    theme, merge_form.cleaned_data["target"], by=request.user
                )
                messages.success(
                    request,
                    f"“{theme.name}” merged into “{target.name}”. Every coding moved with it.",
                )
                return redirect("meetings:theme-detail", target.pk)
        else:
            rename_form = ThemeForm(request.POST, theme=theme)
            if rename_form.is_valid():
                actions.rename_theme(theme, by=request.user, **rename_form.cleaned_data)
                messages.success(request, "The theme has been saved.")
                return redirect("meetings:theme-detail", theme.pk)
    findings = (
        access.visible_findings(request.user)
        .filter(themes=theme)
        .select_related("programme", "case")
    )
    programmes = Programme.objects.filter(findings__themes=theme).distinct()
    record_access(request, theme, "view findings")
    return render(
        request,
        "meetings/theme_detail.html",
        {
            "theme": theme,
            "findings": findings,
            "programmes": programmes,
            "external_audits": theme.external_audits.all(),
            "merged": theme.merged_themes.all(),
            "rename_form": rename_form,
            "merge_form": merge_form,
            "can_manage": can_manage,
        },
    )


def external_audit_new(request: AuthenticatedRequest) -> HttpResponse:
    if not access.can_manage_themes(request.user):
        raise PermissionDenied
    form = ExternalAuditForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.save_external_audit(ExternalAudit(), by=request.user, **form.cleaned_data)
        messages.success(
            request, "The audit has been recorded: its themes now count across audits."
        )
        return redirect("meetings:theme-list")
    return render(
        request,
        "meetings/external_audit_form.html",
        {"form": form},
        status=422 if form.errors else 200,
    )


# Actions -----------------------------------------------------------------------------------


def action_list(request: AuthenticatedRequest) -> HttpResponse:
    actions_qs = access.visible_actions(request.user)
    if not (access.can_run_meetings(request.user) or request.user.is_agency_lead):
        raise PermissionDenied
    filters = {key: request.GET.get(key, "") for key in ("agency", "status", "theme", "programme")}
    today = timezone.localdate()
    if filters["agency"].isdigit():
        actions_qs = actions_qs.filter(owner_agency_id=int(filters["agency"]))
    if filters["status"] == "overdue":
        actions_qs = actions_qs.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)
    elif filters["status"] in ActionStatus.values:
        actions_qs = actions_qs.filter(status=filters["status"])
    if filters["theme"].isdigit():
        actions_qs = actions_qs.filter(themes=int(filters["theme"]))
    if filters["programme"].isdigit():
        actions_qs = actions_qs.filter(programme_id=int(filters["programme"]))
    actions_qs = actions_qs.select_related("owner_agency", "owner", "programme").distinct()
    from caseaudit.accounts.models import Agency

    return render(
        request,
        "meetings/action_list.html",
        {
            "actions": actions_qs,
            "filters": filters,
            "today": today,
            "agencies": Agency.objects.all(),
            "themes": Theme.objects.filter(merged_into__isnull=True),
            "programmes": access.visible_programmes(request.user),
            "status_choices": ActionStatus.choices,
        },
    )


def action_new(request: AuthenticatedRequest, finding_id: int) -> HttpResponse:
    finding = (
        access.visible_findings(request.user)
        .select_related("programme", "case")
        .filter(pk=finding_id)
        .first()
    )
    if finding is None or not access.can_run_meetings(request.user):
        raise Http404("No such finding")
    form = ActionForm(request.POST or None, initial={"themes": finding.themes.all()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        action = Action(
            programme=finding.programme,
            finding=finding,
            case=finding.case,
            description=data["description"],
            owner_agency=data["owner_agency"],
            owner=data["owner"],
            due_date=data["due_date"],
        )
        actions.save_action(action, by=request.user, themes=data["themes"])
        messages.success(request, "The action has been added to the tracker.")
        return (
            redirect("meetings:case", finding.case_id)
            if finding.case_id
            else redirect("meetings:action-list")
        )
    record_access(request, finding, "view finding")
    return render(
        request,
        "meetings/action_form.html",
        {"form": form, "finding": finding},
        status=422 if form.errors else 200,
    )


def action_detail(request: AuthenticatedRequest, action_id: int) -> HttpResponse:
    action = access.get_action(request.user, action_id)
    can_update = access.can_update_action(request.user, action)
    form = ActionProgressForm(
        request.POST or None,
        initial={"status": action.status, "completion_evidence": action.completion_evidence},
    )
    if request.method == "POST":
        if not can_update:
            raise PermissionDenied
        if form.is_valid():
            actions.update_action_progress(action, by=request.user, **form.cleaned_data)
            messages.success(request, "The progress has been recorded.")
            return redirect("meetings:action-detail", action.pk)
    record_access(request, action, "view")
    return render(
        request,
        "meetings/action_detail.html",
        {
            "action": action,
            "form": form,
            "can_update": can_update,
            "updates": action.updates.select_related("by"),
            "today": timezone.localdate(),
        },
        status=422 if form.errors else 200,
    )
