"""The return form: task list, one part per page, save and continue, autosave, no lost updates."""

import pytest

from caseaudit.activity.models import Change
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import post_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def ret(health, health_auditor, childrens_social_care):
    case = make_case(make_programme(), referring_agency=None)
    return make_return(case, health, auditor=health_auditor)


def test_task_list_shows_every_part_with_its_status(client_for, health_auditor, ret) -> None:
    html = client_for(health_auditor).get(f"/returns/{ret.pk}/").content.decode()
    for title in (
        "Key questions to be answered",
        "Every Child Matters outcomes",
        "2. Early Intervention work",
        "8. Management Oversight and recording",
        "Judgement on quality of work",
        "Sign-off",
    ):
        assert title in html
    assert "You have completed 0 of" in html
    # Health is neither the referrer nor children's social care: sections 3 and 4 are not its.
    assert html.count("Not for your agency") == 2
    assert "Audit window" in html and "2 September 2024" not in html
    assert "1 March 2025" in html  # 6 months before the referral of 1 September 2025


def test_a_section_shows_only_the_agencys_questions(client_for, health_auditor, ret) -> None:
    html = (
        client_for(health_auditor)
        .get(f"/returns/{ret.pk}/section-management_oversight/")
        .content.decode()
    )
    assert 'name="oversight_records_complete-text"' in html
    assert 'name="oversight_management_sign_off-text"' not in html
    assert "Questions not for your agency (1)" in html
    assert "Has there been management sign-off" in html  # listed, collapsed


def test_save_and_continue_saves_answers_with_history_and_moves_on(
    client_for, health_auditor, ret
) -> None:
    data = post_data(ret, "section-assessment")
    response = client_for(health_auditor).post(f"/returns/{ret.pk}/section-assessment/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/returns/{ret.pk}/section-planning/"
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS and ret.version == 2
    judgement = Answer.objects.get(ret=ret, item_key="assessment_judgement")
    assert judgement.grade == 2 and judgement.report_key == "assessment"
    change = Change.objects.get(object_id=ret.pk, field="assessment_up_to_date.text")
    assert change.old_value == "" and change.new_value == "text for assessment_up_to_date"
    assert change.actor == health_auditor


def test_a_stale_save_is_refused_and_the_text_is_shown_back(
    client_for, health_auditor, ret
) -> None:
    client = client_for(health_auditor)
    first = post_data(ret, "section-planning")
    stale = dict(first, **{"plan_clear_objectives-text": "My careful words"})
    client.post(f"/returns/{ret.pk}/section-planning/", first)

    response = client.post(f"/returns/{ret.pk}/section-planning/", stale)

    assert response.status_code == 409
    html = response.content.decode()
    assert "Your changes were not saved" in html
    assert "My careful words" in html
    answer = Answer.objects.get(ret=ret, item_key="plan_clear_objectives")
    assert answer.text == "text for plan_clear_objectives"
    assert not Change.objects.filter(new_value="My careful words").exists()


def test_autosave_returns_the_new_version_and_a_stale_autosave_gets_409(
    client_for, health_auditor, ret
) -> None:
    client = client_for(health_auditor)
    data = {"version": "1", "plan_clear_objectives-text": "Half a thought"}
    response = client.post(f"/returns/{ret.pk}/section-planning/", data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'id="version" value="2" hx-swap-oob="true"' in response.content.decode()
    assert Answer.objects.get(ret=ret, item_key="plan_clear_objectives").text == "Half a thought"
    stale = client.post(f"/returns/{ret.pk}/section-planning/", data, HTTP_HX_REQUEST="true")
    assert stale.status_code == 409
    assert "Not saved" in stale.content.decode()


def test_a_bad_date_is_refused_with_a_clear_message_and_nothing_saved(
    client_for, health_auditor, ret
) -> None:
    data = post_data(ret, "key-questions")
    data.update({"last_reviewed-date-day": "31", "last_reviewed-date-month": "2"})
    response = client_for(health_auditor).post(f"/returns/{ret.pk}/key-questions/", data)
    assert response.status_code == 422
    assert "“When was the case last reviewed?” must be a real date" in response.content.decode()
    assert '<a href="#last_reviewed-date-day">' in response.content.decode()
    assert not Answer.objects.filter(ret=ret).exists()


def test_the_last_part_leads_to_check_answers(client_for, health_auditor, ret) -> None:
    response = client_for(health_auditor).post(
        f"/returns/{ret.pk}/sign-off/", post_data(ret, "sign-off")
    )
    assert response["Location"] == f"/returns/{ret.pk}/check/"


def test_every_part_page_renders(client_for, health_auditor, ret) -> None:
    client = client_for(health_auditor)
    for part in parts_for(ret):
        assert client.get(f"/returns/{ret.pk}/{part.slug}/").status_code == 200
    assert client.get(f"/returns/{ret.pk}/no-such-part/").status_code == 404
