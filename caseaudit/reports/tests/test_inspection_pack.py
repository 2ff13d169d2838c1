"""The inspection pack: a ZIP of one PDF per case and an index, marked on every page."""

import io
import zipfile

import pytest

from caseaudit.audits.models import Answer
from caseaudit.meetings.models import CaseDiscussion, Meeting
from caseaudit.reports import inspection
from caseaudit.reports.tests.documents import pdf_pages, pdf_text

pytestmark = pytest.mark.django_db


def test_the_pack_holds_an_index_and_one_marked_pdf_per_case(world, coordinator, tmp_path) -> None:
    first = world["cases"][0]
    meeting = Meeting.objects.create(programme=world["spring"], held_on=world["spring"].audit_date)
    CaseDiscussion.objects.create(
        meeting=meeting, case=first, notes="Discussed the neglect toolkit.", decisions="Refer on."
    )
    Answer.objects.filter(ret__case=first, report_key="planning").update(
        evidence="Plan dated 3 January"
    )
    progress = []
    content = inspection.inspection_pack(
        coordinator, world["spring"], progress=lambda p, m: progress.append(m)
    )
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert sorted(archive.namelist()) == [
        "00-index.pdf",
        "case-904518.pdf",
        "case-904519.pdf",
        "case-904520.pdf",
    ]
    assert progress == ["Case 1 of 3", "Case 2 of 3", "Case 3 of 3"]

    index = pdf_text(archive.read("00-index.pdf"), tmp_path, "index.pdf")
    assert "Inspection pack" in index and "case-904519.pdf" in index
    assert all("OFFICIAL-SENSITIVE" in page for page in pdf_pages(index))

    text = pdf_text(archive.read("case-904518.pdf"), tmp_path, "case.pdf")
    pages = pdf_pages(text)
    assert len(pages) >= 3  # details and matrix, then each agency's return on its own pages
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    for expected in (
        "Case 904518 (QX)",
        "Case details",
        "XJ",  # the family member
        "Consolidated grade matrix",
        "Children’s Social Care’s return",
        "Health’s return",
        "Plan dated 3 January",
        "Discussed the neglect toolkit.",
        "Agreed grades",
        "QX was assessed within ten days.",
        "Timely assessments",
    ):
        assert expected in text, expected


def test_chosen_cases_only(world, coordinator) -> None:
    second = world["cases"][1]
    content = inspection.inspection_pack(coordinator, world["spring"], [second.pk])
    assert sorted(zipfile.ZipFile(io.BytesIO(content)).namelist()) == [
        "00-index.pdf",
        "case-904519.pdf",
    ]
    # A case of another programme cannot be slipped in.
    other = world["autumn"].cases.get()
    content = inspection.inspection_pack(coordinator, world["spring"], [other.pk])
    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == ["00-index.pdf"]


def test_returns_not_submitted_are_listed_not_shown(world, coordinator, tmp_path) -> None:
    third = world["cases"][2]
    text = pdf_text(inspection.case_pdf(coordinator, third), tmp_path)
    assert "Returns not submitted" in text
    assert "Health: in progress" in text
    assert "Health’s return" not in text
