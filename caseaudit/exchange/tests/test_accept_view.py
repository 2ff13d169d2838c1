"""Accepting an uploaded form writes its answers through the return's own save action, with
history and optimistic concurrency; discarding writes nothing."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits import actions as return_actions
from caseaudit.audits.items import find_part, parts_for
from caseaudit.audits.models import Answer, Escalation, ReturnStatus
from caseaudit.audits.tests.returns import fill_return
from caseaudit.exchange.models import ImportedDocument, ImportStatus
from caseaudit.exchange.tests.documents import as_upload, fill_in_python_docx
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db

TYPED = {
    "plan_clear_objectives": {"text": "Objectives are clear.", "evidence": "Plan 3/3/2026"},
    "planning_judgement": {"text": "Plan followed.", "grade": "1 = Outstanding"},
    "outcome_staying_safe": {"text": "No incidents.", "grade": "N/A"},
    "last_reviewed": {"date": "02/02/2026"},
    "child_safe": {"choice": "Yes"},
}


def upload(client, ret, typed=TYPED, include_answers=False) -> ImportedDocument:
    columns = {item.key: item.columns for part in parts_for(ret) for item in part.items}
    data = fill_in_python_docx(
        build_word_form(ret, include_answers=include_answers), typed, columns
    )
    client.post(f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data)})
    return ImportedDocument.objects.latest("pk")


def accept(client, imported, version):
    return client.post(f"/exchange/imports/{imported.pk}/accept/", {"version": str(version)})


def test_anonymous_is_sent_to_sign_in(client, client_for, ret, health_lead) -> None:
    imported = upload(client_for(health_lead), ret)
    response = accept(client, imported, ret.version)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert not Answer.objects.exists()


@pytest.mark.parametrize("who", ["health_auditor", "yos_lead", "outsider", "board_viewer"])
def test_anyone_but_the_coordinator_or_the_agencys_lead_gets_404(
    client_for, ret, health_lead, who, request
) -> None:
    imported = upload(client_for(health_lead), ret)
    response = accept(client_for(request.getfixturevalue(who)), imported, ret.version)
    assert response.status_code == 404
    assert not Answer.objects.exists()


def test_accepting_is_a_post(client_for, ret, health_lead) -> None:
    client = client_for(health_lead)
    imported = upload(client, ret)
    assert client.get(f"/exchange/imports/{imported.pk}/accept/").status_code == 405


@pytest.mark.parametrize("who", ["coordinator", "health_lead"])
def test_accepting_saves_the_answers_with_history(
    client_for, ret, health_lead, who, request
) -> None:
    user = request.getfixturevalue(who)
    client = client_for(user)
    imported = upload(client, ret)

    response = accept(client, imported, ret.version)

    assert response.status_code == 302 and response["Location"] == f"/returns/{ret.pk}/"
    answers = {answer.item_key: answer for answer in Answer.objects.filter(ret=ret)}
    assert answers["plan_clear_objectives"].evidence == "Plan 3/3/2026"
    assert answers["planning_judgement"].grade == 1
    assert answers["planning_judgement"].report_key == "planning"
    assert answers["outcome_staying_safe"].not_applicable
    assert answers["last_reviewed"].date.isoformat() == "2026-02-02"
    assert answers["child_safe"].choice == "yes"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS
    history = Change.objects.filter(object_type="audits.return", object_id=ret.pk)
    assert history.filter(field="planning_judgement.grade", new_value=1, actor=user).exists()
    imported.refresh_from_db()
    assert imported.status == ImportStatus.ACCEPTED and imported.decided_by == user
    page = client.get(response["Location"]).content.decode()
    assert "The Word form has been imported" in page


def test_a_return_changed_since_the_review_is_refused_and_nothing_is_written(
    client_for, ret, health_lead, health_auditor
) -> None:
    client = client_for(health_lead)
    imported = upload(client, ret)
    seen_version = ret.version
    part = find_part(parts_for(ret), "section-planning")
    return_actions.save_answers(
        ret,
        part,
        {"plan_child_centred": {"text": "Typed online meanwhile"}},
        by=health_auditor,
        expected_version=seen_version,
    )

    response = accept(client, imported, seen_version)

    assert (
        response.status_code == 302 and response["Location"] == f"/exchange/imports/{imported.pk}/"
    )
    assert set(Answer.objects.values_list("item_key", flat=True)) == {"plan_child_centred"}
    imported.refresh_from_db()
    assert imported.status == ImportStatus.PROPOSED
    page = client.get(response["Location"]).content.decode()
    assert "This return was changed by someone else since you opened this page" in page


def test_blank_boxes_leave_the_drafts_answers_as_they_are(
    client_for, ret, health_lead, health_auditor
) -> None:
    fill_return(ret, health_auditor)
    client = client_for(health_lead)
    imported = upload(client, ret, typed={"plan_clear_objectives": {"text": "New comment"}})
    ret.refresh_from_db()

    accept(client, imported, ret.version)

    assert Answer.objects.get(ret=ret, item_key="plan_clear_objectives").text == "New comment"
    assert Answer.objects.get(ret=ret, item_key="plan_child_centred").text == (
        "text for plan_child_centred"
    )


def test_unchanged_answers_are_not_rewritten(client_for, ret, health_lead, health_auditor) -> None:
    fill_return(ret, health_auditor)
    client = client_for(health_lead)
    imported = upload(client, ret, typed={}, include_answers=True)
    ret.refresh_from_db()
    version, changes = ret.version, Change.objects.count()

    accept(client, imported, ret.version)

    ret.refresh_from_db()
    assert ret.version == version
    assert Change.objects.count() == changes + 1  # only the upload's own status


def test_a_submitted_return_refuses_the_upload(client_for, ret, health_lead) -> None:
    client = client_for(health_lead)
    imported = upload(client, ret)
    type(ret).objects.filter(pk=ret.pk).update(status=ReturnStatus.SUBMITTED)

    response = accept(client, imported, ret.version)

    assert response.status_code == 302
    assert not Answer.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "This return is submitted, so a Word form cannot be imported into it" in page


def test_an_upload_is_accepted_once(client_for, ret, health_lead) -> None:
    client = client_for(health_lead)
    imported = upload(client, ret)
    accept(client, imported, ret.version)
    ret.refresh_from_db()

    response = accept(client, imported, ret.version)

    page = client.get(response["Location"]).content.decode()
    assert "This upload has already been accepted or discarded" in page


def test_a_child_said_not_to_be_safe_raises_an_escalation(client_for, ret, health_lead) -> None:
    client = client_for(health_lead)
    imported = upload(client, ret, typed={"child_safe": {"choice": "No", "text": "Bruising"}})

    response = accept(client, imported, ret.version)

    assert Escalation.objects.get(ret=ret).answer == "no"
    assert (
        "a safety escalation has been raised" in client.get(response["Location"]).content.decode()
    )
