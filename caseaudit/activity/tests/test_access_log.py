import re
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from caseaudit.activity.models import AccessEvent, AppendOnlyError, Change
from caseaudit.audits.tests.factories import make_case, make_programme

pytestmark = pytest.mark.django_db

URL = "/activity/access-log/"
CAPTION = re.compile(r'table__caption--m">(\d+) records?')


def count_of(response) -> int:
    """The number of matching rows the page reports."""
    match = CAPTION.search(response.content.decode())
    return int(match[1]) if match else 0


def rows_on(response) -> int:
    return response.content.decode().count('<tr class="govuk-table__row">') - 1


def event(user, *, object_type="audits.case", object_id=1, action="view", at=None):
    return AccessEvent.objects.create(
        user=user,
        object_type=object_type,
        object_id=object_id,
        action=action,
        address="192.0.2.10",
        at=at or timezone.now(),
    )


def test_anonymous_is_sent_to_sign_in() -> None:
    response = Client().get(URL)
    assert response.status_code == 302
    assert "/accounts/sign-in/" in response["Location"]


@pytest.mark.parametrize("persona", ["health_auditor", "health_lead", "board_viewer", "outsider"])
def test_roles_without_oversight_are_refused(request, client_for, persona) -> None:
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 403


@pytest.mark.parametrize("persona", ["coordinator", "administrator"])
def test_coordinators_and_administrators_see_the_log(request, client_for, persona, health_lead):
    event(health_lead, object_id=42, action="download minutes")
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "health.lead@example.org" in html
    assert "download minutes" in html and "audits.case 42" in html and "192.0.2.10" in html


def test_searching_the_log_is_itself_logged(client_for, coordinator) -> None:
    client_for(coordinator).get(URL)
    assert AccessEvent.objects.filter(user=coordinator, action="search access log").exists()


def test_filters_by_person_record_action_and_dates(client_for, coordinator, health_lead, outsider):
    now = timezone.now()
    event(health_lead, object_id=7, action="view", at=now - timedelta(days=10))
    event(health_lead, object_type="audits.return", object_id=8, action="view history", at=now)
    event(outsider, object_id=9, action="view", at=now)
    client = client_for(coordinator)

    def rows(**query) -> int:
        response = client.get(URL, query)
        assert response.status_code == 200, response.content.decode()
        return count_of(response)

    assert rows(user="health.lead") == 2
    assert rows(user="Police Auditor") == 1
    assert rows(object_type="audits.return") == 1
    assert rows(object_id="9") == 1
    assert rows(action="view history") == 1
    today = timezone.localdate()
    assert (
        rows(
            **{
                "date_from-day": today.day,
                "date_from-month": today.month,
                "date_from-year": today.year,
            }
        )
        >= 2
    )
    earlier = today - timedelta(days=5)
    assert (
        rows(
            user="health.lead",
            **{
                "date_to-day": earlier.day,
                "date_to-month": earlier.month,
                "date_to-year": earlier.year,
            },
        )
        == 1
    )


def test_bad_filters_get_clear_errors_and_no_rows(client_for, coordinator, health_lead) -> None:
    event(health_lead)
    response = client_for(coordinator).get(
        URL,
        {
            "object_id": "abc",
            "date_from-day": "31",
            "date_from-month": "2",
            "date_from-year": "2026",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "There is a problem" in html
    assert "Record number must be a whole number" in html
    assert "must be a real date" in html
    assert count_of(response) == 0


def test_the_log_is_paginated_fifty_to_a_page(client_for, coordinator, health_lead) -> None:
    AccessEvent.objects.bulk_create(
        AccessEvent(user=health_lead, object_type="audits.case", object_id=n, action="view")
        for n in range(1, 121)
    )
    client = client_for(coordinator)
    first = client.get(URL, {"user": "health.lead"})
    assert rows_on(first) == 50
    assert "page 1 of 3" in first.content.decode()
    assert "user=health.lead&amp;page=2" in first.content.decode()
    last = client.get(URL, {"user": "health.lead", "page": "3"})
    assert rows_on(last) == 20


def test_a_page_costs_the_same_number_of_queries_however_long_the_log(
    client_for, coordinator, health_lead, django_assert_max_num_queries
) -> None:
    client = client_for(coordinator)
    client.get(URL)
    AccessEvent.objects.bulk_create(
        AccessEvent(user=health_lead, object_type="audits.case", object_id=n, action="view")
        for n in range(1, 200)
    )
    with django_assert_max_num_queries(12):
        client.get(URL)


# Append-only ---------------------------------------------------------------------------------


def test_rows_refuse_to_change_or_be_deleted(health_lead) -> None:
    row = event(health_lead)
    row.action = "nothing to see"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()


@pytest.mark.skipif(
    "postgres" not in connection.settings_dict["ENGINE"],
    reason="the database-level refusal is a PostgreSQL trigger; SQLite relies on the models",
)
@pytest.mark.parametrize("model", [AccessEvent, Change])
def test_postgresql_refuses_updates_and_deletes_from_any_code(model, health_lead) -> None:
    from django.db import DatabaseError

    if model is AccessEvent:
        event(health_lead)
    else:
        Change.objects.create(actor=health_lead, object_type="x", object_id=1, field="f")
    for statement in (
        lambda: model.objects.update(object_type="tampered"),
        lambda: model.objects.all()._raw_delete(model.objects.db),
    ):
        with pytest.raises(DatabaseError, match="never changed or deleted"), transaction.atomic():
            statement()
    assert not model.objects.filter(object_type="tampered").exists()


# Views that show case content record it ------------------------------------------------------


def test_editing_a_case_records_that_its_details_were_read(client_for, coordinator) -> None:
    case = make_case(make_programme())
    client_for(coordinator).get(f"/cases/{case.pk}/edit/")
    assert AccessEvent.objects.filter(
        user=coordinator, object_type="audits.case", object_id=case.pk, action="view for editing"
    ).exists()


def test_the_address_recorded_is_the_client_address(client_for, coordinator) -> None:
    case = make_case(make_programme())
    client_for(coordinator).get(f"/cases/{case.pk}/", REMOTE_ADDR="198.51.100.7")
    assert AccessEvent.objects.get(object_id=case.pk, action="view").address == "198.51.100.7"
