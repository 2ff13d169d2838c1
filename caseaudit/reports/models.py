"""The learning summary ("Eyes on" briefing), the partnership's reminders and resources, and
the record of exports prepared in the background."""

import base64
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.audits.models import Programme


class Resource(models.Model):
    """A reminder or resource for practitioners (thresholds document, information-sharing
    rules, procedures, training, consultation lines), configured once for the partnership and
    offered in every learning summary."""

    title = models.CharField(max_length=150)
    text = models.TextField(blank=True, help_text="What it is and when to use it.")
    url = models.URLField("web address", blank=True)
    contacts = models.TextField(
        blank=True, help_text="One per line, for example “North: 01865 323039”."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Lower comes first.")
    is_active = models.BooleanField("offer in new learning summaries", default=True)

    class Meta:
        ordering: ClassVar = ["position", "title"]

    def __str__(self) -> str:
        return self.title

    def contact_lines(self) -> list[str]:
        return [line.strip() for line in self.contacts.splitlines() if line.strip()]


class Branding(models.Model):
    """The partnership's logo on its learning summaries (one row)."""

    logo = models.BinaryField(null=True, blank=True, editable=False)
    logo_content_type = models.CharField(max_length=30, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "branding"

    def __str__(self) -> str:
        return "Branding"

    @classmethod
    def load(cls) -> "Branding":
        """The partnership's branding; until a logo is uploaded, an unsaved blank one (reading
        it writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def logo_data_uri(self) -> str:
        if not self.logo:
            return ""
        encoded = base64.b64encode(bytes(self.logo)).decode("ascii")
        return f"data:{self.logo_content_type};base64,{encoded}"


class LearningSummary(models.Model):
    """A programme's learning summary: parts drafted from the data, then edited by the
    coordinator. Publishing freezes both editions as they stand (`LearningSummaryEdition`)."""

    programme = models.OneToOneField(
        Programme, on_delete=models.PROTECT, related_name="learning_summary"
    )
    title = models.CharField(max_length=150, default="Eyes on – Enhancing our practice")
    subtitle = models.CharField(
        max_length=200, default="Learning from the audit: multi-agency audit"
    )
    introduction = models.TextField(
        blank=True, help_text="Why multi-agency working matters here: the opening paragraph."
    )
    why = models.TextField("why the audit was done", blank=True)
    when_and_how = models.TextField(
        "when and how", blank=True, help_text="Drafted from the data: cases, ages, tools."
    )
    aim = models.TextField("the aim", blank=True)
    partners = models.TextField(blank=True, help_text="One agency per line.")
    strengths = models.TextField(blank=True, help_text="One area per line.")
    improvements = models.TextField("key areas for improvement", blank=True)
    common_themes = models.TextField("themes in common with other audits", blank=True)
    actions_agreed = models.TextField(blank=True)
    manager_points = models.TextField("learning points for managers", blank=True)
    practitioner_points = models.TextField("action points for practitioners", blank=True)
    key_messages = models.TextField("key messages for inter-agency learning", blank=True)
    reflection = models.TextField("take the time to reflect", blank=True)
    resources = models.ManyToManyField(Resource, related_name="+", blank=True)
    practitioner_marking = models.CharField(
        "marking of the practitioners’ and board edition",
        max_length=60,
        default="OFFICIAL",
        help_text="This edition identifies no case, so it may carry a lower marking.",
    )
    drafted_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name_plural = "learning summaries"

    def __str__(self) -> str:
        return f"Learning summary of {self.programme}"


class Audience(models.TextChoices):
    PARTNERS = "partners", "Partners’ edition (identifies cases)"
    PRACTITIONERS = "practitioners", "Practitioners’ and board edition"


class LearningSummaryEdition(models.Model):
    """A published edition, frozen: the HTML, PDF and Word documents are made from it."""

    summary = models.ForeignKey(LearningSummary, on_delete=models.PROTECT, related_name="editions")
    number = models.PositiveIntegerField()
    audience = models.CharField(max_length=20, choices=Audience.choices)
    marking = models.CharField(max_length=60)
    content = models.JSONField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering: ClassVar = ["-number", "audience"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["summary", "number", "audience"], name="one_edition_per_audience"
            )
        ]

    def __str__(self) -> str:
        return f"{self.summary}, edition {self.number} ({self.get_audience_display()})"

    @property
    def identifies_cases(self) -> bool:
        return self.audience == Audience.PARTNERS


class JobKind(models.TextChoices):
    ANSWERS_XLSX = "answers_xlsx", "Every grade and answer (Excel)"
    ANSWERS_CSV = "answers_csv", "Every grade and answer (CSV)"
    AGGREGATES_XLSX = "aggregates_xlsx", "Report tables (Excel)"
    AGGREGATES_CSV = "aggregates_csv", "Report tables (CSV)"
    INSPECTION_PACK = "inspection_pack", "Inspection pack (ZIP of PDFs)"
    FULL_EXPORT = "full_export", "Everything the partnership holds (ZIP of JSON and CSV)"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    DONE = "done", "Ready"
    FAILED = "failed", "Failed"


class ReportJob(models.Model):
    """An export prepared in the background. The file is kept in the database, so any app
    server can offer it, whichever server or worker prepared it."""

    kind = models.CharField(max_length=30, choices=JobKind.choices)
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parameters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    message = models.CharField(max_length=300, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(null=True, blank=True, editable=False)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering: ClassVar = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)
