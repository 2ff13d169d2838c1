"""The tool designer's forms: one small form per operation on a draft."""

import re
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile

from caseaudit.audit_tools import designer
from caseaudit.audit_tools.loading import ToolError, ToolInvalid, load_tool
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audit_tools.report_keys import REPORT_KEYS, REPORT_KEYS_BY_KEY, ReportKeyKind
from caseaudit.audit_tools.schema import AnswerType, Audience, Section, Tool

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_LISTED_PROBLEMS = 50
TOOL_ID = re.compile(r"^[a-z][a-z0-9_]*$")


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class DesignerForm(forms.Form):
    def choice_items(self, name: str) -> list[dict[str, Any]]:
        """A choice field's options as the `items` of a GOV.UK radios or select."""
        value = self[name].value()
        current = "" if value is None else str(value)
        choices = cast(list[tuple[Any, Any]], _choice_field(self, name).choices)
        return [
            {"value": str(key), "text": str(label), "checked": chosen, "selected": chosen}
            for key, label in choices
            for chosen in [str(key) == current]
        ]


class TextField(forms.CharField):
    """Text from a textarea with its line endings as the document keeps them (browsers send
    CRLF), so saving a form unchanged changes nothing."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return text.replace("\r\n", "\n").replace("\r", "\n") if text else text


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _text(label: str, *, required: bool = True, max_length: int = 10_000) -> TextField:
    return TextField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


def _line(label: str, *, required: bool = True, max_length: int = 200) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        error_messages={"required": f"Enter the {label.lower()}"},
    )


# Starting a tool ------------------------------------------------------------------------------


class StartForm(DesignerForm):
    """A new draft: the next version of the same tool, or the first version of a new tool."""

    NEW_TOOL = "new_tool"
    NEW_VERSION = "new_version"

    kind = forms.ChoiceField(
        label="What do you want to make?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a new tool or a new version"},
    )
    tool_id = forms.CharField(label="Tool id", required=False, max_length=60)
    title = _line("Title")
    short_title = _line("Short title", max_length=100)

    def __init__(self, *args: Any, based_on: ToolVersion | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.based_on = based_on
        choices = [(self.NEW_TOOL, "A new tool, with its own id")]
        if based_on is not None:
            choices.append((self.NEW_VERSION, f"A new version of {based_on.title}"))
            tool = based_on.tool
            self.initial.setdefault("title", tool.title)
            self.initial.setdefault("short_title", tool.short_title)
        _choice_field(self, "kind").choices = choices
        self.initial.setdefault("kind", self.NEW_TOOL)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == self.NEW_TOOL:
            tool_id = (data.get("tool_id") or "").strip()
            if not tool_id:
                self.add_error("tool_id", "Enter a tool id, like neglect_focus")
            elif not TOOL_ID.match(tool_id):
                self.add_error(
                    "tool_id",
                    "Tool id must start with a lower-case letter and use only lower-case "
                    "letters, digits and underscores, like neglect_focus",
                )
            elif ToolVersion.objects.filter(tool_key=tool_id).exists():
                self.add_error(
                    "tool_id",
                    f"A tool with the id {tool_id} already exists: choose another id, or start "
                    "from that tool and make a new version of it",
                )
            data["tool_id"] = tool_id
        return data

    @property
    def tool_key(self) -> str:
        if self.cleaned_data["kind"] == self.NEW_VERSION and self.based_on is not None:
            return self.based_on.tool_key
        return str(self.cleaned_data["tool_id"])


# Tool settings --------------------------------------------------------------------------------


class ToolSettingsForm(DesignerForm):
    title = _line("Title")
    short_title = _line("Short title", max_length=100)
    description = _text("Description")
    guidance = _text("Guidance for auditors")
    equality_prompt = _text("Equality prompt")
    marking_notice = _text("Marking notice", max_length=500)
    grade_scale = forms.ChoiceField(
        label="Grade scale", error_messages={"required": "Choose a grade scale"}
    )
    allow_not_applicable = forms.BooleanField(
        label="Auditors may choose “not applicable” instead of a grade", required=False
    )
    recommendations_label = _line("Recommendations question", max_length=300)
    feedback_label = _line("Feedback question", max_length=300)

    def __init__(self, *args: Any, tool: Tool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scale = tool.grade_scale.model_dump(mode="json")
        matching = designer.matching_grade_scale(scale)
        choices = []
        if matching is None:
            choices.append(
                ("current", f"Keep this tool’s own scale: {designer.describe_grades(scale)}")
            )
        choices.extend(
            (key, f"{preset['name']}: {designer.describe_grades(preset)}")
            for key, preset in designer.GRADE_SCALES.items()
        )
        _choice_field(self, "grade_scale").choices = choices
        self.initial = {
            **{name: getattr(tool, name) for name in designer.SETTING_FIELDS},
            "grade_scale": matching or "current",
            "allow_not_applicable": tool.grade_scale.allow_not_applicable,
            **self.initial,
        }

    def settings(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in designer.SETTING_FIELDS}


# Sections -------------------------------------------------------------------------------------


def audience_choices() -> list[tuple[str, str]]:
    return [(audience.value, audience.label) for audience in Audience]


class SectionForm(DesignerForm):
    title = _line("Section title")
    applies_to = forms.ChoiceField(
        label="Which agencies answer this section?",
        error_messages={"required": "Choose which agencies answer this section"},
    )
    applies_to_note = _line("Note on who it applies to", required=False, max_length=300)
    guidance = _text("Guidance", required=False)
    equality = forms.BooleanField(
        label="Auditors may record equality considerations in this section", required=False
    )
    report_key = forms.ChoiceField(label="Grade and report key", required=False)
    judgement_text = _text("Judgement question", required=False, max_length=500)
    impact_label = _line("Impact label", required=False, max_length=300)

    def __init__(
        self, *args: Any, tool: Tool, section: Section | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.tool, self.section = tool, section
        _choice_field(self, "applies_to").choices = audience_choices()
        keys = [key for key in REPORT_KEYS if key.kind == ReportKeyKind.SECTION]
        current = section.judgement.report_key if section and section.judgement else None
        if current and current not in {key.key for key in keys}:
            keys.append(REPORT_KEYS_BY_KEY[current])
        _choice_field(self, "report_key").choices = [
            ("", "Not graded"),
            *((key.key, f"Graded, reported as “{key.label}”") for key in keys),
        ]
        if section is None:
            self.initial = {
                "applies_to": Audience.ALL_RELEVANT_AGENCIES.value,
                "equality": True,
                "impact_label": designer.IMPACT_LABEL,
                **self.initial,
            }
            return
        judgement = section.judgement
        self.initial = {
            "title": section.title,
            "applies_to": section.applies_to.value,
            "applies_to_note": section.applies_to_note or "",
            "guidance": section.guidance or "",
            "equality": section.equality,
            "report_key": judgement.report_key if judgement else "",
            "judgement_text": judgement.text if judgement else "",
            "impact_label": judgement.impact_label if judgement else designer.IMPACT_LABEL,
            **self.initial,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        report_key = data.get("report_key")
        if not report_key:
            return data
        own_judgement = self.section.judgement if self.section else None
        for _, item in self.tool.graded_items():
            if item.report_key == report_key and item is not own_judgement:
                self.add_error(
                    "report_key",
                    f"“{REPORT_KEYS_BY_KEY[report_key].label}” already reports another graded "
                    "item of this tool: choose another key, or leave this section not graded",
                )
                break
        if not data.get("judgement_text"):
            self.add_error("judgement_text", "Enter the judgement question for the grade")
        if not data.get("impact_label"):
            self.add_error("impact_label", "Enter the label for the impact answer")
        return data

    def section_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        judgement = None
        if data["report_key"]:
            judgement = {
                "report_key": data["report_key"],
                "text": data["judgement_text"],
                "impact_label": data["impact_label"],
            }
        return {
            "title": data["title"],
            "applies_to": data["applies_to"],
            "applies_to_note": data["applies_to_note"] or None,
            "guidance": data["guidance"] or None,
            "equality": data["equality"],
            "judgement": judgement,
        }


class AddSectionForm(SectionForm):
    first_question = _text("First question", max_length=1000)

    def __init__(self, *args: Any, tool: Tool, **kwargs: Any) -> None:
        super().__init__(*args, tool=tool, section=None, **kwargs)
        self.order_fields(["title", "first_question"])


# Questions ------------------------------------------------------------------------------------


class QuestionForm(DesignerForm):
    text = _text("Question", max_length=1000)
    sub_questions = TextField(
        label="Sub-questions (optional)", required=False, widget=forms.Textarea, max_length=10_000
    )
    audience = forms.ChoiceField(label="Which agencies answer this question?", required=False)
    answer = forms.ChoiceField(
        label="How is it answered?",
        widget=forms.RadioSelect,
        choices=[(answer.value, label) for answer, label in designer.ANSWER_LABELS.items()],
        error_messages={"required": "Choose how the question is answered"},
    )
    guidance = _text("Guidance for auditors (optional)", required=False)

    def __init__(self, *args: Any, section: Section, question: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice_field(self, "audience").choices = [
            ("", f"As the section: {section.applies_to.label}"),
            *audience_choices(),
        ]
        if question is None:
            self.initial = {"answer": AnswerType.TEXT.value, **self.initial}
            return
        self.initial = {
            "text": question.text,
            "sub_questions": "\n".join(question.sub_questions),
            "audience": question.audience.value if question.audience else "",
            "answer": question.answer.value,
            "guidance": question.guidance or "",
            **self.initial,
        }

    def question_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "text": data["text"],
            "sub_questions": [
                line.strip() for line in data["sub_questions"].splitlines() if line.strip()
            ],
            "audience": data["audience"] or None,
            "answer": data["answer"],
            "guidance": data["guidance"] or None,
        }


# Moving, comparing, importing -----------------------------------------------------------------


class MoveForm(DesignerForm):
    direction = forms.ChoiceField(choices=[(d.value, d.value) for d in designer.Direction])


class CompareForm(DesignerForm):
    old = forms.ModelChoiceField(
        label="Compare",
        queryset=ToolVersion.objects.none(),
        error_messages={"required": "Choose the version to compare from"},
    )
    new = forms.ModelChoiceField(
        label="With",
        queryset=ToolVersion.objects.none(),
        error_messages={"required": "Choose the version to compare with"},
    )

    def __init__(self, *args: Any, versions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("old", "new"):
            field = cast(forms.ModelChoiceField, self.fields[name])
            field.queryset = versions
            field.error_messages["invalid_choice"] = "Choose a version from the list"


class ImportForm(DesignerForm):
    file = forms.FileField(
        label="Upload a tool file (YAML)",
        error_messages={
            "required": "Choose a YAML file to upload",
            "empty": "The file is empty",
        },
    )

    tool: Tool  # once the file is clean

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.problems: list[ToolError] = []

    def clean_file(self) -> Any:
        upload: UploadedFile = self.cleaned_data["file"]
        self.problems = []
        if not (upload.name or "").lower().endswith((".yaml", ".yml")):
            raise forms.ValidationError("The file must be a YAML file (.yaml or .yml)")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 1 MB")
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise forms.ValidationError(
                "The file must be saved as UTF-8 text: check how it was exported"
            ) from error
        try:
            self.tool = load_tool(text)
        except ToolInvalid as invalid:
            self.problems = invalid.errors
            messages = [_sentence(str(problem)) for problem in invalid.errors]
            if len(messages) > MAX_LISTED_PROBLEMS:
                hidden = len(messages) - MAX_LISTED_PROBLEMS
                messages = [*messages[:MAX_LISTED_PROBLEMS], f"And {hidden} more problems"]
            raise forms.ValidationError(messages) from invalid
        return upload
