from typing import Any

from django import forms

from caseaudit.accounts.models import Agency, User
from caseaudit.audit_tools.report_keys import REPORT_KEYS, ReportKey
from caseaudit.audit_tools.schema import GradeScale
from caseaudit.audits.forms import NOT_APPLICABLE, GovukDateField, grade_choices
from caseaudit.meetings.consolidation import Consolidated
from caseaudit.meetings.models import ActionStatus, ExternalAudit, FindingKind, Theme

REPORT_KEY_CHOICES = [(rk.key, rk.label) for rk in REPORT_KEYS]


def active_themes() -> Any:
    return Theme.objects.filter(merged_into__isnull=True)


class MeetingForm(forms.Form):
    held_on = GovukDateField(label="Date of the meeting")
    decisions = forms.CharField(
        label="Decisions of the meeting", widget=forms.Textarea, required=False, max_length=20_000
    )

    def clean_held_on(self) -> Any:
        value = self.cleaned_data.get("held_on")
        if value is None:
            raise forms.ValidationError("Enter the date of the meeting")
        return value


class AttendeeForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=150, error_messages={"required": "Enter the attendee’s name"}
    )
    agency = forms.ModelChoiceField(
        label="Agency",
        queryset=Agency.objects.all(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the attendee’s agency"},
    )
    role = forms.CharField(label="Role (optional)", max_length=150, required=False)


class DiscussionForm(forms.Form):
    notes = forms.CharField(
        label="Discussion", widget=forms.Textarea, required=False, max_length=20_000
    )
    decisions = forms.CharField(
        label="Decisions for this case", widget=forms.Textarea, required=False, max_length=20_000
    )


class AgreedGradesForm(forms.Form):
    """One grade and reason per report key on the case's grade matrix. A reason is required
    where the agreed grade differs from an agency's own."""

    def __init__(self, consolidated: Consolidated, scale: GradeScale, *args: Any, **kwargs: Any):
        kwargs.setdefault("auto_id", "%s")
        super().__init__(*args, **kwargs)
        self.consolidated = consolidated
        self.report_keys: list[ReportKey] = [report_key for report_key, _ in consolidated.rows]
        existing = {agreed.report_key: agreed for agreed in consolidated.case.agreed_grades.all()}
        choices = [("", "Not agreed yet"), *grade_choices(scale, allow_not_applicable=True)]
        for report_key in self.report_keys:
            self.fields[f"{report_key.key}-grade"] = forms.ChoiceField(
                label=f"Agreed grade: {report_key.label}", choices=choices, required=False
            )
            self.fields[f"{report_key.key}-reason"] = forms.CharField(
                label=f"Reason: {report_key.label}",
                required=False,
                max_length=5000,
                widget=forms.Textarea,
            )
            agreed = existing.get(report_key.key)
            if agreed is not None:
                self.initial[f"{report_key.key}-grade"] = (
                    NOT_APPLICABLE if agreed.not_applicable else str(agreed.grade)
                )
                self.initial[f"{report_key.key}-reason"] = agreed.reason

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for report_key, cells in self.consolidated.rows:
            value = cleaned.get(f"{report_key.key}-grade")
            if not value or value == NOT_APPLICABLE:
                continue
            own = {cell.grade for cell in cells if cell is not None and cell.grade is not None}
            if own - {int(value)} and not cleaned.get(f"{report_key.key}-reason", "").strip():
                self.add_error(
                    f"{report_key.key}-reason",
                    f"Give the reason for the agreed grade for “{report_key.label}”: it differs "
                    "from an agency’s own grade",
                )
        return cleaned

    def grades(self) -> dict[str, dict[str, Any]]:
        result = {}
        for report_key in self.report_keys:
            value = self.cleaned_data.get(f"{report_key.key}-grade") or ""
            result[report_key.key] = {
                "grade": int(value) if value and value != NOT_APPLICABLE else None,
                "not_applicable": value == NOT_APPLICABLE,
                "reason": self.cleaned_data.get(f"{report_key.key}-reason", "").strip(),
            }
        return result


class FindingForm(forms.Form):
    kind = forms.ChoiceField(
        label="Type of finding",
        choices=FindingKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether this is a strength or an area for improvement"},
    )
    text = forms.CharField(
        label="Finding",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter the finding"},
    )
    report_keys = forms.MultipleChoiceField(
        label="Sections it concerns",
        choices=REPORT_KEY_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    agencies = forms.ModelMultipleChoiceField(
        label="Agencies it concerns",
        queryset=Agency.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=active_themes(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one theme, or add a new one below"},
        required=False,
    )
    new_theme = forms.CharField(
        label="Add a new theme (optional)",
        max_length=150,
        required=False,
        help_text="For example, “sharing information about risk”.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("themes") and not cleaned.get("new_theme", "").strip():
            self.add_error("themes", "Select at least one theme, or add a new one")
        new_theme = cleaned.get("new_theme", "").strip()
        if (
            new_theme
            and Theme.objects.filter(name__iexact=new_theme, merged_into__isnull=False).exists()
        ):
            self.add_error("new_theme", "That theme was merged into another: select that one")
        return cleaned


class ThemeForm(forms.Form):
    name = forms.CharField(
        label="Theme", max_length=150, error_messages={"required": "Enter the theme"}
    )
    description = forms.CharField(
        label="Description (optional)", widget=forms.Textarea, required=False, max_length=2000
    )

    def __init__(self, *args: Any, theme: Theme | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.theme = theme

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        clash = Theme.objects.filter(name__iexact=name)
        if self.theme is not None:
            clash = clash.exclude(pk=self.theme.pk)
        if clash.exists():
            raise forms.ValidationError("A theme with this name already exists")
        return name


class MergeForm(forms.Form):
    target = forms.ModelChoiceField(
        label="Merge into",
        queryset=active_themes(),
        empty_label="Choose a theme",
        error_messages={"required": "Choose the theme to merge into"},
    )

    def __init__(self, *args: Any, theme: Theme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = active_themes().exclude(pk=theme.pk)  # type: ignore[attr-defined]


class ExternalAuditForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter the title"}
    )
    held_on = GovukDateField(label="Date")
    source = forms.ChoiceField(
        label="Kind of audit",
        choices=ExternalAudit.Source.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of audit"},
    )
    notes = forms.CharField(
        label="Notes (optional)", widget=forms.Textarea, required=False, max_length=5000
    )
    themes = forms.ModelMultipleChoiceField(
        label="Themes it found",
        queryset=active_themes(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one theme"},
    )

    def clean_held_on(self) -> Any:
        if self.cleaned_data.get("held_on") is None:
            raise forms.ValidationError("Enter the date of the audit")
        return self.cleaned_data["held_on"]


class ActionForm(forms.Form):
    description = forms.CharField(
        label="What will be done",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Enter what will be done"},
    )
    owner_agency = forms.ModelChoiceField(
        label="Owner agency",
        queryset=Agency.objects.all(),
        empty_label="Choose an agency",
        error_messages={"required": "Choose the agency that owns the action"},
    )
    owner = forms.ModelChoiceField(
        label="Owner (optional)",
        queryset=User.objects.filter(is_active=True),
        required=False,
        empty_label="No named owner",
    )
    due_date = GovukDateField(label="Due date")
    themes = forms.ModelMultipleChoiceField(
        label="Themes",
        queryset=active_themes(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def clean_due_date(self) -> Any:
        if self.cleaned_data.get("due_date") is None:
            raise forms.ValidationError("Enter the due date")
        return self.cleaned_data["due_date"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        owner, agency = cleaned.get("owner"), cleaned.get("owner_agency")
        if owner is not None and agency is not None and owner.agency_id != agency.pk:
            self.add_error("owner", "The owner must belong to the owner agency")
        return cleaned


class ActionProgressForm(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=ActionStatus.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the status"},
    )
    note = forms.CharField(
        label="Progress",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Describe the progress made"},
    )
    completion_evidence = forms.CharField(
        label="Completion evidence",
        widget=forms.Textarea,
        required=False,
        max_length=5000,
        help_text="Required when the action is done: what shows it was completed.",
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            cleaned.get("status") == ActionStatus.DONE
            and not cleaned.get("completion_evidence", "").strip()
        ):
            self.add_error("completion_evidence", "Give the evidence that the action is done")
        return cleaned
