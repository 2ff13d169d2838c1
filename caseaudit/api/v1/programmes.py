"""Audit programmes: reading them, and creating, changing and moving them on as the
coordinator does."""

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from caseaudit import access
from caseaudit.accounts.models import AgencyKind
from caseaudit.api.v1.common import (
    Id,
    Page,
    PageParams,
    PathId,
    Storable,
    errors,
    log_view,
    paginate,
    user_of,
)
from caseaudit.api.v1.forms import form_data
from caseaudit.api.v1.problems import ApiProblem, form_errors
from caseaudit.audits import planning
from caseaudit.audits.models import Programme, ProgrammeStatus
from caseaudit.audits.planning_forms import ProgrammeForm

router = Router(tags=["Programmes"])

FORM_NAMES = {"agencies": "agency_ids"}


class AgencyOut(Schema):
    id: int
    name: str
    kind: AgencyKind


class ProgrammeOut(Schema):
    id: int
    title: str
    focus: str
    audit_date: date
    window_months_before_audit: int
    window_months_before_referral: int | None
    return_deadline: date
    meeting_date: date | None
    review_threshold_months: int
    status: ProgrammeStatus
    agencies: list[AgencyOut]
    created_at: datetime


class ProgrammeIn(Schema):
    title: Storable = Field(max_length=200)
    focus: Storable = Field("", max_length=2000)
    audit_date: date
    window_months_before_audit: int = Field(18, ge=1, le=120)
    window_months_before_referral: int | None = Field(6, ge=0, le=60)
    return_deadline: date
    meeting_date: date | None = None
    review_threshold_months: int = Field(6, ge=1, le=60)
    agency_ids: list[Id] = Field(min_length=1, max_length=100)


class ProgrammePatch(Schema):
    title: Storable | None = Field(None, max_length=200)
    focus: Storable | None = Field(None, max_length=2000)
    audit_date: date | None = None
    window_months_before_audit: int | None = Field(None, ge=1, le=120)
    window_months_before_referral: int | None = Field(None, ge=0, le=60)
    return_deadline: date | None = None
    meeting_date: date | None = None
    review_threshold_months: int | None = Field(None, ge=1, le=60)
    agency_ids: list[Id] | None = Field(None, min_length=1, max_length=100)


class StatusIn(Schema):
    status: ProgrammeStatus


class ProgrammeFilters(Schema):
    status: ProgrammeStatus | None = None


def agency_out(agency: Any) -> dict[str, Any]:
    return {"id": agency.pk, "name": agency.name, "kind": agency.kind}


def programme_out(programme: Programme) -> dict[str, Any]:
    return {
        **{name: getattr(programme, name) for name in planning.PROGRAMME_FIELDS},
        "id": programme.pk,
        "status": programme.status,
        "agencies": [agency_out(agency) for agency in programme.agencies.all()],
        "created_at": programme.created_at,
    }


def _checked_form(values: dict[str, Any], programme: Programme | None = None) -> ProgrammeForm:
    form_values = {name: values.get(name) for name in planning.PROGRAMME_FIELDS}
    form_values["agencies"] = values.get("agency_ids")
    form = ProgrammeForm(form_data(ProgrammeForm, form_values), programme=programme)
    if not form.is_valid():
        raise ApiProblem(
            "validation-error",
            "The programme has invalid values",
            errors=form_errors(form, names=FORM_NAMES),
        )
    return form


def _fresh(programme: Programme) -> dict[str, Any]:
    return programme_out(Programme.objects.prefetch_related("agencies").get(pk=programme.pk))


@router.get("/programmes", response={200: Page[ProgrammeOut], **errors()})
def list_programmes(
    request: HttpRequest, page: Query[PageParams], filters: Query[ProgrammeFilters]
) -> dict[str, Any]:
    """Programmes you may see: all for coordinators; for agency leads and auditors, those their
    returns are in."""
    programmes = access.visible_programmes(user_of(request)).prefetch_related("agencies")
    if filters.status is not None:
        programmes = programmes.filter(status=filters.status)
    return paginate(request, programmes.order_by("-audit_date", "pk"), page, programme_out)


@router.post("/programmes", response={201: ProgrammeOut, **errors()})
def create_programme(request: HttpRequest, payload: ProgrammeIn) -> Status:
    """Create a programme, in planning (coordinators)."""
    user = user_of(request)
    if not access.can_manage_programmes(user):
        raise ApiProblem("forbidden", "Only coordinators create audit programmes")
    form = _checked_form(payload.model_dump())
    programme = planning.create_programme(
        form.programme_values(), form.cleaned_data["agencies"], by=user
    )
    return Status(201, _fresh(programme))


@router.get("/programmes/{programme_id}", response={200: ProgrammeOut, **errors()})
def get_programme(request: HttpRequest, programme_id: PathId) -> dict[str, Any]:
    programme = access.get_programme(user_of(request), programme_id)
    log_view(request, programme)
    return _fresh(programme)


@router.patch("/programmes/{programme_id}", response={200: ProgrammeOut, **errors(409)})
def update_programme(
    request: HttpRequest, programme_id: PathId, payload: ProgrammePatch
) -> dict[str, Any]:
    """Change a programme's details or participating agencies (coordinators). Only the fields
    sent change."""
    user = user_of(request)
    programme = access.get_managed_programme(user, programme_id)
    if programme.is_closed:
        raise ApiProblem("conflict", "This programme is closed: it can no longer change")
    values = {
        **{name: getattr(programme, name) for name in planning.PROGRAMME_FIELDS},
        "agency_ids": [agency.pk for agency in programme.agencies.all()],
        **payload.model_dump(exclude_unset=True),
    }
    form = _checked_form(values, programme)
    try:
        planning.update_programme(
            programme, form.programme_values(), form.cleaned_data["agencies"], by=user
        )
    except planning.PlanningError as error:
        raise ApiProblem("conflict", str(error)) from None
    return _fresh(programme)


@router.post("/programmes/{programme_id}/status", response={200: ProgrammeOut, **errors(409)})
def change_programme_status(
    request: HttpRequest, programme_id: PathId, payload: StatusIn
) -> dict[str, Any]:
    """Move a programme on one step: planning → auditing → meeting → reporting → closed (or
    from auditing back to planning). Coordinators only."""
    user = user_of(request)
    programme = access.get_managed_programme(user, programme_id)
    try:
        planning.change_programme_status(programme, payload.status, by=user)
    except planning.PlanningError as error:
        raise ApiProblem("conflict", str(error)) from None
    return _fresh(programme)
