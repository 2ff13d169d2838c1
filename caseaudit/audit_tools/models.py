import hashlib
import json
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.functional import cached_property

from caseaudit.audit_tools.schema import Tool

# Published versions never change (see `save`), so each is parsed once per process; the
# parsed tool is frozen, so sharing it between requests is safe.
_published_tools: dict[tuple[int, str], Tool] = {}


class FrozenToolVersionError(Exception):
    """A published tool version never changes: edit a new version instead."""


def content_hash(document: dict[str, Any]) -> str:
    """A fingerprint of a tool's content, ignoring its version number."""
    content = {key: value for key, value in document.items() if key != "version"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


class ToolVersionQuerySet(models.QuerySet["ToolVersion"]):
    def published(self) -> "ToolVersionQuerySet":
        return self.filter(published_at__isnull=False)

    def drafts(self) -> "ToolVersionQuerySet":
        return self.filter(published_at__isnull=True)

    def update(self, **kwargs: Any) -> int:
        if self.published().exists():
            raise FrozenToolVersionError("published tool versions cannot be updated")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.published().exists():
            raise FrozenToolVersionError("published tool versions cannot be deleted")
        return super().delete()


class ToolSource(models.TextChoices):
    SHIPPED = "shipped", "Shipped with the system"
    IMPORTED = "imported", "Imported from YAML"
    DESIGNED = "designed", "Built in the tool designer"


class ToolVersion(models.Model):
    """One version of an audit tool. A draft until published; frozen once published."""

    tool_key = models.SlugField(max_length=60)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    document = models.JSONField()
    content_hash = models.CharField(max_length=64, editable=False)
    source = models.CharField(max_length=20, choices=ToolSource.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    based_on = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The version the designer started this one from, if any.",
    )

    objects = ToolVersionQuerySet.as_manager()

    class Meta:
        ordering: ClassVar = ["tool_key", "-version"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["tool_key", "version"], name="one_number_per_version")
        ]

    def __str__(self) -> str:
        state = "" if self.is_published else " (draft)"
        return f"{self.title}, version {self.version}{state}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and ToolVersion.objects.filter(pk=self.pk).published().exists():
            raise FrozenToolVersionError(f"{self} is published and cannot change")
        self.content_hash = content_hash(self.document)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if ToolVersion.objects.filter(pk=self.pk).published().exists():
            raise FrozenToolVersionError(f"{self} is published and cannot be deleted")
        return super().delete(*args, **kwargs)

    def refresh_from_db(self, *args: Any, **kwargs: Any) -> None:
        super().refresh_from_db(*args, **kwargs)
        self.__dict__.pop("tool", None)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @cached_property
    def tool(self) -> Tool:
        if not self.is_published:
            return Tool.model_validate(self.document)
        key = (self.pk, self.content_hash)
        if key not in _published_tools:
            _published_tools[key] = Tool.model_validate(self.document)
        return _published_tools[key]
