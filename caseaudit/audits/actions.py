"""Every write to a return: answers, submission, amendment, auditors, escalations. Each runs in
one transaction with its history rows, so a change never lands without its history."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from caseaudit.accounts.models import User
from caseaudit.activity.actions import change_row, record_change
from caseaudit.activity.models import Change
from caseaudit.audits import notifications
from caseaudit.audits.items import ItemKind, Part, Problem, parts_for, problems
from caseaudit.audits.models import (
    ANSWER_COLUMNS,
    EDITABLE_STATUSES,
    Answer,
    Escalation,
    Return,
    ReturnStatus,
)


class StaleReturn(Exception):
    """Someone else saved the return since this copy was read: nothing was written."""


class IncompleteReturn(Exception):
    def __init__(self, found: list[Problem]) -> None:
        super().__init__(f"{len(found)} answers are missing")
        self.problems = found


@dataclass
class SaveResult:
    ret: Return
    changed: int = 0
    escalations: list[Escalation] = field(default_factory=list)


def _claim_version(ret: Return, expected_version: int, **changes: Any) -> None:
    """Raise the version number if nobody else has; otherwise refuse the whole write."""
    updated = Return.objects.filter(
        pk=ret.pk, version=expected_version, status__in=EDITABLE_STATUSES
    ).update(version=F("version") + 1, updated_at=timezone.now(), **changes)
    if not updated:
        raise StaleReturn
    ret.refresh_from_db(fields=["version", "updated_at", "status"])


def _set_status(ret: Return, status: ReturnStatus, *, by: User, note: str = "") -> None:
    if ret.status != status:
        record_change(ret, by=by, field="status", old=ret.status, new=status, note=note)


@transaction.atomic
def save_answers(
    ret: Return, part: Part, values: dict[str, dict[str, Any]], *, by: User, expected_version: int
) -> SaveResult:
    """Save a part's answers as a draft. A stale version is refused and nothing is written."""
    new_status = ReturnStatus(ret.status)
    if new_status == ReturnStatus.NOT_STARTED:
        new_status = ReturnStatus.IN_PROGRESS
    _set_status(ret, new_status, by=by)
    _claim_version(ret, expected_version, status=new_status)
    result = SaveResult(ret)
    items = {item.key: item for item in part.applicable_items}
    existing = {answer.item_key: answer for answer in ret.answers.filter(item_key__in=items)}
    # Written in three statements, whatever the number of answers: each is a round trip.
    created: list[Answer] = []
    updated: list[Answer] = []
    changes: list[Change] = []
    unsafe: list[tuple[Any, Answer]] = []
    for key, new_values in values.items():
        item = items[key]
        answer = existing.get(key) or Answer(ret=ret, item_key=key, report_key=item.report_key)
        old = answer.values()
        for column, value in new_values.items():
            setattr(answer, column, value)
        new = answer.values()
        changed = [column for column in new_values if old[column] != new[column]]
        if not changed:
            continue
        (updated if answer.pk else created).append(answer)
        changes.extend(
            change_row(ret, by=by, field=f"{key}.{column}", old=old[column], new=new[column])
            for column in changed
        )
        if item.kind == ItemKind.KEY_QUESTION and "choice" in changed:
            unsafe.append((item.source, answer))
    Answer.objects.bulk_create(created)
    if updated:
        Answer.objects.bulk_update(updated, ANSWER_COLUMNS)
    Change.objects.bulk_create(changes)
    result.changed = len(created) + len(updated)
    for question, answer in unsafe:
        escalation = _escalate_if_unsafe(ret, question, answer, by=by)
        if escalation:
            result.escalations.append(escalation)
    return result


def _escalate_if_unsafe(
    ret: Return, question: Any, answer: Answer, *, by: User
) -> Escalation | None:
    """Raise one escalation when a key question is answered in a way that needs action now."""
    if answer.choice not in question.escalate_on:
        return None
    if ret.escalations.filter(item_key=answer.item_key, responded_at__isnull=True).exists():
        return None
    escalation = Escalation.objects.create(
        ret=ret, item_key=answer.item_key, answer=answer.choice, comment=answer.text, raised_by=by
    )
    record_change(escalation, by=by, field="raised", old=None, new=answer.choice)
    transaction.on_commit(lambda: notifications.notify_escalation(escalation))
    return escalation


@transaction.atomic
def submit_return(ret: Return, *, by: User, expected_version: int) -> Return:
    """Submit a complete return; it becomes read-only to its auditor."""
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    found = problems(parts_for(ret), answers)
    if found:
        raise IncompleteReturn(found)
    _set_status(ret, ReturnStatus.SUBMITTED, by=by)
    now = timezone.now()
    _claim_version(
        ret, expected_version, status=ReturnStatus.SUBMITTED, submitted_at=now, submitted_by=by
    )
    ret.submitted_at, ret.submitted_by = now, by
    return ret


@transaction.atomic
def return_for_amendment(ret: Return, *, by: User, reason: str) -> Return:
    """Send a submitted return back to its auditor, with the reason, logged."""
    updated = Return.objects.filter(pk=ret.pk, status=ReturnStatus.SUBMITTED).update(
        status=ReturnStatus.RETURNED,
        amendment_reason=reason,
        version=F("version") + 1,
        updated_at=timezone.now(),
    )
    if not updated:
        raise StaleReturn
    record_change(
        ret,
        by=by,
        field="status",
        old=ReturnStatus.SUBMITTED,
        new=ReturnStatus.RETURNED,
        note=reason,
    )
    ret.refresh_from_db()
    transaction.on_commit(lambda: notifications.notify_returned_for_amendment(ret))
    return ret


@transaction.atomic
def assign_auditor(ret: Return, auditor: User | None, *, by: User) -> Return:
    """Name the auditor of a return (None: the agency lead completes it)."""
    if auditor is not None and auditor.agency_id != ret.agency_id:
        raise ValueError("An auditor must belong to the return's agency")
    old = ret.auditor_id
    ret.auditor = auditor
    ret.save(update_fields=["auditor"])
    record_change(ret, by=by, field="auditor", old=old, new=auditor.pk if auditor else None)
    if auditor is not None and old != auditor.pk:
        transaction.on_commit(lambda: notifications.notify_assigned(ret))
    return ret


@transaction.atomic
def respond_to_escalation(escalation: Escalation, *, by: User, response: str) -> Escalation:
    updated = Escalation.objects.filter(pk=escalation.pk, responded_at__isnull=True).update(
        response=response, responded_at=timezone.now(), responded_by=by
    )
    if not updated:
        raise StaleReturn
    record_change(escalation, by=by, field="response", old=None, new=response)
    escalation.refresh_from_db()
    return escalation
