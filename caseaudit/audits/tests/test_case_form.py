"""Adding and changing a case centrally: coordinators only, family members without
JavaScript, initials never names."""

from datetime import date

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits.models import Case, CaseCategory, FamilyMember, ProgrammeStatus
from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_planning_programme,
    make_programme,
    make_return,
)
from caseaudit.audits.tests.html import error_summary, input_value

pytestmark = pytest.mark.django_db


def family(*members: tuple, initial: int = 0, blank: int = 2) -> dict[str, str]:
    """The family member rows of the form: (initials, relationship, age[, id[, remove]])."""
    data = {
        "family-TOTAL_FORMS": str(len(members) + blank),
        "family-INITIAL_FORMS": str(initial),
        "family-MIN_NUM_FORMS": "0",
        "family-MAX_NUM_FORMS": "30",
    }
    for index, member in enumerate(members):
        initials, relationship, age, *rest = member
        data.update(
            {
                f"family-{index}-initials": initials,
                f"family-{index}-relationship": relationship,
                f"family-{index}-age": age,
                f"family-{index}-member_id": str(rest[0]) if rest else "",
            }
        )
        if len(rest) > 1 and rest[1]:
            data[f"family-{index}-DELETE"] = "on"
    return data


def case_post(*members: tuple, initial: int = 0, **changes: str) -> dict[str, str]:
    data = {
        "case_identifier": "CS-100234",
        "initials": "JS",
        "gender": "Female",
        "date_of_birth-day": "12",
        "date_of_birth-month": "3",
        "date_of_birth-year": "2014",
        "age": "",
        "ethnicity": "White British",
        "language": "English",
        "religion": "",
        "category": "child_protection",
        "referral_date-day": "20",
        "referral_date-month": "1",
        "referral_date-year": "2025",
        "referring_agency": "",
        "lead_social_worker": "",
        "lead_team": "Assessment Team North",
        **family(*members, initial=initial),
    }
    data.update(changes)
    return data


# Access --------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_sign_in(client, health) -> None:
    programme = make_planning_programme(health)
    case = make_case(programme)
    for url in (f"/programmes/{programme.pk}/cases/new/", f"/cases/{case.pk}/edit/"):
        assert client.get(url)["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_only_coordinators_add_or_change_cases_others_get_404(
    request, client_for, health, health_auditor, persona
) -> None:
    programme = make_planning_programme(health)
    case = make_case(programme, initials="KT")
    make_return(case, health, auditor=health_auditor)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/programmes/{programme.pk}/cases/new/").status_code == 404
    assert client.post(f"/programmes/{programme.pk}/cases/new/", case_post()).status_code == 404
    assert client.get(f"/cases/{case.pk}/edit/").status_code == 404
    assert client.post(f"/cases/{case.pk}/edit/", case_post()).status_code == 404
    case.refresh_from_db()
    assert case.initials == "KT"
    assert Case.objects.count() == 1


def test_an_unknown_case_is_404(client_for, coordinator) -> None:
    assert client_for(coordinator).get("/cases/999999/edit/").status_code == 404


# Adding --------------------------------------------------------------------------------------


def test_coordinator_adds_a_case_with_its_family(client_for, coordinator, health, csc_lead) -> None:
    programme = make_planning_programme(health)
    data = case_post(
        ("AB", "mother", "34"),
        ("CD", "brother", ""),
        referring_agency=str(health.pk),
        lead_social_worker=str(csc_lead.pk),
    )
    response = client_for(coordinator).post(f"/programmes/{programme.pk}/cases/new/", data)
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.pk}/"
    assert (case.case_identifier, case.initials, case.category) == (
        "CS-100234",
        "JS",
        CaseCategory.CHILD_PROTECTION,
    )
    assert case.date_of_birth == date(2014, 3, 12)
    assert case.referral_date == date(2025, 1, 20)
    assert (case.referring_agency, case.lead_social_worker) == (health, csc_lead)
    assert [str(member) for member in case.family_members.all()] == [
        "AB (mother, 34)",
        "CD (brother)",
    ]
    history = {
        change.field: change.new_value
        for change in Change.objects.filter(object_type="audits.case", object_id=case.pk)
    }
    assert history["initials"] == "JS"
    assert history["date_of_birth"] == "2014-03-12"
    assert history["referring_agency"] == "Health"
    assert history["family_members"] == ["AB (mother, 34)", "CD (brother)"]


def test_a_blank_form_lists_every_problem(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    data = case_post(case_identifier="", initials="", category="")
    data.update({"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""})
    html = client_for(coordinator).post(f"/programmes/{programme.pk}/cases/new/", data)
    assert error_summary(html.content.decode()) == [
        "Enter the case identifier",
        "Enter the child’s initials",
        "Enter the child’s date of birth or their age",
        "Select the case category",
    ]
    assert not Case.objects.exists()


def test_names_and_bad_values_are_refused(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    data = case_post(
        ("Jo", "mother", "34"),
        ("EF", "", "200"),
        initials="John",
        age="9",
        **{"referral_date-year": "2099"},
    )
    html = client_for(coordinator).post(f"/programmes/{programme.pk}/cases/new/", data)
    assert error_summary(html.content.decode()) == [
        "Enter initials only, in capital letters, like JS or ABC (up to 4 letters), never a name",
        "Enter the date of birth or the age, not both",
        "The referral date must be today or in the past",
        "Family member 1: Enter initials only, in capital letters, like JS or ABC (up to 4 "
        "letters), never a name",
        "Family member 2: Enter their relationship to the child",
        "Family member 2: The age must be a whole number from 0 to 120",
    ]
    assert not Case.objects.exists()
    assert not FamilyMember.objects.exists()


def test_the_age_alone_will_do(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    data = case_post(age="9")
    data.update({"date_of_birth-day": "", "date_of_birth-month": "", "date_of_birth-year": ""})
    client_for(coordinator).post(f"/programmes/{programme.pk}/cases/new/", data)
    case = Case.objects.get()
    assert (case.date_of_birth, case.age) == (None, 9)


def test_an_identifier_already_in_the_programme_is_refused(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    make_case(programme, "CS-100234")
    make_case(make_planning_programme(health), "CS-555")  # another programme: no clash
    client = client_for(coordinator)
    html = client.post(
        f"/programmes/{programme.pk}/cases/new/", case_post(case_identifier="cs-100234")
    ).content.decode()
    assert error_summary(html) == ["Case cs-100234 is already in this programme"]
    response = client.post(
        f"/programmes/{programme.pk}/cases/new/", case_post(case_identifier="CS-555")
    )
    assert response.status_code == 302


def test_add_another_family_member_works_without_javascript(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    data = case_post(("AB", "mother", "34"), ("CD", "", ""), initials="")
    data["add_family_member"] = "1"
    response = client_for(coordinator).post(f"/programmes/{programme.pk}/cases/new/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' not in html  # adding a row is not a submission
    assert input_value(html, "family-TOTAL_FORMS") == "5"
    assert input_value(html, "family-0-initials") == "AB"
    assert input_value(html, "family-1-initials") == "CD"
    assert input_value(html, "family-4-initials") == ""
    assert input_value(html, "case_identifier") == "CS-100234"
    assert not Case.objects.exists()


def test_the_lead_social_worker_is_one_of_childrens_social_care(
    client_for, coordinator, health, csc_lead, health_lead
) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    html = client.get(f"/programmes/{programme.pk}/cases/new/").content.decode()
    assert "Csc Lead (Children’s Social Care)" in html
    assert "Health Lead (Health)" not in html
    html = client.post(
        f"/programmes/{programme.pk}/cases/new/", case_post(lead_social_worker=str(health_lead.pk))
    ).content.decode()
    assert error_summary(html) == ["Select one of the people listed"]


# Changing ------------------------------------------------------------------------------------


def test_the_edit_page_shows_the_case_and_its_audit_window(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health, audit_date=date(2026, 8, 29))
    case = make_case(programme, "A1", referral_date=None)
    make_family_member(case, "AB", "mother", 34)
    html = client_for(coordinator).get(f"/cases/{case.pk}/edit/").content.decode()
    assert "Audit window: from 28 February 2025 to the audit date (29 August 2026)" in html
    assert input_value(html, "case_identifier") == "A1"
    assert input_value(html, "date_of_birth-year") == "2015"
    assert input_value(html, "family-0-initials") == "AB"
    assert input_value(html, "family-INITIAL_FORMS") == "1"


def test_coordinator_changes_a_case_and_its_family(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    case = make_case(programme, "A1", initials="JS")
    mother = make_family_member(case, "AB", "mother", 34)
    brother = make_family_member(case, "CD", "brother", 7)
    data = case_post(
        ("AB", "mother", "35", mother.pk),
        ("CD", "brother", "7", brother.pk, True),
        ("EF", "grandmother", "61"),
        initial=2,
        case_identifier="A1",
        initials="JT",
    )
    response = client_for(coordinator).post(f"/cases/{case.pk}/edit/", data)
    assert response["Location"] == f"/cases/{case.pk}/"
    case.refresh_from_db()
    assert case.initials == "JT"
    assert [str(member) for member in case.family_members.all()] == [
        "AB (mother, 35)",
        "EF (grandmother, 61)",
    ]
    changes = {
        change.field: (change.old_value, change.new_value)
        for change in Change.objects.filter(object_type="audits.case", object_id=case.pk)
    }
    assert changes["initials"] == ("JS", "JT")
    assert changes["family_members"] == (
        ["AB (mother, 34)", "CD (brother, 7)"],
        ["AB (mother, 35)", "EF (grandmother, 61)"],
    )
    assert "case_identifier" not in changes


def test_another_cases_family_member_cannot_be_changed_by_guessing_its_id(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    case = make_case(programme, "A1")
    other = make_family_member(make_case(programme, "A2"), "XY", "father", 40)
    data = case_post(("ZZ", "uncle", "30", other.pk), case_identifier="A1")
    client_for(coordinator).post(f"/cases/{case.pk}/edit/", data)
    other.refresh_from_db()
    assert str(other) == "XY (father, 40)"
    assert [str(member) for member in case.family_members.all()] == ["ZZ (uncle, 30)"]


def test_a_case_of_a_closed_programme_cannot_change(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    case = make_case(programme, "A1", initials="JS")
    response = client_for(coordinator).post(
        f"/cases/{case.pk}/edit/", case_post(case_identifier="A1", initials="KT")
    )
    assert response["Location"] == f"/programmes/{programme.pk}/"
    case.refresh_from_db()
    assert case.initials == "JS"
