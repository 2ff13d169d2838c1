"""Report data through the API: the report pages' numbers under the report pages' rules. A board
viewer gets anonymised counts with small numbers suppressed, and never a case's initials or
identifier; an agency lead their own agency's slice; a coordinator everything."""

import re

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.reports.tests import conftest as reports_conftest
from caseaudit.reports.tests.conftest import CASE_WORDS

pytestmark = pytest.mark.django_db

# The report pages' world: two programmes, graded returns, findings and actions whose texts
# name the children, and initials and identifiers distinctive enough to search for.
world = reports_conftest.world

CHARACTERISTICS = ("ethnicity", "gender", "age_band", "language", "religion", "category")


def assert_anonymous(text: str, where: str) -> None:
    for word in CASE_WORDS:
        assert not re.search(rf"(?<![A-Za-z0-9]){word}(?![A-Za-z0-9])", text), f"{word} in {where}"


def report_paths(spring: int, agency: int) -> list[str]:
    paths = [
        "reports/programmes",
        f"reports/programmes/{spring}/heat-map",
        f"reports/programmes/{spring}/heat-map?agency_id={agency}&category=child_in_need",
        f"reports/programmes/{spring}/distributions",
        f"reports/programmes/{spring}/distributions?category=care_leaver",
        "reports/equality",
        f"reports/equality?programme_id={spring}",
        "themes",
    ]
    paths += [
        f"reports/equality?characteristic={characteristic}&report_key=planning"
        for characteristic in CHARACTERISTICS
    ]
    return paths


def test_board_viewer_report_data_names_no_case(api_for, world, board_viewer, health) -> None:
    api = api_for(board_viewer)
    for path in report_paths(world["spring"].pk, health.pk):
        response = api.get(path)
        assert response.status_code == 200, (path, response.content)
        assert_anonymous(response.content.decode(), path)


def test_board_viewer_reaches_no_case_content(api_for, world, board_viewer) -> None:
    api = api_for(board_viewer)
    first = world["cases"][0].pk
    for path in (
        f"cases/{first}/consolidated",
        f"findings/{world['spring'].findings.first().pk}",
        f"actions/{world['late_action'].pk}",
        f"programmes/{world['spring'].pk}/meeting",
        f"reports/programmes/{world['autumn'].pk}/heat-map",  # not reporting yet
    ):
        assert api.get(path).status_code == 404, path
    for path in ("findings", "actions", "cases"):
        assert api.get(path).json()["count"] == 0, path
    assert api.get("reports/calibration").status_code == 403


def test_the_same_requests_do_name_cases_for_a_coordinator(api_for, world, coordinator) -> None:
    """The search above can find the words: a coordinator's findings hold them."""
    text = api_for(coordinator).get("findings").content.decode()
    with pytest.raises(AssertionError):
        assert_anonymous(text, "findings")


def heat_cell(body: dict, report_key: str, agency: str) -> dict:
    names = [a["name"] for a in body["agencies"]]
    row = next(row for row in body["rows"] if row["report_key"] == report_key)
    return row["cells"][names.index(agency)]


def test_board_viewer_gets_small_numbers_suppressed(
    api_for, world, board_viewer, coordinator
) -> None:
    path = f"reports/programmes/{world['spring'].pk}/heat-map"
    board = api_for(board_viewer).get(path).json()
    assert board["suppressed"] is True
    assert heat_cell(board, "planning", "Children’s Social Care") == {
        "count": {"value": None, "state": "small", "text": "fewer than 5"},
        "mean": None,
        "modes": [],
    }
    whole = api_for(coordinator).get(path).json()
    assert whole["suppressed"] is False
    assert heat_cell(whole, "planning", "Children’s Social Care") == {
        "count": {"value": 3, "state": "shown", "text": "3"},
        "mean": 1.7,
        "modes": [2],
    }
    distributions = api_for(board_viewer).get(
        f"reports/programmes/{world['spring'].pk}/distributions"
    )
    body = distributions.json()
    counts = [cell for row in body["grades"]["rows"] for cell in row["cells"]]
    assert all(cell["value"] is None for cell in counts if cell["state"] != "shown")
    assert body["not_applicable"] == []
    # The grades table shows no column totals, so it gives none.
    assert body["grades"]["column_totals"] is None
    assert body["grades"]["grand_total"] is None


def test_equality_rows_of_small_groups_are_withheld_for_the_board(
    api_for, world, board_viewer
) -> None:
    body = api_for(board_viewer).get("reports/equality?characteristic=ethnicity").json()
    (breakdown,) = body["breakdowns"]
    assert breakdown["label"] == "Ethnicity"
    for row in breakdown["grades"]["rows"]:
        assert all(cell["value"] is None for cell in row["cells"]), row
    assert all(mean is None for mean in breakdown["mean_grades"])


def test_agency_lead_gets_their_own_agency_s_slice(
    api_for, world, health_lead, health, childrens_social_care
) -> None:
    path = f"reports/programmes/{world['spring'].pk}/heat-map"
    body = api_for(health_lead).get(f"{path}?agency_id={childrens_social_care.pk}").json()
    assert body["agency_id"] == health.pk
    assert [agency["name"] for agency in body["agencies"]] == ["Health"]
    assert body["suppressed"] is False


def test_whole_figures_are_logged_and_suppressed_ones_are_not(
    api_for, world, coordinator, board_viewer
) -> None:
    path = f"reports/programmes/{world['spring'].pk}/distributions"
    api_for(coordinator).get(path)
    api_for(board_viewer).get(path)
    events = AccessEvent.objects.filter(action="api view report")
    assert [event.user for event in events] == [coordinator]


def test_filters_are_checked_by_the_report_forms(
    api_for, world, coordinator, business_unit
) -> None:
    api = api_for(coordinator)
    response = api.get(f"reports/equality?agency_id={business_unit.pk}&report_key=nonsense")
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"agency_id", "report_key"}
    assert all(error["pointer"] is None for error in response.json()["errors"])
    dates = api.get("reports/calibration?date_from=2026-06-01&date_to=2026-01-01")
    assert dates.status_code == 422
    assert dates.json()["errors"][0]["field"] == "date_to"


def test_calibration_compares_agencies_grades_with_the_agreed_ones(
    api_for, world, coordinator
) -> None:
    body = api_for(coordinator).get("reports/calibration").json()
    csc = next(entry for entry in body["agencies"] if entry["agency"]["name"].startswith("Child"))
    # Agreed: planning 2 and overall 2 for the first case, overall 2 for the second. CSC gave
    # 2 and 2, then 1: one grade better than agreed.
    assert csc["total"]["compared"] == 3
    assert (csc["total"]["same"], csc["total"]["generous"], csc["total"]["harsh"]) == (2, 1, 0)
    assert [row["report_key"] for row in body["by_report_key"]] == ["planning", "overall"]
