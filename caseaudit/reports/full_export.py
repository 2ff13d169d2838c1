"""The open full export: everything the partnership holds, as JSON and CSV in one ZIP with a
README describing every file and column, so the partnership is never locked in.

Two things are left out on purpose, and the README says so: the answers of returns that are
still drafts (a draft is seen only by its auditor and agency lead, never by the coordinator —
their returns are listed, with their status), and the history of those drafts' answers.
Passwords, API tokens and prepared export files are not data of the partnership's audits.
"""

import csv
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from caseaudit.accounts.models import Agency, PartnershipSettings, User
from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import (
    Answer,
    Case,
    Escalation,
    FamilyMember,
    Notification,
    Programme,
    Return,
    SampleDraw,
)
from caseaudit.meetings.models import (
    Action,
    ActionUpdate,
    AgreedGrade,
    Attendee,
    CaseDiscussion,
    ExternalAudit,
    Finding,
    Meeting,
    Theme,
)
from caseaudit.reports.exports import neutralise
from caseaudit.reports.models import LearningSummary, LearningSummaryEdition, Resource

SUBMITTED = ("submitted", "closed")
EXCLUDED_FIELDS = {"password"}


@dataclass(frozen=True)
class ExportTable:
    name: str
    description: str
    rows: Callable[[], QuerySet[Any]]

    @property
    def model(self) -> type[models.Model]:
        return self.rows().model


def _draft_return_ids() -> Any:
    return Return.objects.exclude(status__in=SUBMITTED).values("pk")


def _history() -> QuerySet[Change]:
    # The answers of drafts are never shown to the coordinator, so neither is their history:
    # a return's answer changes are recorded as "<item>.<column>".
    draft_answer = Q(
        object_type="audits.return", object_id__in=_draft_return_ids(), field__contains="."
    )
    return Change.objects.exclude(draft_answer)


TABLES: tuple[ExportTable, ...] = (
    ExportTable("agencies", "The partner agencies and the business unit.", Agency.objects.all),
    ExportTable(
        "users",
        "Everyone with an account, their agency and roles (never their password).",
        User.objects.all,
    ),
    ExportTable(
        "partnership_settings",
        "Settings kept for the whole partnership.",
        PartnershipSettings.objects.all,
    ),
    ExportTable(
        "tool_versions",
        "Every version of every audit tool; `document` is the tool itself (as its YAML holds it).",
        ToolVersion.objects.all,
    ),
    ExportTable("programmes", "Audit programmes.", Programme.objects.all),
    ExportTable(
        "programme_agencies",
        "Which agencies take part in which programme.",
        Programme.agencies.through.objects.all,
    ),
    ExportTable(
        "cases", "Children's cases, completed centrally (initials only).", Case.objects.all
    ),
    ExportTable("family_members", "Family members of each case.", FamilyMember.objects.all),
    ExportTable(
        "sample_draws", "Recorded random draws of cases, to repeat them.", SampleDraw.objects.all
    ),
    ExportTable(
        "returns",
        "One agency's audit of one case (every return, with its status).",
        Return.objects.all,
    ),
    ExportTable(
        "answers",
        "One row per item of a submitted return: comment, evidence, grade, choice, date. "
        "Answers of returns still in draft are not included.",
        lambda: Answer.objects.filter(ret__status__in=SUBMITTED),
    ),
    ExportTable("escalations", "Safety escalations and their responses.", Escalation.objects.all),
    ExportTable("notifications", "E-mails sent about returns.", Notification.objects.all),
    ExportTable("meetings", "The multi-agency meeting of each programme.", Meeting.objects.all),
    ExportTable("attendees", "Who attended each meeting.", Attendee.objects.all),
    ExportTable(
        "case_discussions", "The meeting's discussion of each case.", CaseDiscussion.objects.all
    ),
    ExportTable(
        "agreed_grades",
        "The grade the meeting agreed per case and report key.",
        AgreedGrade.objects.all,
    ),
    ExportTable("themes", "The partnership-wide theme register.", Theme.objects.all),
    ExportTable(
        "theme_programmes",
        "Programmes whose focus is a theme.",
        Theme.programmes.through.objects.all,
    ),
    ExportTable(
        "findings", "Strengths and areas for improvement agreed at meetings.", Finding.objects.all
    ),
    ExportTable(
        "finding_agencies", "Agencies a finding concerns.", Finding.agencies.through.objects.all
    ),
    ExportTable(
        "finding_themes", "Themes a finding is coded to.", Finding.themes.through.objects.all
    ),
    ExportTable(
        "external_audits",
        "Audits held outside the system, recorded so their themes count.",
        ExternalAudit.objects.all,
    ),
    ExportTable(
        "external_audit_themes",
        "Themes of audits held outside the system.",
        ExternalAudit.themes.through.objects.all,
    ),
    ExportTable("actions", "The action tracker.", Action.objects.all),
    ExportTable("action_themes", "Themes of each action.", Action.themes.through.objects.all),
    ExportTable("action_updates", "Progress recorded on actions.", ActionUpdate.objects.all),
    ExportTable("resources", "Reminders and resources for practitioners.", Resource.objects.all),
    ExportTable("learning_summaries", "Learning summaries as edited.", LearningSummary.objects.all),
    ExportTable(
        "learning_summary_resources",
        "Resources offered in each learning summary.",
        LearningSummary.resources.through.objects.all,
    ),
    ExportTable(
        "learning_summary_editions",
        "Published editions; `content` is exactly what each edition shows.",
        LearningSummaryEdition.objects.all,
    ),
    ExportTable(
        "history",
        "Every change: who, when, which object and field, old and new value. Changes to the "
        "answers of draft returns are not included.",
        _history,
    ),
    ExportTable(
        "access_log", "Every view, download and export of case content.", AccessEvent.objects.all
    ),
)


def export_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in EXCLUDED_FIELDS and not isinstance(f, models.BinaryField)
    ]


def column_name(field: models.Field[Any, Any]) -> str:
    return field.attname  # a foreign key is "<name>_id"


def json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(neutralise(json_value(value)))


def _type(field: models.Field[Any, Any]) -> str:
    if isinstance(field, models.ForeignKey):
        return f"number of a row of {_table_of(field.related_model)}"
    if isinstance(field, models.DateTimeField):
        return "date and time (ISO 8601, UTC offset)"
    if isinstance(field, models.DateField):
        return "date (YYYY-MM-DD)"
    if isinstance(field, models.BooleanField):
        return "true or false"
    if isinstance(field, models.JSONField):
        return "JSON (a JSON string in the CSV)"
    if isinstance(field, (models.IntegerField, models.AutoField)):
        return "whole number"
    return "text"


def _table_of(model: Any) -> str:
    for table in TABLES:
        if table.model is model:
            return f"`{table.name}`"
    return str(model._meta.verbose_name)


def readme(counts: dict[str, int]) -> str:
    lines = [
        f"# Everything {settings.PARTNERSHIP_NAME} holds in Case Audit",
        "",
        f"**{settings.PROTECTIVE_MARKING}.** This archive holds children's safeguarding "
        "records: handle it accordingly.",
        "",
        f"Exported on {timezone.localtime():%-d %B %Y at %H:%M}.",
        "",
        "Every table is here twice: `json/<table>.json` (an array of objects, one per row, "
        "values exactly as stored) and `csv/<table>.csv` (UTF-8, a header row, then one row "
        "per record; JSON values as JSON text; text beginning with =, +, -, @, tab or "
        "carriage return has a leading apostrophe so that a spreadsheet does not run it as "
        "a formula — the JSON files hold the exact text). Every row has an `id`; a column "
        "ending in `_id` holds the `id` of a row of another table.",
        "",
        "Left out on purpose: the answers of returns still in draft (only their auditor and "
        "agency lead may read them; the returns themselves are listed with their status) and "
        "the history of those answers; passwords; API tokens; prepared export files.",
        "",
    ]
    for table in TABLES:
        lines += [
            f"## {table.name} ({counts.get(table.name, 0)} rows)",
            "",
            table.description,
            "",
            "| column | type | meaning |",
            "|---|---|---|",
        ]
        for field in export_fields(table.model):
            meaning = str(field.help_text or field.verbose_name).replace("|", "/")
            lines.append(f"| `{column_name(field)}` | {_type(field)} | {meaning} |")
        lines.append("")
    return "\n".join(lines)


def _rows(table: ExportTable, names: list[str]) -> Any:
    for row in table.rows().order_by("pk").values_list(*names).iterator(chunk_size=2000):
        yield {name: json_value(value) for name, value in zip(names, row, strict=True)}


def full_export(progress: Callable[[int, str], None] | None = None) -> bytes:
    """Written table by table and row by row, so a large partnership fits in memory."""
    out = io.BytesIO()
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, table in enumerate(TABLES):
            if progress is not None:
                progress(int(95 * index / len(TABLES)), f"Exporting {table.name}")
            names = [column_name(field) for field in export_fields(table.model)]
            with archive.open(f"json/{table.name}.json", "w") as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8")
                stream.write("[")
                count = 0
                for count, row in enumerate(_rows(table, names), start=1):
                    stream.write(",\n" if count > 1 else "\n")
                    stream.write(json.dumps(row, ensure_ascii=False, default=str))
                stream.write("\n]\n")
                stream.flush()
                stream.detach()
            counts[table.name] = count
            with archive.open(f"csv/{table.name}.csv", "w") as raw:
                stream = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(stream, lineterminator="\r\n")
                writer.writerow(names)
                for row in _rows(table, names):
                    writer.writerow([csv_value(row[name]) for name in names])
                stream.flush()
                stream.detach()
        archive.writestr("README.md", readme(counts))
    return out.getvalue()
