"""The coordinator's planning pages: programmes, cases, CSV import, sampling, assignments."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from caseaudit import access
from caseaudit.activity.actions import record_access
from caseaudit.audits import planning
from caseaudit.audits.case_import import CaseRow, RowError, parse_cases, template_csv
from caseaudit.audits.models import (
    Case,
    CaseCategory,
    Programme,
    Return,
    ReturnStatus,
    SampleDraw,
)
from caseaudit.audits.planning_forms import (
    AssignmentForm,
    CaseForm,
    ImportForm,
    ProgrammeForm,
    SampleForm,
    StatusForm,
    family_error_list,
    family_formset,
    family_rows,
    participating_agencies,
    without_errors,
)
from caseaudit.audits.sampling import SampleError, new_seed
from caseaudit.lib.types import AuthenticatedRequest

PROGRESS_STATUSES = (
    ReturnStatus.NOT_STARTED,
    ReturnStatus.IN_PROGRESS,
    ReturnStatus.SUBMITTED,
    ReturnStatus.RETURNED,
)
SUMMARY_LIMIT = 20


def _posted(request: AuthenticatedRequest) -> Any:
    """The form data of a POST, even an empty one; None for a GET."""
    return request.POST if request.method == "POST" else None


def _files(request: AuthenticatedRequest) -> Any:
    return request.FILES if request.method == "POST" else None


def _require_coordinator(request: AuthenticatedRequest) -> None:
    if not access.can_manage_programmes(request.user):
        raise PermissionDenied


def _managed_case(request: AuthenticatedRequest, case_id: int) -> Case:
    """A case the user may change: coordinators only; anyone else gets 404."""
    if not access.can_manage_programmes(request.user):
        raise Http404("No such case")
    return access.get_case(request.user, case_id)


def _closed(request: AuthenticatedRequest, programme: Programme) -> HttpResponse | None:
    """Send the coordinator back to a closed programme's page: it can no longer change."""
    if not programme.is_closed:
        return None
    messages.error(request, "This programme is closed: it can no longer change.")
    return redirect("audits:programme-detail", programme.pk)


def _returns() -> QuerySet[Return]:
    return Return.objects.select_related("agency", "tool_version", "auditor").defer(
        "tool_version__document"
    )


# Programmes ----------------------------------------------------------------------------------


def programme_list(request: AuthenticatedRequest) -> HttpResponse:
    _require_coordinator(request)
    counts = {
        f"returns_{status.value}": Count("cases__returns", filter=Q(cases__returns__status=status))
        for status in PROGRESS_STATUSES
    }
    programmes = access.visible_programmes(request.user).annotate(
        case_count=Count("cases", distinct=True), **counts
    )
    return render(
        request,
        "audits/planning/programme_list.html",
        {"programmes": programmes, "statuses": PROGRESS_STATUSES},
    )


def programme_new(request: AuthenticatedRequest) -> HttpResponse:
    _require_coordinator(request)
    form = ProgrammeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        programme = planning.create_programme(
            form.programme_values(), form.cleaned_data["agencies"], by=request.user
        )
        messages.success(request, f"{programme.title} has been created. Now add its cases.")
        return redirect("audits:programme-detail", programme.pk)
    return render(request, "audits/planning/programme_form.html", {"form": form, "programme": None})


def programme_edit(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    if refused := _closed(request, programme):
        return refused
    form = ProgrammeForm(_posted(request), programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            planning.update_programme(
                programme, form.programme_values(), form.cleaned_data["agencies"], by=request.user
            )
        except planning.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The programme’s details have been saved.")
            return redirect("audits:programme-detail", programme.pk)
    return render(
        request, "audits/planning/programme_form.html", {"form": form, "programme": programme}
    )


def programme_detail(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    cases = list(
        programme.cases.select_related("referring_agency").prefetch_related(
            Prefetch("returns", queryset=_returns())
        )
    )
    progress = dict.fromkeys(PROGRESS_STATUSES, 0)
    for case in cases:
        for ret in case.returns.all():
            if ret.status in progress:
                progress[ReturnStatus(ret.status)] += 1
    record_access(request, programme, "view")
    return render(
        request,
        "audits/planning/programme_detail.html",
        {
            "programme": programme,
            "agencies": list(programme.agencies.all()),
            "cases": cases,
            "progress": progress,
            "next_statuses": planning.next_statuses(programme),
        },
    )


def programme_status(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    if refused := _closed(request, programme):
        return refused
    form = StatusForm(programme, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            planning.change_programme_status(
                programme, form.cleaned_data["status"], by=request.user
            )
        except planning.PlanningError as error:
            form.add_error("status", str(error))
        else:
            messages.success(
                request, f"The programme’s status is now {programme.get_status_display()}."
            )
            return redirect("audits:programme-detail", programme.pk)
    return render(
        request, "audits/planning/programme_status.html", {"form": form, "programme": programme}
    )


# Cases ---------------------------------------------------------------------------------------


def _case_form(
    request: AuthenticatedRequest, programme: Programme, case: Case | None
) -> HttpResponse:
    if request.method == "POST":
        adding = "add_family_member" in request.POST
        form = CaseForm(request.POST, programme=programme, case=case)
        family = family_formset(request.POST, case=case, add_another=adding)
        if adding:
            without_errors(form, family)
        elif form.is_valid() and family.is_valid():
            saved = planning.save_case(
                case or Case(programme=programme),
                form.case_values(),
                family_rows(family),
                by=request.user,
            )
            messages.success(request, f"Case {saved.case_identifier} has been saved.")
            return redirect("audits:case-detail", saved.pk)
    else:
        form = CaseForm(programme=programme, case=case)
        family = family_formset(case=case)
        if case is not None:
            record_access(request, case, "view for editing")
    return render(
        request,
        "audits/planning/case_form.html",
        {
            "form": form,
            "family": family,
            "family_errors": family_error_list(family),
            "programme": programme,
            "case": case,
        },
    )


def case_new(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    if refused := _closed(request, programme):
        return refused
    return _case_form(request, programme, None)


def case_edit(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    if refused := _closed(request, case.programme):
        return refused
    return _case_form(request, case.programme, case)


def case_detail(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = access.get_case(request.user, case_id)
    returns = _returns().filter(pk__in=access.listed_returns(request.user).filter(case=case))
    record_access(request, case, "view")
    return render(
        request,
        "audits/planning/case_detail.html",
        {
            "case": case,
            "family_members": list(case.family_members.all()),
            "returns": list(returns),
            "can_manage": access.can_manage_programmes(request.user),
        },
    )


# Import --------------------------------------------------------------------------------------


def _agency_ids() -> dict[str, int]:
    return {agency.name.casefold(): agency.pk for agency in participating_agencies()}


def _summary(errors: list[RowError]) -> list[dict[str, str]]:
    """The error summary: the first problems, each linking to the table of all of them."""
    items = [
        {"text": _describe(error), "href": f"#import-error-{index}"}
        for index, error in enumerate(errors[:SUMMARY_LIMIT])
    ]
    if len(errors) > SUMMARY_LIMIT:
        more = len(errors) - SUMMARY_LIMIT
        items.append({"text": f"And {more} more problems: see the table", "href": "#import-errors"})
    return items


def _describe(error: RowError) -> str:
    if error.column:
        return f"Row {error.row}, column {error.column}: {error.message}"
    return f"Row {error.row}: {error.message}"


def case_import(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    if refused := _closed(request, programme):
        return refused
    form = ImportForm(_posted(request), _files(request))
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        result = parse_cases(
            form.cleaned_data["file"],
            agencies=_agency_ids(),
            existing_identifiers=programme.cases.values_list("case_identifier", flat=True),
            today=timezone.localdate(),
        )
        if result.ok:
            cases = planning.import_cases(programme, result.rows, by=request.user)
            noun = "case" if len(cases) == 1 else "cases"
            messages.success(request, f"{len(cases)} {noun} imported.")
            return redirect("audits:programme-detail", programme.pk)
        errors = result.errors
    return render(
        request,
        "audits/planning/case_import.html",
        {
            "form": form,
            "programme": programme,
            "errors": errors,
            "summary": _summary(errors),
            "describe": _describe,
        },
    )


def case_import_template(request: AuthenticatedRequest) -> HttpResponse:
    _require_coordinator(request)
    # The byte-order mark makes Excel read the file as UTF-8.
    response = HttpResponse("\ufeff" + template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cases-template.csv"'
    return response


# Sampling ------------------------------------------------------------------------------------


def sample(request: AuthenticatedRequest, programme_id: int) -> HttpResponse:
    programme = access.get_managed_programme(request.user, programme_id)
    if refused := _closed(request, programme):
        return refused
    form = SampleForm(_posted(request), _files(request))
    errors: list[RowError] = []
    if request.method == "POST" and form.is_valid():
        result = parse_cases(
            form.cleaned_data["file"], agencies=_agency_ids(), today=timezone.localdate()
        )
        errors = result.errors
        if result.ok:
            seed = form.cleaned_data["seed"] or new_seed()
            try:
                draw = planning.draw_sample(
                    programme,
                    result.rows,
                    n=form.cleaned_data["n"],
                    seed=seed,
                    stratify_by=form.cleaned_data["stratify_by"],
                    by=request.user,
                )
            except SampleError as error:
                form.add_error("n", str(error))
            else:
                return redirect("audits:sample-draw", programme.pk, draw.pk)
    draws = programme.sample_draws.select_related("drawn_by", "added_by")
    return render(
        request,
        "audits/planning/sample.html",
        {
            "form": form,
            "programme": programme,
            "draws": draws,
            "errors": errors,
            "summary": _summary(errors),
            "describe": _describe,
        },
    )


def _draw(request: AuthenticatedRequest, programme_id: int, draw_id: int) -> SampleDraw:
    programme = access.get_managed_programme(request.user, programme_id)
    draw = programme.sample_draws.select_related("drawn_by", "added_by").filter(pk=draw_id).first()
    if draw is None:
        raise Http404("No such draw")
    return draw


def sample_draw(request: AuthenticatedRequest, programme_id: int, draw_id: int) -> HttpResponse:
    draw = _draw(request, programme_id, draw_id)
    programme = draw.programme
    rows = [CaseRow.from_json(values) for values in draw.drawn_cases]
    record_access(request, draw, "view")
    existing = {
        identifier.casefold()
        for identifier in programme.cases.values_list("case_identifier", flat=True)
    }
    return render(
        request,
        "audits/planning/sample_draw.html",
        {
            "programme": programme,
            "draw": draw,
            "rows": rows,
            "existing": existing,
            "to_add": [row for row in rows if row.case_identifier.casefold() not in existing],
            "category_labels": dict(CaseCategory.choices),
        },
    )


@require_POST
def sample_add(request: AuthenticatedRequest, programme_id: int, draw_id: int) -> HttpResponse:
    draw = _draw(request, programme_id, draw_id)
    if refused := _closed(request, draw.programme):
        return refused
    try:
        added, left_out = planning.add_drawn_cases(draw, by=request.user)
    except planning.PlanningError as error:
        messages.error(request, str(error))
        return redirect("audits:sample-draw", programme_id, draw.pk)
    noun = "case" if len(added) == 1 else "cases"
    message = f"{len(added)} drawn {noun} added to the programme."
    if left_out:
        message += f" Already in the programme, so not added again: {', '.join(left_out)}."
    messages.success(request, message)
    return redirect("audits:programme-detail", programme_id)


# Assignments ---------------------------------------------------------------------------------


def case_assignments(request: AuthenticatedRequest, case_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    if refused := _closed(request, case.programme):
        return refused
    form = AssignmentForm(case, _posted(request))
    if request.method == "POST" and form.is_valid():
        data: dict[str, Any] = form.cleaned_data
        try:
            ret = planning.assign_agency(
                case,
                agency=data["agency"],
                tool_version=data["tool_version"],
                auditor=data["auditor"],
                by=request.user,
            )
        except planning.PlanningError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{ret.agency.name} has been assigned to this case.")
            return redirect("audits:case-assignments", case.pk)
    record_access(request, case, "view assignments")
    return render(
        request,
        "audits/planning/case_assignments.html",
        {"case": case, "returns": list(_returns().filter(case=case)), "form": form},
    )


@require_POST
def assignment_remove(request: AuthenticatedRequest, case_id: int, return_id: int) -> HttpResponse:
    case = _managed_case(request, case_id)
    if refused := _closed(request, case.programme):
        return refused
    ret = access.listed_returns(request.user).filter(case=case, pk=return_id).first()
    if ret is None:
        raise Http404("No such assignment")
    try:
        planning.remove_assignment(ret, by=request.user)
    except planning.PlanningError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The assignment has been removed.")
    return redirect("audits:case-assignments", case.pk)
