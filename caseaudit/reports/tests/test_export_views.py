"""The export pages: who may export what, the job page, the download and its log."""

import io
import zipfile

import pytest
from openpyxl import load_workbook

from caseaudit.activity.models import AccessEvent
from caseaudit.reports.models import JobKind, ReportJob

pytestmark = pytest.mark.django_db


def test_coordinator_exports_answers_and_downloads_the_file(client_for, world, coordinator) -> None:
    client = client_for(coordinator)
    page = client.get("/reports/exports/").content.decode()
    assert "Everything the partnership holds" in page
    response = client.post(
        "/reports/exports/", {"kind": JobKind.ANSWERS_XLSX, "programme": world["spring"].pk}
    )
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/exports/{job.pk}/"
    ready = client.get(f"/reports/exports/{job.pk}/")
    assert "Download the file" in ready.content.decode()
    assert "Refresh" not in ready
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="answers-')
    assert "no-store" in download["Cache-Control"]
    book = load_workbook(io.BytesIO(download.content))
    assert book["Answers"].max_row == 16  # header and 15 answers
    event = AccessEvent.objects.get(user=coordinator, action="download answers_xlsx")
    assert event.object_type == "audits.programme" and event.object_id == world["spring"].pk


def test_a_running_job_page_asks_to_be_reloaded(client_for, world, coordinator) -> None:
    job = ReportJob.objects.create(kind=JobKind.FULL_EXPORT, requested_by=coordinator, progress=40)
    response = client_for(coordinator).get(f"/reports/exports/{job.pk}/")
    assert response["Refresh"] == "3"
    assert "40% done" in response.content.decode()
    assert client_for(coordinator).get(f"/reports/exports/{job.pk}/download/").status_code == 404


def test_nobody_else_sees_a_job(client_for, world, coordinator, health_lead) -> None:
    client_for(coordinator).post("/reports/exports/", {"kind": JobKind.ANSWERS_CSV})
    job = ReportJob.objects.get()
    assert client_for(health_lead).get(f"/reports/exports/{job.pk}/").status_code == 404
    assert client_for(health_lead).get(f"/reports/exports/{job.pk}/download/").status_code == 404


def test_board_viewer_may_export_only_suppressed_tables(client_for, world, board_viewer) -> None:
    client = client_for(board_viewer)
    page = client.get("/reports/exports/").content.decode()
    assert "Every grade and answer" not in page
    refused = client.post("/reports/exports/", {"kind": JobKind.ANSWERS_XLSX})
    assert refused.status_code == 422
    assert "Select a valid choice" in refused.content.decode()
    # A programme not yet reporting cannot be chosen either.
    hidden = client.post(
        "/reports/exports/", {"kind": JobKind.AGGREGATES_XLSX, "programme": world["autumn"].pk}
    )
    assert hidden.status_code == 422
    client.post("/reports/exports/", {"kind": JobKind.AGGREGATES_XLSX})
    job = ReportJob.objects.get()
    content = client.get(f"/reports/exports/{job.pk}/download/").content
    assert load_workbook(io.BytesIO(content)).sheetnames[0] == "Summary"


def test_agency_lead_cannot_have_the_full_export(client_for, world, health_lead) -> None:
    response = client_for(health_lead).post("/reports/exports/", {"kind": JobKind.FULL_EXPORT})
    assert response.status_code == 422


def test_coordinator_prepares_the_inspection_pack_for_chosen_cases(
    client_for, world, coordinator, health_lead
) -> None:
    url = f"/reports/programmes/{world['spring'].pk}/inspection-pack/"
    assert client_for(health_lead).get(url).status_code == 404
    client = client_for(coordinator)
    assert "Case 904518 (QX)" in client.get(url).content.decode()
    first = world["cases"][0]
    response = client.post(url, {"cases": [first.pk]})
    job = ReportJob.objects.get()
    assert response["Location"] == f"/reports/exports/{job.pk}/"
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert sorted(zipfile.ZipFile(io.BytesIO(download.content)).namelist()) == [
        "00-index.pdf",
        "case-904518.pdf",
    ]
    assert AccessEvent.objects.filter(user=coordinator, action="download inspection_pack").exists()


def test_full_export_through_the_page(client_for, world, coordinator) -> None:
    client = client_for(coordinator)
    client.post("/reports/exports/", {"kind": JobKind.FULL_EXPORT, "programme": world["spring"].pk})
    job = ReportJob.objects.get()
    assert job.programme is None  # everything, whichever programme was chosen
    download = client.get(f"/reports/exports/{job.pk}/download/")
    assert "README.md" in zipfile.ZipFile(io.BytesIO(download.content)).namelist()


def test_files_are_deleted_after_a_week(client_for, world, coordinator) -> None:
    from datetime import timedelta

    from django.utils import timezone

    client = client_for(coordinator)
    client.post("/reports/exports/", {"kind": JobKind.ANSWERS_CSV})
    old = ReportJob.objects.get()
    ReportJob.objects.filter(pk=old.pk).update(requested_at=timezone.now() - timedelta(days=8))
    client.post("/reports/exports/", {"kind": JobKind.ANSWERS_CSV})
    old.refresh_from_db()
    assert old.content is None and old.size == 0
    page = client.get(f"/reports/exports/{old.pk}/").content.decode()
    assert "deleted after a week" in page and "Prepare it again" in page
    assert client.get(f"/reports/exports/{old.pk}/download/").status_code == 404
    new = ReportJob.objects.latest("pk")
    assert new.content is not None
