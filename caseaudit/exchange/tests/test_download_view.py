"""Downloading a return's Word form: who may, what it holds, and that it is logged."""

import io

import docx
import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.tests.returns import fill_return
from caseaudit.exchange.identity import FormIdentity, identity_of
from conftest import make_user

pytestmark = pytest.mark.django_db


def url(ret) -> str:
    return f"/exchange/returns/{ret.pk}/word/"


def document_text(data: bytes) -> tuple[docx.document.Document, str]:
    document = docx.Document(io.BytesIO(data))
    body = "\n".join(paragraph.text for paragraph in document.paragraphs)
    cells = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    return document, body + "\n" + cells


def test_anonymous_is_sent_to_sign_in(client, ret) -> None:
    response = client.get(url(ret))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "who", ["outsider", "board_viewer", "administrator", "yos_lead", "other_health_auditor"]
)
def test_anyone_but_the_coordinator_lead_or_auditor_gets_404(
    client_for, ret, who, request, health
) -> None:
    if who == "other_health_auditor":
        user = make_user("health.other@example.org", health, is_auditor=True)
    else:
        user = request.getfixturevalue(who)
    assert client_for(user).get(url(ret)).status_code == 404


@pytest.mark.parametrize("who", ["coordinator", "health_lead", "health_auditor"])
def test_the_coordinator_lead_and_auditor_download_it(client_for, ret, who, request) -> None:
    response = client_for(request.getfixturevalue(who)).get(url(ret))

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        f'attachment; filename="OFFICIAL-SENSITIVE case 100001 health return {ret.pk}.docx"'
    )
    assert "no-store" in response["Cache-Control"]


def test_every_download_is_logged(client_for, ret, health_lead) -> None:
    client_for(health_lead).get(url(ret))

    event = AccessEvent.objects.get(action="download word form")
    assert (event.user, event.object_type, event.object_id) == (
        health_lead,
        "audits.return",
        ret.pk,
    )


def test_the_form_carries_the_marking_in_every_header_and_footer(
    client_for, ret, coordinator, settings
) -> None:
    document, _ = document_text(client_for(coordinator).get(url(ret)).content)

    for section in document.sections:
        for area in (section.header, section.footer):
            text = "\n".join(paragraph.text for paragraph in area.paragraphs)
            assert "OFFICIAL-SENSITIVE" in text
            assert "RESTRICTED WHEN COMPLETED" in text


def test_the_form_is_laid_out_like_the_source_tool(client_for, ret, coordinator) -> None:
    _, text = document_text(client_for(coordinator).get(url(ret)).content)

    for expected in (
        "Multi agency audit tool – Children in Need",
        "Key questions to be answered at the end of the audit",
        "Every Child Matters outcomes",
        "Evidence of impact (what has changed or improved and is this sustainable)",
        "Outstanding",
        "Audit the work from 1 March 2025 to the audit date, 2 March 2026.",
        "2. Early Intervention work (prior to referral to social care)",
        "Auditor comments",
        "Evidenced by: name and date of relevant document",
        "Has a Common Assessment Framework (CAF) assessment been undertaken",
        "Overall judgement on work prior to the point where a referral",
        "Judgement on quality of work",
        "Auditor recommendations on how work on this case can be improved",
        "Any additional auditor feedback",
        "Name of auditor",
        "Date of audit",
        "Section 17 of the Children Act 1989",
    ):
        assert expected in text, expected


def test_case_details_are_filled_in_from_the_case(client_for, ret, coordinator) -> None:
    document, _ = document_text(client_for(coordinator).get(url(ret)).content)
    details = {
        row.cells[0].text: row.cells[1].text
        for table in document.tables
        for row in table.rows
        if table.rows[0].cells[0].text == "Case detail"
    }

    assert details["Initials of subject child"] == "JS"
    assert details["Gender"] == "Female"
    assert details["Age"] == "10"
    assert details["Case identifier number"] == "100001"
    assert details["Ethnicity"] == "White British"
    assert details["Family members – initials and relationships, ages of children"] == (
        "AB (mother, 34)"
    )


def test_questions_not_for_the_agency_are_marked_and_carry_no_ref(
    client_for, ret, coordinator
) -> None:
    document, text = document_text(client_for(coordinator).get(url(ret)).content)
    refs = {row.cells[0].text for table in document.tables for row in table.rows}

    # Health is not children's social care: management sign-off is not its question,
    # and sections 3 and 4 (referrer and children's social care) are not its sections.
    assert "Has there been management sign-off of all decisions made on this case?" in text
    assert "Not for your agency" in text
    assert "oversight_management_sign_off" not in refs
    assert "oversight_records_complete" in refs
    assert "None of this section’s questions is for Health" in text
    assert "referral_quality" not in refs


def test_the_form_says_which_return_it_is_for_and_is_signed(client_for, ret, coordinator) -> None:
    document, _ = document_text(client_for(coordinator).get(url(ret)).content)

    identity = identity_of(document)

    assert identity == FormIdentity(ret.pk, "100001", ret.agency_id, "children_in_need_full", 1)


def test_the_lead_gets_the_draft_answers_and_the_coordinator_does_not(
    client_for, ret, coordinator, health_lead, health_auditor
) -> None:
    fill_return(ret, health_auditor)

    _, for_lead = document_text(client_for(health_lead).get(url(ret)).content)
    _, for_coordinator = document_text(client_for(coordinator).get(url(ret)).content)

    assert "text for plan_clear_objectives" in for_lead
    assert "2 – Good" in for_lead
    assert "text for plan_clear_objectives" not in for_coordinator
