from collections.abc import Mapping
from datetime import date
from typing import Any

from django import forms

from caseaudit.accounts.forms import SignatureForm
from caseaudit.audit_tools.schema import GradeScale
from caseaudit.audits.items import Item, Part
from caseaudit.audits.models import Answer

NOT_APPLICABLE = "na"
CHOICES = [("yes", "Yes"), ("no", "No"), ("not_known", "Not known")]
MAX_TEXT = 20_000


class DateWidget(forms.MultiWidget):
    template_name = ""  # rendered by the GOV.UK date-input macro, never by Django

    def __init__(self) -> None:
        super().__init__(
            {"day": forms.TextInput, "month": forms.TextInput, "year": forms.TextInput}
        )

    def decompress(self, value: date | None) -> list[Any]:
        return [value.day, value.month, value.year] if value else [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[Any]:
        # The GOV.UK macro names the boxes NAME-day, NAME-month and NAME-year.
        return [data.get(f"{name}-{part}") for part in ("day", "month", "year")]


class GovukDateField(forms.MultiValueField):
    """The GOV.UK date input: day, month and year in three boxes, errors in plain words."""

    widget = DateWidget

    def __init__(self, label: str, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        super().__init__(fields, required=False, require_all_fields=False, **kwargs)
        self.label_text = label

    def compress(self, data_list: list[str]) -> date | None:
        parts = [str(part or "").strip() for part in data_list] if data_list else []
        if not any(parts):
            return None
        if not all(parts):
            raise forms.ValidationError(f"“{self.label_text}” must include a day, month and year")
        try:
            day, month, year = (int(part) for part in parts)
            if year < 1900 or year > 2100:
                raise ValueError
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"“{self.label_text}” must be a real date") from None


def grade_choices(scale: GradeScale, allow_not_applicable: bool) -> list[tuple[str, str]]:
    choices = [(str(grade.value), f"{grade.value} – {grade.label}") for grade in scale.grades]
    if allow_not_applicable:
        choices.append((NOT_APPLICABLE, scale.not_applicable_label))
    return choices


def field_name(item: Item, column: str) -> str:
    return f"{item.key}-{column}"


class PartForm(forms.Form):
    """The answers of one part of a return. Saving a draft checks only that what was typed is
    well formed; completeness is checked when the return is submitted."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        part: Part,
        scale: GradeScale,
        answers: Mapping[str, Answer],
        *args: Any,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.part = part
        for item in part.applicable_items:
            answer = answers.get(item.key)
            for column in item.columns:
                name = field_name(item, column)
                self.fields[name] = self._field(item, column, scale)
                if answer is not None:
                    self.initial[name] = _initial(answer, column)

    @staticmethod
    def _field(item: Item, column: str, scale: GradeScale) -> forms.Field:
        if column == "grade":
            return forms.ChoiceField(
                choices=grade_choices(scale, item.allow_not_applicable),
                required=False,
                error_messages={"invalid_choice": f"Select a grade for “{item.label}”"},
            )
        if column == "choice":
            return forms.ChoiceField(
                choices=CHOICES,
                required=False,
                error_messages={"invalid_choice": f"Select an answer for “{item.label}”"},
            )
        if column == "date":
            return GovukDateField(label=item.label)
        return forms.CharField(
            required=False,
            max_length=MAX_TEXT,
            strip=False,
            widget=forms.Textarea,
            error_messages={
                "max_length": f"“{item.label}” must be {MAX_TEXT:,} characters or fewer"
            },
        )

    def answer_values(self) -> dict[str, dict[str, Any]]:
        """Cleaned values by item key and Answer column."""
        values: dict[str, dict[str, Any]] = {}
        for item in self.part.applicable_items:
            item_values: dict[str, Any] = {}
            for column in item.columns:
                value = self.cleaned_data.get(field_name(item, column))
                if column == "grade":
                    item_values["not_applicable"] = value == NOT_APPLICABLE
                    item_values["grade"] = int(value) if value and value != NOT_APPLICABLE else None
                elif column == "date":
                    item_values["date"] = value
                else:
                    item_values[column] = (value or "").strip()
            values[item.key] = item_values
        return values


def _initial(answer: Answer, column: str) -> Any:
    if column == "grade":
        if answer.not_applicable:
            return NOT_APPLICABLE
        return str(answer.grade) if answer.grade is not None else None
    return getattr(answer, column)


class AmendmentForm(SignatureForm):
    signature_label = "Enter your password to send this return back"

    reason = forms.CharField(
        label="Why is this return being sent back?",
        help_text="The auditor sees this reason. Say what needs to change.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the reason for sending the return back"},
    )


class SubmitForm(SignatureForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


class EscalationResponseForm(forms.Form):
    response = forms.CharField(
        label="What has been done?",
        help_text="Record the action taken to make the child safe, who took it and when.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the response taken"},
    )
