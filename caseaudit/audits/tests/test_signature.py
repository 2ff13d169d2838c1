"""Submitting a return and sending it back for amendment are signed with the password."""

import pytest

from caseaudit.audits import actions
from caseaudit.audits.models import ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import fill_return
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ret(health, health_auditor):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)
    fill_return(ret, health_auditor)
    return ret


def test_the_check_answers_page_asks_for_the_password(client_for, health_auditor, ret) -> None:
    page = client_for(health_auditor).get(f"/returns/{ret.pk}/check/").content.decode()
    assert "Enter your password to sign this return" in page
    assert 'type="password"' in page and 'autocomplete="current-password"' in page


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("", "Enter your password"),
        ("not-my-password", "The password is not correct"),
    ],
)
def test_a_return_is_not_submitted_without_the_right_password(
    client_for, health_auditor, ret, password, message
) -> None:
    client = client_for(health_auditor)
    response = client.post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": password}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "govuk-error-summary" in html and message in html
    assert '<a href="#id_password">' in html
    ret.refresh_from_db()
    assert ret.status != ReturnStatus.SUBMITTED


def test_the_right_password_submits_the_return(client_for, health_auditor, ret) -> None:
    response = client_for(health_auditor).post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": PASSWORD}
    )
    assert response["Location"] == f"/returns/{ret.pk}/submitted/"


def test_someone_elses_password_does_not_sign(client_for, health_auditor, health_lead, ret) -> None:
    health_lead.set_password("the-leads-own-password")
    health_lead.save()
    response = client_for(health_auditor).post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": "the-leads-own-password"}
    )
    assert response.status_code == 422


def test_return_for_amendment_needs_the_password(
    client_for, health_auditor, health_lead, ret
) -> None:
    actions.submit_return(ret, by=health_auditor, expected_version=ret.version)
    lead = client_for(health_lead)
    page = lead.get(f"/returns/{ret.pk}/amend/").content.decode()
    assert "Enter your password to send this return back" in page
    wrong = lead.post(
        f"/returns/{ret.pk}/amend/", {"reason": "Add the evidence.", "password": "wrong-one-here"}
    )
    assert "The password is not correct" in wrong.content.decode()
    assert "Add the evidence." in wrong.content.decode()  # the reason typed is kept
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED
    lead.post(f"/returns/{ret.pk}/amend/", {"reason": "Add the evidence.", "password": PASSWORD})
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED


def test_repeated_wrong_signatures_lock_the_account_and_end_the_session(
    client_for, health_auditor, ret
) -> None:
    client = client_for(health_auditor)
    for _ in range(4):
        client.post(f"/returns/{ret.pk}/check/", {"version": ret.version, "password": "guess-1234"})
    locked = client.post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": "guess-1234"}
    )
    assert locked.status_code == 429
    assert client.get("/")["Location"].startswith("/accounts/sign-in/")
    ret.refresh_from_db()
    assert ret.status != ReturnStatus.SUBMITTED
