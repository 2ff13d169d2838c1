"""A subject-access export: everything the service holds about one child, in one ZIP file.

The child is found by the case identifier, which links the same child across programmes, so
the export covers every programme the child's case was audited in: the case details and family
members, every agency's return with all its answers (drafts too), escalations, Word forms read
into a return, the meeting's discussion, agreed grades, findings and actions about the case,
and the history and access-log rows about each of those records. The ZIP holds the same content
twice: `subject-access.json` for a machine and `subject-access.html` for a person.
"""

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone

from caseaudit.activity.models import AccessEvent, Change
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Case, Return

JSON_NAME = "subject-access.json"
HTML_NAME = "subject-access.html"


def cases_of_the_child(case: Case) -> list[Case]:
    """Every case with the same identifier: the same child in every programme."""
    return list(
        Case.objects.filter(case_identifier__iexact=case.case_identifier)
        .select_related("programme", "referring_agency", "lead_social_worker")
        .order_by("programme__audit_date", "pk")
    )


def _person(user: Any) -> str | None:
    return f"{user.full_name} ({user.email})" if user is not None else None


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


class _Records:
    """The records gathered so far, to find their history and access-log rows."""

    def __init__(self) -> None:
        self.keys: set[tuple[str, int]] = set()

    def add(self, obj: Model) -> None:
        self.keys.add((obj._meta.label_lower, obj.pk))


def collect(case: Case) -> dict[str, Any]:
    """Everything about the child of `case`, as plain data."""
    records = _Records()
    cases = [_case(found, records) for found in cases_of_the_child(case)]
    return {
        "service": "Case Audit",
        "partnership": settings.PARTNERSHIP_NAME,
        "protective_marking": settings.PROTECTIVE_MARKING,
        "case_identifier": case.case_identifier,
        "exported_at": _value(timezone.now()),
        "cases": cases,
        "history": _history(records),
        "access_log": _access_log(records),
    }


def _case(case: Case, records: _Records) -> dict[str, Any]:
    records.add(case)
    return {
        "id": case.pk,
        "programme": case.programme.title,
        "audit_date": _value(case.programme.audit_date),
        "case_identifier": case.case_identifier,
        "initials": case.initials,
        "gender": case.gender,
        "date_of_birth": _value(case.date_of_birth),
        "age": case.age,
        "age_at_audit": case.age_at_audit,
        "ethnicity": case.ethnicity,
        "language": case.language,
        "religion": case.religion,
        "category": case.get_category_display(),
        "referral_date": _value(case.referral_date),
        "referring_agency": case.referring_agency.name if case.referring_agency else None,
        "lead_social_worker": _person(case.lead_social_worker),
        "lead_team": case.lead_team,
        "opened_for_meeting_at": _value(case.opened_for_meeting_at),
        "family_members": [
            {"initials": member.initials, "relationship": member.relationship, "age": member.age}
            for member in case.family_members.all()
        ],
        "returns": [
            _return(ret, records)
            for ret in case.returns.select_related(
                "agency", "auditor", "submitted_by", "tool_version", "case__programme"
            )
        ],
        "meeting": _meeting(case, records),
    }


def _return(ret: Return, records: _Records) -> dict[str, Any]:
    records.add(ret)
    labels = {item.key: item.label for part in parts_for(ret) for item in part.items}
    escalations = []
    for escalation in ret.escalations.select_related("raised_by", "responded_by"):
        records.add(escalation)
        escalations.append(
            {
                "question": labels.get(escalation.item_key, escalation.item_key),
                "answer": escalation.answer,
                "comment": escalation.comment,
                "raised_at": _value(escalation.raised_at),
                "raised_by": _person(escalation.raised_by),
                "response": escalation.response,
                "responded_at": _value(escalation.responded_at),
                "responded_by": _person(escalation.responded_by),
            }
        )
    return {
        "id": ret.pk,
        "agency": ret.agency.name,
        "tool": f"{ret.tool_version.tool_key} version {ret.tool_version.version}",
        "auditor": _person(ret.auditor),
        "status": ret.get_status_display(),
        "submitted_at": _value(ret.submitted_at),
        "submitted_by": _person(ret.submitted_by),
        "amendment_reason": ret.amendment_reason,
        "answers": [
            {
                "item": labels.get(answer.item_key, answer.item_key),
                "item_key": answer.item_key,
                **{column: _value(value) for column, value in answer.values().items()},
            }
            for answer in ret.answers.order_by("pk")
        ],
        "escalations": escalations,
        "word_forms": _word_forms(ret, records),
    }


def _word_forms(ret: Return, records: _Records) -> list[dict[str, Any]]:
    try:
        imported = apps.get_model("exchange", "ImportedDocument")
    except LookupError:
        return []
    found = []
    for document in imported.objects.filter(ret=ret).select_related("uploaded_by"):
        records.add(document)
        found.append(
            {
                "file_name": document.file_name,
                "uploaded_at": _value(document.uploaded_at),
                "uploaded_by": _person(document.uploaded_by),
                "status": document.get_status_display(),
                "values": document.values,
            }
        )
    return found


def _meeting(case: Case, records: _Records) -> dict[str, Any]:
    discussion = getattr(case, "discussion", None)
    if discussion is not None:
        records.add(discussion)
    findings = []
    for finding in case.findings.prefetch_related("themes", "agencies"):
        records.add(finding)
        findings.append(
            {
                "kind": finding.get_kind_display(),
                "text": finding.text,
                "themes": [theme.name for theme in finding.themes.all()],
                "agencies": [agency.name for agency in finding.agencies.all()],
            }
        )
    actions = []
    for action in case.actions.select_related("owner_agency", "owner"):
        records.add(action)
        actions.append(
            {
                "description": action.description,
                "owner_agency": action.owner_agency.name,
                "owner": _person(action.owner),
                "due_date": _value(action.due_date),
                "status": action.get_status_display(),
                "completion_evidence": action.completion_evidence,
                "updates": [
                    {"at": _value(update.at), "note": update.note, "status": update.status}
                    for update in action.updates.all()
                ],
            }
        )
    return {
        "discussion": {"notes": discussion.notes, "decisions": discussion.decisions}
        if discussion
        else None,
        "agreed_grades": [
            {
                "report_key": agreed.report_key,
                "grade": agreed.grade,
                "not_applicable": agreed.not_applicable,
                "reason": agreed.reason,
            }
            for agreed in case.agreed_grades.order_by("report_key")
        ],
        "findings": findings,
        "actions": actions,
    }


def _about(records: _Records) -> Q:
    condition = Q(pk__in=[])
    by_type: dict[str, list[int]] = {}
    for object_type, object_id in records.keys:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in by_type.items():
        condition |= Q(object_type=object_type, object_id__in=ids)
    return condition


def _history(records: _Records) -> list[dict[str, Any]]:
    return [
        {
            "at": _value(change.at),
            "by": _person(change.actor),
            "record": f"{change.object_type} {change.object_id}",
            "field": change.field,
            "old": change.old_value,
            "new": change.new_value,
            "note": change.note,
        }
        for change in Change.objects.filter(_about(records)).select_related("actor")
    ]


def _access_log(records: _Records) -> list[dict[str, Any]]:
    return [
        {
            "at": _value(event.at),
            "by": _person(event.user),
            "record": f"{event.object_type} {event.object_id}",
            "action": event.action,
            "address": event.address,
        }
        for event in AccessEvent.objects.filter(_about(records)).select_related("user")
    ]


def export_zip(case: Case) -> bytes:
    data = collect(case)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr(
            HTML_NAME, render_to_string("activity/subject_access.html", {"data": data})
        )
    return buffer.getvalue()
