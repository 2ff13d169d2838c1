"""`caseaudit remind [--date YYYY-MM-DD]`: the daily reminders and overdue notices."""

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command, get_commands
from django.utils import timezone

from caseaudit.audits.models import ReturnStatus
from caseaudit.audits.tests.test_notifications import (
    DEADLINE,
    make_case,
    make_programme,
    make_return,
)

pytestmark = pytest.mark.django_db


def remind(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    call_command("remind", *args)
    return capsys.readouterr().out


def test_remind_is_a_command_of_the_audits_app() -> None:
    assert get_commands()["remind"] == "caseaudit.audits"


def test_it_reports_the_reminders_and_overdue_notices_sent(
    capsys, health, youth_offending, health_auditor, yos_lead, mailoutbox
):
    make_return(make_case(make_programme()), health, auditor=health_auditor)
    earlier = make_programme(deadline=DEADLINE - timedelta(days=14))
    make_return(make_case(earlier), youth_offending, status=ReturnStatus.IN_PROGRESS)

    output = remind(capsys, "--date", "2027-03-29")

    assert output == "2027-03-29: sent 1 reminder and 1 overdue notice.\n"
    assert len(mailoutbox) == 2


def test_running_it_twice_sends_nothing_the_second_time(
    capsys, health, health_auditor, health_lead, mailoutbox
):
    case = make_case(make_programme())
    make_return(case, health, auditor=health_auditor)

    assert remind(capsys, "--date", "2027-03-30") == (
        "2027-03-30: sent 1 reminder and 0 overdue notices.\n"
    )
    assert remind(capsys, "--date", "2027-03-30") == (
        "2027-03-30: sent 0 reminders and 0 overdue notices.\n"
    )
    assert len(mailoutbox) == 1


def test_it_sends_for_today_in_the_uk_by_default(capsys, health, health_auditor, mailoutbox):
    today = timezone.localdate()
    make_return(make_case(make_programme(deadline=today)), health, auditor=health_auditor)

    assert remind(capsys) == f"{today.isoformat()}: sent 1 reminder and 0 overdue notices.\n"


def test_a_badly_written_date_is_refused() -> None:
    with pytest.raises(CommandError, match="enter the date as YYYY-MM-DD, not '31/03/2027'"):
        call_command("remind", "--date", "31/03/2027")
