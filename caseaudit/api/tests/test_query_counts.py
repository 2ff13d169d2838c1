"""Lists cost the same number of queries however long they are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_programme,
    make_return,
)

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
