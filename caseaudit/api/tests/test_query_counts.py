"""Lists cost the same number of queries however long they are."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_programme,
    make_return,
)
from caseaudit.meetings.models import Action, ActionUpdate, Finding, Theme

pytestmark = pytest.mark.django_db


def add_cases(programme, agencies, first: int, count: int) -> None:
    for number in range(first, first + count):
        case = make_case(programme, f"CS-{number}")
        make_family_member(case)
        for agency in agencies:
            make_return(case, agency)


def queries(api, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert api.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["programmes", "cases", "assignments", "tools"])
def test_list_queries_do_not_grow_with_the_list(
    api_for, coordinator, health, police, path, settings
):
    # One rate window for the whole test: opening a window costs a query or two more.
    settings.API_RATE_WINDOW_SECONDS = 10**9
    api = api_for(coordinator)
    api.get(path)
    programme = make_programme()
    programme.agencies.set([health, police])
    add_cases(programme, [health, police], 1, 2)
    few = queries(api, path)
    add_cases(programme, [health, police], 3, 8)
    make_programme(title="Another").agencies.set([health])
    assert queries(api, path) == few


def add_meeting_data(programme, health, coordinator, count: int) -> None:
    """Findings coded to two themes, each with an action and its progress."""
    themes = [Theme.objects.get_or_create(name=name)[0] for name in ("Timely", "Sharing")]
    for number in range(count):
        case = make_case(programme, f"MT-{programme.pk}-{number}")
        finding = Finding.objects.create(programme=programme, case=case, kind="strength", text="")
        finding.themes.set(themes)
        finding.agencies.set([health])
        action = Action.objects.create(
            programme=programme,
            finding=finding,
            description="Do it",
            owner_agency=health,
            owner=coordinator,
            due_date=date(2026, 1, 1),
        )
        action.themes.set(themes)
        ActionUpdate.objects.create(action=action, by=coordinator, note="Begun", status="open")


@pytest.mark.parametrize(
    "path", ["findings", "themes", "actions", "actions/{action}/updates", "reports/programmes"]
)
def test_meeting_list_queries_do_not_grow_with_the_list(
    api_for, coordinator, health, path, settings
):
    settings.API_RATE_WINDOW_SECONDS = 10**9
    api = api_for(coordinator)
    api.get("themes")
    programme = make_programme()
    add_meeting_data(programme, health, coordinator, 2)
    path = path.format(action=Action.objects.first().pk)
    few = queries(api, path)
    add_meeting_data(make_programme(title="Another"), health, coordinator, 8)
    for action in Action.objects.all():
        ActionUpdate.objects.create(action=action, by=coordinator, note="More", status="open")
    assert queries(api, path) == few
