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


def widget_kind(form: forms.BaseForm, name: str) -> str:
    """Which GOV.UK component shows this field."""
    widget = form.fields[name].widget
    if isinstance(widget, forms.MultiWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    return "input"


def selected_values(form: forms.BaseForm, name: str) -> list[str]:
    """The chosen values of a choice field as strings, whether bound or initial."""
    value = form[name].value()
    if value is None:
        return []
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        return [str(getattr(value, "pk", value))]
    return [str(getattr(item, "pk", item)) for item in value]
