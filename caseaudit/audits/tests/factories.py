"""Plain builders for audit objects in tests: no randomness, explicit values."""

from datetime import date
from typing import Any

from caseaudit.accounts.models import Agency, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import Case, CaseCategory, Programme, ProgrammeStatus, Return


def full_tool() -> ToolVersion:
    return ToolVersion.objects.published().filter(tool_key="children_in_need_full").first()


def short_tool() -> ToolVersion:
    return ToolVersion.objects.published().filter(tool_key="focused_support_short").first()


def make_programme(**fields: Any) -> Programme:
    values: dict[str, Any] = {
        "title": "Children in need audit, spring 2026",
        "audit_date": date(2026, 3, 2),
        "return_deadline": date(2026, 4, 10),
        "meeting_date": date(2026, 4, 24),
        "status": ProgrammeStatus.AUDITING,
    }
    values.update(fields)
    return Programme.objects.create(**values)


def make_case(programme: Programme, identifier: str = "100001", **fields: Any) -> Case:
    values: dict[str, Any] = {
        "case_identifier": identifier,
        "initials": "JS",
        "gender": "Female",
        "date_of_birth": date(2015, 6, 1),
        "category": CaseCategory.CHILD_IN_NEED,
        "referral_date": date(2025, 9, 1),
    }
    values.update(fields)
    return Case.objects.create(programme=programme, **values)


def make_return(
    case: Case,
    agency: Agency,
    auditor: User | None = None,
    tool: ToolVersion | None = None,
    **fields: Any,
) -> Return:
    return Return.objects.create(
        case=case, agency=agency, auditor=auditor, tool_version=tool or full_tool(), **fields
    )


# Planning: programmes in planning, family members, CSV files of cases -----------------------


def make_planning_programme(*agencies: Agency, **fields: Any) -> Programme:
    """A programme in planning with these participating agencies."""
    programme = make_programme(**{"status": ProgrammeStatus.PLANNING, **fields})
    programme.agencies.set(agencies)
    return programme


def make_family_member(
    case: Case, initials: str = "AB", relationship: str = "mother", age: int | None = 34
) -> Any:
    from caseaudit.audits.models import FamilyMember

    return FamilyMember.objects.create(
        case=case, initials=initials, relationship=relationship, age=age
    )


def case_csv(*rows: dict[str, str], header: tuple[str, ...] | None = None) -> str:
    """A CSV file of cases: the import columns, then one line per row (missing cells blank)."""
    import csv
    import io

    from caseaudit.audits.case_import import COLUMNS

    columns = header or COLUMNS
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({column: row.get(column, "") for column in columns})
    return out.getvalue()


def csv_row(identifier: str = "CS-1", **cells: str) -> dict[str, str]:
    """A valid row of the case import, with these cells changed."""
    return {
        "case_identifier": identifier,
        "initials": "JS",
        "date_of_birth": "2014-03-12",
        "category": "Child in need",
        **cells,
    }
