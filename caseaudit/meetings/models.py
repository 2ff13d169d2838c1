from datetime import date
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.accounts.models import Agency
from caseaudit.audits.models import Case, Programme


class Theme(models.Model):
    """A partnership-wide theme, reused across programmes ("timely assessments")."""

    name = models.CharField(max_length=150, unique=True)
    description = models.TextField(blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_themes"
    )
    programmes = models.ManyToManyField(
        Programme, related_name="themes", blank=True, help_text="Programmes with this focus."
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class ExternalAudit(models.Model):
    """An audit held outside the system, recorded so its themes count too."""

    class Source(models.TextChoices):
        SINGLE_AGENCY = "single_agency", "Single-agency audit"
        SERIOUS_CASE_REVIEW = "serious_case_review", "Serious case review"
        PAPER_AUDIT = "paper_audit", "Earlier paper audit"
        OTHER = "other", "Other"

    title = models.CharField(max_length=200)
    held_on = models.DateField()
    source = models.CharField(max_length=30, choices=Source.choices)
    notes = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="external_audits", blank=True)

    class Meta:
        ordering: ClassVar = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """The multi-agency meeting of a programme."""

    programme = models.OneToOneField(Programme, on_delete=models.PROTECT, related_name="meeting")
    held_on = models.DateField()
    decisions = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Meeting of {self.programme}"


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=150)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering: ClassVar = ["agency__name", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class CaseDiscussion(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="discussions")
    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="discussion")
    notes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Discussion of {self.case}"


class AgreedGrade(models.Model):
    """The grade the meeting agreed for one report key of one case."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="agreed_grades")
    report_key = models.CharField(max_length=60)
    grade = models.PositiveSmallIntegerField(null=True, blank=True)
    not_applicable = models.BooleanField(default=False)
    reason = models.TextField(blank=True)

    class Meta:
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["case", "report_key"], name="one_agreed_grade")
        ]

    def __str__(self) -> str:
        return f"{self.report_key} of {self.case}: {self.grade}"


class FindingKind(models.TextChoices):
    STRENGTH = "strength", "Strength"
    AREA_FOR_IMPROVEMENT = "improvement", "Area for improvement"


class Finding(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="findings")
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(max_length=20, choices=FindingKind.choices)
    text = models.TextField()
    report_keys = models.JSONField(default=list, blank=True)
    agencies = models.ManyToManyField(Agency, related_name="findings", blank=True)
    themes = models.ManyToManyField(Theme, related_name="findings", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["kind", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"


class Action(models.Model):
    """Something an agency will do. Outlives its programme; followed up at re-audit."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="actions")
    finding = models.ForeignKey(
        Finding, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    description = models.TextField()
    owner_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="actions")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completion_evidence = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, related_name="actions", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering: ClassVar = ["due_date", "pk"]

    def __str__(self) -> str:
        return self.description[:80]

    def is_overdue(self, today: date | None = None) -> bool:
        """Overdue is derived: not done and past its due date."""
        today = today or timezone.localdate()
        return self.status != ActionStatus.DONE and self.due_date < today


class ActionUpdate(models.Model):
    """A progress note on an action, with the status it moved to."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    status = models.CharField(max_length=20, choices=ActionStatus.choices)

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Update on {self.action}"


def actions_with_owners(lookup: str = "actions") -> models.Prefetch:
    """Findings' actions with their owner agencies, in one query: prefetching the owners apart
    would add a query only when there are actions, so a page's count would vary with them."""
    return models.Prefetch(lookup, Action.objects.select_related("owner_agency"))
