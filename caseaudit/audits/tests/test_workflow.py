"""Submit, completeness, return for amendment, safety escalation."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits import actions
from caseaudit.audits.items import find_part, parts_for
from caseaudit.audits.models import Escalation, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import fill_return, post_data
from conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def ret(health, health_auditor, csc_lead):
    case = make_case(make_programme(), lead_social_worker=csc_lead)
    return make_return(case, health, auditor=health_auditor)


def test_submitting_an_incomplete_return_lists_every_missing_answer(
    client_for, health_auditor, ret
) -> None:
    client = client_for(health_auditor)
    client.post(f"/returns/{ret.pk}/section-assessment/", post_data(ret, "section-assessment"))
    ret.refresh_from_db()
    response = client.post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": PASSWORD}
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "You cannot submit this return yet" in html
    assert f'href="/returns/{ret.pk}/key-questions/#child_safe-choice"' in html
    assert "Select a grade for “Overall judgement on planning and implementation of plan”" in html
    assert "Enter the impact for “Being Healthy”" in html
    assert (
        "Overall judgement on assessment work"
        not in html.split("You cannot submit")[1].split("</ul>")[0]
    )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS


def test_not_applicable_grade_needs_no_impact(health_auditor, ret) -> None:
    fill_return(ret, health_auditor)
    part = find_part(parts_for(ret), "outcomes")
    values = {"outcome_being_healthy": {"text": "", "grade": None, "not_applicable": True}}
    actions.save_answers(ret, part, values, by=health_auditor, expected_version=ret.version)
    actions.submit_return(ret, by=health_auditor, expected_version=ret.version)
    assert ret.status == ReturnStatus.SUBMITTED


def test_a_complete_return_is_submitted_and_then_read_only(client_for, health_auditor, ret) -> None:
    fill_return(ret, health_auditor)
    client = client_for(health_auditor)
    response = client.post(
        f"/returns/{ret.pk}/check/", {"version": ret.version, "password": PASSWORD}
    )
    assert response["Location"] == f"/returns/{ret.pk}/submitted/"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.SUBMITTED and ret.submitted_by == health_auditor
    assert "Return submitted" in client.get(response["Location"]).content.decode()
    page = client.get(f"/returns/{ret.pk}/section-planning/").content.decode()
    assert "<textarea" not in page and "text for plan_clear_objectives" in page
    assert (
        client.post(
            f"/returns/{ret.pk}/section-planning/", post_data(ret, "section-planning")
        ).status_code
        == 404
    )
    with pytest.raises(actions.StaleReturn):
        part = find_part(parts_for(ret), "section-planning")
        actions.save_answers(ret, part, {}, by=health_auditor, expected_version=ret.version)


def test_the_lead_returns_it_for_amendment_with_a_reason(
    client_for, health_auditor, health_lead, ret
) -> None:
    fill_return(ret, health_auditor)
    actions.submit_return(ret, by=health_auditor, expected_version=ret.version)
    lead = client_for(health_lead)
    empty = lead.post(f"/returns/{ret.pk}/amend/", {"reason": "", "password": PASSWORD})
    assert "Enter the reason for sending the return back" in empty.content.decode()
    lead.post(
        f"/returns/{ret.pk}/amend/",
        {"reason": "Add the evidence for section 6.", "password": PASSWORD},
    )
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.RETURNED
    assert ret.amendment_reason == "Add the evidence for section 6."
    change = Change.objects.filter(object_id=ret.pk, field="status").last()
    assert (change.old_value, change.new_value, change.note) == (
        "submitted",
        "returned",
        "Add the evidence for section 6.",
    )
    auditor = client_for(health_auditor)
    assert "Add the evidence for section 6." in auditor.get(f"/returns/{ret.pk}/").content.decode()
    response = auditor.post(
        f"/returns/{ret.pk}/section-planning/", post_data(ret, "section-planning")
    )
    assert response.status_code == 302
    ret.refresh_from_db()
    actions.submit_return(ret, by=health_auditor, expected_version=ret.version)
    assert ret.status == ReturnStatus.SUBMITTED


def test_only_a_submitted_return_can_be_sent_back(client_for, health_lead, ret) -> None:
    assert client_for(health_lead).get(f"/returns/{ret.pk}/amend/").status_code == 404


def test_not_safe_raises_exactly_one_escalation_until_a_response(
    client_for,
    health_auditor,
    coordinator,
    csc_lead,
    ret,
    mailoutbox,
    django_capture_on_commit_callbacks,
) -> None:
    auditor = client_for(health_auditor)
    data = post_data(ret, "key-questions")
    data.update({"child_safe-choice": "no", "child_safe-text": "Home conditions have worsened"})
    with django_capture_on_commit_callbacks(execute=True):
        response = auditor.post(f"/returns/{ret.pk}/key-questions/", data)
    assert response["Location"] == f"/returns/{ret.pk}/escalation/"
    page = auditor.get(response["Location"]).content.decode()
    assert "Do not wait for the audit meeting" in page
    ret.refresh_from_db()
    data["version"] = str(ret.version)
    data["child_safe-text"] = "Home conditions have worsened; police informed"
    with django_capture_on_commit_callbacks(execute=True):
        auditor.post(f"/returns/{ret.pk}/key-questions/", data)

    escalation = Escalation.objects.get()
    assert (escalation.item_key, escalation.answer) == ("child_safe", "no")
    recipients = sorted(address for message in mailoutbox for address in message.to)
    assert recipients == sorted([coordinator.email, csc_lead.email])

    coordinator_client = client_for(coordinator)
    assert "Waiting for a response" in coordinator_client.get("/escalations/").content.decode()
    coordinator_client.post(
        f"/escalations/{escalation.pk}/", {"response": "Strategy meeting held 3 March."}
    )
    escalation.refresh_from_db()
    assert escalation.responded_by == coordinator and not escalation.is_open
    assert "Response recorded" in coordinator_client.get("/escalations/").content.decode()


def test_not_known_and_outstanding_actions_escalate_too(health_auditor, ret) -> None:
    part = find_part(parts_for(ret), "key-questions")
    actions.save_answers(
        ret,
        part,
        {
            "child_safe": {"choice": "not_known", "text": ""},
            "actions_taken": {"choice": "no", "text": ""},
        },
        by=health_auditor,
        expected_version=ret.version,
    )
    assert set(Escalation.objects.values_list("item_key", "answer")) == {
        ("child_safe", "not_known"),
        ("actions_taken", "no"),
    }


def test_the_coordinator_sees_the_escalating_answer_but_not_the_draft(
    client_for, coordinator, health_auditor, ret
) -> None:
    part = find_part(parts_for(ret), "key-questions")
    actions.save_answers(
        ret,
        part,
        {"child_safe": {"choice": "no", "text": "Bruising seen"}},
        by=health_auditor,
        expected_version=ret.version,
    )
    client = client_for(coordinator)
    escalation = Escalation.objects.get()
    assert "Bruising seen" in client.get(f"/escalations/{escalation.pk}/").content.decode()
    assert client.get(f"/returns/{ret.pk}/key-questions/").status_code == 404
    overview = client.get(f"/returns/{ret.pk}/").content.decode()
    assert "In progress" in overview and "Bruising seen" not in overview
