"""Who may see and do what with a return: every role, return state and view."""

import re

import pytest
from django.http import Http404

from caseaudit import access
from caseaudit.audits import actions
from caseaudit.audits.tests.factories import make_case, make_programme, make_return
from caseaudit.audits.tests.returns import fill_return, post_data
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    health,
    health_auditor,
    health_lead,
    coordinator,
    board_viewer,
    administrator,
    outsider,
    csc_lead,
    childrens_social_care,
):
    other_health_auditor = make_user("health.other@example.org", health, is_auditor=True)
    programme = make_programme()
    case = make_case(programme)
    draft = make_return(case, health, auditor=health_auditor)
    csc_return = make_return(case, childrens_social_care)
    fill_return(csc_return, csc_lead)
    actions.submit_return(csc_return, by=csc_lead, expected_version=csc_return.version)
    return {
        "draft": draft,
        "submitted": csc_return,
        "people": {
            "health_auditor": health_auditor,
            "other_health_auditor": other_health_auditor,
            "health_lead": health_lead,
            "csc_lead": csc_lead,
            "coordinator": coordinator,
            "board_viewer": board_viewer,
            "administrator": administrator,
            "outsider": outsider,
        },
    }


# who → (draft overview, draft answers, submitted overview, submitted answers)
READ_MATRIX = {
    "health_auditor": (200, 200, 404, 404),
    "other_health_auditor": (404, 404, 404, 404),
    "health_lead": (200, 200, 404, 404),
    "csc_lead": (404, 404, 200, 200),
    "coordinator": (200, 404, 200, 200),
    "board_viewer": (404, 404, 404, 404),
    "administrator": (404, 404, 404, 404),
    "outsider": (404, 404, 404, 404),
}


@pytest.mark.parametrize("who", READ_MATRIX)
def test_read_matrix(client_for, world, who) -> None:
    client = client_for(world["people"][who])
    draft, submitted = world["draft"], world["submitted"]
    got = (
        client.get(f"/returns/{draft.pk}/").status_code,
        client.get(f"/returns/{draft.pk}/section-planning/").status_code,
        client.get(f"/returns/{submitted.pk}/").status_code,
        client.get(f"/returns/{submitted.pk}/section-planning/").status_code,
    )
    assert got == READ_MATRIX[who]


# Only the named auditor writes a draft; nobody writes a submitted return.
@pytest.mark.parametrize("who", READ_MATRIX)
def test_write_matrix(client_for, world, who) -> None:
    client = client_for(world["people"][who])
    draft = world["draft"]
    response = client.post(
        f"/returns/{draft.pk}/section-planning/", post_data(draft, "section-planning")
    )
    assert response.status_code == (302 if who == "health_auditor" else 404)
    submitted = world["submitted"]
    response = client.post(
        f"/returns/{submitted.pk}/section-planning/", post_data(submitted, "section-planning")
    )
    assert response.status_code == 404


@pytest.mark.parametrize("who", READ_MATRIX)
def test_amend_history_and_auditor_matrix(client_for, world, who) -> None:
    client = client_for(world["people"][who])
    draft, submitted = world["draft"], world["submitted"]
    can_amend = who in ("coordinator", "csc_lead")
    assert client.get(f"/returns/{submitted.pk}/amend/").status_code == (200 if can_amend else 404)
    draft_history = who in ("health_auditor", "health_lead")
    assert client.get(f"/returns/{draft.pk}/history/").status_code == (
        200 if draft_history else 404
    )
    submitted_history = who in ("coordinator", "csc_lead")
    assert client.get(f"/returns/{submitted.pk}/history/").status_code == (
        200 if submitted_history else 404
    )
    assert client.get(f"/returns/{draft.pk}/auditor/").status_code == (
        200 if who == "health_lead" else 404
    )


def test_anonymous_is_sent_to_sign_in_everywhere(client, world) -> None:
    ret = world["draft"]
    for path in ("", "key-questions/", "check/", "history/", "amend/", "auditor/", "escalation/"):
        response = client.get(f"/returns/{ret.pk}/{path}")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/sign-in/")
    assert client.get("/my-audits/")["Location"].startswith("/accounts/sign-in/")


def test_an_unknown_id_is_the_same_404_as_a_forbidden_one(client_for, world) -> None:
    client = client_for(world["people"]["outsider"])
    unknown = client.get("/returns/999999/")
    forbidden = client.get(f"/returns/{world['draft'].pk}/")
    assert unknown.status_code == forbidden.status_code == 404
    # The pages differ only in their per-request CSP nonce and masked CSRF token.
    per_request = re.compile(rb'(nonce|value)="[A-Za-z0-9+/=_-]{20,}"')
    assert per_request.sub(b"", unknown.content) == per_request.sub(b"", forbidden.content)


def test_a_lead_without_a_named_auditor_completes_the_return(
    client_for, world, health_lead
) -> None:
    ret = world["draft"]
    client = client_for(health_lead)
    client.post(f"/returns/{ret.pk}/auditor/", {"auditor": "lead"})
    ret.refresh_from_db()
    assert ret.auditor is None
    response = client.post(
        f"/returns/{ret.pk}/section-planning/", post_data(ret, "section-planning")
    )
    assert response.status_code == 302


def test_a_lead_names_only_someone_from_their_own_agency(
    client_for, world, health_lead, outsider
) -> None:
    ret = world["draft"]
    client = client_for(health_lead)
    response = client.post(f"/returns/{ret.pk}/auditor/", {"auditor": str(outsider.pk)})
    assert "Select who will complete this return" in response.content.decode()
    other = world["people"]["other_health_auditor"]
    client.post(f"/returns/{ret.pk}/auditor/", {"auditor": str(other.pk)})
    ret.refresh_from_db()
    assert ret.auditor == other


def test_my_audits_lists_only_what_each_person_may_see(client_for, world) -> None:
    auditor_page = client_for(world["people"]["health_auditor"]).get("/my-audits/").content.decode()
    assert f"/returns/{world['draft'].pk}/" in auditor_page
    assert f"/returns/{world['submitted'].pk}/" not in auditor_page
    outsider_page = client_for(world["people"]["outsider"]).get("/my-audits/").content.decode()
    assert "You have no audits to complete" in outsider_page


def test_other_agencies_see_a_submitted_return_only_once_the_case_is_opened_for_the_meeting(
    client_for, world
) -> None:
    from django.utils import timezone

    health_auditor = client_for(world["people"]["health_auditor"])
    csc_lead = client_for(world["people"]["csc_lead"])
    outsider = client_for(world["people"]["outsider"])
    submitted, draft = world["submitted"], world["draft"]
    assert health_auditor.get(f"/returns/{submitted.pk}/section-planning/").status_code == 404

    submitted.case.opened_for_meeting_at = timezone.now()
    submitted.case.save()

    assert health_auditor.get(f"/returns/{submitted.pk}/section-planning/").status_code == 200
    assert outsider.get(f"/returns/{submitted.pk}/section-planning/").status_code == 404
    # A draft stays private to its own agency, meeting or not.
    assert csc_lead.get(f"/returns/{draft.pk}/section-planning/").status_code == 404


def _found(get, user, ret) -> bool:
    try:
        get(user, ret.pk)
    except Http404:
        return False
    return True


@pytest.mark.parametrize("opened", [False, True], ids=["before the meeting", "opened"])
def test_fetching_one_return_agrees_with_the_policy_querysets(world, opened) -> None:
    from django.utils import timezone

    case = world["submitted"].case
    case.opened_for_meeting_at = timezone.now() if opened else None
    case.save()
    for who, user in world["people"].items():
        for ret in (world["draft"], world["submitted"]):
            readable = access.readable_returns(user).filter(pk=ret.pk).exists()
            listed = access.listed_returns(user).filter(pk=ret.pk).exists()
            editable = listed and access.can_edit_return(user, ret)
            got = (
                _found(access.get_return, user, ret),
                _found(access.get_listed_return, user, ret),
                _found(access.get_editable_return, user, ret),
            )
            assert got == (readable, listed, editable), (who, ret.status)
