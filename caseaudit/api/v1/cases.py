"""Cases: reading them, and adding or changing them as the coordinator does, one at a time or
many at once (all or nothing)."""

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from caseaudit import access
from caseaudit.accounts.models import User
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
from caseaudit.api.v1.problems import ApiProblem, field_error, form_errors
from caseaudit.audits import planning
from caseaudit.audits.case_import import MAX_CHILD_AGE, MAX_FAMILY_MEMBER_AGE, FamilyMemberRow
from caseaudit.audits.models import Case, CaseCategory, Programme
from caseaudit.audits.planning_forms import CaseForm, FamilyMemberForm

router = Router(tags=["Cases"])

MAX_BULK = 1000
MAX_FAMILY = 30
# The API names related objects by id; the forms name them after the object.
CASE_NAMES = {
    "referring_agency": "referring_agency_id",
    "lead_social_worker": "lead_social_worker_id",
}


class FamilyMemberOut(Schema):
    id: int
    initials: str
    relationship: str
    age: int | None


class CaseOut(Schema):
    id: int
    programme_id: int
    case_identifier: str
    initials: str
    gender: str
    date_of_birth: date | None
    age: int | None
    age_at_audit: int | None
    ethnicity: str
    language: str
    religion: str
    category: CaseCategory
    referral_date: date | None
    referring_agency_id: int | None
    lead_social_worker_id: int | None
    lead_team: str
    audit_window_start: date
    opened_for_meeting_at: datetime | None
    family_members: list[FamilyMemberOut]
    created_at: datetime


class FamilyMemberIn(Schema):
    id: Id | None = Field(
        None, description="When changing a case: the family member to change (omit to add one)"
    )
    initials: Storable = Field(max_length=4)
    relationship: Storable = Field(max_length=60)
    age: int | None = Field(None, ge=0, le=MAX_FAMILY_MEMBER_AGE)


class CaseIn(Schema):
    case_identifier: Storable = Field(max_length=40)
    initials: Storable = Field(max_length=4, description="Initials only, never a name")
    gender: Storable = Field("", max_length=40)
    date_of_birth: date | None = Field(None, description="The date of birth or the age")
    age: int | None = Field(None, ge=0, le=MAX_CHILD_AGE)
    ethnicity: Storable = Field("", max_length=100)
    language: Storable = Field("", max_length=100)
    religion: Storable = Field("", max_length=100)
    category: CaseCategory
    referral_date: date | None = Field(None, description="Referral to children’s social care")
    referring_agency_id: Id | None = None
    lead_social_worker_id: Id | None = None
    lead_team: Storable = Field("", max_length=120)
    family_members: list[FamilyMemberIn] = Field([], max_length=MAX_FAMILY)


class CasePatch(Schema):
    case_identifier: Storable | None = Field(None, max_length=40)
    initials: Storable | None = Field(None, max_length=4)
    gender: Storable | None = Field(None, max_length=40)
    date_of_birth: date | None = None
    age: int | None = Field(None, ge=0, le=MAX_CHILD_AGE)
    ethnicity: Storable | None = Field(None, max_length=100)
    language: Storable | None = Field(None, max_length=100)
    religion: Storable | None = Field(None, max_length=100)
    category: CaseCategory | None = None
    referral_date: date | None = None
    referring_agency_id: Id | None = None
    lead_social_worker_id: Id | None = None
    lead_team: Storable | None = Field(None, max_length=120)
    family_members: list[FamilyMemberIn] | None = Field(
        None,
        max_length=MAX_FAMILY,
        description="The case's family members: those left out are removed",
    )


class BulkCasesIn(Schema):
    cases: list[CaseIn] = Field(min_length=1, max_length=MAX_BULK)


class CaseFilters(Schema):
    programme_id: Id | None = None
    case_identifier: Storable | None = Field(None, max_length=40)


def case_out(case: Case) -> dict[str, Any]:
    return {
        "id": case.pk,
        "programme_id": case.programme_id,
        "case_identifier": case.case_identifier,
        "initials": case.initials,
        "gender": case.gender,
        "date_of_birth": case.date_of_birth,
        "age": case.age,
        "age_at_audit": case.age_at_audit,
        "ethnicity": case.ethnicity,
        "language": case.language,
        "religion": case.religion,
        "category": case.category,
        "referral_date": case.referral_date,
        "referring_agency_id": case.referring_agency_id,
        "lead_social_worker_id": case.lead_social_worker_id,
        "lead_team": case.lead_team,
        "audit_window_start": case.audit_window_start,
        "opened_for_meeting_at": case.opened_for_meeting_at,
        "family_members": [
            {
                "id": member.pk,
                "initials": member.initials,
                "relationship": member.relationship,
                "age": member.age,
            }
            for member in case.family_members.all()
        ],
        "created_at": case.created_at,
    }


def _with_details(cases: QuerySet[Case]) -> QuerySet[Case]:
    return cases.select_related("programme").prefetch_related("family_members")


# Checking ------------------------------------------------------------------------------------


class CheckedCase:
    """A case's values that the case form accepted, ready for planning.save_case."""

    def __init__(self, values: dict[str, Any], family: list[FamilyMemberRow]) -> None:
        self.values = values
        self.family = family


def check_case(
    programme: Programme,
    values: Mapping[str, Any],
    family_members: Sequence[Mapping[str, Any]],
    *,
    case: Case | None = None,
    prefix: Sequence[str | int] = (),
) -> tuple[CheckedCase | None, list[dict[str, Any]]]:
    """Check one case as the case form does; the errors are placed at `prefix` in the body."""
    form_values = {name: values.get(CASE_NAMES.get(name, name)) for name in planning.CASE_FIELDS}
    form = CaseForm(form_data(CaseForm, form_values), programme=programme, case=case)
    found = form_errors(form, prefix, CASE_NAMES) if not form.is_valid() else []
    rows = []
    for index, member in enumerate(family_members):
        fields = ("initials", "relationship", "age")
        member_form = FamilyMemberForm(
            form_data(FamilyMemberForm, {name: member.get(name) for name in fields})
        )
        if not member_form.is_valid():
            found.extend(form_errors(member_form, (*prefix, "family_members", index)))
            continue
        data = member_form.cleaned_data
        rows.append(
            FamilyMemberRow(
                initials=data["initials"].strip(),
                relationship=data["relationship"].strip(),
                age=data["age"],
                member_id=member.get("id"),
            )
        )
    if found:
        return None, found
    return CheckedCase(form.case_values(), rows), []


def _refuse_if_closed(programme: Programme) -> None:
    if programme.is_closed:
        raise ApiProblem("conflict", "This programme is closed: it can no longer change")


def _managed_case(user: User, case_id: int) -> Case:
    """A case the user may change: coordinators only; anyone else gets 404."""
    if not access.can_manage_programmes(user):
        raise Http404("No such case")
    return access.get_case(user, case_id)


def _save(programme: Programme, checked: CheckedCase, *, case: Case | None, by: User) -> Case:
    try:
        return planning.save_case(
            case or Case(programme=programme), checked.values, checked.family, by=by
        )
    except planning.PlanningError as error:
        raise ApiProblem("conflict", str(error)) from None
    except IntegrityError:
        raise ApiProblem(
            "conflict", "Another change to this programme's cases happened at the same time"
        ) from None


# Endpoints -----------------------------------------------------------------------------------


@router.get("/cases", response={200: Page[CaseOut], **errors()})
def list_cases(
    request: HttpRequest, page: Query[PageParams], filters: Query[CaseFilters]
) -> dict[str, Any]:
    """Cases you may see: every case for coordinators; for agency leads and auditors, the
    cases of the returns they are listed on."""
    cases = access.visible_cases(user_of(request))
    if filters.programme_id is not None:
        cases = cases.filter(programme_id=filters.programme_id)
    if filters.case_identifier is not None:
        cases = cases.filter(case_identifier__iexact=filters.case_identifier)
    result = paginate(request, _with_details(cases).order_by("pk"), page, case_out)
    log_view(request, None, "api list cases")
    return result


@router.get("/cases/{case_id}", response={200: CaseOut, **errors()})
def get_case(request: HttpRequest, case_id: PathId) -> dict[str, Any]:
    case = access.get_case(user_of(request), case_id)
    log_view(request, case)
    return case_out(case)


@router.patch("/cases/{case_id}", response={200: CaseOut, **errors(409)})
def update_case(request: HttpRequest, case_id: PathId, payload: CasePatch) -> dict[str, Any]:
    """Change a case's details (coordinators). Only the fields sent change; `family_members`,
    when sent, is the whole list."""
    user = user_of(request)
    case = _managed_case(user, case_id)
    _refuse_if_closed(case.programme)
    given = payload.model_dump(exclude_unset=True)
    values = {
        **{name: getattr(case, name) for name in planning.CASE_FIELDS if name not in CASE_NAMES},
        "referring_agency_id": case.referring_agency_id,
        "lead_social_worker_id": case.lead_social_worker_id,
        **given,
    }
    family = given.get("family_members")
    if family is None:
        family = [
            {
                "id": member.pk,
                "initials": member.initials,
                "relationship": member.relationship,
                "age": member.age,
            }
            for member in case.family_members.all()
        ]
    checked, found = check_case(case.programme, values, family, case=case)
    if checked is None:
        raise ApiProblem("validation-error", "The case has invalid values", errors=found)
    saved = _save(case.programme, checked, case=case, by=user)
    return case_out(_with_details(Case.objects.filter(pk=saved.pk)).get())


@router.get("/programmes/{programme_id}/cases", response={200: Page[CaseOut], **errors()})
def list_programme_cases(
    request: HttpRequest, programme_id: PathId, page: Query[PageParams]
) -> dict[str, Any]:
    """The cases of one programme that you may see."""
    user = user_of(request)
    programme = access.get_programme(user, programme_id)
    cases = _with_details(access.visible_cases(user).filter(programme=programme)).order_by("pk")
    result = paginate(request, cases, page, case_out)
    log_view(request, programme, "api list cases")
    return result


@router.post("/programmes/{programme_id}/cases", response={201: CaseOut, **errors(409)})
def create_case(request: HttpRequest, programme_id: PathId, payload: CaseIn) -> Status:
    """Add a case to a programme (coordinators)."""
    user = user_of(request)
    programme = access.get_managed_programme(user, programme_id)
    _refuse_if_closed(programme)
    values = payload.model_dump()
    checked, found = check_case(programme, values, values["family_members"])
    if checked is None:
        raise ApiProblem("validation-error", "The case has invalid values", errors=found)
    case = _save(programme, checked, case=None, by=user)
    return Status(201, case_out(_with_details(Case.objects.filter(pk=case.pk)).get()))


class BulkOut(Schema):
    count: int
    items: list[CaseOut]


@router.post("/programmes/{programme_id}/cases/bulk", response={201: BulkOut, **errors(409)})
def create_cases(request: HttpRequest, programme_id: PathId, payload: BulkCasesIn) -> Status:
    """Add many cases at once, all or nothing: if any case is invalid none is added, and every
    error is reported with its place, like `/cases/3/initials` for the fourth case."""
    user = user_of(request)
    programme = access.get_managed_programme(user, programme_id)
    _refuse_if_closed(programme)
    checked_cases: list[CheckedCase] = []
    found: list[dict[str, Any]] = []
    first_seen: dict[str, int] = {}
    for index, case_in in enumerate(payload.cases):
        values = case_in.model_dump()
        checked, case_errors = check_case(
            programme, values, values["family_members"], prefix=("cases", index)
        )
        found.extend(case_errors)
        key = case_in.case_identifier.strip().casefold()
        if key in first_seen:
            found.append(
                field_error(
                    ("cases", index, "case_identifier"),
                    f"Case {case_in.case_identifier} is repeated: it is also case "
                    f"{first_seen[key]} of this request (counting from 0)",
                )
            )
        else:
            first_seen[key] = index
        if checked is not None:
            checked_cases.append(checked)
    if found:
        raise ApiProblem(
            "validation-error",
            f"Nothing was added: {len(found)} problem{'s' if len(found) != 1 else ''} "
            "in the cases sent",
            errors=found,
        )
    with transaction.atomic():
        created = [_save(programme, checked, case=None, by=user) for checked in checked_cases]
    cases = _with_details(Case.objects.filter(pk__in=[case.pk for case in created]))
    return Status(201, {"count": len(created), "items": [case_out(c) for c in cases]})
