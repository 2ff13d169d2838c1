"""The case page: every case detail and the audit window, for everyone on the case; changes
for coordinators only."""

from datetime import date

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_planning_programme,
    make_return,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(health, health_auditor, csc_lead):
    programme = make_planning_programme(health, audit_date=date(2026, 8, 29))
    case = make_case(
        programme,
        "CS-100234",
        initials="JS",
        date_of_birth=date(2014, 3, 12),
        referral_date=date(2025, 9, 12),
        referring_agency=health,
        lead_social_worker=csc_lead,
        lead_team="Assessment Team North",
        ethnicity="White British",
    )
    make_family_member(case, "AB", "mother", 34)
    make_return(case, health, auditor=health_auditor)
    return case


def test_anonymous_is_sent_to_sign_in(client, case) -> None:
    assert client.get(f"/cases/{case.pk}/")["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize("persona", ["outsider", "yos_lead", "board_viewer", "administrator"])
def test_people_not_on_the_case_get_404(request, client_for, case, persona) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/cases/{case.pk}/").status_code == 404


def test_a_case_that_does_not_exist_is_the_same_404(client_for, health_auditor) -> None:
    assert client_for(health_auditor).get("/cases/999999/").status_code == 404


def test_coordinator_sees_every_detail_and_can_change_them(client_for, coordinator, case) -> None:
    html = client_for(coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert "Audit window: from 12 March 2025 to the audit date (29 August 2026)" in html
    for text in (
        "CS-100234",
        "12 March 2014 (aged 12 at the audit date)",
        "White British",
        "Child in need",
        "12 September 2025",
        "Csc Lead",
        "Assessment Team North",
        "mother",
        "Health Auditor",
    ):
        assert text in html
    assert f'href="/cases/{case.pk}/edit/"' in html
    assert f'href="/cases/{case.pk}/assignments/"' in html
    assert AccessEvent.objects.filter(
        user=coordinator, object_type="audits.case", object_id=case.pk, action="view"
    ).exists()


@pytest.mark.parametrize("persona", ["health_auditor", "health_lead"])
def test_auditors_and_leads_on_the_case_see_it_but_cannot_change_it(
    request, client_for, case, persona
) -> None:
    client = client_for(request.getfixturevalue(persona))
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Audit window: from 12 March 2025 to the audit date" in html
    assert "CS-100234" in html and "mother" in html
    assert f"/cases/{case.pk}/edit/" not in html
    assert f"/cases/{case.pk}/assignments/" not in html
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert client.get(f"/cases/{case.pk}/assignments/").status_code == 404


def test_a_date_the_month_lacks_falls_on_its_last_day(client_for, coordinator, health) -> None:
    """18 months before 29 August 2026 is 29 February 2025, which does not exist."""
    programme = make_planning_programme(health, audit_date=date(2026, 8, 29))
    case = make_case(programme, "LEAP", referral_date=None)
    html = client_for(coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert "Audit window: from 28 February 2025 to the audit date (29 August 2026)" in html


def test_a_recent_referral_moves_the_window_on(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health, audit_date=date(2026, 8, 29))
    case = make_case(programme, "LATE", referral_date=date(2026, 5, 31))
    html = client_for(coordinator).get(f"/cases/{case.pk}/").content.decode()
    assert "Audit window: from 30 November 2025 to the audit date (29 August 2026)" in html
