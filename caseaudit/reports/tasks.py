"""Exports and packs prepared in the background with Django's tasks framework.

The immediate backend (the default setting) runs a job inside the request that asks for it;
with a database-backed worker the page that shows the job's progress refreshes until the
file is ready. Either way the job re-checks the requester's access when it runs, and the
requester's access rules decide what goes in.
"""

import logging
import re
from datetime import date

from django.tasks import task
from django.utils import timezone

from caseaudit import access
from caseaudit.reports import actions, exports, full_export, inspection
from caseaudit.reports.models import JobKind, ReportJob

logger = logging.getLogger(__name__)

ZIP = "application/zip"


class NotAllowed(Exception):
    pass


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "export"


def _name(job: ReportJob, stem: str, extension: str) -> str:
    scope = _slug(job.programme.title) if job.programme else "all-programmes"
    return f"{stem}-{scope}-{date.today():%Y-%m-%d}.{extension}"  # noqa: DTZ011 - a file name


def build(job: ReportJob) -> None:
    user = job.requested_by
    programme = job.programme
    kind = JobKind(job.kind)

    def progress(percent: int, message: str = "") -> None:
        actions.job_progress(job, percent, message)

    progress(1, "Started")
    if kind in (JobKind.ANSWERS_XLSX, JobKind.ANSWERS_CSV):
        if not access.can_export_answers(user):
            raise NotAllowed
        if kind == JobKind.ANSWERS_XLSX:
            content = exports.answers_workbook(user, programme, progress)
            actions.finish_job(
                job,
                file_name=_name(job, "answers", "xlsx"),
                content_type=exports.XLSX,
                content=content,
            )
        else:
            actions.finish_job(
                job,
                file_name=_name(job, "answers", "csv"),
                content_type=exports.CSV,
                content=exports.answers_csv(user, programme),
            )
    elif kind in (JobKind.AGGREGATES_XLSX, JobKind.AGGREGATES_CSV):
        if not access.can_view_reports(user):
            raise NotAllowed
        # A board viewer's tables are always suppressed; others may ask for it.
        suppressed = access.reports_are_suppressed(user) or bool(job.parameters.get("suppress"))
        if kind == JobKind.AGGREGATES_XLSX:
            content = exports.aggregates_workbook(user, programme, suppressed=suppressed)
            name, content_type = _name(job, "report-tables", "xlsx"), exports.XLSX
        else:
            content = exports.aggregates_csv(user, programme, suppressed=suppressed)
            name, content_type = _name(job, "report-tables", "csv"), exports.CSV
        actions.finish_job(job, file_name=name, content_type=content_type, content=content)
    elif kind == JobKind.INSPECTION_PACK:
        if not access.can_download_inspection_pack(user) or programme is None:
            raise NotAllowed
        content = inspection.inspection_pack(
            user, programme, job.parameters.get("cases", []), progress
        )
        actions.finish_job(
            job, file_name=_name(job, "inspection-pack", "zip"), content_type=ZIP, content=content
        )
    elif kind == JobKind.FULL_EXPORT:
        if not access.can_download_full_export(user):
            raise NotAllowed
        stamp = timezone.localtime()
        actions.finish_job(
            job,
            file_name=f"case-audit-full-export-{stamp:%Y-%m-%d-%H%M}.zip",
            content_type=ZIP,
            content=full_export.full_export(progress),
        )


@task()
def prepare_export(job_id: int) -> None:
    job = ReportJob.objects.select_related("requested_by__agency", "programme").get(pk=job_id)
    try:
        build(job)
    except NotAllowed:
        actions.fail_job(job, "You are no longer allowed to prepare this export.")
    except Exception:
        logger.exception("Export %s failed", job.pk)
        actions.fail_job(job, "Something went wrong while preparing the file. Try again.")
        raise


def enqueue(job: ReportJob) -> None:
    prepare_export.enqueue(job.pk)
