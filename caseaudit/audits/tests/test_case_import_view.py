"""Importing cases from a CSV file: every problem by row and column, nothing imported on any
problem, uploads checked for size and type."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from caseaudit.activity.models import Change
from caseaudit.audits.case_import import COLUMNS
from caseaudit.audits.models import Case, ProgrammeStatus
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


def upload(text: str | bytes, name: str = "cases.csv") -> dict:
    content = text.encode() if isinstance(text, str) else text
    return {"file": SimpleUploadedFile(name, content, content_type="text/csv")}


def url(programme) -> str:
    return f"/programmes/{programme.pk}/cases/import/"


def test_anonymous_is_sent_to_sign_in(client, health) -> None:
    programme = make_planning_programme(health)
    assert client.get(url(programme))["Location"].startswith("/accounts/sign-in/")
    assert client.get("/cases/import/template.csv")["Location"].startswith("/accounts/sign-in/")


@pytest.mark.parametrize(
    "persona", ["health_auditor", "health_lead", "board_viewer", "administrator", "outsider"]
)
def test_other_roles_get_404_on_the_import_and_403_on_the_template(
    request, client_for, health, persona
) -> None:
    programme = make_planning_programme(health)
    make_return(make_case(programme, "A0"), health)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(url(programme)).status_code == 404
    assert client.post(url(programme), upload(case_csv(csv_row("A1")))).status_code == 404
    assert client.get("/cases/import/template.csv").status_code == 403
    assert list(programme.cases.values_list("case_identifier", flat=True)) == ["A0"]


def test_the_template_is_a_header_and_an_example_excel_reads_as_utf8(
    client_for, coordinator
) -> None:
    response = client_for(coordinator).get("/cases/import/template.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="cases-template.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text.removeprefix("\ufeff").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert len(lines) == 2 and lines[1].startswith("CS-100234,JS,")


def test_the_template_imports_as_it_is(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    client = client_for(coordinator)
    template = client.get("/cases/import/template.csv").content
    response = client.post(url(programme), upload(template))
    assert response["Location"] == f"/programmes/{programme.pk}/"
    case = Case.objects.get()
    assert (case.case_identifier, case.referring_agency) == ("CS-100234", health)
    assert [str(member) for member in case.family_members.all()] == [
        "AB (mother, 34)",
        "CD (brother, 7)",
    ]


def test_coordinator_imports_every_case_of_a_good_file(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    text = case_csv(
        csv_row("CS-1", family_members="AB:mother:34"),
        csv_row("CS-2", date_of_birth="", age="9", category="child_protection"),
        csv_row("CS-3", date_of_birth="01/02/2012", referral_date="2025-11-30"),
    )
    response = client_for(coordinator).post(url(programme), upload(text), follow=True)
    assert "3 cases imported." in response.content.decode()
    assert sorted(programme.cases.values_list("case_identifier", flat=True)) == [
        "CS-1",
        "CS-2",
        "CS-3",
    ]
    assert Change.objects.filter(object_type="audits.case", field="created").count() == 3


def test_a_file_with_bad_rows_imports_nothing_and_reports_every_problem(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    make_case(programme, "CS-9")
    text = case_csv(
        csv_row("CS-1"),
        csv_row("CS-2", initials="Jo", category="fostered"),
        csv_row("CS-9"),
        csv_row("CS-1", date_of_birth="2014-13-01"),
    )
    response = client_for(coordinator).post(url(programme), upload(text))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Import cases from a CSV file" in html
    assert "Nothing was imported. Correct the file and upload it again." in html
    expected = [
        "Row 3, column initials: Enter initials only, in capital letters, like JS or ABC (up to 4 "
        "letters), never a name",
        "Row 3, column category: Category must be one of: Child in need, Child protection, "
        "Looked-after child, Care leaver",
        "Row 4, column case_identifier: Case CS-9 is already in this programme",
        "Row 5, column case_identifier: Case CS-1 is repeated: it is also on row 2",
        "Row 5, column date_of_birth: Date of birth must be a real date, written like "
        "2014-03-12 or 12/03/2014",
    ]
    assert error_summary(html) == expected
    assert table_rows(html, "import-errors")[1:] == [
        ["3", "initials", expected[0].split(": ", 1)[1]],
        ["3", "category", expected[1].split(": ", 1)[1]],
        ["4", "case_identifier", "Case CS-9 is already in this programme"],
        ["5", "case_identifier", "Case CS-1 is repeated: it is also on row 2"],
        ["5", "date_of_birth", expected[4].split(": ", 1)[1]],
    ]
    assert list(programme.cases.values_list("case_identifier", flat=True)) == ["CS-9"]


def test_a_long_list_of_problems_is_summarised_and_tabled_in_full(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    text = case_csv(*(csv_row(f"CS-{n}", initials="x") for n in range(25)))
    html = client_for(coordinator).post(url(programme), upload(text)).content.decode()
    summary = error_summary(html)
    assert len(summary) == 21
    assert summary[-1] == "And 5 more problems: see the table"
    assert len(table_rows(html, "import-errors")) == 26
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("cases.xlsx", b"PK\x03\x04", "The selected file must be a CSV"),
        ("cases.csv", b"", "The selected file is empty"),
        (
            "cases.csv",
            "café".encode("latin-1"),
            "The selected file must be saved as UTF-8 text: "
            "in Excel, save it as “CSV UTF-8 (comma delimited)”",
        ),
        ("cases.csv", b"a" * (2 * 1024 * 1024 + 1), "The selected file must be smaller than 2MB"),
    ],
)
def test_uploads_are_checked_for_type_and_size(
    client_for, coordinator, health, name, content, message
) -> None:
    programme = make_planning_programme(health)
    html = client_for(coordinator).post(url(programme), upload(content, name)).content.decode()
    assert error_summary(html) == [message]
    assert not Case.objects.exists()


def test_no_file_is_an_error(client_for, coordinator, health) -> None:
    programme = make_planning_programme(health)
    html = client_for(coordinator).post(url(programme), {}).content.decode()
    assert error_summary(html) == ["Select a CSV file"]


def test_a_file_saved_by_excel_with_a_byte_order_mark_imports(
    client_for, coordinator, health
) -> None:
    programme = make_planning_programme(health)
    content = ("\ufeff" + case_csv(csv_row("CS-1"))).encode()
    assert client_for(coordinator).post(url(programme), upload(content)).status_code == 302
    assert programme.cases.get().case_identifier == "CS-1"


def test_a_closed_programme_takes_no_import(client_for, coordinator) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    response = client_for(coordinator).post(url(programme), upload(case_csv(csv_row("CS-1"))))
    assert response["Location"] == f"/programmes/{programme.pk}/"
    assert not Case.objects.exists()
