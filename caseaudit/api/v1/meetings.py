"""Meeting records: a programme's multi-agency meeting as recorded (its date, attendees,
decisions, and each case's discussion and agreed grades), and a case's consolidated view, every
agency's submitted return lined up by report key with the agenda's flags."""

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from pydantic import Field

from caseaudit import access
from caseaudit.api.v1.common import PathId, errors, log_view, user_of
from caseaudit.api.v1.programmes import AgencyOut, agency_out
from caseaudit.audits.models import Answer, Case
from caseaudit.meetings.consolidation import Cell, consolidate
from caseaudit.meetings.models import AgreedGrade, CaseDiscussion, Meeting

router = Router(tags=["Meetings"])


class AttendeeOut(Schema):
    id: int
    name: str
    agency: AgencyOut
    role: str


class DiscussionOut(Schema):
    notes: str
    decisions: str


class AgreedGradeOut(Schema):
    report_key: str
    grade: int | None
    not_applicable: bool
    reason: str = Field(description="Why, where it differs from an agency's own grade")


class MeetingCaseOut(Schema):
    id: int
    case_identifier: str
    initials: str
    opened_for_meeting_at: datetime | None
    discussion: DiscussionOut | None
    agreed_grades: list[AgreedGradeOut]


class MeetingOut(Schema):
    id: int
    programme_id: int
    held_on: date
    decisions: str
    attendees: list[AttendeeOut]
    cases: list[MeetingCaseOut] = Field(description="The cases opened for the meeting")
    created_at: datetime


class ColumnOut(Schema):
    return_id: int
    agency: AgencyOut
    tool_version_id: int


class CellOut(Schema):
    grade: int | None
    label: str = Field(description="The grade's name on the tool's scale")
    not_applicable: bool


class RowOut(Schema):
    report_key: str
    label: str
    cells: list[CellOut | None] = Field(
        description="One per column, in the columns' order; null where the agency gave none"
    )


class FlagOut(Schema):
    kind: str = Field(
        description="grade_gap, safety_disagreement, safety_concern or review_overdue"
    )
    message: str
    report_key: str


class ConsolidatedOut(Schema):
    case_id: int
    programme_id: int
    case_identifier: str
    initials: str
    opened_for_meeting_at: datetime | None
    columns: list[ColumnOut] = Field(description="The agencies' submitted returns you may read")
    rows: list[RowOut] = Field(description="Report keys any agency graded, by agency")
    flags: list[FlagOut] = Field(description="The draft agenda: where the agencies disagree")
    agreed_grades: list[AgreedGradeOut]
    discussion: DiscussionOut | None


def discussion_out(discussion: CaseDiscussion | None) -> dict[str, Any] | None:
    if discussion is None:
        return None
    return {"notes": discussion.notes, "decisions": discussion.decisions}


def agreed_out(agreed: AgreedGrade) -> dict[str, Any]:
    return {
        "report_key": agreed.report_key,
        "grade": agreed.grade,
        "not_applicable": agreed.not_applicable,
        "reason": agreed.reason,
    }


def _cell_out(cell: Cell | None) -> dict[str, Any] | None:
    if cell is None:
        return None
    return {"grade": cell.grade, "label": cell.label, "not_applicable": cell.not_applicable}


def _by_report_key(case: Case) -> list[AgreedGrade]:
    return sorted(case.agreed_grades.all(), key=lambda agreed: agreed.report_key)


def meeting_out(meeting: Meeting) -> dict[str, Any]:
    cases = (
        meeting.programme.cases.filter(opened_for_meeting_at__isnull=False)
        .select_related("discussion")
        .prefetch_related("agreed_grades")
        .order_by("case_identifier", "pk")
    )
    return {
        "id": meeting.pk,
        "programme_id": meeting.programme_id,
        "held_on": meeting.held_on,
        "decisions": meeting.decisions,
        "attendees": [
            {
                "id": attendee.pk,
                "name": attendee.name,
                "agency": agency_out(attendee.agency),
                "role": attendee.role,
            }
            for attendee in meeting.attendees.select_related("agency")
        ],
        "cases": [
            {
                "id": case.pk,
                "case_identifier": case.case_identifier,
                "initials": case.initials,
                "opened_for_meeting_at": case.opened_for_meeting_at,
                "discussion": discussion_out(getattr(case, "discussion", None)),
                "agreed_grades": [agreed_out(agreed) for agreed in _by_report_key(case)],
            }
            for case in cases
        ],
        "created_at": meeting.created_at,
    }


@router.get("/programmes/{programme_id}/meeting", response={200: MeetingOut, **errors()})
def get_meeting(request: HttpRequest, programme_id: PathId) -> dict[str, Any]:
    """The programme's meeting record, as its minutes give it: for coordinators and the leads
    of the agencies that attended. 404 until the meeting has been recorded."""
    user = user_of(request)
    programme = access.get_programme(user, programme_id)
    meeting = Meeting.objects.filter(programme=programme).select_related("programme").first()
    if meeting is None or not access.can_download_minutes(user, meeting):
        raise Http404("No meeting record")
    log_view(request, meeting)
    return meeting_out(meeting)


@router.get("/cases/{case_id}/consolidated", response={200: ConsolidatedOut, **errors()})
def get_consolidated_case(request: HttpRequest, case_id: PathId) -> dict[str, Any]:
    """A case's consolidated view: the submitted returns you may read side by side, as a matrix
    of report keys by agency, with the agenda's flags, the agreed grades and the discussion.
    Coordinators see any case; once it is opened for the meeting, so do the lead and the
    auditors of each agency that took part."""
    user = user_of(request)
    case = access.get_meeting_case(user, case_id)
    returns = list(access.consolidated_returns(user, case).select_related("agency", "tool_version"))
    consolidated = consolidate(case, returns, Answer.objects.filter(ret__in=returns))
    log_view(request, case, "api view consolidated")
    return {
        "case_id": case.pk,
        "programme_id": case.programme_id,
        "case_identifier": case.case_identifier,
        "initials": case.initials,
        "opened_for_meeting_at": case.opened_for_meeting_at,
        "columns": [
            {
                "return_id": column.ret.pk,
                "agency": agency_out(column.agency),
                "tool_version_id": column.ret.tool_version_id,
            }
            for column in consolidated.columns
        ],
        "rows": [
            {
                "report_key": report_key.key,
                "label": report_key.label,
                "cells": [_cell_out(cell) for cell in cells],
            }
            for report_key, cells in consolidated.rows
        ],
        "flags": [
            {"kind": flag.kind, "message": flag.message, "report_key": flag.report_key}
            for flag in consolidated.flags
        ],
        "agreed_grades": [agreed_out(agreed) for agreed in _by_report_key(case)],
        "discussion": discussion_out(CaseDiscussion.objects.filter(case=case).first()),
    }
