"""The action tracker: what each agency agreed to do, and its progress. Coordinators track
every action and agency leads their own agency's; both record progress, after the programme
closes too."""

from datetime import date, datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from caseaudit import access
from caseaudit.api.v1.assignments import PersonOut
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
from caseaudit.api.v1.programmes import AgencyOut, agency_out
from caseaudit.api.v1.themes import ThemeRef, theme_ref
from caseaudit.meetings import actions
from caseaudit.meetings.forms import ActionProgressForm
from caseaudit.meetings.models import Action, ActionStatus, ActionUpdate

router = Router(tags=["Actions"])

OVERDUE = "overdue"


class ActionOut(Schema):
    id: int
    programme_id: int
    finding_id: int | None
    case_id: int | None
    description: str
    owner_agency: AgencyOut
    owner: PersonOut | None
    due_date: date
    status: ActionStatus
    overdue: bool = Field(description="Not done and past its due date (derived, as of today)")
    completion_evidence: str
    themes: list[ThemeRef]
    created_at: datetime


class ActionUpdateOut(Schema):
    id: int
    at: datetime
    by: PersonOut
    note: str
    status: ActionStatus = Field(description="The status the action moved to")


class ProgressIn(Schema):
    status: ActionStatus
    note: Storable = Field(max_length=5000, description="The progress made")
    completion_evidence: Storable = Field(
        "", max_length=5000, description="Required when the action is done"
    )


class ActionFilters(Schema):
    agency_id: Id | None = Field(None, description="The owner agency")
    status: Literal["open", "in_progress", "done", "overdue"] | None = Field(
        None, description="A status, or overdue: not done and past its due date"
    )
    theme_id: Id | None = None
    programme_id: Id | None = None


def person_out(person: Any) -> dict[str, Any] | None:
    return {"id": person.pk, "full_name": person.full_name} if person is not None else None


def action_out(action: Action, today: date) -> dict[str, Any]:
    return {
        "id": action.pk,
        "programme_id": action.programme_id,
        "finding_id": action.finding_id,
        "case_id": action.case_id,
        "description": action.description,
        "owner_agency": agency_out(action.owner_agency),
        "owner": person_out(action.owner),
        "due_date": action.due_date,
        "status": action.status,
        "overdue": action.is_overdue(today),
        "completion_evidence": action.completion_evidence,
        "themes": [theme_ref(theme) for theme in action.themes.all()],
        "created_at": action.created_at,
    }


def update_out(update: ActionUpdate) -> dict[str, Any]:
    return {
        "id": update.pk,
        "at": update.at,
        "by": person_out(update.by),
        "note": update.note,
        "status": update.status,
    }


def _with_details(found: QuerySet[Action]) -> QuerySet[Action]:
    return found.select_related("owner_agency", "owner").prefetch_related("themes")


def _fresh(action: Action) -> dict[str, Any]:
    found = _with_details(Action.objects.filter(pk=action.pk)).get()
    return action_out(found, timezone.localdate())


@router.get("/actions", response={200: Page[ActionOut], **errors()})
def list_actions(
    request: HttpRequest, page: Query[PageParams], filters: Query[ActionFilters]
) -> dict[str, Any]:
    """Actions you may track, soonest due first: every one for coordinators, their own
    agency's for agency leads (nobody else tracks actions)."""
    today = timezone.localdate()
    found = access.visible_actions(user_of(request))
    if filters.agency_id is not None:
        found = found.filter(owner_agency_id=filters.agency_id)
    if filters.status == OVERDUE:
        found = found.exclude(status=ActionStatus.DONE).filter(due_date__lt=today)
    elif filters.status is not None:
        found = found.filter(status=filters.status)
    if filters.theme_id is not None:
        found = found.filter(themes=filters.theme_id)
    if filters.programme_id is not None:
        found = found.filter(programme_id=filters.programme_id)
    result = paginate(
        request,
        _with_details(found).order_by("due_date", "pk"),
        page,
        lambda action: action_out(action, today),
    )
    log_view(request, None, "api list actions")
    return result


@router.get("/actions/{action_id}", response={200: ActionOut, **errors()})
def get_action(request: HttpRequest, action_id: PathId) -> dict[str, Any]:
    action = access.get_action(user_of(request), action_id)
    log_view(request, action)
    return _fresh(action)


@router.get("/actions/{action_id}/updates", response={200: Page[ActionUpdateOut], **errors()})
def list_action_updates(
    request: HttpRequest, action_id: PathId, page: Query[PageParams]
) -> dict[str, Any]:
    """The progress recorded on an action, latest first."""
    action = access.get_action(user_of(request), action_id)
    updates = action.updates.select_related("by").order_by("-at", "-pk")
    result = paginate(request, updates, page, update_out)
    log_view(request, action)
    return result


@router.post("/actions/{action_id}/progress", response={200: ActionOut, **errors()})
def record_progress(request: HttpRequest, action_id: PathId, payload: ProgressIn) -> dict[str, Any]:
    """Record progress: the action's new status, a note of what was done and, once it is done,
    the evidence. For coordinators and the lead of the agency that owns the action."""
    user = user_of(request)
    action = access.get_action(user, action_id)
    if not access.can_update_action(user, action):
        raise Http404("No such action")
    form = ActionProgressForm(form_data(ActionProgressForm, payload.model_dump()))
    if not form.is_valid():
        raise ApiProblem(
            "validation-error", "The progress has invalid values", errors=form_errors(form)
        )
    actions.update_action_progress(action, by=user, **form.cleaned_data)
    return _fresh(action)
