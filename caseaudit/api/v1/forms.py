"""Checking request bodies with the same Django forms as the pages, so that a value the pages
refuse is refused here too, with the same words."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

DATE_PARTS = ("day", "month", "year")


def form_data(form_class: type[forms.Form], values: Mapping[str, Any]) -> dict[str, Any]:
    """Values from JSON as the form's fields would receive them from a page's POST."""
    fields = form_class.base_fields
    data: dict[str, Any] = {}
    for name, value in values.items():
        field = fields.get(name)
        if field is not None and isinstance(field.widget, forms.MultiWidget):
            # A GOV.UK date input: three boxes, NAME-day, NAME-month and NAME-year.
            parts = (value.day, value.month, value.year) if isinstance(value, date) else ()
            for index, part in enumerate(DATE_PARTS):
                data[f"{name}-{part}"] = str(parts[index]) if parts else ""
        elif value is None:
            data[name] = ""
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = str(value)
    return data
