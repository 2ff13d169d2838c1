"""Page cost does not grow with data: the same number of SQL queries at two sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import fill_return

pytestmark = pytest.mark.django_db


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def build(health, auditor, cases: int, filled: bool):
    programme = make_programme()
    returns = [
        make_return(make_case(programme, identifier=f"{n:06d}"), health, auditor=auditor)
        for n in range(cases)
    ]
    if filled:
        fill_return(returns[0], auditor)
    return returns[0]


@pytest.mark.parametrize(
    "path",
    ["/returns/{pk}/", "/returns/{pk}/section-planning/", "/returns/{pk}/check/", "/my-audits/"],
)
def test_return_pages_run_the_same_queries_at_two_sizes(
    client_for, health, health_auditor, path
) -> None:
    client = client_for(health_auditor)
    small = build(health, health_auditor, cases=1, filled=False)
    small_count = count_queries(client, path.format(pk=small.pk))
    large = build(health, health_auditor, cases=25, filled=True)
    large_count = count_queries(client, path.format(pk=large.pk))
    assert small_count == large_count
