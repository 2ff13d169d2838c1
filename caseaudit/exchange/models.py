"""Completed Word forms uploaded for a return, kept as a proposal until someone accepts them.

The file itself is never stored: only its SHA-256 (so that uploading the same file again finds
the same proposal), what was read from it, and what could not be read."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from caseaudit.audits.models import Return


class ImportKind(models.TextChoices):
    EXPORTED = "exported", "Form downloaded from Case Audit"
    LEGACY = "legacy", "Older form, matched by question text"


class ImportStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for review"
    ACCEPTED = "accepted", "Accepted"
    DISCARDED = "discarded", "Discarded"


class ImportedDocument(models.Model):
    """A completed Word form read into a proposed set of answers for one return."""

    ret = models.ForeignKey(Return, on_delete=models.PROTECT, related_name="word_imports")
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    status = models.CharField(
        max_length=20, choices=ImportStatus.choices, default=ImportStatus.PROPOSED
    )
    file_name = models.CharField(max_length=200)
    size = models.PositiveIntegerField(help_text="Bytes.")
    sha256 = models.CharField(max_length=64)
    values = models.JSONField(
        default=dict, help_text="What was read, by item key and answer column."
    )
    report = models.JSONField(
        default=dict, help_text="Per item and column: read, blank or unreadable; unmatched rows."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar = ["-uploaded_at", "-pk"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["ret", "sha256"], name="one_import_per_file")
        ]

    def __str__(self) -> str:
        return f"Word form {self.file_name} for {self.ret}"

    @property
    def is_proposed(self) -> bool:
        return self.status == ImportStatus.PROPOSED
