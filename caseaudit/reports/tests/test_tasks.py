"""Exports prepared as background tasks: the job records its status, progress and file."""

import io
import zipfile
from unittest import mock

import pytest

from caseaudit.reports import actions, tasks
from caseaudit.reports.models import JobKind, JobStatus

pytestmark = pytest.mark.django_db


def test_a_job_runs_and_keeps_its_file(world, coordinator) -> None:
    job = actions.request_job(JobKind.INSPECTION_PACK, by=coordinator, programme=world["spring"])
    assert job.status == JobStatus.QUEUED
    tasks.enqueue(job)  # the immediate backend runs it now
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.progress == 100
    assert job.file_name.startswith("inspection-pack-neglect-audit-spring-2026-")
    assert job.file_name.endswith(".zip")
    assert job.size == len(job.content)
    assert "00-index.pdf" in zipfile.ZipFile(io.BytesIO(bytes(job.content))).namelist()
    assert job.finished_at is not None


def test_a_job_rechecks_access_when_it_runs(world, coordinator) -> None:
    job = actions.request_job(JobKind.FULL_EXPORT, by=coordinator)
    type(coordinator).objects.filter(pk=coordinator.pk).update(is_coordinator=False)
    tasks.enqueue(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.content is None
    assert "no longer allowed" in job.message


def test_a_failing_job_is_marked_failed(world, coordinator) -> None:
    job = actions.request_job(JobKind.ANSWERS_CSV, by=coordinator)
    with mock.patch.object(tasks.exports, "answers_csv", side_effect=RuntimeError("disk full")):
        tasks.enqueue(job)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "Something went wrong while preparing the file. Try again."


def test_a_board_viewers_report_tables_are_always_suppressed(world, board_viewer) -> None:
    job = actions.request_job(
        JobKind.AGGREGATES_CSV, by=board_viewer, parameters={"suppress": False}
    )
    tasks.enqueue(job)
    job.refresh_from_db()
    assert "fewer than 5" in bytes(job.content).decode("utf-8-sig")
