"""The Word form links on a return's overview page, shown only to those who may use them."""

import pytest

from caseaudit.audits.models import ReturnStatus
from caseaudit.exchange.tests.documents import as_upload
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db

DOWNLOAD = "Download as Word"
UPLOAD = "Upload a completed Word form"


def overview(client, ret) -> str:
    response = client.get(f"/returns/{ret.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("who", ["coordinator", "health_lead"])
def test_the_coordinator_and_lead_see_both_links(client_for, ret, who, request) -> None:
    html = overview(client_for(request.getfixturevalue(who)), ret)
    assert DOWNLOAD in html and UPLOAD in html
    assert f'href="/exchange/returns/{ret.pk}/word/"' in html


def test_the_auditor_sees_only_the_download(client_for, ret, health_auditor) -> None:
    html = overview(client_for(health_auditor), ret)
    assert DOWNLOAD in html and UPLOAD not in html


def test_a_submitted_return_offers_no_upload(client_for, ret, coordinator) -> None:
    type(ret).objects.filter(pk=ret.pk).update(status=ReturnStatus.SUBMITTED)
    html = overview(client_for(coordinator), ret)
    assert DOWNLOAD in html and UPLOAD not in html


def test_an_upload_waiting_for_review_is_linked(client_for, ret, health_lead) -> None:
    client = client_for(health_lead)
    data = build_word_form(ret, include_answers=False)
    client.post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data, "from GP.docx")}
    )
    assert "Review the uploaded form “from GP.docx”" in overview(client, ret)
