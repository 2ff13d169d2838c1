"""Creating and changing a programme: coordinators only, GOV.UK dates, clear errors."""

from datetime import date

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits.models import Programme, ProgrammeStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
)
from caseaudit.audits.tests.html import checked_values, error_summary, input_value

pytestmark = pytest.mark.django_db


def date_fields(name: str, day: date | None) -> dict[str, str]:
    if day is None:
        return {f"{name}-day": "", f"{name}-month": "", f"{name}-year": ""}
    return {
        f"{name}-day": str(day.day),
        f"{name}-month": str(day.month),
        f"{name}-year": str(day.year),
    }


def programme_post(*agencies, **changes) -> dict:
    data = {
        "title": "Neglect audit, autumn 2026",
        "focus": "Neglect",
        **date_fields("audit_date", date(2026, 8, 29)),
        "window_months_before_audit": "18",
        "window_months_before_referral": "6",
        **date_fields("return_deadline", date(2026, 9, 30)),
        **date_fields("meeting_date", date(2026, 10, 14)),
        "review_threshold_months": "6",
        "agencies": [str(agency.pk) for agency in agencies],
    }
    data.update(changes)
    return data


# Creating ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client) -> None:
    assert client.get("/programmes/new/")["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_other_roles_get_403_on_the_create_page(request, client_for, health, persona) -> None:
    client = client_for(request.getfixturevalue(persona))
    assert client.get("/programmes/new/").status_code == 403
    assert client.post("/programmes/new/", programme_post(health)).status_code == 403
    assert not Programme.objects.exists()


def test_the_form_starts_with_the_source_tools_audit_window(client_for, coordinator) -> None:
    html = client_for(coordinator).get("/programmes/new/").content.decode()
    assert input_value(html, "window_months_before_audit") == "18"
    assert input_value(html, "window_months_before_referral") == "6"
    assert input_value(html, "review_threshold_months") == "6"
    assert input_value(html, "audit_date-day") == ""


def test_coordinator_creates_a_programme_in_planning(
    client_for, coordinator, health, police
) -> None:
    response = client_for(coordinator).post("/programmes/new/", programme_post(health, police))
    programme = Programme.objects.get()
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert programme.title == "Neglect audit, autumn 2026"
    assert programme.audit_date == date(2026, 8, 29)
    assert programme.return_deadline == date(2026, 9, 30)
    assert programme.status == ProgrammeStatus.PLANNING
    assert programme.created_by == coordinator
    assert set(programme.agencies.all()) == {health, police}
    fields = set(
        Change.objects.filter(object_type="audits.programme", object_id=programme.pk).values_list(
            "field", flat=True
        )
    )
    assert {"created", "title", "audit_date", "return_deadline", "agencies"} <= fields


def test_a_blank_form_lists_every_problem(client_for, coordinator) -> None:
    data = {
        **date_fields("audit_date", None),
        **date_fields("return_deadline", None),
        **date_fields("meeting_date", None),
    }
    response = client_for(coordinator).post("/programmes/new/", data)
    html = response.content.decode()
    assert "<title>Error: Create an audit programme" in html
    assert error_summary(html) == [
        "Enter a title for the programme",
        "Enter the audit date",
        "Enter the months back from the audit date",
        "Enter the return deadline",
        "Enter the review threshold",
        "Select at least one participating agency",
    ]
    assert 'href="#id_audit_date-day"' in html
    assert not Programme.objects.exists()


def test_dates_are_checked_as_real_dates_in_order(client_for, coordinator, health) -> None:
    data = programme_post(
        health,
        **{"audit_date-day": "31", "audit_date-month": "2"},
        **{"meeting_date-day": "", "meeting_date-year": "2026"},
    )
    data.update(date_fields("return_deadline", date(2026, 1, 1)))
    html = client_for(coordinator).post("/programmes/new/", data).content.decode()
    assert error_summary(html) == [
        "The audit date must be a real date",
        "The meeting date must include a day",
    ]

    data = programme_post(health)
    data.update(date_fields("return_deadline", date(2026, 8, 28)))
    data.update(date_fields("meeting_date", date(2026, 8, 27)))
    data["window_months_before_audit"] = "0"
    data["return_deadline-year"] = "26"
    html = client_for(coordinator).post("/programmes/new/", data).content.decode()
    assert error_summary(html) == [
        "The months back from the audit date must be a whole number from 1 to 120",
        "Year must include 4 numbers",
    ]

    data = programme_post(health)
    data.update(date_fields("return_deadline", date(2026, 8, 28)))
    data.update(date_fields("meeting_date", date(2026, 8, 27)))
    html = client_for(coordinator).post("/programmes/new/", data).content.decode()
    assert error_summary(html) == [
        "The return deadline must be the same as or after the audit date",
        "The meeting date must be the same as or after the return deadline",
    ]
    assert not Programme.objects.exists()


def test_the_referral_rule_can_be_left_out(client_for, coordinator, health) -> None:
    data = programme_post(health, window_months_before_referral="")
    client_for(coordinator).post("/programmes/new/", data)
    assert Programme.objects.get().window_months_before_referral is None


def test_the_business_unit_is_not_offered_as_a_participating_agency(
    client_for, coordinator, business_unit, health
) -> None:
    html = client_for(coordinator).get("/programmes/new/").content.decode()
    assert f'value="{health.pk}"' in html
    assert f'value="{business_unit.pk}"' not in html


# Changing ------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in_from_the_edit_page(client, health) -> None:
    programme = make_planning_programme(health)
    assert client.get(f"/programmes/{programme.pk}/edit/")["Location"].startswith(
        "/accounts/sign-in/"
    )


@pytest.mark.parametrize("persona", ["health_auditor", "health_lead", "board_viewer", "outsider"])
def test_other_roles_get_404_on_the_edit_page(request, client_for, health, persona) -> None:
    user = request.getfixturevalue(persona)
    programme = make_planning_programme(health)
    # Even a lead whose agency is on a case of the programme.
    make_return(make_case(programme), health)
    client = client_for(user)
    assert client.get(f"/programmes/{programme.pk}/edit/").status_code == 404
    response = client.post(f"/programmes/{programme.pk}/edit/", programme_post(health))
    assert response.status_code == 404
    programme.refresh_from_db()
    assert programme.title != "Neglect audit, autumn 2026"


def test_an_unknown_programme_is_404(client_for, coordinator) -> None:
    assert client_for(coordinator).get("/programmes/999999/edit/").status_code == 404


def test_the_form_shows_the_programmes_details(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health, title="Spring audit")
    html = client_for(coordinator).get(f"/programmes/{programme.pk}/edit/").content.decode()
    assert input_value(html, "title") == "Spring audit"
    assert [input_value(html, f"audit_date-{part}") for part in ("day", "month", "year")] == [
        "2",
        "3",
        "2026",
    ]
    assert checked_values(html, "agencies") == [str(health.pk)]


def test_coordinator_changes_a_programme_and_each_change_is_kept(
    client_for, coordinator, health, police
) -> None:
    programme = make_planning_programme(health)
    data = programme_post(police, health, title="Renamed audit")
    data.update(date_fields("audit_date", date(2026, 3, 2)))
    response = client_for(coordinator).post(f"/programmes/{programme.pk}/edit/", data)
    assert response["Location"] == f"/programmes/{programme.pk}/"
    programme.refresh_from_db()
    assert programme.title == "Renamed audit"
    assert set(programme.agencies.all()) == {health, police}
    changes = {
        change.field: (change.old_value, change.new_value)
        for change in Change.objects.filter(object_type="audits.programme", object_id=programme.pk)
    }
    assert changes["title"] == ("Children in need audit, spring 2026", "Renamed audit")
    assert changes["agencies"] == (["Health"], ["Health", "Police"])
    assert "audit_date" not in changes  # unchanged


def test_an_agency_with_assignments_cannot_be_taken_out(
    client_for, coordinator, health, police
) -> None:
    programme = make_planning_programme(health, police)
    make_return(make_case(programme), health)
    response = client_for(coordinator).post(
        f"/programmes/{programme.pk}/edit/", programme_post(police)
    )
    assert error_summary(response.content.decode()) == [
        "Health has assignments in this programme: remove them before taking the agency out"
    ]
    assert set(programme.agencies.all()) == {health, police}


def test_a_closed_programme_cannot_be_changed(client_for, coordinator, health) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    client = client_for(coordinator)
    response = client.post(f"/programmes/{programme.pk}/edit/", programme_post(health))
    assert response["Location"] == f"/programmes/{programme.pk}/"
    programme.refresh_from_db()
    assert programme.title == "Children in need audit, spring 2026"
