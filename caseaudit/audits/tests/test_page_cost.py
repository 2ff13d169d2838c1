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


def test_saving_a_part_writes_in_the_same_queries_however_many_answers_change(
    health, health_auditor
) -> None:
    from caseaudit.audits import actions
    from caseaudit.audits.items import parts_for
    from caseaudit.audits.tests.returns import complete_values

    def cost_of_saving(count: int, text: str) -> int:
        ret = build(health, health_auditor, cases=1, filled=False)
        part = next(p for p in parts_for(ret) if p.slug == "section-planning")
        items = part.applicable_items[:count]
        values = {item.key: {**complete_values(item), "text": text} for item in items}
        with CaptureQueriesContext(connection) as queries:
            result = actions.save_answers(
                ret, part, values, by=health_auditor, expected_version=ret.version
            )
        assert result.changed == count
        assert ret.answers.count() == count
        return len(queries)

    one, all_of_them = cost_of_saving(1, "First"), cost_of_saving(6, "First")
    assert one == all_of_them
