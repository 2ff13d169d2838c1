"""The programme list: coordinators only, with each programme's returns by status."""

import pytest

from caseaudit.audits.models import ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.html import row_starting

pytestmark = pytest.mark.django_db

URL = "/programmes/"


def test_anonymous_is_sent_to_sign_in(client) -> None:
    assert client.get(URL)["Location"].startswith("/accounts/sign-in/?next=/programmes/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "csc_lead", "board_viewer", "administrator"]
)
def test_other_roles_get_403(request, client_for, persona: str) -> None:
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 403


def test_coordinator_sees_an_empty_state_with_a_way_to_start(client_for, coordinator) -> None:
    html = client_for(coordinator).get(URL).content.decode()
    assert "There are no audit programmes yet." in html
    assert 'href="/programmes/new/"' in html


def test_each_programme_shows_its_returns_by_status(
    client_for, coordinator, health, police, youth_offending
) -> None:
    programme = make_programme(title="Neglect audit")
    first, second = make_case(programme, "A1"), make_case(programme, "A2")
    make_return(first, health)
    make_return(first, police, status=ReturnStatus.IN_PROGRESS)
    make_return(second, health, status=ReturnStatus.SUBMITTED)
    make_return(second, police, status=ReturnStatus.SUBMITTED)
    make_return(second, youth_offending, status=ReturnStatus.RETURNED)
    make_programme(title="Empty audit")

    html = client_for(coordinator).get(URL).content.decode()

    # Cases, not started, in progress, submitted, returned for amendment
    assert row_starting(html, "Neglect audit")[4:] == ["2", "1", "1", "2", "1"]
    assert row_starting(html, "Empty audit")[4:] == ["0", "0", "0", "0", "0"]


def test_the_navigation_offers_programmes_to_coordinators_only(
    client_for, coordinator, health_lead
) -> None:
    assert 'href="/programmes/"' in client_for(coordinator).get("/").content.decode()
    assert 'href="/programmes/"' not in client_for(health_lead).get("/").content.decode()
