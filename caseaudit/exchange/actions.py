"""Every write of the Word round-trip: proposing an uploaded form, accepting it, discarding it.

Accepting writes through `caseaudit.audits.actions.save_answers`, part by part, so that the
return's history and optimistic concurrency hold exactly as for the online form."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.accounts.models import User
from caseaudit.activity.actions import record_change
from caseaudit.audits.actions import save_answers
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, Escalation, Return
from caseaudit.exchange.importing import ReadUpload
from caseaudit.exchange.models import ImportedDocument, ImportStatus


class AlreadyDecided(Exception):
    """The proposal was accepted or discarded already: nothing was written."""


class ReturnNotEditable(Exception):
    """The return was submitted or closed: imports cannot change it."""


@dataclass
class AcceptResult:
    changed: int = 0
    escalations: list[Escalation] = field(default_factory=list)


@transaction.atomic
def propose_import(ret: Return, read: ReadUpload, *, by: User) -> tuple[ImportedDocument, bool]:
    """Keep what was read as a proposal. The same file for the same return gives the same
    proposal (a discarded one is proposed again); returns (proposal, created)."""
    fields = {
        "kind": read.kind,
        "file_name": read.upload.file_name,
        "size": read.upload.size,
        "values": read.reading.values,
        "report": read.reading.report(),
    }
    existing = ImportedDocument.objects.filter(ret=ret, sha256=read.upload.sha256).first()
    if existing is None:
        try:
            with transaction.atomic():
                imported = ImportedDocument.objects.create(
                    ret=ret, sha256=read.upload.sha256, uploaded_by=by, **fields
                )
        except IntegrityError:  # the same file, uploaded twice at once
            return ImportedDocument.objects.get(ret=ret, sha256=read.upload.sha256), False
        record_change(imported, by=by, field="status", old=None, new=ImportStatus.PROPOSED)
        return imported, True
    if existing.status == ImportStatus.DISCARDED:
        for name, value in fields.items():
            setattr(existing, name, value)
        existing.status = ImportStatus.PROPOSED
        existing.uploaded_by, existing.uploaded_at = by, timezone.now()
        existing.decided_by, existing.decided_at = None, None
        existing.save()
        record_change(
            existing,
            by=by,
            field="status",
            old=ImportStatus.DISCARDED,
            new=ImportStatus.PROPOSED,
            note="The same file was uploaded again",
        )
    return existing, False


def answer_values(stored: dict[str, Any]) -> dict[str, Any]:
    """A proposal's JSON values as `save_answers` takes them."""
    values = dict(stored)
    if values.get("date"):
        values["date"] = date.fromisoformat(values["date"])
    return values


def same_value(old: Any, new: Any) -> bool:
    if isinstance(old, str) and isinstance(new, str):
        return old.replace("\r\n", "\n").strip() == new.replace("\r\n", "\n").strip()
    return old == new


def differs(answer: Answer | None, stored: dict[str, Any]) -> bool:
    if answer is None:
        return True
    old = answer.values()
    return any(not same_value(old[column], value) for column, value in stored.items())


@transaction.atomic
def accept_import(imported: ImportedDocument, *, by: User, expected_version: int) -> AcceptResult:
    """Save the proposal's answers to the return, part by part. A return changed since the
    proposal was reviewed (a stale version) is refused and nothing is written."""
    locked = ImportedDocument.objects.select_for_update().get(pk=imported.pk)
    if locked.status != ImportStatus.PROPOSED:
        raise AlreadyDecided
    ret = locked.ret
    if not ret.is_editable:
        raise ReturnNotEditable
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    result = AcceptResult()
    version = expected_version
    for part in parts_for(ret):
        values = {
            item.key: answer_values(locked.values[item.key])
            for item in part.applicable_items
            if item.key in locked.values and differs(answers.get(item.key), locked.values[item.key])
        }
        if not values:
            continue
        saved = save_answers(ret, part, values, by=by, expected_version=version)
        version = ret.version
        result.changed += saved.changed
        result.escalations.extend(saved.escalations)
    _decide(locked, ImportStatus.ACCEPTED, by=by)
    imported.refresh_from_db()
    return result


@transaction.atomic
def discard_import(imported: ImportedDocument, *, by: User) -> ImportedDocument:
    """Set a proposal aside: nothing of it is saved to the return."""
    locked = ImportedDocument.objects.select_for_update().get(pk=imported.pk)
    if locked.status != ImportStatus.PROPOSED:
        raise AlreadyDecided
    _decide(locked, ImportStatus.DISCARDED, by=by)
    imported.refresh_from_db()
    return imported


def _decide(imported: ImportedDocument, status: ImportStatus, *, by: User) -> None:
    old = imported.status
    imported.status = status
    imported.decided_by, imported.decided_at = by, timezone.now()
    imported.save(update_fields=["status", "decided_by", "decided_at"])
    record_change(imported, by=by, field="status", old=old, new=status)
