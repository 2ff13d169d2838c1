"""Cases through the API: one at a time, in bulk (all or nothing) and changed."""

import pytest

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audits.models import Case, ProgrammeStatus
from caseaudit.audits.tests.factories import make_case, make_family_member, make_programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(health):
    programme = make_programme(status=ProgrammeStatus.PLANNING)
    programme.agencies.set([health])
    return programme


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def case(identifier: str = "CS-1", **fields):
    return {
        "case_identifier": identifier,
        "initials": "JS",
        "date_of_birth": "2014-03-12",
        "category": "child_in_need",
        **fields,
    }


def test_bulk_create_adds_every_case(coordinator_api, programme) -> None:
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk",
        {
            "cases": [
                case("CS-1", family_members=[{"initials": "AB", "relationship": "mother"}]),
                case("CS-2", date_of_birth=None, age=9),
            ]
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["count"] == 2
    assert [c.case_identifier for c in programme.cases.order_by("case_identifier")] == [
        "CS-1",
        "CS-2",
    ]
    assert programme.cases.get(case_identifier="CS-1").family_members.count() == 1


def test_bulk_create_with_one_bad_row_creates_nothing_and_reports_the_row(
    coordinator_api, programme
) -> None:
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk",
        {"cases": [case("CS-1"), case("CS-2", initials="John"), case("CS-3")]},
    )
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:caseaudit:problem:validation-error"
    assert body["detail"].startswith("Nothing was added")
    assert [error["pointer"] for error in body["errors"]] == ["/cases/1/initials"]
    assert body["errors"][0]["field"] == "cases[1].initials"
    assert "never a name" in body["errors"][0]["message"]
    assert not Case.objects.exists()
    assert not Change.objects.filter(object_type="audits.case").exists()


def test_bulk_create_reports_every_bad_row(coordinator_api, programme) -> None:
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk",
        {
            "cases": [
                case("CS-1", date_of_birth=None),
                case("CS-2", family_members=[{"initials": "mum", "relationship": "mother"}]),
            ]
        },
    )
    pointers = [error["pointer"] for error in response.json()["errors"]]
    assert pointers == ["/cases/0/date_of_birth", "/cases/1/family_members/0/initials"]


def test_bulk_create_refuses_a_case_repeated_in_the_request(coordinator_api, programme) -> None:
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk", {"cases": [case("CS-1"), case("cs-1")]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/cases/1/case_identifier"
    assert not Case.objects.exists()


def test_bulk_create_refuses_a_case_already_in_the_programme(coordinator_api, programme):
    make_case(programme, "CS-1")
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk", {"cases": [case("CS-2"), case("CS-1")]}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Case CS-1 is already in this programme"
    assert programme.cases.count() == 1


def test_wrong_types_are_reported_with_their_place(coordinator_api, programme) -> None:
    response = coordinator_api.post(
        f"programmes/{programme.pk}/cases/bulk",
        {"cases": [case("CS-1"), case("CS-2", category="orphan", age="old")]},
    )
    assert response.status_code == 422
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/cases/1/category", "/cases/1/age"}


def test_closed_programme_takes_no_cases(coordinator_api, programme) -> None:
    programme.status = ProgrammeStatus.CLOSED
    programme.save()
    response = coordinator_api.post(f"programmes/{programme.pk}/cases", case())
    assert response.status_code == 409
    assert response.json()["type"] == "urn:caseaudit:problem:conflict"


def test_one_case_is_added_and_kept_in_the_history(coordinator_api, programme) -> None:
    response = coordinator_api.post(f"programmes/{programme.pk}/cases", case(gender="Male"))
    assert response.status_code == 201
    body = response.json()
    assert body["gender"] == "Male"
    assert body["age_at_audit"] == 11
    assert Change.objects.filter(object_type="audits.case", field="created").exists()


def test_changing_a_case_changes_only_what_is_sent(coordinator_api, programme) -> None:
    existing = make_case(programme, "CS-1", ethnicity="White British")
    make_family_member(existing)
    response = coordinator_api.patch(f"cases/{existing.pk}", {"initials": "JT"})
    assert response.status_code == 200, response.content
    existing.refresh_from_db()
    assert existing.initials == "JT"
    assert existing.ethnicity == "White British"
    assert existing.family_members.count() == 1


def test_family_members_sent_replace_the_list(coordinator_api, programme) -> None:
    existing = make_case(programme, "CS-1")
    kept = make_family_member(existing, "AB", "mother")
    make_family_member(existing, "CD", "father")
    response = coordinator_api.patch(
        f"cases/{existing.pk}",
        {
            "family_members": [
                {"id": kept.pk, "initials": "AB", "relationship": "mother", "age": 35},
                {"initials": "EF", "relationship": "sister", "age": 4},
            ]
        },
    )
    assert response.status_code == 200
    members = {(m["initials"], m["age"]) for m in response.json()["family_members"]}
    assert members == {("AB", 35), ("EF", 4)}


def test_invalid_change_is_refused_with_the_forms_words(coordinator_api, programme) -> None:
    existing = make_case(programme, "CS-1")
    response = coordinator_api.patch(f"cases/{existing.pk}", {"age": 5})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "age",
            "pointer": "/age",
            "message": "Enter the date of birth or the age, not both",
        }
    ]


def test_reading_a_case_is_recorded_in_the_access_log(api_for, coordinator, programme) -> None:
    existing = make_case(programme)
    api_for(coordinator).get(f"cases/{existing.pk}")
    assert AccessEvent.objects.filter(
        object_type="audits.case", object_id=existing.pk, action="api view", user=coordinator
    ).exists()


def test_listing_cases_is_recorded_in_the_access_log(api_for, coordinator, programme) -> None:
    make_case(programme)
    api_for(coordinator).get(f"programmes/{programme.pk}/cases")
    assert AccessEvent.objects.filter(action="api list cases", user=coordinator).exists()


def test_case_lists_are_filtered(coordinator_api, programme) -> None:
    make_case(programme, "CS-1")
    make_case(programme, "CS-2")
    other = make_programme(title="Other")
    make_case(other, "CS-1")
    assert coordinator_api.get(f"cases?programme_id={other.pk}").json()["count"] == 1
    assert coordinator_api.get("cases?case_identifier=cs-1").json()["count"] == 2
