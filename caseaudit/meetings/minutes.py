"""The meeting's minutes as a PDF with the protective marking on every page."""

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from caseaudit.audit_tools.report_keys import REPORT_KEYS_BY_KEY
from caseaudit.meetings.models import Meeting, actions_with_owners


def minutes_pdf(meeting: Meeting) -> bytes:
    programme = meeting.programme
    cases = (
        programme.cases.filter(opened_for_meeting_at__isnull=False)
        .prefetch_related(
            "agreed_grades",
            "findings__themes",
            actions_with_owners("findings__actions"),
        )
        .select_related("discussion")
        .order_by("case_identifier")
    )
    html = render_to_string(
        "meetings/minutes_pdf.html",
        {
            "meeting": meeting,
            "programme": programme,
            "attendees": meeting.attendees.select_related("agency"),
            "cases": cases,
            "report_keys": REPORT_KEYS_BY_KEY,
            "marking": settings.PROTECTIVE_MARKING,
            "partnership_name": settings.PARTNERSHIP_NAME,
        },
    )
    return HTML(string=html).write_pdf()
