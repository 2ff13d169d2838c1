"""Opening cases, the consolidated view's visibility, the meeting record, findings, locking."""

import subprocess
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from caseaudit.activity.models import Change
from caseaudit.audits.models import ProgrammeStatus
from caseaudit.audits.planning import change_programme_status
from caseaudit.audits.tests.factories import make_case, make_programme
from caseaudit.meetings.models import Action, AgreedGrade, Finding, Meeting, Theme
from caseaudit.meetings.tests.builders import submitted_return
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    coordinator,
    health,
    health_auditor,
    health_lead,
    childrens_social_care,
    csc_lead,
    yos_lead,
    youth_offending,
    outsider,
    board_viewer,
):
    programme = make_programme(status=ProgrammeStatus.MEETING)
    case = make_case(programme)
    other_case = make_case(programme, identifier="100002")
    csc_auditor = make_user("csc.auditor@example.org", childrens_social_care, is_auditor=True)
    csc = submitted_return(case, childrens_social_care, csc_auditor, grade=1)
    health_return = submitted_return(case, health, health_auditor, grade=3)
    yos_auditor = make_user("yos.auditor@example.org", youth_offending, is_auditor=True)
    submitted_return(other_case, youth_offending, yos_auditor, grade=2)
    return {
        "programme": programme,
        "case": case,
        "other_case": other_case,
        "csc": csc,
        "health": health_return,
        "csc_auditor": csc_auditor,
    }


def test_before_opening_only_the_coordinator_sees_the_consolidated_view(
    client_for, world, coordinator, health_lead, health_auditor, csc_lead
) -> None:
    url = f"/meetings/cases/{world['case'].pk}/"
    assert client_for(coordinator).get(url).status_code == 200
    for person in (health_lead, health_auditor, csc_lead):
        assert client_for(person).get(url).status_code == 404


def test_after_opening_every_taking_part_agency_sees_it_and_nobody_else(
    client_for,
    world,
    coordinator,
    health_lead,
    health_auditor,
    csc_lead,
    yos_lead,
    outsider,
    board_viewer,
) -> None:
    client_for(coordinator).post(
        f"/meetings/programmes/{world['programme'].pk}/open/", {"case": world["case"].pk}
    )
    url = f"/meetings/cases/{world['case'].pk}/"
    for person in (health_lead, health_auditor, csc_lead, world["csc_auditor"]):
        page = client_for(person).get(url)
        assert page.status_code == 200
        assert "text for plan_clear_objectives" in page.content.decode()
    for person in (yos_lead, outsider, board_viewer):
        assert client_for(person).get(url).status_code == 404
    # The other case was not opened: Youth Offending still sees nothing of it either.
    assert client_for(yos_lead).get(f"/meetings/cases/{world['other_case'].pk}/").status_code == 404
    # An agency that took part now reads the other agency's submitted return.
    assert (
        client_for(health_lead).get(f"/returns/{world['csc'].pk}/section-planning/").status_code
        == 200
    )


def test_the_consolidated_view_shows_the_matrix_and_the_agenda(
    client_for, world, coordinator
) -> None:
    html = client_for(coordinator).get(f"/meetings/cases/{world['case'].pk}/").content.decode()
    assert "Agenda: where agencies disagree" in html
    assert (
        "Planning: grades 2 points apart (Children’s Social Care 1 Outstanding, Health 3 Adequate)"
        in html
    )
    assert 'class="govuk-table__cell app-grade--1">1 Outstanding</td>' in html


def test_the_consolidated_view_runs_the_same_queries_whatever_the_number_of_returns(
    client_for, world, coordinator, youth_offending
) -> None:
    auditor = make_user("yos.second@example.org", youth_offending, is_auditor=True)
    submitted_return(world["case"], youth_offending, auditor, grade=2)
    client = client_for(coordinator)
    counts = []
    for case in (world["other_case"], world["case"]):  # one return, then three
        client.get(f"/meetings/cases/{case.pk}/")  # the session's own writes settle first
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/meetings/cases/{case.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_consolidated_view_runs_the_same_queries_with_or_without_actions(
    client_for, world, coordinator, health
) -> None:
    client = client_for(coordinator)
    counts = []
    for case, with_action in ((world["other_case"], False), (world["case"], True)):
        finding = Finding.objects.create(
            programme=world["programme"], case=case, kind="improvement", text="Not shared."
        )
        if with_action:
            Action.objects.create(
                programme=world["programme"],
                finding=finding,
                description="Share it",
                owner_agency=health,
                due_date=date(2026, 6, 1),
            )
        client.get(f"/meetings/cases/{case.pk}/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/meetings/cases/{case.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_agreed_grades_need_a_reason_where_they_differ(client_for, world, coordinator) -> None:
    client = client_for(coordinator)
    url = f"/meetings/cases/{world['case'].pk}/agreed-grades/"
    response = client.post(url, {"planning-grade": "2", "planning-reason": ""})
    assert response.status_code == 422
    assert "Give the reason for the agreed grade for “Planning”" in response.content.decode()
    assert not AgreedGrade.objects.exists()
    client.post(
        url, {"planning-grade": "2", "planning-reason": "Plan clear but not reviewed on time."}
    )
    agreed = AgreedGrade.objects.get()
    assert (agreed.report_key, agreed.grade) == ("planning", 2)
    assert Change.objects.filter(field="agreed.planning", actor=coordinator).exists()


def test_a_finding_is_coded_with_existing_and_new_themes(
    client_for, world, coordinator, health
) -> None:
    theme = Theme.objects.create(name="Timely assessments")
    client_for(coordinator).post(
        f"/meetings/cases/{world['case'].pk}/findings/new/",
        {
            "kind": "strength",
            "text": "Assessment completed within 10 days.",
            "themes": [theme.pk],
            "new_theme": "Good recording",
            "report_keys": ["assessment"],
            "agencies": [health.pk],
        },
    )
    finding = Finding.objects.get()
    assert sorted(finding.themes.values_list("name", flat=True)) == [
        "Good recording",
        "Timely assessments",
    ]
    assert finding.report_keys == ["assessment"] and list(finding.agencies.all()) == [health]


def test_a_finding_needs_a_theme(client_for, world, coordinator) -> None:
    response = client_for(coordinator).post(
        f"/meetings/cases/{world['case'].pk}/findings/new/", {"kind": "strength", "text": "Good."}
    )
    assert "Select at least one theme, or add a new one" in response.content.decode()
    assert not Finding.objects.exists()


def test_closing_the_programme_locks_the_record_and_findings(
    client_for, world, coordinator
) -> None:
    change_programme_status(world["programme"], ProgrammeStatus.REPORTING, by=coordinator)
    change_programme_status(world["programme"], ProgrammeStatus.CLOSED, by=coordinator)
    client = client_for(coordinator)
    case_url = f"/meetings/cases/{world['case'].pk}/"
    assert "Add a finding" not in client.get(case_url).content.decode()
    assert (
        client.post(
            f"{case_url}findings/new/", {"kind": "strength", "text": "x", "new_theme": "y"}
        ).status_code
        == 403
    )
    assert client.post(f"{case_url}agreed-grades/", {"planning-grade": "2"}).status_code == 403
    assert (
        client.post(
            f"/meetings/programmes/{world['programme'].pk}/",
            {"held_on-day": "1", "held_on-month": "1", "held_on-year": "2026"},
        ).status_code
        == 403
    )
    world["csc"].refresh_from_db()
    assert world["csc"].status == "closed"


def test_looking_at_the_meeting_page_records_nothing_until_it_is_saved(
    client_for, world, coordinator
) -> None:
    programme = world["programme"]
    client = client_for(coordinator)
    url = f"/meetings/programmes/{programme.pk}/"
    assert client.get(url).status_code == 200
    assert not Meeting.objects.filter(programme=programme).exists()
    response = client.post(
        url, {"held_on-day": "2", "held_on-month": "3", "held_on-year": "2026", "decisions": "Go"}
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(programme=programme)
    assert (str(meeting.held_on), meeting.decisions) == ("2026-03-02", "Go")


def test_minutes_pdf_has_the_marking_the_case_and_the_agreed_grades(
    client_for, world, coordinator, health_lead, csc_lead, health, tmp_path
) -> None:
    client = client_for(coordinator)
    programme = world["programme"]
    client.post(f"/meetings/programmes/{programme.pk}/open/")
    client.post(
        f"/meetings/cases/{world['case'].pk}/agreed-grades/",
        {"planning-grade": "2", "planning-reason": "Agreed at the meeting."},
    )
    client.post(
        f"/meetings/programmes/{programme.pk}/attendees/",
        {"name": "Dr A Khan", "agency": health.pk, "role": "Named nurse"},
    )
    response = client.get(f"/meetings/programmes/{programme.pk}/minutes.pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "minutes.pdf"
    pdf.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "OFFICIAL-SENSITIVE" in text
    assert f"Case {world['case'].case_identifier}" in text
    assert "Planning" in text and "Agreed at the meeting." in text
    assert "Dr A Khan" in text
    # Health attended: its lead may download; children's social care did not.
    assert (
        client_for(health_lead).get(f"/meetings/programmes/{programme.pk}/minutes.pdf").status_code
        == 200
    )
    assert (
        client_for(csc_lead).get(f"/meetings/programmes/{programme.pk}/minutes.pdf").status_code
        == 404
    )
