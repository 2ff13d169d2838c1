import pytest

from caseaudit.audits.tests.factories import (
    make_case,
    make_family_member,
    make_programme,
    make_return,
)


@pytest.fixture
def case(db):
    case = make_case(make_programme(), identifier="100001", ethnicity="White British")
    make_family_member(case, "AB", "mother", 34)
    return case


@pytest.fixture
def ret(case, health, health_auditor):
    """Health's return on the case, assigned to the Health auditor, not started."""
    return make_return(case, health, auditor=health_auditor)
