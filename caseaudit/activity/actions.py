from typing import Any

from django.db import models
from django.http import HttpRequest

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.lib.client_address import client_address


def record_change(
    obj: models.Model, *, by: Any, field: str, old: Any, new: Any, note: str = ""
) -> Change | None:
    """Write one history row, unless nothing changed. Call inside the change's transaction."""
    if old == new:
        return None
    change = change_row(obj, by=by, field=field, old=old, new=new, note=note)
    change.save()
    return change


def change_row(
    obj: models.Model, *, by: Any, field: str, old: Any, new: Any, note: str = ""
) -> Change:
    """A history row not yet written, for writing many at once with `bulk_create`."""
    return Change(
        actor=by,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        field=field,
        old_value=old,
        new_value=new,
        note=note,
    )


def record_access(request: HttpRequest, obj: models.Model | None, action: str) -> AccessEvent:
    """Log a view, download or export of case content by the signed-in user."""
    return AccessEvent.objects.create(
        user=request.user if request.user.is_authenticated else None,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=obj.pk if obj is not None else None,
        action=action,
        address=client_address(request),
    )
