"""Reading a return's answers, saving draft answers with optimistic concurrency, submitting."""

import pytest

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audits import actions
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Escalation, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import complete_values, fill_return

pytestmark = pytest.mark.django_db


@pytest.fixture
def ret(health, health_auditor):
    programme = make_programme()
    programme.agencies.set([health])
    return make_return(make_case(programme), health, health_auditor)


@pytest.fixture
def auditor_api(api_for, health_auditor):
    return api_for(health_auditor)


def save(api, ret, answers, version=None):
    return api.patch(
        f"returns/{ret.pk}/answers",
        {"version": ret.version if version is None else version, "answers": answers},
    )


def test_return_lists_its_parts_items_and_answers(auditor_api, ret, health_auditor) -> None:
    part = parts_for(ret)[0]
    item = part.items[0]
    actions.save_answers(
        ret, part, {item.key: {"choice": "yes"}}, by=health_auditor, expected_version=1
    )
    body = auditor_api.get(f"returns/{ret.pk}").json()
    assert body["version"] == 2
    assert body["editable"] is True
    assert [p["slug"] for p in body["parts"]] == [p.slug for p in parts_for(ret)]
    first = body["parts"][0]["items"][0]
    assert first["key"] == item.key
    assert first["answer"]["choice"] == "yes"
    assert body["parts"][0]["items"][1]["answer"] is None


def test_reading_a_return_is_recorded_in_the_access_log(auditor_api, ret, health_auditor):
    auditor_api.get(f"returns/{ret.pk}")
    event = AccessEvent.objects.get(object_type="audits.return", object_id=ret.pk)
    assert event.user == health_auditor
    assert event.action == "api view"


def test_saving_answers_changes_only_the_columns_sent(auditor_api, ret) -> None:
    first = save(auditor_api, ret, {"feedback": {"text": "Clear records"}})
    assert first.status_code == 200, first.content
    assert first.json()["version"] == 2
    assert first.json()["status"] == ReturnStatus.IN_PROGRESS
    ret.refresh_from_db()
    second = save(auditor_api, ret, {"child_safe": {"choice": "yes"}})
    assert second.status_code == 200
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    assert answers["feedback"].text == "Clear records"
    assert answers["child_safe"].choice == "yes"


def test_saved_answers_are_kept_in_the_history(auditor_api, ret, health_auditor) -> None:
    save(auditor_api, ret, {"feedback": {"text": "Clear records"}})
    change = Change.objects.get(object_type="audits.return", field="feedback.text")
    assert change.actor == health_auditor
    assert change.new_value == "Clear records"


def test_answers_across_parts_are_saved_together(auditor_api, ret) -> None:
    response = save(
        auditor_api,
        ret,
        {"feedback": {"text": "Good"}, "child_safe": {"choice": "yes", "text": "Seen"}},
    )
    assert response.status_code == 200
    assert ret.answers.count() == 2


def test_stale_version_is_refused_with_409_and_nothing_is_saved(auditor_api, ret) -> None:
    assert save(auditor_api, ret, {"feedback": {"text": "First"}}, version=1).status_code == 200
    response = save(auditor_api, ret, {"feedback": {"text": "Overwrite"}}, version=1)
    assert response.status_code == 409
    body = response.json()
    assert body["type"] == "urn:caseaudit:problem:stale-return"
    assert body["current_version"] == 2
    assert ret.answers.get(item_key="feedback").text == "First"


def test_stale_save_across_parts_leaves_nothing_half_saved(auditor_api, ret) -> None:
    save(auditor_api, ret, {"feedback": {"text": "First"}}, version=1)
    response = save(
        auditor_api,
        ret,
        {"child_safe": {"choice": "no"}, "feedback": {"text": "Second"}},
        version=1,
    )
    assert response.status_code == 409
    assert not ret.answers.filter(item_key="child_safe").exists()
    assert not Escalation.objects.exists()


def test_invalid_answers_are_reported_by_item_and_column(auditor_api, ret) -> None:
    graded = next(item for part in parts_for(ret) for item in part.items if item.graded)
    response = save(
        auditor_api,
        ret,
        {
            "no_such_item": {"text": "x"},
            graded.key: {"grade": 9},
            "feedback": {"grade": 1},
        },
    )
    assert response.status_code == 422
    pointers = {error["pointer"] for error in response.json()["errors"]}
    assert pointers == {"/answers/no_such_item", "/answers/feedback/grade"}
    assert not ret.answers.exists()


def test_grade_outside_the_scale_is_refused_with_the_forms_words(auditor_api, ret) -> None:
    graded = next(item for part in parts_for(ret) for item in part.items if item.graded)
    response = save(auditor_api, ret, {graded.key: {"grade": 9, "text": "Impact"}})
    assert response.status_code == 422
    error = response.json()["errors"][0]
    assert error["pointer"] == f"/answers/{graded.key}/grade"
    assert error["message"].startswith("Select a grade for")


def test_not_applicable_and_a_grade_together_are_refused(auditor_api, ret) -> None:
    graded = next(item for part in parts_for(ret) for item in part.items if item.graded)
    response = save(auditor_api, ret, {graded.key: {"grade": 2, "not_applicable": True}})
    assert response.status_code == 422


def test_item_not_for_the_agency_is_refused(api_for, childrens_social_care, csc_lead) -> None:
    ret = make_return(make_case(make_programme()), childrens_social_care)
    hidden = next(item for part in parts_for(ret) for item in part.items if not item.applies)
    response = save(api_for(csc_lead), ret, {hidden.key: {"text": "x"}})
    assert response.status_code == 422
    assert "is not for this agency" in response.json()["errors"][0]["message"]


def test_agency_lead_completes_a_return_with_no_named_auditor(api_for, health, health_lead):
    ret = make_return(make_case(make_programme()), health)
    response = save(api_for(health_lead), ret, {"feedback": {"text": "By the lead"}})
    assert response.status_code == 200


def test_unsafe_answer_raises_an_escalation_as_the_form_does(auditor_api, ret) -> None:
    response = save(auditor_api, ret, {"child_safe": {"choice": "no", "text": "Bruising"}})
    assert response.status_code == 200
    assert Escalation.objects.get().ret == ret


def test_submitting_an_incomplete_return_lists_what_is_missing(auditor_api, ret) -> None:
    response = auditor_api.post(f"returns/{ret.pk}/submit", {"version": ret.version})
    assert response.status_code == 422
    body = response.json()
    assert body["type"] == "urn:caseaudit:problem:incomplete-return"
    assert {"field", "pointer", "message"} <= set(body["errors"][0])
    assert body["errors"][0]["pointer"].startswith("/answers/")
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.NOT_STARTED


def test_complete_return_is_submitted(auditor_api, ret, health_auditor) -> None:
    fill_return(ret, health_auditor)
    response = auditor_api.post(f"returns/{ret.pk}/submit", {"version": ret.version})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == ReturnStatus.SUBMITTED
    assert response.json()["editable"] is False


def test_submitting_with_a_stale_version_is_refused(auditor_api, ret, health_auditor) -> None:
    fill_return(ret, health_auditor)
    response = auditor_api.post(f"returns/{ret.pk}/submit", {"version": ret.version - 1})
    assert response.status_code == 409
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS


def test_submitted_return_can_no_longer_be_changed(auditor_api, ret, health_auditor) -> None:
    fill_return(ret, health_auditor)
    actions.submit_return(ret, by=health_auditor, expected_version=ret.version)
    response = save(auditor_api, ret, {"feedback": {"text": "Late change"}})
    assert response.status_code == 404


def test_text_the_database_cannot_hold_is_refused(auditor_api, ret) -> None:
    response = save(auditor_api, ret, {"feedback": {"text": "a\x00b"}})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/answers/feedback/text"


def test_fill_values_round_trip_through_the_api(auditor_api, ret) -> None:
    part = parts_for(ret)[0]
    answers = {}
    for item in part.applicable_items:
        values = complete_values(item)
        if "date" in values:
            values["date"] = values["date"].isoformat()
        answers[item.key] = values
    assert save(auditor_api, ret, answers).status_code == 200
    body = auditor_api.get(f"returns/{ret.pk}").json()
    assert body["parts"][0]["status"] == "Completed"
