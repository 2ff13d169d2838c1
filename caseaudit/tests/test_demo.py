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
