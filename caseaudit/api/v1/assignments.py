"""Assignments: which agency audits which case with which tool, and how far its return has
got. An assignment is its return before it starts, so an assignment's id is its return's id."""

from datetime import date, datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from caseaudit import access
from caseaudit.api.v1.common import (
    Id,
    Page,
    PageParams,
    PathId,
    errors,
    paginate,
    user_of,
)
from caseaudit.api.v1.forms import form_data
from caseaudit.api.v1.problems import ApiProblem, form_errors
from caseaudit.api.v1.programmes import AgencyOut, agency_out
from caseaudit.audits import planning
from caseaudit.audits.items import parts_for, progress
from caseaudit.audits.models import Return, ReturnStatus
from caseaudit.audits.planning_forms import AssignmentForm

router = Router(tags=["Assignments"])

FORM_NAMES = {"agency": "agency_id", "tool_version": "tool_version_id", "auditor": "auditor_id"}


class PersonOut(Schema):
    id: int
    full_name: str


class AssignmentOut(Schema):
    id: int = Field(description="The assignment's return: read its answers at /returns/{id}")
    case_id: int
    programme_id: int
    agency: AgencyOut
    tool_version_id: int
    auditor: PersonOut | None = Field(description="None: the agency lead completes the return")
    status: ReturnStatus
    version: int = Field(description="Send it back when you change the return's answers")
    return_deadline: date
    submitted_at: datetime | None
    created_at: datetime
    updated_at: datetime


class ProgressOut(Schema):
    completed: int
    total: int


class AssignmentDetail(AssignmentOut):
    progress: ProgressOut


class AssignmentIn(Schema):
    agency_id: Id
    tool_version_id: Id = Field(description="A published tool version")
    auditor_id: Id | None = Field(None, description="One of the agency's auditors, or none")


class AssignmentFilters(Schema):
    programme_id: Id | None = None
    case_id: Id | None = None
    agency_id: Id | None = None
    status: ReturnStatus | None = None


def assignment_out(ret: Return) -> dict[str, Any]:
    auditor = ret.auditor
    return {
        "id": ret.pk,
        "case_id": ret.case_id,
        "programme_id": ret.case.programme_id,
        "agency": agency_out(ret.agency),
        "tool_version_id": ret.tool_version_id,
        "auditor": {"id": auditor.pk, "full_name": auditor.full_name} if auditor else None,
        "status": ret.status,
        "version": ret.version,
        "return_deadline": ret.case.programme.return_deadline,
        "submitted_at": ret.submitted_at,
        "created_at": ret.created_at,
        "updated_at": ret.updated_at,
    }


def _with_details(returns: QuerySet[Return]) -> QuerySet[Return]:
    return returns.select_related("case__programme", "agency", "auditor")


@router.get("/assignments", response={200: Page[AssignmentOut], **errors()})
def list_assignments(
    request: HttpRequest, page: Query[PageParams], filters: Query[AssignmentFilters]
) -> dict[str, Any]:
    """Assignments you may see: all for coordinators, your agency's for agency leads, yours for
    auditors, and other agencies' submitted returns once a case is opened for its meeting."""
    returns = access.listed_returns(user_of(request))
    if filters.programme_id is not None:
        returns = returns.filter(case__programme_id=filters.programme_id)
    if filters.case_id is not None:
        returns = returns.filter(case_id=filters.case_id)
    if filters.agency_id is not None:
        returns = returns.filter(agency_id=filters.agency_id)
    if filters.status is not None:
        returns = returns.filter(status=filters.status)
    return paginate(request, _with_details(returns).order_by("pk"), page, assignment_out)


@router.get("/assignments/{assignment_id}", response={200: AssignmentDetail, **errors()})
def get_assignment(request: HttpRequest, assignment_id: PathId) -> dict[str, Any]:
    """One assignment, with how many parts of its return are complete."""
    ret = access.get_listed_return(user_of(request), assignment_id)
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    done = progress(parts_for(ret), answers)
    return {
        **assignment_out(ret),
        "progress": {"completed": done.completed, "total": done.total},
    }


@router.get("/cases/{case_id}/assignments", response={200: Page[AssignmentOut], **errors()})
def list_case_assignments(
    request: HttpRequest, case_id: PathId, page: Query[PageParams]
) -> dict[str, Any]:
    user = user_of(request)
    case = access.get_case(user, case_id)
    returns = _with_details(access.listed_returns(user).filter(case=case)).order_by("pk")
    return paginate(request, returns, page, assignment_out)


@router.post("/cases/{case_id}/assignments", response={201: AssignmentOut, **errors(409)})
def create_assignment(request: HttpRequest, case_id: PathId, payload: AssignmentIn) -> Status:
    """Assign an agency to a case with the tool it uses, and optionally its auditor
    (coordinators). This creates the agency's return, not started."""
    user = user_of(request)
    if not access.can_manage_programmes(user):
        raise Http404("No such case")
    case = access.get_case(user, case_id)
    if case.programme.is_closed:
        raise ApiProblem("conflict", "This programme is closed: it can no longer change")
    values = {
        "agency": payload.agency_id,
        "tool_version": payload.tool_version_id,
        "auditor": payload.auditor_id,
    }
    form = AssignmentForm(case, form_data(AssignmentForm, values))
    if not form.is_valid():
        raise ApiProblem(
            "validation-error",
            "The assignment has invalid values",
            errors=form_errors(form, names=FORM_NAMES),
        )
    data = form.cleaned_data
    try:
        ret = planning.assign_agency(
            case,
            agency=data["agency"],
            tool_version=data["tool_version"],
            auditor=data["auditor"],
            by=user,
        )
    except planning.PlanningError as error:
        raise ApiProblem("conflict", str(error)) from None
    return Status(201, assignment_out(_with_details(Return.objects.filter(pk=ret.pk)).get()))


@router.delete("/assignments/{assignment_id}", response={204: None, **errors(409)})
def delete_assignment(request: HttpRequest, assignment_id: PathId) -> Status:
    """Take an agency off a case, while its return has not started (coordinators)."""
    user = user_of(request)
    if not access.can_manage_programmes(user):
        raise Http404("No such return")
    ret = access.get_listed_return(user, assignment_id)
    try:
        planning.remove_assignment(ret, by=user)
    except planning.PlanningError as error:
        raise ApiProblem("conflict", str(error)) from None
    return Status(204, None)
