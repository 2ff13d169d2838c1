from datetime import date, datetime, time, timedelta
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from caseaudit.activity.models import AccessEvent
from caseaudit.audits.forms import GovukDateField


class AccessLogFilter(forms.Form):
    """Search the access log: by person, by what was read, by action and by date."""

    user = forms.CharField(
        label="Person (name or email address)",
        required=False,
        max_length=254,
        error_messages={"max_length": "Person must be 254 characters or fewer"},
    )
    object_type = forms.ChoiceField(label="Kind of record", required=False)
    object_id = forms.IntegerField(
        label="Record number",
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        error_messages={
            "invalid": "Record number must be a whole number, like 42",
            "min_value": "Record number must be 1 or more",
            "max_value": "Record number is too large",
        },
    )
    action = forms.ChoiceField(label="Action", required=False)
    date_from = GovukDateField(label="From")
    date_to = GovukDateField(label="To")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        events = AccessEvent.objects.order_by()
        self.fields["object_type"].choices = [("", "Any")] + [  # type: ignore[attr-defined]
            (value, value) for value in _distinct(events, "object_type") if value
        ]
        self.fields["action"].choices = [("", "Any")] + [  # type: ignore[attr-defined]
            (value, value) for value in _distinct(events, "action")
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "“To” must be the same as or after “From”")
        return data

    def apply(self, events: QuerySet[AccessEvent]) -> QuerySet[AccessEvent]:
        data = self.cleaned_data
        if data["user"]:
            term = data["user"].strip()
            events = events.filter(user__email__icontains=term) | events.filter(
                user__full_name__icontains=term
            )
        if data["object_type"]:
            events = events.filter(object_type=data["object_type"])
        if data["object_id"] is not None:
            events = events.filter(object_id=data["object_id"])
        if data["action"]:
            events = events.filter(action=data["action"])
        if data["date_from"]:
            events = events.filter(at__gte=_start_of(data["date_from"]))
        if data["date_to"]:
            events = events.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
        return events


def _distinct(events: QuerySet[AccessEvent], column: str) -> list[str]:
    return list(events.values_list(column, flat=True).distinct().order_by(column))


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
