"""Each token may make API_RATE_LIMIT requests per fixed window, counted in the database."""

from datetime import UTC, datetime, timedelta

import pytest

from caseaudit.api import actions
from caseaudit.api.models import RateWindow
from caseaudit.api.tests.conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_limit(settings):
    settings.API_RATE_LIMIT = 3
    settings.API_RATE_WINDOW_SECONDS = 600


def test_requests_over_the_limit_get_429_with_retry_after(small_limit, coordinator) -> None:
    _token, secret = make_token(coordinator)
    api = ApiClient(secret)
    assert [api.get("programmes").status_code for _ in range(3)] == [200, 200, 200]
    response = api.get("programmes")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/problem+json"
    assert 0 < int(response["Retry-After"]) <= 600
    assert response.json()["type"] == "urn:caseaudit:problem:rate-limited"


def test_limit_is_counted_per_token(small_limit, coordinator) -> None:
    _first, first = make_token(coordinator)
    _second, second = make_token(coordinator)
    for _ in range(3):
        ApiClient(first).get("programmes")
    assert ApiClient(first).get("programmes").status_code == 429
    assert ApiClient(second).get("programmes").status_code == 200


def test_count_starts_again_in_the_next_window(small_limit, coordinator) -> None:
    token, _ = make_token(coordinator)
    start = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    counts = [actions.count_request(token, start + timedelta(seconds=s)) for s in (0, 1, 2, 3)]
    assert [count.allowed for count in counts] == [True, True, True, False]
    assert counts[3].resets_in == 597
    later = actions.count_request(token, start + timedelta(seconds=600))
    assert later.allowed
    assert later.count == 1


def test_old_windows_are_removed(small_limit, coordinator) -> None:
    token, _ = make_token(coordinator)
    start = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)
    actions.count_request(token, start)
    actions.count_request(token, start + timedelta(hours=1))
    assert RateWindow.objects.filter(token=token).count() == 1


def test_refused_tokens_are_not_counted(small_limit, coordinator) -> None:
    for _ in range(5):
        assert ApiClient("caseaudit_nope").get("programmes").status_code == 401
    assert not RateWindow.objects.exists()
