"""E-mail notifications: who is told, what an e-mail may say, and reminders sent once only."""

from datetime import date, timedelta

import pytest
from django.core.mail import EmailMessage

from caseaudit.accounts.models import Agency, PartnershipSettings, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits import notifications
from caseaudit.audits.models import (
    Case,
    CaseCategory,
    Escalation,
    FamilyMember,
    Notification,
    NotificationKind,
    Programme,
    ProgrammeStatus,
    Return,
    ReturnStatus,
)
from conftest import make_user

pytestmark = pytest.mark.django_db

DEADLINE = date(2027, 3, 31)
SITE_URL = "https://case-audit.example.org"


@pytest.fixture(autouse=True)
def site_url(settings) -> None:
    settings.SITE_URL = SITE_URL


def make_programme(
    *, status: str = ProgrammeStatus.AUDITING, deadline: date = DEADLINE
) -> Programme:
    return Programme.objects.create(
        title="Neglect audit spring 2027",
        audit_date=date(2027, 3, 1),
        return_deadline=deadline,
        status=status,
    )


def make_case(programme: Programme, identifier: str = "12345", **details: object) -> Case:
    fields: dict[str, object] = {
        "initials": "ZQ",
        "age": 7,
        "category": CaseCategory.CHILD_IN_NEED,
        **details,
    }
    return Case.objects.create(programme=programme, case_identifier=identifier, **fields)


def make_return(
    case: Case,
    agency: Agency,
    *,
    auditor: User | None = None,
    status: str = ReturnStatus.NOT_STARTED,
) -> Return:
    return Return.objects.create(
        case=case,
        agency=agency,
        auditor=auditor,
        status=status,
        tool_version=ToolVersion.objects.published().get(
            tool_key="children_in_need_full", version=1
        ),
    )


def make_escalation(ret: Return, raised_by: User, comment: str = "") -> Escalation:
    return Escalation.objects.create(
        ret=ret, item_key="child_safe", answer="no", comment=comment, raised_by=raised_by
    )


def recipients(outbox: list[EmailMessage]) -> list[str]:
    return sorted(address for message in outbox for address in message.to)


def set_reminder_days(days: int) -> None:
    partnership = PartnershipSettings.load()
    partnership.reminder_days_before_deadline = days
    partnership.save()


# Assignment -----------------------------------------------------------------------------------


def test_assignment_tells_the_named_auditor(health, health_auditor, health_lead, mailoutbox):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    assert notifications.notify_assigned(ret) == 1

    [message] = mailoutbox
    assert message.to == ["health.auditor@example.org"]
    assert message.subject == "[OFFICIAL-SENSITIVE] Case audit assigned: case 12345"
    assert "You have been asked to audit case 12345 for Health" in message.body
    assert "Neglect audit spring 2027" in message.body
    assert "31 March 2027" in message.body
    assert f"{SITE_URL}/returns/{ret.pk}/" in message.body
    assert Notification.objects.get().recipient == "health.auditor@example.org"


def test_assignment_with_no_auditor_tells_the_agency_s_active_leads(
    health, health_lead, health_auditor, yos_lead, coordinator, mailoutbox
):
    make_user("former.lead@example.org", health, is_agency_lead=True, is_active=False)
    second_lead = make_user("second.lead@example.org", health, is_agency_lead=True)
    ret = make_return(make_case(make_programme()), health)

    assert notifications.notify_assigned(ret) == 2

    assert recipients(mailoutbox) == [health_lead.email, second_lead.email]
    assert all(len(message.to) == 1 for message in mailoutbox)
    assert "assigned to Health with no named auditor" in mailoutbox[0].body


def test_an_inactive_auditor_is_not_told_but_the_leads_are(
    health, health_auditor, health_lead, mailoutbox
):
    health_auditor.is_active = False
    health_auditor.save()
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    notifications.notify_assigned(ret)

    assert recipients(mailoutbox) == [health_lead.email]


def test_a_lead_without_an_e_mail_address_is_skipped(health, health_lead, mailoutbox):
    make_user("", health, is_agency_lead=True)
    ret = make_return(make_case(make_programme()), health)

    assert notifications.notify_assigned(ret) == 1
    assert recipients(mailoutbox) == [health_lead.email]


def test_the_site_url_makes_the_link_absolute(settings, health, health_auditor, mailoutbox):
    settings.SITE_URL = "https://audits.example.gov.uk/"
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    notifications.notify_assigned(ret)

    assert f"https://audits.example.gov.uk/returns/{ret.pk}/\n" in mailoutbox[0].body


def test_the_body_is_plain_text_not_html_escaped(health, mailoutbox):
    auditor = make_user("mary.obrien@example.org", health, is_auditor=True)
    auditor.full_name = "Mary O'Brien & Co"
    auditor.save()
    ret = make_return(make_case(make_programme()), health, auditor=auditor)

    notifications.notify_assigned(ret)

    assert "Dear Mary O'Brien & Co," in mailoutbox[0].body


def test_each_assignment_is_recorded_in_the_notification_log(health, health_auditor, mailoutbox):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    notifications.notify_assigned(ret)
    notifications.notify_assigned(ret)

    assert len(mailoutbox) == 2
    assert ret.notifications.filter(kind=NotificationKind.ASSIGNED).count() == 2


# Return for amendment -------------------------------------------------------------------------


def test_return_for_amendment_tells_the_auditor_to_sign_in_for_the_reason(
    health, health_auditor, health_lead, mailoutbox
):
    ret = make_return(
        make_case(make_programme()), health, auditor=health_auditor, status=ReturnStatus.RETURNED
    )
    ret.amendment_reason = "Add the GP's record of the bruising seen in January"
    ret.save()

    assert notifications.notify_returned_for_amendment(ret) == 1

    [message] = mailoutbox
    assert message.to == [health_auditor.email]
    assert message.subject == "[OFFICIAL-SENSITIVE] Case audit returned for amendment: case 12345"
    assert "Sign in to read the reason" in message.body
    assert "bruising" not in message.body
    assert ret.notifications.get().kind == NotificationKind.RETURNED


def test_return_for_amendment_with_no_auditor_tells_the_leads(health, health_lead, mailoutbox):
    ret = make_return(make_case(make_programme()), health, status=ReturnStatus.RETURNED)

    notifications.notify_returned_for_amendment(ret)

    assert recipients(mailoutbox) == [health_lead.email]


# Safety escalation ----------------------------------------------------------------------------


def test_escalation_alerts_the_coordinators_and_the_lead_social_worker(
    business_unit, health, health_auditor, health_lead, coordinator, csc_lead, mailoutbox
):
    make_user("former.coordinator@example.org", business_unit, is_coordinator=True, is_active=False)
    second_coordinator = make_user("qa.officer@example.org", business_unit, is_coordinator=True)
    case = make_case(make_programme(), lead_social_worker=csc_lead)
    escalation = make_escalation(make_return(case, health, auditor=health_auditor), health_auditor)

    assert notifications.notify_escalation(escalation) == 3

    assert recipients(mailoutbox) == sorted(
        [coordinator.email, second_coordinator.email, csc_lead.email]
    )
    message = mailoutbox[0]
    assert message.subject == "[OFFICIAL-SENSITIVE] Safety concern raised: case 12345"
    assert "raised on case 12345 by Health" in message.body
    assert f"{SITE_URL}/escalations/{escalation.pk}/" in message.body


def test_escalation_with_no_lead_social_worker_alerts_the_coordinators(
    health, health_auditor, coordinator, mailoutbox
):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    notifications.notify_escalation(make_escalation(ret, health_auditor))

    assert recipients(mailoutbox) == [coordinator.email]


def test_a_coordinator_who_is_the_lead_social_worker_is_alerted_once(
    health, health_auditor, coordinator, mailoutbox
):
    case = make_case(make_programme(), lead_social_worker=coordinator)
    ret = make_return(case, health, auditor=health_auditor)

    assert notifications.notify_escalation(make_escalation(ret, health_auditor)) == 1


def test_an_inactive_lead_social_worker_is_not_alerted(
    health, health_auditor, coordinator, csc_lead, mailoutbox
):
    csc_lead.is_active = False
    csc_lead.save()
    case = make_case(make_programme(), lead_social_worker=csc_lead)
    ret = make_return(case, health, auditor=health_auditor)

    notifications.notify_escalation(make_escalation(ret, health_auditor))

    assert recipients(mailoutbox) == [coordinator.email]


def test_an_escalation_alerts_each_person_once(health, health_auditor, coordinator, mailoutbox):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)
    escalation = make_escalation(ret, health_auditor)

    assert notifications.notify_escalation(escalation) == 1
    assert notifications.notify_escalation(escalation) == 0
    assert notifications.notify_escalation(make_escalation(ret, health_auditor)) == 1


# Nothing about the child travels by e-mail -----------------------------------------------------


def test_no_e_mail_carries_the_child_s_initials_or_case_details(
    health, health_auditor, coordinator, csc_lead, mailoutbox
):
    programme = make_programme(deadline=DEADLINE)
    case = make_case(
        programme,
        gender="Xenogender",
        ethnicity="Zorbian",
        language="Quenya",
        religion="Jediism",
        lead_team="Team Quokka",
        lead_social_worker=csc_lead,
    )
    FamilyMember.objects.create(case=case, initials="ZQM", relationship="Stepfather", age=41)
    ret = make_return(case, health, auditor=health_auditor)
    ret.amendment_reason = "ZQ's school attendance is missing"
    ret.save()

    notifications.notify_assigned(ret)
    notifications.notify_returned_for_amendment(ret)
    notifications.notify_escalation(
        make_escalation(ret, health_auditor, comment="ZQ disclosed a Stepfather's threat")
    )
    notifications.send_reminders(DEADLINE - timedelta(days=2))
    notifications.send_reminders(DEADLINE + timedelta(days=1))

    sent_kinds = set(Notification.objects.values_list("kind", flat=True))
    assert sent_kinds == set(NotificationKind)
    case_details = ["ZQ", "Xenogender", "Zorbian", "Quenya", "Jediism", "Quokka", "Stepfather"]
    for message in mailoutbox:
        text = f"{message.subject}\n{message.body}"
        assert "12345" in text
        for detail in case_details:
            assert detail not in text, f"{detail!r} in {message.subject!r}"


# Reminders and overdue notices ----------------------------------------------------------------


def test_a_reminder_is_sent_once_when_the_deadline_is_near(health, health_auditor, mailoutbox):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    assert notifications.send_reminders(DEADLINE - timedelta(days=8)) == 0
    assert notifications.send_reminders(DEADLINE - timedelta(days=7)) == 1
    assert notifications.send_reminders(DEADLINE - timedelta(days=7)) == 0
    assert notifications.send_reminders(DEADLINE - timedelta(days=3)) == 0

    [message] = mailoutbox
    assert message.to == [health_auditor.email]
    assert message.subject == "[OFFICIAL-SENSITIVE] Case audit due 31 March 2027: case 12345"
    assert "by 31 March 2027, in 7 days" in message.body
    assert f"{SITE_URL}/returns/{ret.pk}/" in message.body
    notification = ret.notifications.get()
    assert (notification.kind, notification.key) == (NotificationKind.REMINDER, "2027-03-31")


def test_a_reminder_on_the_deadline_day_says_today(health, health_auditor, mailoutbox):
    make_return(make_case(make_programme()), health, auditor=health_auditor)

    assert notifications.send_reminders(DEADLINE) == 1
    assert "due today, 31 March 2027" in mailoutbox[0].body


def test_a_moved_deadline_is_reminded_of_again(health, health_auditor, mailoutbox):
    programme = make_programme()
    make_return(make_case(programme), health, auditor=health_auditor)
    assert notifications.send_reminders(DEADLINE - timedelta(days=2)) == 1

    programme.return_deadline = DEADLINE + timedelta(days=14)
    programme.save()

    assert notifications.send_reminders(DEADLINE + timedelta(days=10)) == 1
    assert notifications.send_reminders(DEADLINE + timedelta(days=11)) == 0
    assert "14 April 2027" in mailoutbox[1].subject


def test_the_partnership_sets_how_many_days_before_the_deadline(health, health_auditor):
    make_return(make_case(make_programme()), health, auditor=health_auditor)
    set_reminder_days(14)

    assert notifications.send_reminders(DEADLINE - timedelta(days=15)) == 0
    assert notifications.send_reminders(DEADLINE - timedelta(days=14)) == 1


def test_an_overdue_return_gets_one_overdue_notice(health, health_auditor, mailoutbox):
    ret = make_return(make_case(make_programme()), health, auditor=health_auditor)

    assert notifications.send_reminders(DEADLINE + timedelta(days=1)) == 1
    assert notifications.send_reminders(DEADLINE + timedelta(days=2)) == 0

    [message] = mailoutbox
    assert message.subject == "[OFFICIAL-SENSITIVE] Case audit overdue: case 12345"
    assert "was due by 31 March 2027 and has not been submitted" in message.body
    notification = ret.notifications.get()
    assert (notification.kind, notification.key) == (NotificationKind.OVERDUE, "2027-03-31")


def test_a_reminded_return_still_gets_its_overdue_notice(health, health_auditor):
    make_return(make_case(make_programme()), health, auditor=health_auditor)

    assert notifications.send_deadline_notices(DEADLINE - timedelta(days=1)) == {
        NotificationKind.REMINDER: 1
    }
    assert notifications.send_deadline_notices(DEADLINE + timedelta(days=1)) == {
        NotificationKind.OVERDUE: 1
    }


def test_reminders_for_a_return_with_no_auditor_go_to_the_agency_leads(
    health, health_lead, yos_lead, mailoutbox
):
    make_return(make_case(make_programme()), health)

    assert notifications.send_reminders(DEADLINE) == 1
    assert recipients(mailoutbox) == [health_lead.email]


def test_returns_in_progress_and_returned_for_amendment_are_reminded(
    health, youth_offending, health_auditor, yos_lead, mailoutbox
):
    case = make_case(make_programme())
    make_return(case, health, auditor=health_auditor, status=ReturnStatus.IN_PROGRESS)
    make_return(case, youth_offending, status=ReturnStatus.RETURNED)

    assert notifications.send_reminders(DEADLINE) == 2
    assert recipients(mailoutbox) == [health_auditor.email, yos_lead.email]


@pytest.mark.parametrize("status", [ReturnStatus.SUBMITTED, ReturnStatus.CLOSED])
def test_no_reminder_or_overdue_notice_for_a_finished_return(status, health, health_auditor):
    make_return(make_case(make_programme()), health, auditor=health_auditor, status=status)

    assert notifications.send_reminders(DEADLINE) == 0
    assert notifications.send_reminders(DEADLINE + timedelta(days=1)) == 0


@pytest.mark.parametrize(
    "status",
    [
        ProgrammeStatus.PLANNING,
        ProgrammeStatus.MEETING,
        ProgrammeStatus.REPORTING,
        ProgrammeStatus.CLOSED,
    ],
)
def test_no_reminders_unless_the_programme_is_auditing(status, health, health_auditor):
    make_return(make_case(make_programme(status=status)), health, auditor=health_auditor)

    assert notifications.send_reminders(DEADLINE) == 0
    assert notifications.send_reminders(DEADLINE + timedelta(days=1)) == 0


def test_inactive_users_get_no_reminders(health, health_lead, mailoutbox):
    health_lead.is_active = False
    health_lead.save()
    make_return(make_case(make_programme()), health)

    assert notifications.send_reminders(DEADLINE) == 0
    assert Notification.objects.count() == 0


def test_a_failed_send_is_not_recorded_and_is_tried_again(
    monkeypatch, health, health_auditor, mailoutbox
):
    make_return(make_case(make_programme()), health, auditor=health_auditor)

    def refuse(message: EmailMessage, fail_silently: bool = False, *, using: str | None = None):
        raise ConnectionRefusedError("the mail server is down")

    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", refuse)
        assert notifications.send_reminders(DEADLINE) == 0
    assert Notification.objects.count() == 0

    assert notifications.send_reminders(DEADLINE) == 1
    assert len(mailoutbox) == 1
