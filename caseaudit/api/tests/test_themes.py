"""The theme register through the API: added, renamed and merged as on the theme pages."""

import pytest

from caseaudit.meetings.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator_api(api_for, coordinator):
    return api_for(coordinator)


def test_register_lists_themes_with_how_often_they_were_found(
    api_for, meeting_world, board_viewer
) -> None:
    body = api_for(board_viewer).get("themes").json()
    themes = {theme["name"]: theme for theme in body["items"]}
    assert list(themes) == ["Sharing information", "Timely assessments"]
    assert themes["Timely assessments"]["finding_count"] == 1
    assert themes["Timely assessments"]["programme_count"] == 1
    assert themes["Sharing information"]["finding_count"] == 0


def test_a_name_already_in_the_register_is_refused(coordinator_api, meeting_world) -> None:
    response = coordinator_api.post("themes", {"name": "TIMELY assessments"})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {
            "field": "name",
            "pointer": "/name",
            "message": "A theme with this name already exists",
        }
    ]


def test_renaming_keeps_what_is_not_sent(coordinator_api, meeting_world) -> None:
    theme = meeting_world.theme
    response = coordinator_api.patch(f"themes/{theme.pk}", {"description": "Within ten days"})
    assert response.status_code == 200, response.content
    theme.refresh_from_db()
    assert (theme.name, theme.description) == ("Timely assessments", "Within ten days")


def test_merging_moves_every_coding_and_keeps_the_merged_theme(
    coordinator_api, meeting_world
) -> None:
    source, target = meeting_world.theme, meeting_world.other_theme
    response = coordinator_api.post(f"themes/{source.pk}/merge", {"target_id": target.pk})
    assert response.status_code == 200, response.content
    assert response.json()["id"] == target.pk
    assert response.json()["finding_count"] == 1
    assert list(meeting_world.finding.themes.all()) == [target]
    assert list(meeting_world.health_action.themes.all()) == [target]
    merged = coordinator_api.get(f"themes/{source.pk}").json()
    assert merged["merged_into_id"] == target.pk
    assert coordinator_api.get("themes").json()["count"] == 1
    assert coordinator_api.get("themes?include_merged=true").json()["count"] == 2
    # A merged theme no longer changes: its codings are in the other.
    rename = coordinator_api.patch(f"themes/{source.pk}", {"name": "Timely"})
    again = coordinator_api.post(f"themes/{source.pk}/merge", {"target_id": target.pk})
    assert rename.status_code == again.status_code == 409


def test_merge_target_is_checked_by_the_merge_form(coordinator_api, meeting_world) -> None:
    theme = meeting_world.theme
    response = coordinator_api.post(f"themes/{theme.pk}/merge", {"target_id": theme.pk})
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/target_id"
    merged = Theme.objects.create(name="Old", merged_into=meeting_world.other_theme)
    response = coordinator_api.post(f"themes/{theme.pk}/merge", {"target_id": merged.pk})
    assert response.status_code == 422
    theme.refresh_from_db()
    assert theme.merged_into_id is None
