from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_shipped_tools(sender: AppConfig, **kwargs: Any) -> None:
    from caseaudit.audit_tools.actions import sync_shipped_tools

    sync_shipped_tools()


class AuditToolsConfig(AppConfig):
    name = "caseaudit.audit_tools"
    verbose_name = "Audit tools"

    def ready(self) -> None:
        # Every database holds the shipped tools as soon as it is migrated.
        post_migrate.connect(_sync_shipped_tools, sender=self)
