"""Every write of the meeting: opening cases, the record, agreed grades, findings, themes,
actions. Each in one transaction with its history rows."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.accounts.models import Agency, User
from caseaudit.activity.actions import record_change
from caseaudit.audits.models import Case, Programme, ProgrammeStatus
from caseaudit.meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgreedGrade,
    Attendee,
    CaseDiscussion,
    ExternalAudit,
    Finding,
    Meeting,
    Theme,
)


class ProgrammeClosed(Exception):
    """A closed programme's meeting record and findings are locked."""


def _check_open(programme: Programme) -> None:
    if programme.status == ProgrammeStatus.CLOSED:
        raise ProgrammeClosed(f"{programme} is closed")


@transaction.atomic
def open_cases_for_meeting(cases: Iterable[Case], *, by: User) -> int:
    """Open cases for the meeting: from now on every agency that took part in a case sees its
    other agencies' submitted returns."""
    opened = 0
    now = timezone.now()
    for case in cases:
        _check_open(case.programme)
        if case.opened_for_meeting_at is None:
            case.opened_for_meeting_at = now
            case.save(update_fields=["opened_for_meeting_at"])
            record_change(case, by=by, field="opened_for_meeting", old=None, new=now.isoformat())
            opened += 1
    return opened


def meeting_for(programme: Programme) -> Meeting:
    """The programme's meeting record, created on first use with the planned date."""
    meeting, _ = Meeting.objects.get_or_create(
        programme=programme, defaults={"held_on": _planned_date(programme)}
    )
    return meeting


def meeting_to_show(programme: Programme) -> Meeting:
    """The programme's meeting record, or, before anything is recorded, the one `meeting_for`
    would create, unsaved: looking at the page writes nothing."""
    return Meeting.objects.filter(programme=programme).first() or Meeting(
        programme=programme, held_on=_planned_date(programme)
    )


def _planned_date(programme: Programme) -> date:
    return programme.meeting_date or timezone.localdate()


@transaction.atomic
def update_meeting(meeting: Meeting, *, by: User, held_on: date, decisions: str) -> Meeting:
    _check_open(meeting.programme)
    for field, value in (("held_on", held_on), ("decisions", decisions)):
        old = getattr(meeting, field)
        if old != value:
            record_change(meeting, by=by, field=field, old=str(old), new=str(value))
            setattr(meeting, field, value)
    meeting.save()
    return meeting


@transaction.atomic
def add_attendee(meeting: Meeting, *, by: User, name: str, agency: Agency, role: str) -> Attendee:
    _check_open(meeting.programme)
    attendee = Attendee.objects.create(meeting=meeting, name=name, agency=agency, role=role)
    record_change(meeting, by=by, field="attendee added", old=None, new=str(attendee))
    return attendee


@transaction.atomic
def remove_attendee(attendee: Attendee, *, by: User) -> None:
    _check_open(attendee.meeting.programme)
    record_change(attendee.meeting, by=by, field="attendee removed", old=str(attendee), new=None)
    attendee.delete()


@transaction.atomic
def save_discussion(case: Case, *, by: User, notes: str, decisions: str) -> CaseDiscussion:
    _check_open(case.programme)
    meeting = meeting_for(case.programme)
    discussion, _ = CaseDiscussion.objects.get_or_create(meeting=meeting, case=case)
    for field, value in (("notes", notes), ("decisions", decisions)):
        record_change(discussion, by=by, field=field, old=getattr(discussion, field), new=value)
        setattr(discussion, field, value)
    discussion.save()
    return discussion


@transaction.atomic
def save_agreed_grades(
    case: Case, grades: dict[str, dict[str, Any]], *, by: User
) -> list[AgreedGrade]:
    """grades: report key → {"grade": int | None, "not_applicable": bool, "reason": str}.
    A report key with neither grade nor not-applicable removes the agreed grade."""
    _check_open(case.programme)
    existing = {agreed.report_key: agreed for agreed in case.agreed_grades.all()}
    saved = []
    for report_key, values in grades.items():
        agreed = existing.get(report_key)
        old = _agreed_values(agreed)
        if values["grade"] is None and not values["not_applicable"]:
            if agreed is not None:
                record_change(case, by=by, field=f"agreed.{report_key}", old=old, new=None)
                agreed.delete()
            continue
        agreed = agreed or AgreedGrade(case=case, report_key=report_key)
        agreed.grade = values["grade"]
        agreed.not_applicable = values["not_applicable"]
        agreed.reason = values["reason"]
        new = _agreed_values(agreed)
        if old != new:
            agreed.save()
            record_change(case, by=by, field=f"agreed.{report_key}", old=old, new=new)
        saved.append(agreed)
    return saved


def _agreed_values(agreed: AgreedGrade | None) -> dict[str, Any] | None:
    if agreed is None:
        return None
    return {"grade": agreed.grade, "not_applicable": agreed.not_applicable, "reason": agreed.reason}


def _finding_values(finding: Finding) -> dict[str, Any]:
    return {
        "kind": finding.kind,
        "text": finding.text,
        "report_keys": list(finding.report_keys),
        "agencies": sorted(finding.agencies.values_list("name", flat=True)),
        "themes": sorted(finding.themes.values_list("name", flat=True)),
    }


@transaction.atomic
def save_finding(
    finding: Finding,
    *,
    by: User,
    kind: str,
    text: str,
    report_keys: list[str],
    agencies: Iterable[Agency],
    themes: Iterable[Theme],
) -> Finding:
    _check_open(finding.programme)
    old = _finding_values(finding) if finding.pk else None
    finding.kind, finding.text, finding.report_keys = kind, text, report_keys
    if finding.pk is None:
        finding.created_by = by
    finding.save()
    finding.agencies.set(agencies)
    finding.themes.set(themes)
    record_change(finding, by=by, field="finding", old=old, new=_finding_values(finding))
    return finding


@transaction.atomic
def delete_finding(finding: Finding, *, by: User) -> None:
    _check_open(finding.programme)
    if finding.actions.exists():
        raise ValueError("A finding with actions cannot be deleted")
    record_change(finding, by=by, field="finding", old=_finding_values(finding), new=None)
    finding.delete()


@transaction.atomic
def create_theme(*, by: User, name: str, description: str = "") -> Theme:
    theme = Theme.objects.create(name=name, description=description)
    record_change(theme, by=by, field="name", old=None, new=name)
    return theme


@transaction.atomic
def rename_theme(theme: Theme, *, by: User, name: str, description: str) -> Theme:
    record_change(theme, by=by, field="name", old=theme.name, new=name)
    record_change(theme, by=by, field="description", old=theme.description, new=description)
    theme.name, theme.description = name, description
    theme.save(update_fields=["name", "description"])
    return theme


@transaction.atomic
def merge_themes(source: Theme, target: Theme, *, by: User) -> Theme:
    """Fold one theme into another: every coding of the source moves to the target, and the
    source stays, marked merged, so old references still resolve."""
    if source.pk == target.pk:
        raise ValueError("A theme cannot be merged into itself")
    if target.merged_into_id is not None:
        raise ValueError("Merge into a theme that has not itself been merged")
    for relation in ("findings", "actions", "external_audits", "programmes"):
        related = getattr(source, relation)
        getattr(target, relation).add(*related.all())
        related.clear()
    Theme.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    record_change(source, by=by, field="merged_into", old=None, new=target.name)
    record_change(target, by=by, field="merged", old=None, new=source.name)
    return target


@transaction.atomic
def save_external_audit(
    audit: ExternalAudit,
    *,
    by: User,
    title: str,
    held_on: date,
    source: str,
    notes: str,
    themes: Iterable[Theme],
) -> ExternalAudit:
    old = {"title": audit.title, "held_on": str(audit.held_on)} if audit.pk else None
    audit.title, audit.held_on, audit.source, audit.notes = title, held_on, source, notes
    audit.save()
    audit.themes.set(themes)
    record_change(
        audit, by=by, field="external audit", old=old, new={"title": title, "held_on": str(held_on)}
    )
    return audit


def _action_values(action: Action) -> dict[str, Any]:
    return {
        "description": action.description,
        "owner_agency": action.owner_agency_id,
        "owner": action.owner_id,
        "due_date": str(action.due_date),
        "status": action.status,
        "completion_evidence": action.completion_evidence,
    }


@transaction.atomic
def save_action(action: Action, *, by: User, themes: Iterable[Theme] | None = None) -> Action:
    """Create or edit an action (coordinator); its fields are already set on the object."""
    if action.pk is None:
        action.created_by = by
        old = None
    else:
        old = _action_values(Action.objects.get(pk=action.pk))
    action.save()
    if themes is not None:
        action.themes.set(themes)
    record_change(action, by=by, field="action", old=old, new=_action_values(action))
    return action


@transaction.atomic
def update_action_progress(
    action: Action, *, by: User, status: str, note: str, completion_evidence: str
) -> ActionUpdate:
    """An agency lead or the coordinator records progress; allowed after the programme closes."""
    old = _action_values(action)
    action.status = status
    action.completion_evidence = completion_evidence
    action.save(update_fields=["status", "completion_evidence"])
    update = ActionUpdate.objects.create(action=action, by=by, note=note, status=status)
    record_change(action, by=by, field="progress", old=old, new=_action_values(action), note=note)
    return update


def carried_forward_actions(programme: Programme) -> Any:
    """Open actions from earlier programmes that share a theme with this one: followed up at
    re-audit."""
    return (
        Action.objects.filter(themes__programmes=programme)
        .exclude(programme=programme)
        .exclude(status=ActionStatus.DONE)
        .select_related("owner_agency", "programme")
        .distinct()
    )
