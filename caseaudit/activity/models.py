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
