"""Discarding an uploaded form: nothing of it is saved, and only once."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits.models import Answer
from caseaudit.exchange.models import ImportedDocument, ImportStatus
from caseaudit.exchange.tests.documents import as_upload
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(client_for, ret, health_lead) -> ImportedDocument:
    data = build_word_form(ret, include_answers=False)
    client_for(health_lead).post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data)}
    )
    return ImportedDocument.objects.get()


def url(imported) -> str:
    return f"/exchange/imports/{imported.pk}/discard/"


def test_anonymous_is_sent_to_sign_in(client, imported) -> None:
    response = client.post(url(imported))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PROPOSED


@pytest.mark.parametrize("who", ["health_auditor", "yos_lead", "outsider", "board_viewer"])
def test_anyone_but_the_coordinator_or_the_agencys_lead_gets_404(
    client_for, imported, who, request
) -> None:
    assert client_for(request.getfixturevalue(who)).post(url(imported)).status_code == 404
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PROPOSED


def test_discarding_is_a_post(client_for, imported, coordinator) -> None:
    assert client_for(coordinator).get(url(imported)).status_code == 405


@pytest.mark.parametrize("who", ["coordinator", "health_lead"])
def test_discarding_saves_nothing_and_is_recorded(client_for, ret, imported, who, request) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)

    response = client.post(url(imported))

    assert response.status_code == 302
    assert response["Location"] == f"/exchange/returns/{ret.pk}/word/upload/"
    imported.refresh_from_db()
    assert (imported.status, imported.decided_by) == (ImportStatus.DISCARDED, user)
    assert Change.objects.filter(
        object_type="exchange.importeddocument", new_value=ImportStatus.DISCARDED
    ).exists()
    assert not Answer.objects.exists()
    assert "nothing from it was saved" in client.get(response["Location"]).content.decode()


def test_a_discarded_upload_cannot_be_accepted_or_discarded_again(
    client_for, ret, imported, health_lead
) -> None:
    client = client_for(health_lead)
    client.post(url(imported))

    again = client.post(url(imported))
    accepted = client.post(
        f"/exchange/imports/{imported.pk}/accept/", {"version": str(ret.version)}
    )

    assert (
        "This upload has already been accepted or discarded"
        in client.get(again["Location"]).content.decode()
    )
    assert accepted.status_code == 302
    assert not Answer.objects.exists()
