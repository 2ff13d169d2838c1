import pytest
from django.core.management import call_command

from caseaudit.accounts.models import Agency, Role, User
from caseaudit.demo import AGENCIES, DEMO_PASSWORD, load_demo

pytestmark = pytest.mark.django_db


def test_demo_has_the_six_partner_agencies_and_the_business_unit() -> None:
    load_demo()
    names = set(Agency.objects.values_list("name", flat=True))
    assert names == {agency.name for agency in AGENCIES} | {"Partnership Business Unit"}
    assert Agency.objects.get(is_business_unit=True).name == "Partnership Business Unit"


def test_demo_has_an_account_for_every_role_and_a_lead_and_auditor_per_agency() -> None:
    load_demo()
    for role in Role:
        assert User.objects.with_role(role).exists(), role
    for agency in Agency.objects.filter(is_business_unit=False):
        assert agency.users.filter(is_agency_lead=True).count() == 1
        assert agency.users.filter(is_auditor=True).count() == 1


def test_demo_loads_twice_without_duplicates_and_restores_passwords() -> None:
    load_demo()
    user = User.objects.get(email="coordinator@demo.example")
    user.set_password("something-else-entirely")
    user.save()
    load_demo()
    assert User.objects.count() == 15
    user.refresh_from_db()
    assert user.check_password(DEMO_PASSWORD)


def test_demo_command_prints_every_account(capsys) -> None:
    call_command("demo")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for user in User.objects.all():
        assert user.email in out


def test_demo_has_a_six_case_programme_in_auditing_with_returns_in_every_state() -> None:
    from caseaudit.audits.models import Programme, ProgrammeStatus, Return, ReturnStatus
    from caseaudit.demo import CURRENT_PROGRAMME, EARLIER_PROGRAMME

    load_demo()
    current = Programme.objects.get(title=CURRENT_PROGRAMME)
    assert current.status == ProgrammeStatus.AUDITING
    ages = sorted(case.age_at_audit for case in current.cases.all())
    assert ages == [2, 6, 9, 12, 15, 18]
    agencies = set(
        Return.objects.filter(case__programme=current).values_list("agency__name", flat=True)
    )
    assert agencies == {agency.name for agency in AGENCIES}
    statuses = set(Return.objects.filter(case__programme=current).values_list("status", flat=True))
    assert {
        ReturnStatus.NOT_STARTED,
        ReturnStatus.IN_PROGRESS,
        ReturnStatus.SUBMITTED,
        ReturnStatus.RETURNED,
    } <= statuses
    earlier = Programme.objects.get(title=EARLIER_PROGRAMME)
    assert earlier.status == ProgrammeStatus.CLOSED
    assert set(Return.objects.filter(case__programme=earlier).values_list("status", flat=True)) == {
        ReturnStatus.CLOSED
    }
    load_demo()
    assert Programme.objects.count() == 2


def test_the_closed_programme_has_a_meeting_with_findings_themes_and_actions() -> None:
    from caseaudit.demo import EARLIER_PROGRAMME
    from caseaudit.meetings.models import Action, Finding, Theme

    load_demo()
    findings = Finding.objects.filter(programme__title=EARLIER_PROGRAMME)
    assert {finding.kind for finding in findings} == {"strength", "improvement"}
    assert Action.objects.filter(programme__title=EARLIER_PROGRAMME).count() == 2
    in_common = Theme.objects.get(name="Neglect toolkit to be better embedded")
    assert in_common.findings.exists() and in_common.external_audits.exists()
