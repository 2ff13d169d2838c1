"""API test helpers: tokens for the personas and a client that sends them."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from caseaudit.accounts.models import User
from caseaudit.api import actions
from caseaudit.api.models import TokenScope
from caseaudit.audits.models import Case, Programme, ProgrammeStatus, Return
from caseaudit.audits.tests.factories import make_case, make_programme
from caseaudit.meetings import actions as meeting_actions
from caseaudit.meetings.models import Action, Finding, FindingKind, Meeting, Theme
from caseaudit.reports.tests.builders import graded_return
from conftest import make_user


class ApiClient:
    """Calls the API with a bearer token, JSON in and out."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret
        self.client = Client()

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.generic(
            method,
            url,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
            **extra,
        )

    def get(self, path: str, **extra: Any) -> Any:
        return self.request("GET", path, **extra)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


def make_token(
    user: User, scope: TokenScope = TokenScope.READ_WRITE, days: int = 90
) -> tuple[Any, str]:
    return actions.create_token(user, name="Test", scope=scope, lifetime=timedelta(days=days))


@pytest.fixture
def api_for():
    """api_for(coordinator) → a client with a read and write token of that persona."""

    def client(user: User, scope: TokenScope = TokenScope.READ_WRITE) -> ApiClient:
        _token, secret = make_token(user, scope)
        return ApiClient(secret)

    return client


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)


# A programme after its meeting -----------------------------------------------------------------


@dataclass
class MeetingWorld:
    """A programme in reporting whose one case Health and Children's Social Care audited and the
    meeting discussed: its record, a finding coded to a theme, and one action for each agency."""

    programme: Programme
    case: Case
    other_case: Case
    meeting: Meeting
    finding: Finding
    theme: Theme
    other_theme: Theme
    health_action: Action
    csc_action: Action
    csc_lead: User

    def path(self, template: str) -> str:
        return template.format(
            programme=self.programme.pk,
            case=self.case.pk,
            other_case=self.other_case.pk,
            finding=self.finding.pk,
            theme=self.theme.pk,
            other_theme=self.other_theme.pk,
            health_action=self.health_action.pk,
            csc_action=self.csc_action.pk,
        )


@pytest.fixture
def meeting_world(
    coordinator, health, childrens_social_care, health_auditor, health_lead
) -> MeetingWorld:
    programme = make_programme(status=ProgrammeStatus.REPORTING)
    programme.agencies.set([health, childrens_social_care])
    case = make_case(programme, "904518", initials="QX")
    other_case = make_case(programme, "904519", initials="ZV")
    csc_auditor = make_user("csc.auditor@example.org", childrens_social_care, is_auditor=True)
    csc_lead = make_user("csc.lead@example.org", childrens_social_care, is_agency_lead=True)
    for audited, agency, auditor, grades in (
        (case, childrens_social_care, csc_auditor, {"planning": 1, "overall": 1}),
        (case, health, health_auditor, {"planning": 3, "overall": 2}),
        (other_case, childrens_social_care, csc_auditor, {"planning": 2}),
    ):
        ret = graded_return(audited, agency, grades)
        Return.objects.filter(pk=ret.pk).update(auditor=auditor)
    meeting_actions.open_cases_for_meeting([case], by=coordinator)
    meeting = meeting_actions.meeting_for(programme)
    meeting_actions.update_meeting(
        meeting, by=coordinator, held_on=date(2026, 4, 24), decisions="Share risk sooner."
    )
    meeting_actions.add_attendee(
        meeting, by=coordinator, name="Dr A Patel", agency=health, role="Named nurse"
    )
    meeting_actions.save_discussion(
        case, by=coordinator, notes="Agencies disagreed on planning.", decisions="Review plan."
    )
    meeting_actions.save_agreed_grades(
        case, {"overall": {"grade": 2, "not_applicable": False, "reason": "Agreed"}}, by=coordinator
    )
    theme = meeting_actions.create_theme(by=coordinator, name="Timely assessments")
    other_theme = meeting_actions.create_theme(by=coordinator, name="Sharing information")
    finding = meeting_actions.save_finding(
        Finding(programme=programme, case=case),
        by=coordinator,
        kind=FindingKind.AREA_FOR_IMPROVEMENT,
        text="The assessment took too long.",
        report_keys=["assessment"],
        agencies=[health],
        themes=[theme],
    )
    health_action = meeting_actions.save_action(
        Action(
            programme=programme,
            finding=finding,
            case=case,
            description="Health to see the child within ten days.",
            owner_agency=health,
            due_date=timezone.localdate() - timedelta(days=30),
        ),
        by=coordinator,
        themes=[theme],
    )
    csc_action = meeting_actions.save_action(
        Action(
            programme=programme,
            finding=finding,
            description="Refresh the assessment guidance.",
            owner_agency=childrens_social_care,
            due_date=timezone.localdate() + timedelta(days=365),
        ),
        by=coordinator,
    )
    return MeetingWorld(
        programme,
        case,
        other_case,
        meeting,
        finding,
        theme,
        other_theme,
        health_action,
        csc_action,
        csc_lead,
    )
