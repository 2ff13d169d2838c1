"""The theme register (merge keeps every coding) and the action tracker."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from caseaudit.audits.tests.factories import make_case, make_programme
from caseaudit.meetings import actions
from caseaudit.meetings.models import Action, ActionStatus, ExternalAudit, Finding, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(coordinator, health):
    programme = make_programme()
    return Finding.objects.create(
        programme=programme,
        case=make_case(programme),
        kind="improvement",
        text="Information about risk was not shared.",
    )


def test_merging_themes_keeps_every_coding(coordinator, finding, health) -> None:
    source = Theme.objects.create(name="Sharing information")
    target = Theme.objects.create(name="Sharing information about risk")
    finding.themes.add(source)
    action = Action.objects.create(
        programme=finding.programme,
        finding=finding,
        description="Train staff",
        owner_agency=health,
        due_date=date(2026, 6, 1),
    )
    action.themes.add(source)
    audit = ExternalAudit.objects.create(
        title="Serious case review C", held_on=date(2025, 1, 1), source="serious_case_review"
    )
    audit.themes.add(source)
    source.programmes.add(finding.programme)

    actions.merge_themes(source, target, by=coordinator)

    assert list(finding.themes.all()) == [target]
    assert list(action.themes.all()) == [target]
    assert list(audit.themes.all()) == [target]
    assert list(target.programmes.all()) == [finding.programme]
    source.refresh_from_db()
    assert source.merged_into == target and not source.findings.exists()


def test_merge_through_the_page_redirects_to_the_surviving_theme(
    client_for, coordinator, finding
) -> None:
    source = Theme.objects.create(name="Joint planning")
    target = Theme.objects.create(name="Joint planning could be stronger")
    finding.themes.add(source)
    client = client_for(coordinator)
    response = client.post(f"/themes/{source.pk}/", {"merge": "1", "target": target.pk})
    assert response["Location"] == f"/themes/{target.pk}/"
    assert client.get(f"/themes/{source.pk}/")["Location"] == f"/themes/{target.pk}/"
    assert list(finding.themes.all()) == [target]


def test_renaming_to_an_existing_name_is_refused(client_for, coordinator) -> None:
    Theme.objects.create(name="Good recording")
    theme = Theme.objects.create(name="Recording")
    response = client_for(coordinator).post(f"/themes/{theme.pk}/", {"name": "good recording"})
    assert "A theme with this name already exists" in response.content.decode()


def test_themes_found_in_two_audits_are_in_common(client_for, coordinator, finding) -> None:
    theme = Theme.objects.create(name="Neglect toolkit to be better embedded")
    finding.themes.add(theme)
    html = client_for(coordinator).get("/themes/").content.decode()
    assert "No theme has been found in more than one audit yet." in html
    audit = ExternalAudit.objects.create(
        title="Neglect audit 2013", held_on=date(2013, 5, 1), source="paper_audit"
    )
    audit.themes.add(theme)
    html = client_for(coordinator).get("/themes/").content.decode()
    assert "Neglect toolkit to be better embedded</a> — found in 2 audits" in html


@pytest.mark.parametrize(
    ("status", "due_in_days", "overdue"),
    [
        ("open", -1, True),
        ("in_progress", -30, True),
        ("done", -30, False),
        ("open", 0, False),
        ("open", 5, False),
    ],
)
def test_overdue_is_derived_from_the_due_date_and_status(
    finding, health, status, due_in_days, overdue
) -> None:
    today = date(2026, 5, 1)
    action = Action(
        programme=finding.programme,
        description="x",
        owner_agency=health,
        due_date=today + timedelta(days=due_in_days),
        status=status,
    )
    assert action.is_overdue(today) is overdue


def test_an_agency_lead_updates_only_their_agencys_actions(
    client_for, finding, health, health_lead, csc_lead, childrens_social_care
) -> None:
    own = Action.objects.create(
        programme=finding.programme,
        description="Audit records",
        owner_agency=health,
        due_date=timezone.localdate() - timedelta(days=3),
    )
    other = Action.objects.create(
        programme=finding.programme,
        description="Train",
        owner_agency=childrens_social_care,
        due_date=date(2027, 1, 1),
    )
    client = client_for(health_lead)
    tracker = client.get("/actions/").content.decode()
    assert "Audit records" in tracker and "Overdue" in tracker and "Train" not in tracker
    assert client.get(f"/actions/{other.pk}/").status_code == 404
    refused = client.post(f"/actions/{own.pk}/", {"status": "done", "note": "Audited 20 files."})
    assert "Give the evidence that the action is done" in refused.content.decode()
    client.post(
        f"/actions/{own.pk}/",
        {"status": "done", "note": "Audited 20 files.", "completion_evidence": "Audit report, May"},
    )
    own.refresh_from_db()
    assert own.status == ActionStatus.DONE and own.updates.get().by == health_lead
    assert client_for(csc_lead).get(f"/actions/{own.pk}/").status_code == 404


def test_the_tracker_filters_by_status_and_theme(client_for, coordinator, finding, health) -> None:
    theme = Theme.objects.create(name="Recording")
    overdue = Action.objects.create(
        programme=finding.programme,
        description="Late one",
        owner_agency=health,
        due_date=date(2020, 1, 1),
    )
    overdue.themes.add(theme)
    Action.objects.create(
        programme=finding.programme,
        description="Future one",
        owner_agency=health,
        due_date=date(2099, 1, 1),
    )
    client = client_for(coordinator)
    html = client.get("/actions/?status=overdue").content.decode()
    assert "Late one" in html and "Future one" not in html
    html = client.get(f"/actions/?theme={theme.pk}").content.decode()
    assert "Late one" in html and "Future one" not in html


def test_actions_outlive_their_programme_and_carry_into_the_next_audit_of_the_theme(
    coordinator, finding, health
) -> None:
    theme = Theme.objects.create(name="Neglect")
    earlier = Action.objects.create(
        programme=finding.programme,
        description="Embed the neglect toolkit",
        owner_agency=health,
        due_date=date(2026, 9, 1),
    )
    earlier.themes.add(theme)
    later = make_programme(title="Neglect re-audit")
    theme.programmes.add(later)
    assert list(actions.carried_forward_actions(later)) == [earlier]
    earlier.status = ActionStatus.DONE
    earlier.save()
    assert list(actions.carried_forward_actions(later)) == []


def test_a_finding_is_added_an_action_from_the_case_view(
    client_for, coordinator, finding, health
) -> None:
    response = client_for(coordinator).post(
        f"/findings/{finding.pk}/actions/new/",
        {
            "description": "Share risk information at strategy meetings.",
            "owner_agency": health.pk,
            "due_date-day": "1",
            "due_date-month": "9",
            "due_date-year": "2026",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert (action.finding, action.owner_agency, action.due_date) == (
        finding,
        health,
        date(2026, 9, 1),
    )
