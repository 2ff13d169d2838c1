"""Django forms shown with the GOV.UK Frontend macros: error summary and error messages."""

from typing import Any

from django import forms


def error_list(form: forms.BaseForm) -> list[dict[str, str]]:
    """The items of a GOV.UK error summary, each linking to its field."""
    items: list[dict[str, str]] = []
    for name, errors in form.errors.items():
        if name not in form.fields:
            href = "#main-content"
        elif isinstance(form.fields[name].widget, forms.MultiWidget):
            href = f"#{form[name].auto_id}-day"  # the first box of a GOV.UK date input
        else:
            href = f"#{form[name].auto_id}"
        items.extend({"text": str(message), "href": href} for message in errors)
    return items


def error_message(form: forms.BaseForm, name: str) -> dict[str, Any] | bool:
    """The `errorMessage` parameter of a GOV.UK component: false when the field is valid."""
    errors = form.errors.get(name)
    return {"text": " ".join(str(message) for message in errors)} if errors else False
