"""Every write of the reports app: the learning summary, its publication, the partnership's
resources and the record of background exports. History rows in the same transaction."""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.accounts.models import User
from caseaudit.activity.actions import record_change
from caseaudit.audits.models import Programme
from caseaudit.reports import learning
from caseaudit.reports.models import (
    Audience,
    Branding,
    JobKind,
    JobStatus,
    LearningSummary,
    LearningSummaryEdition,
    ReportJob,
    Resource,
)


class IdentifiesCase(Exception):
    """The practitioners' and board edition would name a case."""

    def __init__(self, mentions: list[str]) -> None:
        super().__init__("; ".join(mentions))
        self.mentions = mentions


@transaction.atomic
def save_summary(summary: LearningSummary, *, by: User, **values: Any) -> LearningSummary:
    """The coordinator's edits: every changed part is kept in the history."""
    resources = values.pop("resources", None)
    for name, value in values.items():
        old = getattr(summary, name)
        if old != value:
            record_change(summary, by=by, field=name, old=old, new=value)
            setattr(summary, name, value)
    summary.updated_at = timezone.now()
    summary.updated_by = by
    summary.save()
    if resources is not None:
        old_ids = sorted(summary.resources.values_list("pk", flat=True))
        new_ids = sorted(resource.pk for resource in resources)
        record_change(summary, by=by, field="resources", old=old_ids, new=new_ids)
        summary.resources.set(resources)
    return summary


@transaction.atomic
def redraft_summary(summary: LearningSummary, *, by: User) -> LearningSummary:
    """Write the drafted parts again from the data as it is now (edits to them are replaced;
    the coordinator's own parts are left alone)."""
    drafted = learning.draft_parts(summary.programme)
    save_summary(summary, by=by, **drafted)
    summary.drafted_at = timezone.now()
    summary.save(update_fields=["drafted_at"])
    return summary


@transaction.atomic
def publish_summary(summary: LearningSummary, *, by: User) -> list[LearningSummaryEdition]:
    """Freeze both editions as they stand. Refused if the practitioners' and board edition
    would name a case (identifier or initials)."""
    practitioners = learning.edition_content(summary, Audience.PRACTITIONERS)
    mentions = learning.identifying_mentions(practitioners, learning.case_words(summary.programme))
    if mentions:
        raise IdentifiesCase(mentions)
    number = (summary.editions.aggregate(n=Max("number"))["n"] or 0) + 1
    editions = [
        LearningSummaryEdition.objects.create(
            summary=summary,
            number=number,
            audience=audience,
            marking=content["marking"],
            content=content,
            published_by=by,
        )
        for audience, content in (
            (Audience.PARTNERS, learning.edition_content(summary, Audience.PARTNERS)),
            (Audience.PRACTITIONERS, practitioners),
        )
    ]
    record_change(summary, by=by, field="published", old=number - 1 or None, new=number)
    return editions


@transaction.atomic
def save_resource(resource: Resource, *, by: User, **values: Any) -> Resource:
    old = {name: getattr(resource, name) for name in values} if resource.pk else None
    for name, value in values.items():
        setattr(resource, name, value)
    resource.save()
    record_change(resource, by=by, field="resource", old=old, new=values)
    return resource


@transaction.atomic
def save_logo(*, by: User, content: bytes | None, content_type: str = "") -> Branding:
    """Upload (or, with no content, remove) the partnership's logo."""
    branding = Branding.load()
    old = {"content_type": branding.logo_content_type, "size": len(branding.logo or b"")}
    branding.logo = content
    branding.logo_content_type = content_type if content else ""
    branding.updated_at = timezone.now()
    branding.save()
    record_change(
        branding,
        by=by,
        field="logo",
        old=old,
        new={"content_type": content_type, "size": len(content or b"")},
    )
    return branding


KEEP_FILES_DAYS = 7


def forget_old_files(now: datetime | None = None) -> int:
    """Prepared files hold case content: each is kept for a week, then deleted (the record
    of the job stays). Run whenever a new export is asked for."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_FILES_DAYS)
    return ReportJob.objects.filter(requested_at__lt=cutoff, content__isnull=False).update(
        content=None, size=0, message="The file was deleted after a week."
    )


def request_job(
    kind: JobKind,
    *,
    by: User,
    programme: Programme | None = None,
    parameters: dict[str, Any] | None = None,
) -> ReportJob:
    """Record an export the user asked for; `tasks.enqueue` starts it."""
    forget_old_files()
    return ReportJob.objects.create(
        kind=kind, requested_by=by, programme=programme, parameters=parameters or {}
    )


def job_progress(job: ReportJob, progress: int, message: str = "") -> None:
    """Progress is written straight away (outside any transaction of the work) so the page
    that watches the job sees it."""
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, progress=min(progress, 99), message=message[:300]
    )


def finish_job(job: ReportJob, *, file_name: str, content_type: str, content: bytes) -> None:
    job.status = JobStatus.DONE
    job.progress = 100
    job.message = ""
    job.file_name = file_name
    job.content_type = content_type
    job.content = content
    job.size = len(content)
    job.finished_at = timezone.now()
    job.save()


def fail_job(job: ReportJob, message: str) -> None:
    ReportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message[:300], finished_at=timezone.now()
    )
