"""Schemathesis against the served OpenAPI document: for every operation, generated requests
(valid and invalid) sent with a coordinator's read and write token never get a server error,
and every response conforms to the document (status, media type, body, headers)."""

from collections.abc import Iterator
from datetime import date

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.api.tests.conftest import make_token
from caseaudit.audits import actions
from caseaudit.audits.models import Case, ProgrammeStatus, ReturnStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_programme,
    make_return,
    short_tool,
)
from caseaudit.audits.tests.returns import fill_return
from caseaudit.meetings import actions as meeting_actions
from caseaudit.meetings.models import Action, Finding, FindingKind
from conftest import make_user

MAX_EXAMPLES = 15
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


def seed_partnership() -> User:
    """A small partnership like the demo's: the business unit and six partner agencies, a
    programme being audited with returns in every state, one in planning, one closed."""
    unit = Agency.objects.create(
        name="Partnership Business Unit", kind=AgencyKind.OTHER, is_business_unit=True
    )
    agencies = {
        kind: Agency.objects.create(name=kind.label, kind=kind)
        for kind in AgencyKind
        if kind != AgencyKind.OTHER
    }
    coordinator = make_user("coordinator@example.org", unit, is_coordinator=True)
    auditors = {
        kind: make_user(f"{kind.value}@example.org", agency, is_auditor=True)
        for kind, agency in agencies.items()
    }
    auditing = make_programme()
    auditing.agencies.set(agencies.values())
    for number, kind in enumerate(agencies, start=1):
        case = make_case(auditing, f"CS-{number}", initials="AB", date_of_birth=date(2012, 1, 3))
        make_family_member(case)
        make_return(case, agencies[kind], auditors[kind])
    case = auditing.cases.first()
    assert case is not None
    for kind in (AgencyKind.HEALTH, AgencyKind.POLICE):
        if not case.returns.filter(agency=agencies[kind]).exists():
            make_return(case, agencies[kind], auditors[kind], tool=short_tool())
    for ret in case.returns.all():
        fill_return(ret, ret.auditor)
        actions.submit_return(ret, by=ret.auditor, expected_version=ret.version)
    case.opened_for_meeting_at = case.created_at
    case.save(update_fields=["opened_for_meeting_at"])
    record_meeting(case, coordinator, agencies[AgencyKind.HEALTH])
    planning = make_programme(title="Neglect audit", status=ProgrammeStatus.PLANNING)
    planning.agencies.set(agencies.values())
    make_case(planning, "NG-1", age=7, date_of_birth=None)
    closed = make_programme(title="Earlier audit", status=ProgrammeStatus.CLOSED)
    closed.agencies.set(agencies.values())
    make_return(make_case(closed, "OLD-1"), agencies[AgencyKind.HEALTH], status=ReturnStatus.CLOSED)
    return coordinator


def record_meeting(case: Case, coordinator: User, health: Agency) -> None:
    """The meeting of the case's programme: its record, a finding, themes and actions."""
    meeting = meeting_actions.meeting_for(case.programme)
    meeting_actions.add_attendee(meeting, by=coordinator, name="A Patel", agency=health, role="")
    meeting_actions.save_discussion(case, by=coordinator, notes="Discussed", decisions="")
    meeting_actions.save_agreed_grades(
        case, {"overall": {"grade": 2, "not_applicable": False, "reason": ""}}, by=coordinator
    )
    themes = [
        meeting_actions.create_theme(by=coordinator, name=name)
        for name in ("Timely assessments", "Sharing information", "Voice of the child")
    ]
    finding = meeting_actions.save_finding(
        Finding(programme=case.programme, case=case),
        by=coordinator,
        kind=FindingKind.STRENGTH,
        text="The plan was clear.",
        report_keys=["planning"],
        agencies=[health],
        themes=themes[:1],
    )
    for due in (date(2026, 1, 1), date(2099, 1, 1)):
        action = meeting_actions.save_action(
            Action(
                programme=case.programme,
                finding=finding,
                case=case,
                description="See the child sooner",
                owner_agency=health,
                due_date=due,
            ),
            by=coordinator,
            themes=themes[:1],
        )
    meeting_actions.update_action_progress(
        action, by=coordinator, status="in_progress", note="Booked", completion_evidence=""
    )


@pytest.fixture
def served_app() -> Iterator[object]:
    """The WSGI application, keeping the test's database connection across requests as
    Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(db: None, settings) -> dict[str, str]:
    settings.API_RATE_LIMIT = 1_000_000
    coordinator = seed_partnership()
    _token, secret = make_token(coordinator)
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_schema(request, served_app: object, bearer: dict[str, str]) -> schemathesis.BaseSchema:
    # Schemathesis 4.32 still reads the node id where pytest before 9.1 kept it.
    request.node._nodeid = request.node.nodeid
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", served_app, headers=bearer)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_response_conforms_to_the_openapi_document(case, bearer) -> None:
    case.call_and_validate(headers=bearer, checks=CHECKS)
