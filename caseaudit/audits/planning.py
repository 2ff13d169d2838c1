"""The coordinator's planning writes: programmes, cases, imports, samples and assignments.

Each function runs in one transaction and records every changed field in the history.
"""

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from caseaudit.accounts.models import Agency, User
from caseaudit.activity.actions import record_change
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits import notifications, sampling
from caseaudit.audits.case_import import CaseRow, FamilyMemberRow
from caseaudit.audits.models import (
    Case,
    FamilyMember,
    Programme,
    ProgrammeStatus,
    Return,
    ReturnStatus,
    SampleDraw,
)

PROGRAMME_FIELDS = (
    "title",
    "focus",
    "audit_date",
    "window_months_before_audit",
    "window_months_before_referral",
    "return_deadline",
    "meeting_date",
    "review_threshold_months",
)
CASE_FIELDS = (
    "case_identifier",
    "initials",
    "gender",
    "date_of_birth",
    "age",
    "ethnicity",
    "language",
    "religion",
    "category",
    "referral_date",
    "referring_agency",
    "lead_social_worker",
    "lead_team",
)
# Forward one step at a time; the coordinator may also take an audit back to planning.
STATUS_STEPS = {
    ProgrammeStatus.PLANNING: (ProgrammeStatus.AUDITING,),
    ProgrammeStatus.AUDITING: (ProgrammeStatus.MEETING, ProgrammeStatus.PLANNING),
    ProgrammeStatus.MEETING: (ProgrammeStatus.REPORTING,),
    ProgrammeStatus.REPORTING: (ProgrammeStatus.CLOSED,),
    ProgrammeStatus.CLOSED: (),
}


class PlanningError(Exception):
    """A change refused because of the programme's state; the message says why."""


def _plain(value: Any) -> Any:
    """A value as the history stores it (JSON)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def _record_fields(
    obj: models.Model, old: Mapping[str, Any], new: Mapping[str, Any], *, by: User
) -> list[str]:
    """History rows for each field whose value differs; the names of those fields."""
    changed = []
    for name, value in new.items():
        before = old.get(name)
        if before != value:
            record_change(obj, by=by, field=name, old=_plain(before), new=_plain(value))
            changed.append(name)
    return changed


def _given(values: Mapping[str, Any]) -> dict[str, Any]:
    """The values actually entered: a new object's history leaves out blanks."""
    return {name: value for name, value in values.items() if value not in (None, "")}


def _refuse_if_closed(programme: Programme) -> None:
    if programme.is_closed:
        raise PlanningError("This programme is closed: it can no longer change")


# Programmes ----------------------------------------------------------------------------------


def _agency_names(agencies: Iterable[Agency]) -> list[str]:
    return sorted(agency.name for agency in agencies)


@transaction.atomic
def create_programme(
    values: Mapping[str, Any], agencies: Iterable[Agency], *, by: User
) -> Programme:
    """A new programme, in planning, with its participating agencies."""
    agencies = list(agencies)
    programme = Programme(created_by=by, **{name: values[name] for name in PROGRAMME_FIELDS})
    programme.save()
    programme.agencies.set(agencies)
    record_change(programme, by=by, field="created", old=None, new=programme.title)
    _record_fields(programme, {}, _given({name: values[name] for name in PROGRAMME_FIELDS}), by=by)
    record_change(programme, by=by, field="agencies", old=[], new=_agency_names(agencies))
    return programme


def agencies_with_assignments(programme: Programme, agencies: Iterable[Agency]) -> list[Agency]:
    """Those of `agencies` that have a return in the programme."""
    ids = set(
        Return.objects.filter(case__programme=programme, agency__in=list(agencies)).values_list(
            "agency_id", flat=True
        )
    )
    return [agency for agency in agencies if agency.pk in ids]


@transaction.atomic
def update_programme(
    programme: Programme, values: Mapping[str, Any], agencies: Iterable[Agency], *, by: User
) -> Programme:
    """Change a programme's details and participating agencies. An agency with assignments in
    the programme stays until its assignments are removed."""
    _refuse_if_closed(programme)
    old = {name: getattr(programme, name) for name in PROGRAMME_FIELDS}
    new = {name: values[name] for name in PROGRAMME_FIELDS}
    changed = _record_fields(programme, old, new, by=by)
    for name in changed:
        setattr(programme, name, new[name])
    if changed:
        programme.save(update_fields=changed)

    current = list(programme.agencies.all())
    agencies = list(agencies)
    removed = [agency for agency in current if agency not in agencies]
    kept = agencies_with_assignments(programme, removed)
    if kept:
        names = ", ".join(agency.name for agency in kept)
        raise PlanningError(f"{names} cannot leave the programme while it has assignments")
    programme.agencies.set(agencies)
    record_change(
        programme,
        by=by,
        field="agencies",
        old=_agency_names(current),
        new=_agency_names(agencies),
    )
    return programme


def next_statuses(programme: Programme) -> tuple[ProgrammeStatus, ...]:
    return STATUS_STEPS[ProgrammeStatus(programme.status)]


@transaction.atomic
def change_programme_status(programme: Programme, status: str, *, by: User) -> Programme:
    """Move the programme on one step (or from auditing back to planning). Auditing needs at
    least one assignment; closing the programme closes its submitted returns."""
    status = ProgrammeStatus(status)
    if status not in next_statuses(programme):
        raise PlanningError(
            f"A programme in {programme.get_status_display().lower()} cannot move to "
            f"{status.label.lower()}"
        )
    returns = Return.objects.filter(case__programme=programme)
    if status == ProgrammeStatus.AUDITING and not returns.exists():
        raise PlanningError("Assign at least one agency to a case before auditing starts")
    if status == ProgrammeStatus.CLOSED:
        submitted = returns.filter(status=ReturnStatus.SUBMITTED).select_for_update()
        for ret in submitted:
            record_change(ret, by=by, field="status", old=ret.status, new=ReturnStatus.CLOSED.value)
        submitted.update(
            status=ReturnStatus.CLOSED, version=F("version") + 1, updated_at=timezone.now()
        )
    record_change(programme, by=by, field="status", old=programme.status, new=status.value)
    programme.status = status
    programme.save(update_fields=["status"])
    return programme


# Cases ---------------------------------------------------------------------------------------


def _member_text(member: FamilyMember | FamilyMemberRow) -> str:
    age = f", {member.age}" if member.age is not None else ""
    return f"{member.initials} ({member.relationship}{age})"


@transaction.atomic
def save_case(
    case: Case,
    values: Mapping[str, Any],
    family_members: Sequence[FamilyMemberRow],
    *,
    by: User,
) -> Case:
    """Create or change a case and set its family members to exactly `family_members`: a row
    with the id of one of the case's members changes it, a row without adds one, and members
    not in the list are removed."""
    _refuse_if_closed(case.programme)
    is_new = case.pk is None
    old = {} if is_new else {name: getattr(case, name) for name in values}
    for name, value in values.items():
        setattr(case, name, value)
    if is_new:
        case.save()
        record_change(case, by=by, field="created", old=None, new=str(case))
        _record_fields(case, old, _given(values), by=by)
    else:
        changed = _record_fields(case, old, values, by=by)
        if changed:
            case.save(update_fields=changed)

    existing = {member.pk: member for member in case.family_members.all()}
    before = [_member_text(member) for member in existing.values()]
    keep: set[int] = set()
    for row in family_members:
        member = existing.get(row.member_id or 0)
        if member is None:
            FamilyMember.objects.create(
                case=case, initials=row.initials, relationship=row.relationship, age=row.age
            )
            continue
        keep.add(member.pk)
        if (member.initials, member.relationship, member.age) != (
            row.initials,
            row.relationship,
            row.age,
        ):
            member.initials, member.relationship, member.age = (
                row.initials,
                row.relationship,
                row.age,
            )
            member.save(update_fields=["initials", "relationship", "age"])
    FamilyMember.objects.filter(pk__in=set(existing) - keep).delete()
    after = [_member_text(member) for member in case.family_members.all()]
    record_change(case, by=by, field="family_members", old=before, new=after)
    return case


@transaction.atomic
def import_cases(programme: Programme, rows: Sequence[CaseRow], *, by: User) -> list[Case]:
    """Add every case, or none: the rows come from a file that parsed without an error."""
    _refuse_if_closed(programme)
    return [
        save_case(Case(programme=programme), row.case_fields(), row.family_members, by=by)
        for row in rows
    ]


# Sampling ------------------------------------------------------------------------------------


@transaction.atomic
def draw_sample(
    programme: Programme,
    eligible: Sequence[CaseRow],
    *,
    n: int,
    seed: int,
    stratify_by: str,
    by: User,
) -> SampleDraw:
    """Draw N of the eligible cases and keep the draw, whether or not its cases are added."""
    _refuse_if_closed(programme)
    drawn = sampling.draw(eligible, n, seed=seed, stratify_by=stratify_by)
    sample = SampleDraw.objects.create(
        programme=programme,
        seed=seed,
        stratify_by=stratify_by,
        n=n,
        eligible_count=len(eligible),
        eligible_fingerprint=sampling.fingerprint(eligible),
        drawn_identifiers=[row.case_identifier for row in drawn],
        drawn_cases=[row.to_json() for row in drawn],
        drawn_by=by,
    )
    record_change(sample, by=by, field="drawn", old=None, new=sample.drawn_identifiers)
    return sample


@transaction.atomic
def add_drawn_cases(sample: SampleDraw, *, by: User) -> tuple[list[Case], list[str]]:
    """Add the drawn cases to the programme, leaving out any already in it. Returns the cases
    added and the identifiers left out. The drawn cases' details are then no longer kept."""
    sample = SampleDraw.objects.select_for_update().select_related("programme").get(pk=sample.pk)
    if sample.is_added:
        raise PlanningError("The cases of this draw have already been added")
    programme = sample.programme
    _refuse_if_closed(programme)
    existing = {
        identifier.casefold()
        for identifier in programme.cases.values_list("case_identifier", flat=True)
    }
    rows = [CaseRow.from_json(values) for values in sample.drawn_cases]
    left_out = [row.case_identifier for row in rows if row.case_identifier.casefold() in existing]
    new_rows = [row for row in rows if row.case_identifier.casefold() not in existing]
    added = import_cases(programme, new_rows, by=by)
    sample.added_at = timezone.now()
    sample.added_by = by
    sample.drawn_cases = []
    sample.save(update_fields=["added_at", "added_by", "drawn_cases"])
    record_change(
        sample, by=by, field="added", old=None, new=[case.case_identifier for case in added]
    )
    return added, left_out


# Assignments ---------------------------------------------------------------------------------


@transaction.atomic
def assign_agency(
    case: Case,
    *,
    agency: Agency,
    tool_version: ToolVersion,
    auditor: User | None,
    by: User,
) -> Return:
    """Assign an agency to a case with the tool it uses: this creates its return, not
    started. The named auditor, if any, must be one of the agency's auditors. The auditor (or,
    with none named, the agency's leads) is told by e-mail."""
    programme = case.programme
    _refuse_if_closed(programme)
    if not programme.agencies.filter(pk=agency.pk).exists():
        raise PlanningError(f"{agency} does not take part in this programme")
    if not tool_version.is_published:
        raise PlanningError("Only a published tool version can be assigned")
    if auditor is not None and (auditor.agency_id != agency.pk or not auditor.is_auditor):
        raise PlanningError(f"{auditor.full_name} is not an auditor in {agency}")
    if case.returns.filter(agency=agency).exists():
        raise PlanningError(f"{agency} is already assigned to this case")
    ret = Return.objects.create(
        case=case, agency=agency, tool_version=tool_version, auditor=auditor
    )
    _record_fields(
        ret,
        {},
        {
            "agency": agency,
            "tool_version": tool_version,
            "auditor": auditor,
            "status": ret.status,
        },
        by=by,
    )
    transaction.on_commit(lambda: notifications.notify_assigned(ret))
    return ret


@transaction.atomic
def remove_assignment(ret: Return, *, by: User) -> None:
    """Take an agency off a case: only while its return has not started."""
    ret = Return.objects.select_for_update().select_related("case__programme").get(pk=ret.pk)
    _refuse_if_closed(ret.case.programme)
    if ret.status != ReturnStatus.NOT_STARTED:
        raise PlanningError(
            f"{ret.agency}’s return has started, so the assignment cannot be removed"
        )
    record_change(
        ret, by=by, field="removed", old=f"{ret.agency} with {ret.tool_version}", new=None
    )
    ret.delete()
