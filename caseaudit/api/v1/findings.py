"""Findings: the strengths and areas for improvement the meeting found, each coded to themes.
Read by those who may open the case's consolidated view; recorded by coordinators until the
programme closes."""

from datetime import datetime
from typing import Annotated, Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field, StringConstraints

from caseaudit import access
from caseaudit.accounts.models import Agency, User
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
from caseaudit.audits.models import Case
from caseaudit.meetings import actions
from caseaudit.meetings.forms import FindingForm
from caseaudit.meetings.models import Finding, FindingKind, Theme

router = Router(tags=["Findings"])

FORM_NAMES = {"agencies": "agency_ids", "themes": "theme_ids"}
ReportKeyName = Annotated[str, StringConstraints(max_length=60)]


class FindingOut(Schema):
    id: int
    programme_id: int
    case_id: int | None
    kind: FindingKind
    text: str
    report_keys: list[str] = Field(description="The report keys (sections) it concerns")
    agencies: list[AgencyOut] = Field(description="The agencies it concerns")
    themes: list[ThemeRef]
    created_at: datetime


class FindingIn(Schema):
    kind: FindingKind
    text: Storable = Field(max_length=5000)
    report_keys: list[ReportKeyName] = Field([], max_length=50)
    agency_ids: list[Id] = Field(
        [], max_length=100, description="Agencies that took part in the case"
    )
    theme_ids: list[Id] = Field(
        [], max_length=100, description="Themes of the register; give these or a new theme"
    )
    new_theme: Storable = Field(
        "", max_length=150, description="A theme to add to the register (or reuse, by its name)"
    )


class FindingPatch(Schema):
    kind: FindingKind | None = None
    text: Storable | None = Field(None, max_length=5000)
    report_keys: list[ReportKeyName] | None = Field(None, max_length=50)
    agency_ids: list[Id] | None = Field(None, max_length=100)
    theme_ids: list[Id] | None = Field(None, max_length=100)
    new_theme: Storable | None = Field(None, max_length=150)


class FindingFilters(Schema):
    programme_id: Id | None = None
    case_id: Id | None = None
    kind: FindingKind | None = None
    theme_id: Id | None = None


def finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "programme_id": finding.programme_id,
        "case_id": finding.case_id,
        "kind": finding.kind,
        "text": finding.text,
        "report_keys": list(finding.report_keys),
        "agencies": [agency_out(agency) for agency in finding.agencies.all()],
        "themes": [theme_ref(theme) for theme in finding.themes.all()],
        "created_at": finding.created_at,
    }


def _with_details(findings: QuerySet[Finding]) -> QuerySet[Finding]:
    return findings.prefetch_related("agencies", "themes")


def _fresh(finding: Finding) -> dict[str, Any]:
    return finding_out(_with_details(Finding.objects.filter(pk=finding.pk)).get())


def _participating(finding: Finding) -> QuerySet[Agency]:
    """The agencies a finding may concern: those that took part in its case, as on the page."""
    case = finding.case
    if case is not None:
        return Agency.objects.filter(returns__case=case).distinct()
    return finding.programme.agencies.all()


def _checked_form(finding: Finding, values: dict[str, Any]) -> FindingForm:
    form_values = {
        "kind": values.get("kind"),
        "text": values.get("text"),
        "report_keys": values.get("report_keys") or [],
        "agencies": values.get("agency_ids") or [],
        "themes": values.get("theme_ids") or [],
        "new_theme": values.get("new_theme"),
    }
    form = FindingForm(form_data(FindingForm, form_values))
    agencies = form.fields["agencies"]
    agencies.queryset = _participating(finding)  # type: ignore[attr-defined]
    if not form.is_valid():
        raise ApiProblem(
            "validation-error",
            "The finding has invalid values",
            errors=form_errors(form, names=FORM_NAMES),
        )
    return form


def _save(finding: Finding, form: FindingForm, *, by: User) -> Finding:
    """Save the finding as the page does: a new theme given by name is reused if the register
    has it, and added to the register if not, together with the finding."""
    data = form.cleaned_data
    try:
        with transaction.atomic():
            themes = list(data["themes"])
            new_theme = data["new_theme"].strip()
            if new_theme:
                existing = Theme.objects.filter(name__iexact=new_theme).first()
                themes.append(existing or actions.create_theme(by=by, name=new_theme))
            return actions.save_finding(
                finding,
                by=by,
                kind=data["kind"],
                text=data["text"],
                report_keys=data["report_keys"],
                agencies=data["agencies"],
                themes=themes,
            )
    except actions.ProgrammeClosed:
        raise ApiProblem("conflict", "This programme is closed: its findings are locked") from None


def _refuse_if_locked(user: User, case_or_finding: Case | Finding) -> None:
    programme = case_or_finding.programme
    if not access.can_record_meeting(user, programme):
        raise ApiProblem("conflict", "This programme is closed: its findings are locked")


@router.get("/findings", response={200: Page[FindingOut], **errors()})
def list_findings(
    request: HttpRequest, page: Query[PageParams], filters: Query[FindingFilters]
) -> dict[str, Any]:
    """Findings you may read: every one for coordinators; for agency leads and auditors, those
    of the cases whose consolidated view they may open."""
    findings = access.visible_findings(user_of(request))
    if filters.programme_id is not None:
        findings = findings.filter(programme_id=filters.programme_id)
    if filters.case_id is not None:
        findings = findings.filter(case_id=filters.case_id)
    if filters.kind is not None:
        findings = findings.filter(kind=filters.kind)
    if filters.theme_id is not None:
        findings = findings.filter(themes=filters.theme_id)
    result = paginate(request, _with_details(findings).order_by("pk"), page, finding_out)
    log_view(request, None, "api list findings")
    return result


@router.get("/findings/{finding_id}", response={200: FindingOut, **errors()})
def get_finding(request: HttpRequest, finding_id: PathId) -> dict[str, Any]:
    try:
        finding = access.visible_findings(user_of(request)).get(pk=finding_id)
    except Finding.DoesNotExist:
        raise Http404("No such finding") from None
    log_view(request, finding)
    return _fresh(finding)


@router.post("/cases/{case_id}/findings", response={201: FindingOut, **errors(409)})
def create_finding(request: HttpRequest, case_id: PathId, payload: FindingIn) -> Status:
    """Record a finding of a case (coordinators, until the programme closes). Give at least one
    theme, or a new theme by name."""
    user = user_of(request)
    if not access.can_run_meetings(user):
        raise Http404("No such case")
    case = access.get_meeting_case(user, case_id)
    _refuse_if_locked(user, case)
    finding = Finding(programme=case.programme, case=case)
    form = _checked_form(finding, payload.model_dump())
    return Status(201, _fresh(_save(finding, form, by=user)))


@router.patch("/findings/{finding_id}", response={200: FindingOut, **errors(409)})
def update_finding(
    request: HttpRequest, finding_id: PathId, payload: FindingPatch
) -> dict[str, Any]:
    """Change a finding (coordinators, until the programme closes). Only the fields sent
    change; `agency_ids` and `theme_ids`, when sent, are the whole list."""
    user = user_of(request)
    if not access.can_run_meetings(user):
        raise Http404("No such finding")
    try:
        finding = (
            access.visible_findings(user).select_related("programme", "case").get(pk=finding_id)
        )
    except Finding.DoesNotExist:
        raise Http404("No such finding") from None
    _refuse_if_locked(user, finding)
    values = {
        "kind": finding.kind,
        "text": finding.text,
        "report_keys": list(finding.report_keys),
        "agency_ids": [agency.pk for agency in finding.agencies.all()],
        "theme_ids": [theme.pk for theme in finding.themes.all()],
        "new_theme": "",
        **payload.model_dump(exclude_unset=True),
    }
    form = _checked_form(finding, values)
    return _fresh(_save(finding, form, by=user))
