"""Drawing a sample of cases: the draw is kept with its seed, shown, repeatable, and its cases
are added only when the coordinator confirms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.audits.models import Case, ProgrammeStatus, SampleDraw
from caseaudit.audits.tests.factories import (
    case_csv,
    csv_row,
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
)
from caseaudit.audits.tests.html import error_summary, table_rows

pytestmark = pytest.mark.django_db

CATEGORIES = ["child_in_need", "child_protection", "looked_after", "care_leaver"]


def eligible_csv(count: int = 20) -> str:
    return case_csv(
        *(
            csv_row(f"CS-{n:03d}", category=CATEGORIES[n % 4], lead_team=f"Team {n % 3}")
            for n in range(count)
        )
    )


def draw_post(n: str = "4", stratify_by: str = "none", seed: str = "", text: str = "") -> dict:
    return {
        "n": n,
        "stratify_by": stratify_by,
        "seed": seed,
        "file": SimpleUploadedFile("eligible.csv", (text or eligible_csv()).encode()),
    }


def url(programme) -> str:
    return f"/programmes/{programme.pk}/sample/"


def test_anonymous_is_sent_to_sign_in(client, health) -> None:
    assert client.get(url(make_planning_programme(health)))["Location"].startswith(
        "/accounts/sign-in/"
    )


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_other_roles_get_404(request, client_for, coordinator, health, persona) -> None:
    programme = make_planning_programme(health)
    make_return(make_case(programme), health)
    draw = SampleDraw.objects.create(
        programme=programme,
        seed=1,
        n=1,
        eligible_count=1,
        eligible_fingerprint="x",
        drawn_identifiers=["CS-1"],
        drawn_cases=[csv_like("CS-1")],
        drawn_by=coordinator,
    )
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(programme)).status_code == 404
    assert client.post(url(programme), draw_post()).status_code == 404
    assert client.get(f"{url(programme)}{draw.pk}/").status_code == 404
    assert client.post(f"{url(programme)}{draw.pk}/add/").status_code == 404
    assert SampleDraw.objects.count() == 1
    assert programme.cases.count() == 1


def csv_like(identifier: str) -> dict:
    return {
        "case_identifier": identifier,
        "initials": "JS",
        "category": "child_in_need",
        "gender": "",
        "date_of_birth": "2014-03-12",
        "age": None,
        "ethnicity": "",
        "language": "",
        "religion": "",
        "referral_date": None,
        "referring_agency_id": None,
        "lead_team": "",
        "family_members": [["AB", "mother", 34]],
    }


def test_a_draw_from_another_programme_is_404(client_for, coordinator, health) -> None:
    mine, other = make_planning_programme(health), make_planning_programme(health)
    draw = SampleDraw.objects.create(
        programme=other,
        seed=1,
        n=1,
        eligible_count=1,
        eligible_fingerprint="x",
        drawn_identifiers=["CS-1"],
        drawn_cases=[csv_like("CS-1")],
        drawn_by=coordinator,
    )
    client = client_for(coordinator)
    assert client.get(f"{url(mine)}{draw.pk}/").status_code == 404
    assert client.post(f"{url(mine)}{draw.pk}/add/").status_code == 404
    assert not Case.objects.exists()


def test_coordinator_draws_sees_the_seed_and_adds_the_cases(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    response = client.post(url(programme), draw_post(n="4", seed="482913"))
    draw = SampleDraw.objects.get()
    assert response["Location"] == f"{url(programme)}{draw.pk}/"
    assert (draw.seed, draw.n, draw.eligible_count, draw.drawn_by) == (482913, 4, 20, coordinator)
    assert len(draw.drawn_identifiers) == 4
    assert not Case.objects.exists()  # nothing added before the coordinator confirms

    html = client.get(response["Location"]).content.decode()
    assert "482913" in html
    assert [row[0] for row in table_rows(html)[1:]] == draw.drawn_identifiers
    assert "Add 4 cases to the programme" in html

    response = client.post(f"{url(programme)}{draw.pk}/add/", follow=True)
    assert "4 drawn cases added to the programme." in response.content.decode()
    assert sorted(programme.cases.values_list("case_identifier", flat=True)) == sorted(
        draw.drawn_identifiers
    )
    draw.refresh_from_db()
    assert draw.is_added and draw.added_by == coordinator
    assert draw.drawn_cases == []  # the details now live only in the cases
    assert client.post(f"{url(programme)}{draw.pk}/add/").status_code == 302
    assert programme.cases.count() == 4  # adding twice adds nothing


def test_the_same_seed_and_list_draw_the_same_cases_again(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    client.post(url(programme), draw_post(n="5", stratify_by="category", seed="77"))
    client.post(url(programme), draw_post(n="5", stratify_by="category", seed="77"))
    first, second = SampleDraw.objects.order_by("pk")
    assert first.drawn_identifiers == second.drawn_identifiers
    assert first.eligible_fingerprint == second.eligible_fingerprint


def test_a_draw_without_a_seed_gets_one_and_every_draw_is_listed(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    client.post(url(programme), draw_post(n="3"))
    draw = SampleDraw.objects.get()
    assert draw.seed >= 1
    html = client.get(url(programme)).content.decode()
    assert str(draw.seed) in html and "3 of 20" in html and "Not added" in html


def test_a_stratified_draw_takes_from_every_category(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    client_for(coordinator).post(url(programme), draw_post(n="4", stratify_by="category"))
    draw = SampleDraw.objects.get()
    categories = {row["category"] for row in draw.drawn_cases}
    assert categories == set(CATEGORIES)


def test_drawn_cases_already_in_the_programme_are_not_added_twice(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    client.post(url(programme), draw_post(n="20", seed="5"))
    make_case(programme, "CS-007")
    draw = SampleDraw.objects.get()
    html = client.get(f"{url(programme)}{draw.pk}/").content.decode()
    assert "Add 19 cases to the programme" in html
    response = client.post(f"{url(programme)}{draw.pk}/add/", follow=True)
    assert (
        "19 drawn cases added to the programme. Already in the programme, so not added again: "
        "CS-007." in response.content.decode()
    )
    assert programme.cases.count() == 20


@pytest.mark.parametrize(
    ("data", "messages"),
    [
        (
            {"n": "", "stratify_by": "", "seed": "abc"},
            [
                "Enter how many cases to draw",
                "Select whether to stratify the draw",
                "Seed must be a whole number, like 482913",
            ],
        ),
        ({"n": "21"}, ["There are only 20 eligible cases"]),
        ({"n": "2", "stratify_by": "category"}, ["Draw at least 4 cases, one from each group"]),
        ({"n": "0"}, ["Number of cases must be 1 or more"]),
    ],
)
def test_impossible_draws_are_explained(client_for, coordinator, health, data, messages) -> None:
    programme = make_planning_programme(health)
    post = {**draw_post(), **data}
    html = client_for(coordinator).post(url(programme), post).content.decode()
    assert error_summary(html) == messages
    assert not SampleDraw.objects.exists()


def test_a_bad_list_is_reported_by_row_and_column(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    text = case_csv(csv_row("CS-1"), csv_row("CS-1", initials="jo"))
    html = client_for(coordinator).post(url(programme), draw_post(text=text)).content.decode()
    assert error_summary(html) == [
        "Row 3, column case_identifier: Case CS-1 is repeated: it is also on row 2",
        "Row 3, column initials: Enter initials only, in capital letters, like JS or ABC (up to "
        "4 letters), never a name",
    ]
    assert not SampleDraw.objects.exists()


def test_a_closed_programme_takes_no_draw(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    response = client_for(coordinator).post(url(programme), draw_post())
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert not SampleDraw.objects.exists()
