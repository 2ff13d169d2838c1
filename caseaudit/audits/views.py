import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import Error as DatabaseError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from caseaudit import access
from caseaudit.accounts.models import PartnershipSettings, User
from caseaudit.activity.actions import record_access
from caseaudit.activity.models import Change
from caseaudit.audits import actions
from caseaudit.audits.forms import AmendmentForm, EscalationResponseForm, PartForm, SubmitForm
from caseaudit.audits.items import Part, find_part, parts_for, problems, progress
from caseaudit.audits.models import Answer, Return
from caseaudit.lib.types import AuthenticatedRequest

logger = logging.getLogger(__name__)


def _answers(ret: Return, part: Part | None = None) -> dict[str, Answer]:
    """The return's answers by item, or only those of one part."""
    answers = ret.answers.all()
    if part is not None:
        answers = answers.filter(item_key__in=[item.key for item in part.items])
    return {answer.item_key: answer for answer in answers}


def _return_context(request: HttpRequest, ret: Return, **extra: Any) -> dict[str, Any]:
    return {
        "ret": ret,
        "case": ret.case,
        "tool": ret.tool_version.tool,
        "can_edit": access.can_edit_return(request.user, ret),
        **extra,
    }


def my_audits(request: AuthenticatedRequest) -> HttpResponse:
    returns = (
        access.listed_returns(request.user)
        .select_related("case__programme", "agency", "tool_version", "auditor")
        .order_by("case__programme__return_deadline", "case__case_identifier", "agency__name")
    )
    return render(request, "audits/my_audits.html", {"returns": returns})


def return_overview(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_listed_return(request.user, return_id)
    readable = access.readable_returns(request.user).filter(pk=ret.pk).exists()
    parts = parts_for(ret)
    if readable:
        record_access(request, ret, "view")
    return render(
        request,
        "audits/return_overview.html",
        _return_context(
            request,
            ret,
            parts=parts,
            progress=progress(parts, _answers(ret)),
            readable=readable,
            can_return=access.can_return_for_amendment(request.user, ret),
            can_assign=access.can_assign_auditor(request.user, ret),
            can_view_history=access.can_view_history(request.user, ret),
        ),
    )


def _part_or_404(ret: Return, slug: str) -> tuple[list[Part], Part]:
    parts = parts_for(ret)
    part = find_part(parts, slug)
    if part is None:
        raise Http404("No such part")
    return parts, part


def return_part(request: AuthenticatedRequest, return_id: int, slug: str) -> HttpResponse:
    if request.method == "POST":
        ret = access.get_editable_return(request.user, return_id)
    else:
        ret = access.get_return(request.user, return_id)
    parts, part = _part_or_404(ret, slug)
    answers = _answers(ret, part)
    scale = ret.tool_version.tool.grade_scale
    autosave = bool(request.htmx)
    if request.method != "POST":
        record_access(request, ret, "view")
        form = PartForm(part, scale, answers, initial={"version": ret.version})
        return _render_part(request, ret, parts, part, form, answers)

    form = PartForm(part, scale, answers, data=request.POST)
    if not form.is_valid():
        if autosave:
            return render(
                request,
                "audits/_autosave_status.html",
                {"state": "invalid", "ret": ret},
                status=422,
            )
        return _render_part(request, ret, parts, part, form, answers, status=422)
    try:
        result = actions.save_answers(
            ret,
            part,
            form.answer_values(),
            by=request.user,
            expected_version=form.cleaned_data["version"],
        )
    except actions.StaleReturn:
        ret.refresh_from_db()
        if autosave:
            return render(
                request, "audits/_autosave_status.html", {"state": "stale", "ret": ret}, status=409
            )
        return _render_part(request, ret, parts, part, form, answers, stale=True, status=409)
    except DatabaseError as error:
        # The connection died or the disk is full: nothing was written (one transaction), and
        # the page comes back with the typed text. The log names the fault, never the text.
        logger.error("Saving return %s failed: %s", ret.pk, type(error).__name__)
        if autosave:
            return render(
                request, "audits/_autosave_status.html", {"state": "failed", "ret": ret}, status=503
            )
        return _render_part(request, ret, parts, part, form, answers, failed=True, status=503)
    if autosave:
        return render(
            request,
            "audits/_autosave_status.html",
            {
                "state": "saved",
                "ret": result.ret,
                "escalations": result.escalations,
                "procedure": PartnershipSettings.load() if result.escalations else None,
            },
        )
    if result.escalations:
        return redirect("audits:return-escalation", ret.pk)
    index = parts.index(part)
    following = [p for p in parts[index + 1 :] if p.applies]
    if following:
        return redirect("audits:return-part", ret.pk, following[0].slug)
    return redirect("audits:return-check", ret.pk)


def _render_part(
    request: HttpRequest,
    ret: Return,
    parts: list[Part],
    part: Part,
    form: PartForm,
    answers: dict[str, Answer],
    *,
    stale: bool = False,
    failed: bool = False,
    status: int = 200,
) -> HttpResponse:
    context = _return_context(
        request,
        ret,
        parts=parts,
        part=part,
        form=form,
        answers=answers,
        stale=stale,
        failed=failed,
    )
    return render(request, "audits/return_part.html", context, status=status)


def return_escalation(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_return(request.user, return_id)
    escalations = access.visible_escalations(request.user).filter(ret=ret)
    record_access(request, ret, "view escalation")
    return render(
        request,
        "audits/return_escalation.html",
        _return_context(
            request, ret, escalations=escalations, procedure=PartnershipSettings.load()
        ),
    )


@sensitive_post_parameters("password")
def check_answers(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_return(request.user, return_id)
    parts = parts_for(ret)
    answers = _answers(ret)
    found: list = []
    form = SubmitForm(request=request)
    if request.method == "POST":
        ret = access.get_editable_return(request.user, return_id)
        form = SubmitForm(request.POST, request=request)
        if form.is_valid():
            try:
                actions.submit_return(
                    ret, by=request.user, expected_version=form.cleaned_data["version"]
                )
                return redirect("audits:return-submitted", ret.pk)
            except actions.IncompleteReturn as incomplete:
                found = incomplete.problems
            except actions.StaleReturn:
                messages.error(
                    request,
                    "This return was changed by someone else while you "
                    "were checking it. Check the answers below again.",
                )
                return redirect("audits:return-check", ret.pk)
    record_access(request, ret, "view")
    return render(
        request,
        "audits/check_answers.html",
        _return_context(
            request,
            ret,
            parts=parts,
            answers=answers,
            problems=found,
            missing=problems(parts, answers),
            form=form,
        ),
        status=422 if found or form.errors else 200,
    )


def return_submitted(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_return(request.user, return_id)
    return render(request, "audits/return_submitted.html", _return_context(request, ret))


@sensitive_post_parameters("password")
def return_for_amendment(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_listed_return(request.user, return_id)
    if not access.can_return_for_amendment(request.user, ret):
        raise Http404("No such return")
    form = AmendmentForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            actions.return_for_amendment(ret, by=request.user, reason=form.cleaned_data["reason"])
        except actions.StaleReturn:
            messages.error(request, "This return is no longer submitted: nothing was changed.")
            return redirect("audits:return-overview", ret.pk)
        messages.success(request, "The return has been sent back to the auditor for amendment.")
        return redirect("audits:return-overview", ret.pk)
    record_access(request, ret, "view for amendment")
    return render(request, "audits/return_amendment.html", _return_context(request, ret, form=form))


def return_history(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_listed_return(request.user, return_id)
    if not access.can_view_history(request.user, ret):
        raise Http404("No such return")
    changes = (
        Change.objects.filter(object_type=ret._meta.label_lower, object_id=ret.pk)
        .select_related("actor")
        .order_by("-at", "-pk")
    )
    record_access(request, ret, "view history")
    return render(
        request, "audits/return_history.html", _return_context(request, ret, changes=changes)
    )


def assign_auditor(request: AuthenticatedRequest, return_id: int) -> HttpResponse:
    ret = access.get_listed_return(request.user, return_id)
    if not access.can_assign_auditor(request.user, ret):
        raise Http404("No such return")
    candidates = User.objects.filter(agency_id=ret.agency_id, is_active=True).filter(
        Q(is_auditor=True) | Q(is_agency_lead=True)
    )
    error = ""
    if request.method == "POST":
        choice = request.POST.get("auditor", "")
        auditor = candidates.filter(pk=choice).first() if choice.isdigit() else None
        if choice == "lead" or auditor is not None:
            actions.assign_auditor(ret, auditor, by=request.user)
            messages.success(request, "The auditor has been updated.")
            return redirect("audits:return-overview", ret.pk)
        error = "Select who will complete this return"
    return render(
        request,
        "audits/return_assign.html",
        _return_context(request, ret, candidates=candidates, error=error),
    )


def escalation_list(request: AuthenticatedRequest) -> HttpResponse:
    escalations = access.visible_escalations(request.user).select_related(
        "ret__case", "ret__agency", "raised_by"
    )
    return render(request, "audits/escalation_list.html", {"escalations": escalations})


def escalation_detail(request: AuthenticatedRequest, escalation_id: int) -> HttpResponse:
    escalation = (
        access.visible_escalations(request.user)
        .select_related("ret__case__programme", "ret__agency", "raised_by", "responded_by")
        .filter(pk=escalation_id)
        .first()
    )
    if escalation is None:
        raise Http404("No such escalation")
    can_respond = access.can_respond_to_escalation(request.user, escalation)
    form = EscalationResponseForm(request.POST or None)
    if request.method == "POST":
        if not can_respond:
            raise PermissionDenied
        if form.is_valid():
            try:
                actions.respond_to_escalation(
                    escalation, by=request.user, response=form.cleaned_data["response"]
                )
            except actions.StaleReturn:
                messages.error(request, "A response had already been recorded.")
            else:
                messages.success(request, "The response has been recorded.")
            return redirect("audits:escalation-detail", escalation.pk)
    record_access(request, escalation, "view")
    return render(
        request,
        "audits/escalation_detail.html",
        {
            "escalation": escalation,
            "form": form,
            "can_respond": can_respond,
            "case": escalation.ret.case,
        },
    )
