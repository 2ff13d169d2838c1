"""No page a board viewer can open, and no file they can download, holds any case's initials
or identifier (nor a family member's initials)."""

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook

from caseaudit.reports import actions, learning
from caseaudit.reports.models import Audience, JobKind, LearningSummaryEdition, ReportJob
from caseaudit.reports.tests.conftest import CASE_WORDS
from caseaudit.reports.tests.documents import pdf_text

pytestmark = pytest.mark.django_db

# Random per-request values (CSP nonce, CSRF token) are not content: leave them out.
RANDOM = re.compile(r'nonce="[^"]*"|name="csrfmiddlewaretoken" value="[^"]*"')


def assert_anonymous(text: str, where: str) -> None:
    text = RANDOM.sub("", text)
    for word in CASE_WORDS:
        assert not re.search(rf"(?<![A-Za-z0-9]){word}(?![A-Za-z0-9])", text), f"{word} in {where}"


@pytest.fixture
def published(world, coordinator):
    summary = learning.start_summary(world["spring"], by=coordinator)
    actions.save_summary(
        summary,
        by=coordinator,
        actions_agreed="Share risk information with schools.",
        manager_points="Direction: use the neglect tools",
    )
    actions.publish_summary(summary, by=coordinator)
    return LearningSummaryEdition.objects.get(audience=Audience.PRACTITIONERS)


def test_no_board_page_or_export_names_a_case(
    client_for, world, board_viewer, published, health, tmp_path
) -> None:
    client = client_for(board_viewer)
    spring = world["spring"].pk
    pages = [
        "/",
        "/reports/",
        f"/reports/programmes/{spring}/",
        f"/reports/programmes/{spring}/?agency={health.pk}&category=child_in_need",
        "/reports/across-programmes/",
        "/reports/equality/",
        f"/reports/equality/?programme={spring}",
        "/reports/exports/",
        f"/reports/learning-summaries/{published.pk}/",
        "/themes/",
    ]
    for characteristic in ("ethnicity", "gender", "age_band", "language", "religion", "category"):
        pages.append(f"/reports/equality/?characteristic={characteristic}&report_key=planning")
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_anonymous(response.content.decode(), url)

    assert_anonymous(
        pdf_text(client.get(f"/reports/learning-summaries/{published.pk}/pdf/").content, tmp_path),
        "the learning summary PDF",
    )
    document = Document(
        io.BytesIO(client.get(f"/reports/learning-summaries/{published.pk}/docx/").content)
    )
    text = [p.text for p in document.paragraphs]
    text += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert_anonymous("\n".join(text), "the learning summary Word document")

    for kind in (JobKind.AGGREGATES_XLSX, JobKind.AGGREGATES_CSV):
        for programme in ("", spring):
            client.post("/reports/exports/", {"kind": kind, "programme": programme})
            job = ReportJob.objects.latest("pk")
            page = client.get(f"/reports/exports/{job.pk}/")
            assert_anonymous(page.content.decode(), "the export page")
            content = client.get(f"/reports/exports/{job.pk}/download/").content
            if kind == JobKind.AGGREGATES_XLSX:
                book = load_workbook(io.BytesIO(content))
                assert all(sheet.sheet_state == "visible" for sheet in book.worksheets)
                cells = [
                    str(value)
                    for sheet in book.worksheets
                    for row in sheet.iter_rows(values_only=True)
                    for value in row
                    if value is not None
                ]
                assert_anonymous("\n".join(cells), f"{kind} {programme}")
            else:
                assert_anonymous(content.decode("utf-8-sig"), f"{kind} {programme}")


def test_board_viewer_cannot_reach_case_content(client_for, world, board_viewer) -> None:
    client = client_for(board_viewer)
    spring = world["spring"].pk
    first = world["cases"][0].pk
    for url in (
        f"/reports/programmes/{spring}/inspection-pack/",
        f"/reports/programmes/{spring}/learning-summary/",
        f"/reports/programmes/{spring}/learning-summary/preview/partners/",
        f"/meetings/cases/{first}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get("/reports/calibration/").status_code == 403
    assert client.get("/reports/resources/").status_code == 403
