"""The planning pages run the same number of SQL queries however many programmes, cases and
assignments there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.audits.models import ReturnStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_planning_programme,
    make_return,
    short_tool,
)

pytestmark = pytest.mark.django_db


def build(agencies, auditor, *, programmes: int, cases: int):
    """Programmes with cases, each case with family members and a return per agency."""
    built = []
    for number in range(programmes):
        programme = make_planning_programme(*agencies, title=f"Audit {number}")
        for index in range(cases):
            case = make_case(programme, f"{number}-{index:04d}")
            make_family_member(case, "AB", "mother", 34)
            make_family_member(case, "CD", "brother", 7)
            make_return(case, agencies[0], auditor=auditor)
            make_return(case, agencies[1], tool=short_tool(), status=ReturnStatus.IN_PROGRESS)
        built.append(programme)
    return built


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_programme_list_costs_the_same_at_two_sizes(
    client_for, coordinator, health, police, health_auditor, django_assert_num_queries
) -> None:
    client = client_for(coordinator)
    build([health, police], health_auditor, programmes=1, cases=1)
    small = queries(client, "/programmes/")
    build([health, police], health_auditor, programmes=6, cases=8)
    with django_assert_num_queries(small):
        client.get("/programmes/")


@pytest.mark.parametrize(
    "path", ["/programmes/{programme}/", "/cases/{case}/", "/cases/{case}/assignments/"]
)
def test_programme_and_case_pages_cost_the_same_at_two_sizes(
    client_for, coordinator, health, police, health_auditor, django_assert_num_queries, path
) -> None:
    client = client_for(coordinator)
    [small_programme] = build([health, police], health_auditor, programmes=1, cases=1)
    small = queries(
        client,
        path.format(programme=small_programme.pk, case=small_programme.cases.first().pk),
    )
    [large_programme] = build([health, police], health_auditor, programmes=1, cases=30)
    url = path.format(programme=large_programme.pk, case=large_programme.cases.last().pk)
    with django_assert_num_queries(small):
        client.get(url)
