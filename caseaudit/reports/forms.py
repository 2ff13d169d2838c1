from typing import Any

from django import forms
from django.db import models
from django.db.models import QuerySet

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS
from caseaudit.audits.forms import GovukDateField
from caseaudit.audits.models import Case, CaseCategory, Programme
from caseaudit.reports.aggregates import CHARACTERISTICS, ReportFilter
from caseaudit.reports.models import JobKind, LearningSummary, Resource

ALL = [("", "All")]


def _choices(form: forms.BaseForm, name: str, choices: list[tuple[str, str]]) -> None:
    field = form.fields[name]
    if isinstance(field, forms.ChoiceField):
        field.choices = choices


MAX_TEXT = 20_000


class ReportFilterForm(forms.Form):
    """The filters of a report page, read from the query string. An agency lead's agency is
    fixed by the view, whatever this form says."""

    date_from = GovukDateField(label="Audits from")
    date_to = GovukDateField(label="Audits to")
    category = forms.ChoiceField(label="Case category", required=False)
    agency = forms.ChoiceField(label="Agency", required=False)
    tool = forms.ChoiceField(label="Audit tool", required=False)

    def __init__(
        self, *args: Any, dates: bool = True, agencies: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not dates:
            del self.fields["date_from"], self.fields["date_to"]
        if agencies:
            _choices(
                self,
                "agency",
                ALL + [(str(a.pk), a.name) for a in Agency.objects.filter(is_business_unit=False)],
            )
        else:
            del self.fields["agency"]
        _choices(self, "category", ALL + list(CaseCategory.choices))
        tools = {v.tool_key: v.title for v in ToolVersion.objects.published().order_by("-version")}
        _choices(self, "tool", ALL + sorted(tools.items(), key=lambda item: item[1]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "“Audits to” must be the same as or after “Audits from”")
        return data

    def report_filter(self, agency_id: int | None = None) -> ReportFilter:
        """The filter to apply; `agency_id` (an agency lead's own) overrides the choice."""
        data = self.cleaned_data if self.is_valid() else {}
        chosen = data.get("agency") or ""
        return ReportFilter(
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            category=data.get("category") or "",
            agency_id=agency_id or (int(chosen) if chosen.isdigit() else None),
            tool_key=data.get("tool") or "",
        )


REPORT_KEY_CHOICES = [(rk.key, rk.label) for rk in REPORT_KEYS]


class EqualityForm(ReportFilterForm):
    programme = forms.ChoiceField(label="Programme", required=False)
    characteristic = forms.ChoiceField(
        label="Break down by", choices=list(CHARACTERISTICS.items()), required=False
    )
    report_key = forms.ChoiceField(label="Grades for", choices=REPORT_KEY_CHOICES, required=False)

    def __init__(self, *args: Any, programmes: QuerySet[Programme], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "programme", ALL + [(str(p.pk), p.title) for p in programmes])


class TrendForm(ReportFilterForm):
    report_key = forms.ChoiceField(
        label="Agency trend for",
        choices=[("", "Every graded item"), *REPORT_KEY_CHOICES],
        required=False,
    )


def _lines_help(example: str) -> str:
    return (
        "One point per line. Start a line with a few words and a colon to make them bold, "
        f"like “{example}”."
    )


MAX_TEXT = 20_000


def limited_text(field: models.Field, **kwargs: Any) -> forms.Field | None:
    """Long text is capped, like every other text box in the service, so an oversized post
    gets a clear message instead of filling the database."""
    if isinstance(field, models.TextField):
        kwargs.setdefault("max_length", MAX_TEXT)
    return field.formfield(**kwargs)


class LearningSummaryForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_text
        model = LearningSummary
        fields = (
            "title",
            "subtitle",
            "introduction",
            "why",
            "when_and_how",
            "aim",
            "partners",
            "strengths",
            "improvements",
            "common_themes",
            "actions_agreed",
            "manager_points",
            "practitioner_points",
            "key_messages",
            "reflection",
            "resources",
            "practitioner_marking",
        )
        widgets = {"resources": forms.CheckboxSelectMultiple}
        help_texts = {
            "manager_points": _lines_help("Direction: ensure that practitioners use the tools"),
            "practitioner_points": _lines_help("Use the referral form: give complete information"),
            "key_messages": "One message per line.",
            "strengths": "Drafted from the themes of the strengths found; one area per line.",
            "improvements": "Drafted from the themes of the areas for improvement; one per line.",
            "common_themes": "Themes of this audit also found in other audits; one per line.",
            "actions_agreed": "Drafted from the action tracker; one action per line.",
            "resources": "Configured once for the partnership under reminders and resources.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].queryset = Resource.objects.all()  # type: ignore[attr-defined]
        for name, form_field in self.fields.items():
            if isinstance(form_field, forms.CharField) and isinstance(
                form_field.widget, forms.Textarea
            ):
                form_field.max_length = MAX_TEXT
            if name == "practitioner_marking":
                form_field.error_messages["required"] = "Enter the marking of this edition"


class ResourceForm(forms.ModelForm):
    class Meta:
        formfield_callback = limited_text
        model = Resource
        fields = ("title", "text", "url", "contacts", "position", "is_active")
        error_messages = {
            "title": {"required": "Enter the title of the resource"},
            "url": {"invalid": "Enter a web address starting with https://"},
        }


LOGO_TYPES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))
LOGO_MAX_BYTES = 200_000


class LogoForm(forms.Form):
    logo = forms.FileField(
        label="Upload the partnership’s logo",
        help_text="A PNG or JPEG file, up to 200 KB. It is shown at the top of every new "
        "edition of a learning summary.",
        error_messages={"required": "Choose the logo file to upload"},
    )

    def clean_logo(self) -> tuple[bytes, str]:
        upload = self.cleaned_data["logo"]
        if upload.size > LOGO_MAX_BYTES:
            raise forms.ValidationError("The logo must be smaller than 200 KB")
        content = upload.read(LOGO_MAX_BYTES + 1)
        for magic, content_type in LOGO_TYPES:
            if content.startswith(magic):
                return content, content_type
        raise forms.ValidationError("The logo must be a PNG or a JPEG image")


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label="What to export", widget=forms.RadioSelect)
    programme = forms.ChoiceField(label="Programme", required=False)
    suppress = forms.BooleanField(
        label="Suppress small numbers, for sharing beyond the partnership", required=False
    )

    def __init__(
        self, *args: Any, kinds: list[tuple[str, str]], programmes: QuerySet[Programme], **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        _choices(self, "kind", kinds)
        self.fields["kind"].error_messages["required"] = "Choose what to export"
        _choices(
            self,
            "programme",
            [("", "Every programme")] + [(str(p.pk), p.title) for p in programmes],
        )

    def clean_kind(self) -> str:
        kind: str = self.cleaned_data["kind"]
        return JobKind(kind).value


class InspectionPackForm(forms.Form):
    cases = forms.MultipleChoiceField(
        label="Cases to include",
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Leave every box clear to include every case of the programme.",
    )

    def __init__(self, *args: Any, cases: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(
            self, "cases", [(str(c.pk), f"Case {c.case_identifier} ({c.initials})") for c in cases]
        )
