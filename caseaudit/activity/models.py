"""The history of changes and the access log: append-only records of who did what, when."""

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone


class AppendOnlyError(Exception):
    pass


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError(f"{type(self).__name__} rows are never deleted")


class Change(AppendOnly):
    """One field of one object changed: old → new."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    field = models.CharField(max_length=120)
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id}: {self.field} changed"


class AccessEvent(AppendOnly):
    """Someone viewed, downloaded or exported something holding case content."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField(null=True)
    action = models.CharField(max_length=40)
    address = models.GenericIPAddressField(null=True)

    class Meta:
        ordering: ClassVar = ["at", "pk"]
        indexes: ClassVar = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.action} of {self.object_type} {self.object_id}"


class RetentionRun(AppendOnly):
    """One run of `caseaudit retention`, dry or applied: what it found past the retention
    period and, when applied, what it anonymised."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    applied = models.BooleanField(help_text="False for a dry run, which changes nothing.")
    run_by = models.CharField(
        max_length=150, help_text="The operating-system account that ran the command."
    )
    retention_months = models.PositiveSmallIntegerField()
    cutoff = models.DateField(help_text="Programmes closed before this day were due.")
    programmes = models.JSONField(
        default=list, help_text="Each programme due: id, title and the day it closed."
    )
    counts = models.JSONField(default=dict, help_text="What was (or would be) anonymised.")

    class Meta:
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        kind = "Retention run" if self.applied else "Retention dry run"
        return f"{kind} on {self.at:%Y-%m-%d}"
