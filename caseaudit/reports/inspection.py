"""The inspection pack: one PDF per case (case details, every agency's return, the
consolidated grade matrix, the meeting's conclusions and findings) and an index, in a ZIP.
The protective marking is on every page of every PDF."""

import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from caseaudit import access
from caseaudit.accounts.models import User
from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.audits.items import ItemKind, parts_for
from caseaudit.audits.models import Answer, Case, Programme, Return
from caseaudit.meetings.consolidation import CHOICE_LABELS, consolidate
from caseaudit.meetings.models import actions_with_owners
from caseaudit.reports.pdf import pdf_writer, write_pdf

ANSWER_KINDS = {
    ItemKind.KEY_QUESTION,
    ItemKind.OUTCOME,
    ItemKind.FIELD,
    ItemKind.QUESTION,
    ItemKind.JUDGEMENT,
    ItemKind.EQUALITY,
    ItemKind.OVERALL,
    ItemKind.TEXT,
}


@dataclass
class AnswerRow:
    label: str
    answer: str
    comment: str
    evidence: str


@dataclass
class ReturnPart:
    title: str
    rows: list[AnswerRow]


def _answer_text(ret: Return, answer: Answer | None) -> str:
    if answer is None:
        return ""
    scale = ret.tool_version.tool.grade_scale
    if answer.not_applicable:
        return scale.not_applicable_label
    if answer.grade is not None:
        try:
            return f"{answer.grade} {scale.label_for(answer.grade)}"
        except StopIteration:
            return str(answer.grade)
    if answer.choice:
        return CHOICE_LABELS.get(answer.choice, answer.choice)
    if answer.date:
        return f"{answer.date:%-d %B %Y}"
    return ""


def return_parts(ret: Return, answers: dict[str, Answer]) -> list[ReturnPart]:
    """A return's answers part by part, in the tool's order, as an inspector reads them."""
    parts = []
    for part in parts_for(ret):
        rows = [
            AnswerRow(
                item.label,
                _answer_text(ret, answers.get(item.key)),
                answers[item.key].text if item.key in answers else "",
                answers[item.key].evidence if item.key in answers else "",
            )
            for item in part.applicable_items
            if item.kind in ANSWER_KINDS
        ]
        if rows:
            parts.append(ReturnPart(part.title, rows))
    return parts


def _html(template: str, context: dict[str, Any]) -> str:
    context = {
        **context,
        "marking": settings.PROTECTIVE_MARKING,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "prepared_at": timezone.localtime(),
    }
    return render_to_string(template, context)


def case_html(user: User, case: Case) -> str:
    returns = list(
        access.consolidated_returns(user, case).select_related(
            "agency", "tool_version", "auditor", "case__programme", "case__referring_agency"
        )
    )
    answers = list(Answer.objects.filter(ret__in=returns))
    consolidated = consolidate(case, returns, answers)
    by_return: dict[int, dict[str, Answer]] = {ret.pk: {} for ret in returns}
    for answer in answers:
        by_return[answer.ret_id][answer.item_key] = answer
    not_submitted = (
        Return.objects.filter(case=case)
        .exclude(pk__in=[ret.pk for ret in returns])
        .select_related("agency")
    )
    return _html(
        "reports/inspection_case_pdf.html",
        {
            "case": case,
            "programme": case.programme,
            "family": case.family_members.all(),
            "consolidated": consolidated,
            "returns": [
                (column.ret, return_parts(column.ret, by_return[column.ret.pk]))
                for column in consolidated.columns
            ],
            "not_submitted": not_submitted,
            "agreed": sorted(
                case.agreed_grades.all(),
                key=lambda a: (
                    list(REPORT_KEYS_BY_KEY).index(a.report_key)
                    if a.report_key in REPORT_KEYS_BY_KEY
                    else 99
                ),
            ),
            "report_keys": REPORT_KEYS_BY_KEY,
            "discussion": getattr(case, "discussion", None),
            "findings": access.visible_findings(user)
            .filter(case=case)
            .prefetch_related("themes", "agencies", actions_with_owners()),
        },
    )


def case_pdf(user: User, case: Case) -> bytes:
    return write_pdf(case_html(user, case))


def file_name(case: Case) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", case.case_identifier).strip("-") or str(case.pk)
    return f"case-{safe}.pdf"


def pack_cases(user: User, programme: Programme, case_ids: Iterable[int]) -> QuerySet[Case]:
    """The cases to pack: those chosen, or every case of the programme; only cases the user
    may see."""
    cases = access.visible_cases(user).filter(programme=programme)
    chosen = [int(pk) for pk in case_ids]
    if chosen:
        cases = cases.filter(pk__in=chosen)
    return cases.select_related("programme", "referring_agency").order_by("case_identifier")


def inspection_pack(
    user: User,
    programme: Programme,
    case_ids: Iterable[int] = (),
    progress: Callable[[int, str], None] | None = None,
) -> bytes:
    cases = list(pack_cases(user, programme, case_ids))
    entries = []
    pdfs: list[tuple[str, Callable[[], bytes]]] = []
    with pdf_writer(len(cases)) as write:  # the index, a page or two, does not count
        for case in cases:
            name = file_name(case)
            pdfs.append((name, write(case_html(user, case))))
            statuses = [
                (ret.agency.name, ret.get_status_display())
                for ret in case.returns.select_related("agency").order_by("agency__name")
            ]
            entries.append({"case": case, "file": name, "returns": statuses})
        index_html = _html(
            "reports/inspection_index_pdf.html",
            {"programme": programme, "entries": entries, "prepared_for": user},
        )
        pdfs.append(("00-index.pdf", write(index_html)))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for index, (name, pdf) in enumerate(pdfs):
                if progress is not None and index < len(cases):
                    progress(int(90 * index / len(cases)), f"Case {index + 1} of {len(cases)}")
                archive.writestr(name, pdf())
    return out.getvalue()
