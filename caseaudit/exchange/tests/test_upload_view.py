"""Uploading a completed Word form: who may, returns that can no longer change, and uploading
the same file again."""

import pytest
from django.test import Client

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audits.models import ProgrammeStatus, ReturnStatus
from caseaudit.exchange.models import ImportedDocument, ImportKind, ImportStatus
from caseaudit.exchange.tests.documents import as_upload
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db


def url(ret) -> str:
    return f"/exchange/returns/{ret.pk}/word/upload/"


@pytest.fixture
def form(ret) -> bytes:
    return build_word_form(ret, include_answers=False)


def test_anonymous_is_sent_to_sign_in(client, ret) -> None:
    for response in (client.get(url(ret)), client.post(url(ret))):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "who", ["health_auditor", "yos_lead", "outsider", "board_viewer", "administrator"]
)
def test_anyone_but_the_coordinator_or_the_agencys_lead_gets_404(
    client_for, ret, form, who, request
) -> None:
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(ret)).status_code == 404
    assert client.post(url(ret), {"document": as_upload(form)}).status_code == 404
    assert not ImportedDocument.objects.exists()


@pytest.mark.parametrize("who", ["coordinator", "health_lead"])
def test_the_coordinator_and_the_agencys_lead_upload_a_form(
    client_for, ret, form, who, request
) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    assert client.get(url(ret)).status_code == 200

    response = client.post(url(ret), {"document": as_upload(form, "Health JS.docx")})

    imported = ImportedDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/exchange/imports/{imported.pk}/"
    assert (imported.ret, imported.uploaded_by, imported.status, imported.kind) == (
        ret,
        user,
        ImportStatus.PROPOSED,
        ImportKind.EXPORTED,
    )
    assert imported.file_name == "Health JS.docx"
    assert len(imported.sha256) == 64 and imported.size == len(form)
    assert AccessEvent.objects.filter(action="upload word form", object_id=ret.pk).exists()
    assert Change.objects.filter(object_type="exchange.importeddocument").count() == 1
    assert not ret.answers.exists()  # nothing is saved until accepted


def test_the_same_file_again_gives_the_same_proposal(client_for, ret, form, health_lead) -> None:
    client = client_for(health_lead)
    first = client.post(url(ret), {"document": as_upload(form)})
    again = client.post(url(ret), {"document": as_upload(form, "renamed.docx")})

    assert ImportedDocument.objects.count() == 1
    assert again["Location"] == first["Location"]
    page = client.get(again["Location"]).content.decode()
    assert "This file was uploaded for this return before" in page


def test_a_discarded_file_uploaded_again_is_proposed_again(
    client_for, ret, form, health_lead
) -> None:
    client = client_for(health_lead)
    client.post(url(ret), {"document": as_upload(form)})
    imported = ImportedDocument.objects.get()
    client.post(f"/exchange/imports/{imported.pk}/discard/")

    client.post(url(ret), {"document": as_upload(form)})

    imported.refresh_from_db()
    assert ImportedDocument.objects.count() == 1
    assert imported.status == ImportStatus.PROPOSED


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.CLOSED])
def test_a_return_that_can_no_longer_change_takes_no_upload(
    client_for, ret, form, coordinator, status
) -> None:
    type(ret).objects.filter(pk=ret.pk).update(status=status)
    client = client_for(coordinator)

    page = client.get(url(ret))
    posted = client.post(url(ret), {"document": as_upload(form)})

    assert page.status_code == 200
    assert "so a Word form cannot be imported into it" in page.content.decode()
    assert 'type="file"' not in page.content.decode()
    assert posted.status_code == 409
    assert not ImportedDocument.objects.exists()


def test_a_closed_programme_takes_no_upload(client_for, ret, form, health_lead) -> None:
    ret.case.programme.status = ProgrammeStatus.CLOSED
    ret.case.programme.save()

    posted = client_for(health_lead).post(url(ret), {"document": as_upload(form)})

    assert posted.status_code == 409
    assert not ImportedDocument.objects.exists()


def test_uploads_waiting_for_review_are_listed(client_for, ret, form, health_lead) -> None:
    client = client_for(health_lead)
    client.post(url(ret), {"document": as_upload(form, "waiting.docx")})

    page = client.get(url(ret)).content.decode()

    assert "Uploads waiting for review" in page and "waiting.docx" in page


def test_an_upload_without_the_csrf_token_is_refused(ret, form, health_lead) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(health_lead)

    response = client.post(url(ret), {"document": as_upload(form)})

    assert response.status_code == 403
    assert not ImportedDocument.objects.exists()


def test_an_upload_over_the_limit_is_dropped_while_it_arrives(
    client_for, ret, health_lead, settings
) -> None:
    settings.WORD_FORM_MAX_BYTES = 100 * 1024
    response = client_for(health_lead).post(
        url(ret), {"document": as_upload(bytes(5 * 1024 * 1024), "huge.docx")}
    )

    assert response.status_code == 422
    assert "The selected file must be smaller than 100 KB" in response.content.decode()
    assert not ImportedDocument.objects.exists()
