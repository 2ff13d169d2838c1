"""The reports index, the programme dashboard and the across-programmes page: who sees what."""

import pytest

from caseaudit.activity.models import AccessEvent
from conftest import make_user

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_sign_in(client, world) -> None:
    for url in (
        "/reports/",
        f"/reports/programmes/{world['spring'].pk}/",
        "/reports/across-programmes/",
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/sign-in/" in response["Location"]


def test_an_auditor_without_another_role_is_refused(client_for, world, outsider) -> None:
    assert client_for(outsider).get("/reports/").status_code == 403
    assert client_for(outsider).get(f"/reports/programmes/{world['spring'].pk}/").status_code == 403


def test_coordinator_sees_the_dashboard_with_findings_and_actions(
    client_for, world, coordinator
) -> None:
    response = client_for(coordinator).get(f"/reports/programmes/{world['spring'].pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Grade heat map" in page
    assert "app-grade--2" in page
    assert "QX was assessed within ten days." in page
    assert "Health to share risk information" in page
    assert "Overdue" in page
    assert AccessEvent.objects.filter(user=coordinator, action="view dashboard").exists()


def test_board_viewer_sees_only_reporting_programmes_suppressed(
    client_for, world, board_viewer
) -> None:
    client = client_for(board_viewer)
    assert client.get(f"/reports/programmes/{world['autumn'].pk}/").status_code == 404
    page = client.get(f"/reports/programmes/{world['spring'].pk}/").content.decode()
    assert "fewer than 5" in page
    assert "Small numbers are suppressed" in page
    assert "assessed within ten days" not in page
    assert "Health to share risk information" not in page
    index = client.get("/reports/").content.decode()
    assert world["spring"].title in index and world["autumn"].title not in index


def test_agency_lead_sees_only_their_agency(client_for, world, health_lead) -> None:
    client = client_for(health_lead)
    page = client.get(f"/reports/programmes/{world['spring'].pk}/").content.decode()
    assert "Your agency’s returns" in page
    assert "Youth Offending Service" not in page
    assert "Children’s Social Care" not in page
    # Asking for another agency changes nothing: the slice is fixed.
    other = client.get(
        f"/reports/programmes/{world['spring'].pk}/?agency={world['cases'][0].returns.first().agency_id}"
    ).content.decode()
    assert "Children’s Social Care" not in other
    # Health has no return in the autumn programme.
    assert client.get(f"/reports/programmes/{world['autumn'].pk}/").status_code == 404


def test_filters_narrow_the_dashboard(client_for, world, coordinator, health) -> None:
    page = (
        client_for(coordinator)
        .get(f"/reports/programmes/{world['spring'].pk}/?agency={health.pk}")
        .content.decode()
    )
    heat = page.split('id="heat-map-table"')[1].split("</table>")[0]
    assert "Health" in heat and "Children’s Social Care" not in heat


def test_across_programmes_shows_trends_and_recurring_themes(
    client_for, world, coordinator, board_viewer
) -> None:
    from caseaudit.reports.tests.builders import finding

    finding(world["autumn"], None, "improvement", "Sharing again.", [world["themes"][1]])
    page = client_for(coordinator).get("/reports/across-programmes/").content.decode()
    assert "Sharing information about risk" in page.split('id="recurring"')[1].split("</table>")[0]
    assert world["autumn"].title in page
    board = client_for(board_viewer).get("/reports/across-programmes/").content.decode()
    assert world["autumn"].title not in board  # not yet reporting


def test_bad_date_range_shows_an_error(client_for, world, coordinator) -> None:
    response = client_for(coordinator).get(
        "/reports/across-programmes/?date_from-day=1&date_from-month=5&date_from-year=2026"
        "&date_to-day=1&date_to-month=1&date_to-year=2026"
    )
    assert "must be the same as or after" in response.content.decode()


def test_dashboard_query_count_is_flat_as_data_grows(
    client_for, world, coordinator, childrens_social_care, django_assert_max_num_queries
) -> None:
    from caseaudit.reports.tests.builders import cases, graded_return

    client = client_for(coordinator)
    url = f"/reports/programmes/{world['spring'].pk}/"
    client.get(url)
    with django_assert_max_num_queries(40) as small:
        client.get(url)
    more = cases(world["spring"], *({"case_identifier": f"7{n:05d}"} for n in range(12)))
    for case in more:
        graded_return(case, childrens_social_care, {"planning": 2, "overall": 3})
    with django_assert_max_num_queries(40) as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_equality_page_suppresses_for_the_board(
    client_for, world, board_viewer, coordinator
) -> None:
    board = client_for(board_viewer).get("/reports/equality/").content.decode()
    assert "fewer than 5" in board and "Age band" in board
    full = (
        client_for(coordinator)
        .get(f"/reports/equality/?programme={world['spring'].pk}&characteristic=ethnicity")
        .content.decode()
    )
    assert "Pakistani" in full and "fewer than 5" not in full


def test_calibration_is_for_coordinators_and_leads(
    client_for, world, coordinator, board_viewer, health_lead
) -> None:
    page = client_for(coordinator).get("/reports/calibration/").content.decode()
    assert "Too harsh" in page  # Health gave 3 where 2 was agreed
    assert client_for(board_viewer).get("/reports/calibration/").status_code == 403
    lead = client_for(health_lead).get("/reports/calibration/").content.decode()
    assert "Children’s Social Care" not in lead and "Health" in lead


def test_navigation_offers_reports_to_board_viewers(client_for, world, board_viewer) -> None:
    home = client_for(board_viewer).get("/").content.decode()
    assert 'href="/reports/"' in home
    other = make_user("plain@example.org", world["cases"][0].returns.first().agency)
    assert client_for(other).get("/reports/").status_code == 403


@pytest.mark.parametrize("path", ["/reports/across-programmes/", "/reports/equality/"])
def test_across_and_equality_query_counts_are_flat_as_data_grows(
    client_for, world, coordinator, childrens_social_care, django_assert_max_num_queries, path
) -> None:
    from caseaudit.audits.tests.factories import make_programme
    from caseaudit.reports.tests.builders import cases, graded_return

    client = client_for(coordinator)
    client.get(path)
    with django_assert_max_num_queries(60) as small:
        client.get(path)
    more = make_programme(title="Another")
    for case in cases(more, *({"case_identifier": f"8{n:05d}"} for n in range(10))):
        graded_return(case, childrens_social_care, {"planning": 2, "overall": 3})
    with django_assert_max_num_queries(60) as large:
        client.get(path)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_lead_reads_only_the_findings_access_lets_them_read(
    client_for, world, youth_offending, yos_lead
) -> None:
    from caseaudit.reports.tests.builders import finding

    finding(
        world["spring"],
        None,
        "improvement",
        "Partnership-wide: minutes late.",
        [],
        [youth_offending],
    )
    url = f"/reports/programmes/{world['spring'].pk}/"
    page = client_for(yos_lead).get(url).content.decode()
    # The case has not been opened for the meeting: its finding stays out of sight.
    assert "Risk to ZV was not shared" not in page
    assert "Partnership-wide: minutes late." not in page
    world["cases"][1].__class__.objects.filter(pk=world["cases"][1].pk).update(
        opened_for_meeting_at="2026-04-24T10:00:00Z"
    )
    page = client_for(yos_lead).get(url).content.decode()
    assert "Risk to ZV was not shared" in page
