"""The review page of an uploaded form: who sees it, what was read, blank or unreadable, and
the differences from the draft it would change."""

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.items import parts_for
from caseaudit.audits.tests.returns import fill_return
from caseaudit.exchange.models import ImportedDocument
from caseaudit.exchange.tests.documents import as_upload, fill_in_python_docx
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db


def columns(ret) -> dict:
    return {item.key: item.columns for part in parts_for(ret) for item in part.items}


@pytest.fixture
def imported(ret, health_lead, client_for) -> ImportedDocument:
    typed = {
        "plan_clear_objectives": {"text": "Objectives are clear.", "evidence": "Plan 3/3/2026"},
        "planning_judgement": {"text": "<script>alert('x')</script>", "grade": "2 – Good"},
        "review_judgement": {"grade": "Excellent"},
        "child_safe": {"choice": "Yes"},
    }
    data = fill_in_python_docx(build_word_form(ret, include_answers=False), typed, columns(ret))
    client_for(health_lead).post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data)}
    )
    return ImportedDocument.objects.get()


def url(imported) -> str:
    return f"/exchange/imports/{imported.pk}/"


def test_anonymous_is_sent_to_sign_in(client, imported) -> None:
    response = client.get(url(imported))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "who", ["health_auditor", "yos_lead", "outsider", "board_viewer", "administrator"]
)
def test_anyone_but_the_coordinator_or_the_agencys_lead_gets_404(
    client_for, imported, who, request
) -> None:
    assert client_for(request.getfixturevalue(who)).get(url(imported)).status_code == 404


def test_an_upload_that_does_not_exist_gets_404(client_for, coordinator) -> None:
    assert client_for(coordinator).get("/exchange/imports/999/").status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "health_lead"])
def test_the_page_lists_what_was_read_blank_and_unreadable(
    client_for, imported, who, request
) -> None:
    response = client_for(request.getfixturevalue(who)).get(url(imported))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Objectives are clear." in html and "Plan 3/3/2026" in html
    assert "2 – Good" in html
    assert "Answers that could not be read" in html
    assert "Excellent" in html and "Not a grade of the scale" in html
    assert "Blank" in html
    assert "Accept and save to the return" in html
    # What the form said is always escaped.
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html


def test_viewing_an_upload_is_logged(client_for, imported, coordinator) -> None:
    client_for(coordinator).get(url(imported))
    assert AccessEvent.objects.filter(
        user=coordinator, object_type="exchange.importeddocument", object_id=imported.pk
    ).exists()


def test_over_an_existing_draft_the_lead_sees_old_and_new(
    client_for, ret, imported, health_lead, health_auditor
) -> None:
    fill_return(ret, health_auditor)

    html = client_for(health_lead).get(url(imported)).content.decode()

    assert "What accepting changes in the return" in html
    assert "<del>text for plan_clear_objectives</del>" in html
    assert "<ins>Objectives are clear.</ins>" in html


def test_the_coordinator_is_not_shown_draft_answers_it_may_not_read(
    client_for, ret, imported, coordinator, health_auditor
) -> None:
    fill_return(ret, health_auditor)

    html = client_for(coordinator).get(url(imported)).content.decode()

    assert "text for plan_clear_objectives" not in html
    assert "already has draft answers, which only its auditor and agency lead can see" in html


def test_a_submitted_return_says_the_upload_cannot_be_accepted(
    client_for, ret, imported, health_lead
) -> None:
    type(ret).objects.filter(pk=ret.pk).update(status="submitted")

    html = client_for(health_lead).get(url(imported)).content.decode()

    assert "Accept and save to the return" not in html
    assert "so this form cannot be imported into it" in html
