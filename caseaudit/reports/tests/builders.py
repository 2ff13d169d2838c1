"""Known data for report tests: returns with exactly the grades a test names, written
straight to the database (the return form is tested elsewhere)."""

from datetime import UTC, date, datetime
from typing import Any

from caseaudit.accounts.models import Agency
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.models import Answer, Case, Programme, Return, ReturnStatus
from caseaudit.audits.tests.factories import make_case, make_return
from caseaudit.meetings.models import Action, AgreedGrade, Finding, FindingKind, Theme

NA = "n/a"


def graded_return(
    case: Case,
    agency: Agency,
    grades: dict[str, int | str] | None = None,
    *,
    status: ReturnStatus = ReturnStatus.SUBMITTED,
    tool: ToolVersion | None = None,
    choices: dict[str, str] | None = None,
    texts: dict[str, str] | None = None,
) -> Return:
    """A return with one answer per report key (grade, or NA for not applicable), and
    key-question choices and free texts by item key."""
    ret = make_return(case, agency, tool=tool, status=status)
    if status in (ReturnStatus.SUBMITTED, ReturnStatus.CLOSED):
        Return.objects.filter(pk=ret.pk).update(submitted_at=datetime(2026, 4, 1, 9, 0, tzinfo=UTC))
    for report_key, grade in (grades or {}).items():
        Answer.objects.create(
            ret=ret,
            item_key=f"{report_key}_judgement",
            report_key=report_key,
            grade=None if grade == NA else grade,
            not_applicable=grade == NA,
            text=f"Impact for {report_key}",
        )
    for item_key, choice in (choices or {}).items():
        Answer.objects.create(ret=ret, item_key=item_key, choice=choice)
    for item_key, text in (texts or {}).items():
        Answer.objects.create(ret=ret, item_key=item_key, text=text)
    return ret


def finding(
    programme: Programme,
    case: Case | None,
    kind: str,
    text: str,
    themes: list[Theme] = (),  # type: ignore[assignment]
    agencies: list[Agency] = (),  # type: ignore[assignment]
) -> Finding:
    found = Finding.objects.create(
        programme=programme,
        case=case,
        kind=FindingKind.STRENGTH if kind == "strength" else FindingKind.AREA_FOR_IMPROVEMENT,
        text=text,
    )
    found.themes.set(themes)
    found.agencies.set(agencies)
    return found


def action(programme: Programme, agency: Agency, due: date, status: str = "open", **fields: Any):
    return Action.objects.create(
        programme=programme,
        description=fields.pop("description", "Do something"),
        owner_agency=agency,
        due_date=due,
        status=status,
        **fields,
    )


def agreed(case: Case, report_key: str, grade: int | None, not_applicable: bool = False):
    return AgreedGrade.objects.create(
        case=case, report_key=report_key, grade=grade, not_applicable=not_applicable
    )


def cases(programme: Programme, *specs: dict[str, Any]) -> list[Case]:
    """Cases numbered from 500001, each with the given fields."""
    return [
        make_case(programme, identifier=str(500001 + index), **spec)
        for index, spec in enumerate(specs)
    ]
