"""Forms of the coordinator's planning pages, with the GOV.UK Design System's error wording."""

from datetime import date
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q, QuerySet
from django.forms.utils import ErrorDict
from django.utils import timezone

from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits import planning, sampling
from caseaudit.audits.case_import import (
    IDENTIFIER,
    MAX_CHILD_AGE,
    MAX_FAMILY_MEMBER_AGE,
    FamilyMemberRow,
    decode_upload,
)
from caseaudit.audits.models import (
    Case,
    CaseCategory,
    Programme,
    SampleStratification,
    validate_initials,
)

DATE_PARTS = ("day", "month", "year")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
FULL_TOOL = "children_in_need_full"
FAMILY_PREFIX = "family"


class DateInput(forms.MultiWidget):
    """Three boxes named NAME-day, NAME-month and NAME-year, drawn by govukDateInput."""

    template_name = ""  # rendered by the GOV.UK macro, never by Django

    def __init__(self) -> None:
        super().__init__(dict.fromkeys(DATE_PARTS, forms.TextInput))

    def decompress(self, value: date | None) -> list[Any]:
        return [value.day, value.month, value.year] if value else [None, None, None]

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[str]:
        return [data.get(f"{name}-{part}", "") for part in DATE_PARTS]

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return not any(f"{name}-{part}" in data for part in DATE_PARTS)


class GovukDateField(forms.Field):
    """A date typed as day, month and year, with the Design System's error messages."""

    widget = DateInput

    def __init__(self, *, noun: str, past: bool = False, **kwargs: Any) -> None:
        self.noun = noun
        self.past = past
        kwargs.setdefault("error_messages", {"required": f"Enter {noun}"})
        super().__init__(**kwargs)

    @property
    def subject(self) -> str:
        return self.noun[0].upper() + self.noun[1:]

    def prepare_value(self, value: Any) -> list[str]:
        """The boxes' contents: what was typed, or the parts of a date."""
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        if isinstance(value, list | tuple):
            return [str(part or "") for part in value]
        return ["", "", ""]

    def to_python(self, value: Any) -> date | None:
        parts = [str(part or "").strip() for part in (value or ["", "", ""])]
        if not any(parts):
            return None
        missing = [name for name, part in zip(DATE_PARTS, parts, strict=True) if not part]
        if missing:
            raise forms.ValidationError(
                f"{self.subject} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not parts[2].isdigit() or len(parts[2]) != 4:
            raise forms.ValidationError("Year must include 4 numbers", code="year")
        try:
            day, month, year = (int(part) for part in parts)
            result = date(year, month, day)
        except ValueError:
            raise forms.ValidationError(f"{self.subject} must be a real date") from None
        if self.past and result > timezone.localdate():
            raise forms.ValidationError(f"{self.subject} must be today or in the past")
        return result


def number_field(noun: str, *, minimum: int, maximum: int, **kwargs: Any) -> forms.IntegerField:
    message = f"{noun[0].upper() + noun[1:]} must be a whole number from {minimum} to {maximum}"
    return forms.IntegerField(
        min_value=minimum,
        max_value=maximum,
        error_messages={
            "required": f"Enter {noun}",
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        **kwargs,
    )


def without_errors(*forms_to_quiet: forms.BaseForm | forms.BaseFormSet) -> None:
    """Show what was typed back without judging it yet: "Add another family member" is not a
    submission."""
    for form in forms_to_quiet:
        if isinstance(form, forms.BaseFormSet):
            without_errors(*form.forms)
            form._errors = [ErrorDict() for _ in form.forms]  # type: ignore[attr-defined]
            form._non_form_errors = form.error_class()  # type: ignore[attr-defined]
        else:
            form._errors = ErrorDict()  # type: ignore[attr-defined]


class PlanningForm(forms.Form):
    """A form whose errors come in the order of its fields, as the error summary lists them."""

    def full_clean(self) -> None:
        super().full_clean()
        order = list(self.fields)
        self._errors = ErrorDict(
            sorted(
                self.errors.items(),
                key=lambda item: order.index(item[0]) if item[0] in order else -1,
            )
        )


def participating_agencies() -> QuerySet[Agency]:
    return Agency.objects.filter(is_business_unit=False)


# Programmes ----------------------------------------------------------------------------------


class ProgrammeForm(PlanningForm):
    title = forms.CharField(
        max_length=200,
        error_messages={
            "required": "Enter a title for the programme",
            "max_length": "Title must be 200 characters or fewer",
        },
    )
    focus = forms.CharField(
        required=False,
        max_length=2000,
        error_messages={"max_length": "Focus must be 2,000 characters or fewer"},
    )
    audit_date = GovukDateField(noun="the audit date")
    window_months_before_audit = number_field(
        "the months back from the audit date", minimum=1, maximum=120, initial=18
    )
    window_months_before_referral = number_field(
        "the months before the referral", minimum=0, maximum=60, initial=6, required=False
    )
    return_deadline = GovukDateField(noun="the return deadline")
    meeting_date = GovukDateField(noun="the meeting date", required=False)
    review_threshold_months = number_field("the review threshold", minimum=1, maximum=60, initial=6)
    agencies = forms.ModelMultipleChoiceField(
        queryset=participating_agencies(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one participating agency"},
    )

    def __init__(
        self, data: Any = None, *args: Any, programme: Programme | None = None, **kwargs: Any
    ) -> None:
        self.programme = programme
        if programme is not None and data is None:
            kwargs["initial"] = {
                **{name: getattr(programme, name) for name in planning.PROGRAMME_FIELDS},
                "agencies": list(programme.agencies.all()),
            }
        super().__init__(data, *args, **kwargs)
        cast(
            forms.ModelMultipleChoiceField, self.fields["agencies"]
        ).queryset = participating_agencies()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        audit_date, deadline = data.get("audit_date"), data.get("return_deadline")
        meeting = data.get("meeting_date")
        if audit_date and deadline and deadline < audit_date:
            self.add_error(
                "return_deadline", "The return deadline must be the same as or after the audit date"
            )
        if deadline and meeting and meeting < deadline:
            self.add_error(
                "meeting_date", "The meeting date must be the same as or after the return deadline"
            )
        if self.programme is not None and "agencies" in data:
            removed = [
                agency for agency in self.programme.agencies.all() if agency not in data["agencies"]
            ]
            for agency in planning.agencies_with_assignments(self.programme, removed):
                self.add_error(
                    "agencies",
                    f"{agency.name} has assignments in this programme: remove them before "
                    "taking the agency out",
                )
        return data

    def programme_values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in planning.PROGRAMME_FIELDS}


class StatusForm(PlanningForm):
    status = forms.ChoiceField(error_messages={"required": "Select the programme’s new status"})

    def __init__(self, programme: Programme, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["status"]).choices = [
            (status.value, status.label) for status in planning.next_statuses(programme)
        ]
        self.fields["status"].error_messages["invalid_choice"] = "Select one of the statuses listed"


# Cases ---------------------------------------------------------------------------------------


def childrens_social_care_staff() -> QuerySet[User]:
    return User.objects.filter(
        agency__kind=AgencyKind.CHILDRENS_SOCIAL_CARE, is_active=True
    ).select_related("agency")


class CaseForm(PlanningForm):
    case_identifier = forms.RegexField(
        regex=IDENTIFIER,
        max_length=40,
        error_messages={
            "required": "Enter the case identifier",
            "invalid": "Case identifier must contain only letters, numbers, spaces and - / _ .",
            "max_length": "Case identifier must be 40 characters or fewer",
        },
    )
    initials = forms.CharField(
        max_length=4,
        validators=[validate_initials],
        error_messages={
            "required": "Enter the child’s initials",
            "max_length": "Initials must be 4 letters or fewer",
        },
    )
    gender = forms.CharField(
        required=False,
        max_length=40,
        error_messages={"max_length": "Gender must be 40 characters or fewer"},
    )
    date_of_birth = GovukDateField(noun="the date of birth", past=True, required=False)
    age = number_field("the age", minimum=0, maximum=MAX_CHILD_AGE, required=False)
    ethnicity = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Ethnicity must be 100 characters or fewer"},
    )
    language = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Language must be 100 characters or fewer"},
    )
    religion = forms.CharField(
        required=False,
        max_length=100,
        error_messages={"max_length": "Religion must be 100 characters or fewer"},
    )
    category = forms.ChoiceField(
        choices=CaseCategory.choices,
        error_messages={
            "required": "Select the case category",
            "invalid_choice": "Select one of the categories listed",
        },
    )
    referral_date = GovukDateField(noun="the referral date", past=True, required=False)
    referring_agency = forms.ModelChoiceField(
        queryset=participating_agencies(),
        required=False,
        error_messages={"invalid_choice": "Select one of the agencies listed"},
    )
    lead_social_worker = forms.ModelChoiceField(
        queryset=childrens_social_care_staff(),
        required=False,
        error_messages={"invalid_choice": "Select one of the people listed"},
    )
    lead_team = forms.CharField(
        required=False,
        max_length=120,
        error_messages={"max_length": "Lead team must be 120 characters or fewer"},
    )

    def __init__(
        self,
        data: Any = None,
        *args: Any,
        programme: Programme,
        case: Case | None = None,
        **kwargs: Any,
    ) -> None:
        self.programme = programme
        self.case = case
        if case is not None and data is None:
            kwargs["initial"] = {name: getattr(case, name) for name in planning.CASE_FIELDS}
        super().__init__(data, *args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["referring_agency"]
        ).queryset = participating_agencies()
        cast(
            forms.ModelChoiceField, self.fields["lead_social_worker"]
        ).queryset = childrens_social_care_staff()

    def clean_case_identifier(self) -> str:
        identifier = self.cleaned_data["case_identifier"]
        others = self.programme.cases.filter(case_identifier__iexact=identifier)
        if self.case is not None:
            others = others.exclude(pk=self.case.pk)
        if others.exists():
            raise forms.ValidationError(f"Case {identifier} is already in this programme")
        return identifier

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "date_of_birth" in data and "age" in data:
            if data["date_of_birth"] is None and data["age"] is None:
                self.add_error("date_of_birth", "Enter the child’s date of birth or their age")
            elif data["date_of_birth"] is not None and data["age"] is not None:
                self.add_error("age", "Enter the date of birth or the age, not both")
        return data

    def case_values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in planning.CASE_FIELDS}
        values["initials"] = values["initials"].strip()
        return values


class FamilyMemberForm(PlanningForm):
    member_id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    initials = forms.CharField(
        max_length=4,
        validators=[validate_initials],
        error_messages={
            "required": "Enter the family member’s initials",
            "max_length": "Initials must be 4 letters or fewer",
        },
    )
    relationship = forms.CharField(
        max_length=60,
        error_messages={
            "required": "Enter their relationship to the child",
            "max_length": "Relationship must be 60 characters or fewer",
        },
    )
    age = number_field("the age", minimum=0, maximum=MAX_FAMILY_MEMBER_AGE, required=False)


FamilyMemberFormSet = forms.formset_factory(
    FamilyMemberForm, extra=2, can_delete=True, max_num=30, absolute_max=30
)


def family_formset(
    data: Any = None, *, case: Case | None = None, add_another: bool = False
) -> forms.BaseFormSet:
    """The family members' rows: the case's members and blank rows; with `add_another`, one
    more blank row than was posted."""
    if data is not None and add_another:
        data = data.copy()
        total = f"{FAMILY_PREFIX}-TOTAL_FORMS"
        data[total] = str(min(int(data.get(total) or 0) + 1, 30))
    initial = None
    if case is not None and case.pk is not None:
        initial = [
            {
                "member_id": member.pk,
                "initials": member.initials,
                "relationship": member.relationship,
                "age": member.age,
            }
            for member in case.family_members.all()
        ]
    return FamilyMemberFormSet(data, initial=initial, prefix=FAMILY_PREFIX)


def family_rows(formset: forms.BaseFormSet) -> list[FamilyMemberRow]:
    """The family members to keep: filled-in rows not marked for removal."""
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE"):
            continue
        rows.append(
            FamilyMemberRow(
                initials=data["initials"].strip(),
                relationship=data["relationship"].strip(),
                age=data["age"],
                member_id=data["member_id"],
            )
        )
    return rows


def family_error_list(formset: forms.BaseFormSet) -> list[dict[str, str]]:
    """Error summary items for the family member rows, each naming its row."""
    items = [
        {"text": str(message), "href": "#family-members"} for message in formset.non_form_errors()
    ]
    for number, form in enumerate(formset.forms, start=1):
        for name, errors in form.errors.items():
            href = f"#{form[name].auto_id}" if name in form.fields else "#family-members"
            items.extend(
                {"text": f"Family member {number}: {message}", "href": href} for message in errors
            )
    return items


# Uploads -------------------------------------------------------------------------------------


class CsvFileField(forms.FileField):
    """A CSV file of at most 2MB in UTF-8 (with or without a byte-order mark); cleans to its
    text."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            error_messages={
                "required": "Select a CSV file",
                "empty": "The selected file is empty",
                "invalid": "Select a CSV file",
            },
            **kwargs,
        )

    def clean(self, data: Any, initial: Any = None) -> str:  # type: ignore[override]
        upload: UploadedFile = super().clean(data, initial)
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        try:
            return decode_upload(upload.read())
        except ValueError:
            raise forms.ValidationError(
                "The selected file must be saved as UTF-8 text: in Excel, save it as "
                "“CSV UTF-8 (comma delimited)”"
            ) from None


class ImportForm(PlanningForm):
    file = CsvFileField()


class SampleForm(PlanningForm):
    file = CsvFileField()
    n = forms.IntegerField(
        min_value=1,
        error_messages={
            "required": "Enter how many cases to draw",
            "invalid": "Number of cases must be a whole number, like 6",
            "min_value": "Number of cases must be 1 or more",
        },
    )
    stratify_by = forms.ChoiceField(
        choices=SampleStratification.choices,
        initial=SampleStratification.NONE,
        error_messages={
            "required": "Select whether to stratify the draw",
            "invalid_choice": "Select one of the options listed",
        },
    )
    seed = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=sampling.MAX_SEED,
        error_messages={
            "invalid": "Seed must be a whole number, like 482913",
            "min_value": f"Seed must be a whole number from 1 to {sampling.MAX_SEED}",
            "max_value": f"Seed must be a whole number from 1 to {sampling.MAX_SEED}",
        },
    )


# Assignments ---------------------------------------------------------------------------------


def published_tools() -> QuerySet[ToolVersion]:
    return ToolVersion.objects.published().defer("document").order_by("title", "-version")


def default_tool() -> ToolVersion | None:
    return published_tools().filter(tool_key=FULL_TOOL).order_by("-version").first()


class AssignmentForm(PlanningForm):
    agency = forms.ModelChoiceField(
        queryset=Agency.objects.none(),
        error_messages={
            "required": "Select the agency to assign",
            "invalid_choice": "Select one of the agencies listed",
        },
    )
    tool_version = forms.ModelChoiceField(
        queryset=ToolVersion.objects.none(),
        error_messages={
            "required": "Select the audit tool the agency uses",
            "invalid_choice": "Select one of the published tools listed",
        },
    )
    auditor = forms.ModelChoiceField(
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Select one of the auditors listed"},
    )

    def __init__(self, case: Case, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        assigned = case.returns.values("agency_id")
        agencies = case.programme.agencies.exclude(pk__in=assigned)
        cast(forms.ModelChoiceField, self.fields["agency"]).queryset = agencies
        cast(forms.ModelChoiceField, self.fields["tool_version"]).queryset = published_tools()
        cast(forms.ModelChoiceField, self.fields["auditor"]).queryset = (
            User.objects.filter(is_auditor=True, is_active=True)
            .filter(Q(agency__in=agencies))
            .select_related("agency")
            .order_by("agency__name", "full_name")
        )
        if "tool_version" not in self.initial:
            self.initial["tool_version"] = default_tool()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        agency, auditor = data.get("agency"), data.get("auditor")
        if agency is not None and auditor is not None and auditor.agency_id != agency.pk:
            self.add_error(
                "auditor",
                f"The auditor must work in {agency.name}: choose one of its auditors, or no "
                "auditor for the agency lead to choose",
            )
        return data
