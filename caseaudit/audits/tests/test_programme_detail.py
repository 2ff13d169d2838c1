"""The programme page: its details, progress, cases and each case's assignments."""

from datetime import date

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.models import ProgrammeStatus, ReturnStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
    short_tool,
)
from caseaudit.audits.tests.html import row_starting

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client) -> None:
    programme = make_programme()
    assert client.get(f"/programmes/{programme.pk}/")["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_other_roles_get_404_even_when_their_agency_is_on_a_case(
    request, client_for, health, health_auditor, persona
) -> None:
    programme = make_planning_programme(health)
    make_return(make_case(programme), health, auditor=health_auditor)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/programmes/{programme.pk}/").status_code == 404


def test_an_unknown_programme_is_404(client_for, coordinator) -> None:
    assert client_for(coordinator).get("/programmes/999999/").status_code == 404


def test_coordinator_sees_the_cases_with_their_assignments(
    client_for, coordinator, health, police, health_auditor
) -> None:
    programme = make_planning_programme(
        health, police, title="Neglect audit", audit_date=date(2026, 8, 29)
    )
    first = make_case(programme, "A1", initials="JS", date_of_birth=date(2015, 6, 1))
    make_case(programme, "A2", initials="KT", referral_date=None)
    make_return(first, health, auditor=health_auditor)
    make_return(first, police, tool=short_tool(), status=ReturnStatus.IN_PROGRESS)

    html = client_for(coordinator).get(f"/programmes/{programme.pk}/").content.decode()

    assert '<h1 class="govuk-heading-l">Neglect audit</h1>' in html
    assert "Health, Police" in html
    assert "18 months back from the audit date, or 6 months before the referral" in html
    row = row_starting(html, "A1")
    assert row[1:4] == ["JS, aged 11", "Child in need", "1 March 2025"]
    assert "Health: Not started Children in Need — full · Health Auditor" in row[4]
    assert "Police: In progress Focused support — short · auditor not named" in row[4]
    assert row_starting(html, "A2")[4].startswith("No agencies assigned")
    assert f'href="/cases/{first.pk}/assignments/"' in html
    assert "Not started: <strong>1</strong>" in html
    assert "In progress: <strong>1</strong>" in html
    assert AccessEvent.objects.filter(object_type="audits.programme", user=coordinator).exists()


def test_a_closed_programme_offers_no_changes(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    case = make_case(programme)
    html = client_for(coordinator).get(f"/programmes/{programme.pk}/").content.decode()
    assert "Add a case" not in html
    assert f"/programmes/{programme.pk}/edit/" not in html
    assert f"/cases/{case.pk}/assignments/" not in html
    assert "Change status" not in html
