"""E-mail notifications: assignment, reminder, overdue notice, return for amendment, escalation.

E-mail is not a secure channel. A message names the case by its identifier only, with the
agency, the deadline and a link to sign in: never the child's initials, never anything from the
case, the return, an amendment reason or an escalation's comment.

Every message sent is recorded as a Notification. The row is written before the message goes
out and removed if sending fails, so its unique key makes a message go at most once and a failed
one is tried again next time. Call these after the change they report has been committed (for
example from `transaction.on_commit`), so nobody is told about a change that was rolled back.
"""

import logging
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format

from caseaudit.accounts.models import PartnershipSettings, User
from caseaudit.audits.models import (
    EDITABLE_STATUSES,
    Escalation,
    Notification,
    NotificationKind,
    ProgrammeStatus,
    Return,
)

logger = logging.getLogger(__name__)

MAILER = "default"


def notify_assigned(ret: Return) -> int:
    """Tell the auditor (or the agency leads, with no auditor named) that a case is theirs."""
    ret = _with_case(ret)
    return _send(
        ret,
        NotificationKind.ASSIGNED,
        key=timezone.now().isoformat(),
        users=return_recipients(ret),
        subject=f"Case audit assigned: case {ret.case.case_identifier}",
        context=_return_context(ret),
    )


def notify_returned_for_amendment(ret: Return) -> int:
    """Tell the auditor (or the agency leads) that a submitted return was sent back.

    The reason may describe the case, so the message only says where to read it."""
    ret = _with_case(ret)
    return _send(
        ret,
        NotificationKind.RETURNED,
        key=timezone.now().isoformat(),
        users=return_recipients(ret),
        subject=f"Case audit returned for amendment: case {ret.case.case_identifier}",
        context=_return_context(ret),
    )


def notify_escalation(escalation: Escalation) -> int:
    """Alert the coordinators and the case's children's social care lead to a safety concern.

    Each escalation alerts each person once, however often this is called."""
    ret = _with_case(escalation.ret)
    users: list[User] = list(User.objects.filter(is_coordinator=True, is_active=True))
    if ret.case.lead_social_worker is not None:
        users.append(ret.case.lead_social_worker)
    raised_at = timezone.localtime(escalation.raised_at)
    return _send(
        ret,
        NotificationKind.ESCALATION,
        key=f"escalation-{escalation.pk}",
        users=users,
        subject=f"Safety concern raised: case {ret.case.case_identifier}",
        context={
            **_return_context(ret),
            "raised_at": f"{date_format(raised_at, 'j F Y')} at {date_format(raised_at, 'H:i')}",
            "link": absolute_url(f"/escalations/{escalation.pk}/"),
        },
    )


def send_reminders(today: date) -> int:
    """Send the reminders before the deadline and the overdue notices due on this day."""
    return sum(send_deadline_notices(today).values())


def send_deadline_notices(today: date) -> Counter[NotificationKind]:
    """The reminders and overdue notices due on this day, counted by kind.

    Every return still to be completed in a programme that is auditing is reminded once when
    its deadline is a set number of days away or nearer, and told once when it is overdue.
    Each is keyed by the deadline, so a moved deadline is reminded of again."""
    days_before = PartnershipSettings.load().reminder_days_before_deadline
    returns = (
        Return.objects.filter(
            case__programme__status=ProgrammeStatus.AUDITING,
            status__in=EDITABLE_STATUSES,
            case__programme__return_deadline__lte=today + timedelta(days=days_before),
        )
        .select_related("case__programme", "agency", "auditor")
        .order_by("pk")
    )
    leads: dict[int, list[User]] = {}
    sent: Counter[NotificationKind] = Counter()
    for ret in returns:
        deadline = ret.case.programme.return_deadline
        if deadline >= today:
            kind = NotificationKind.REMINDER
            subject = f"Case audit due {date_format(deadline, 'j F Y')}: case "
        else:
            kind = NotificationKind.OVERDUE
            subject = "Case audit overdue: case "
        sent[kind] += _send(
            ret,
            kind,
            key=deadline.isoformat(),
            users=return_recipients(ret, leads),
            subject=subject + ret.case.case_identifier,
            context={**_return_context(ret), "days_left": (deadline - today).days},
        )
    return sent


def return_recipients(ret: Return, leads: dict[int, list[User]] | None = None) -> list[User]:
    """Who is told about a return: its named auditor, or else the agency's active leads.

    A named auditor who is no longer active cannot act on it, so the leads are told instead."""
    if ret.auditor is not None and ret.auditor.is_active:
        return [ret.auditor]
    if leads is None:
        leads = {}
    if ret.agency_id not in leads:
        leads[ret.agency_id] = list(
            User.objects.filter(agency_id=ret.agency_id, is_agency_lead=True, is_active=True)
        )
    return leads[ret.agency_id]


def absolute_url(path: str) -> str:
    site_url: str = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
    return site_url.rstrip("/") + path


def _with_case(ret: Return) -> Return:
    return Return.objects.select_related(
        "case__programme", "case__lead_social_worker", "agency", "auditor"
    ).get(pk=ret.pk)


def _return_context(ret: Return) -> dict[str, Any]:
    # Only what may travel by e-mail: see the module docstring.
    return {
        "case_identifier": ret.case.case_identifier,
        "agency": ret.agency.name,
        "programme": ret.case.programme.title,
        "deadline": ret.case.programme.return_deadline,
        "link": absolute_url(f"/returns/{ret.pk}/"),
        "auditor_id": ret.auditor_id,
    }


def _addressable(users: Iterable[User]) -> list[User]:
    seen: set[str] = set()
    addressable = []
    for user in users:
        address = user.email.strip().lower()
        if user.is_active and address and address not in seen:
            seen.add(address)
            addressable.append(user)
    return addressable


def _send(
    ret: Return,
    kind: NotificationKind,
    *,
    key: str,
    users: Iterable[User],
    subject: str,
    context: dict[str, Any],
) -> int:
    sent = 0
    for user in _addressable(users):
        notification, created = Notification.objects.get_or_create(
            ret=ret, kind=kind, recipient=user.email, key=key
        )
        if not created:
            continue
        try:
            _message(user, kind, subject, context).send(using=MAILER)
        except OSError:
            notification.delete()
            logger.exception("Could not send the %s e-mail for return %s", kind.label, ret.pk)
        except Exception:
            notification.delete()
            raise
        else:
            sent += 1
    return sent


def _message(
    user: User, kind: NotificationKind, subject: str, context: dict[str, Any]
) -> EmailMessage:
    body = render_to_string(
        f"audits/email/{kind.value}.txt",
        {
            **context,
            "recipient_name": user.full_name,
            "is_named_auditor": user.pk == context["auditor_id"],
            "partnership_name": settings.PARTNERSHIP_NAME,
            "protective_marking": settings.PROTECTIVE_MARKING,
        },
    )
    return EmailMessage(f"[{settings.PROTECTIVE_MARKING}] {subject}", body, to=[user.email])
