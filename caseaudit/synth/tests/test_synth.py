from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.audits.items import parts_for, problems
from caseaudit.audits.models import Answer, Case, Programme, Return, ReturnStatus
from caseaudit.meetings.models import Action, AgreedGrade, CaseDiscussion, Finding
from caseaudit.synth.builder import build_partnership, programme_count

TODAY = date(2026, 11, 23)
CASES = 40


class Rollback(Exception):
    pass


@pytest.fixture
def partnership(db: None) -> dict[str, int]:
    return build_partnership(CASES, seed=7, today=TODAY)


def test_the_partnership_has_the_cases_and_programmes_asked_for(partnership):
    assert Case.objects.count() == CASES
    assert Programme.objects.count() == programme_count(CASES)
    assert partnership["audits.Case"] == CASES
    assert partnership["audits.Answer"] == Answer.objects.count()
    assert Agency.objects.filter(is_business_unit=True).count() == 1
    assert User.objects.filter(is_coordinator=True).exists()


def test_returns_are_in_every_state(partnership):
    statuses = Counter(Return.objects.values_list("status", flat=True))
    assert set(statuses) == set(ReturnStatus.values)


def test_every_case_has_two_or_more_agencies_one_return_each(partnership):
    for case in Case.objects.prefetch_related("returns"):
        agencies = [ret.agency_id for ret in case.returns.all()]
        assert len(agencies) >= 2
        assert len(agencies) == len(set(agencies))


def test_every_answer_fits_its_tools_item(partnership):
    returns = Return.objects.select_related("tool_version", "agency", "case__programme")
    for ret in returns.prefetch_related("answers"):
        parts = parts_for(ret)
        items = {item.key: item for part in parts for item in part.applicable_items}
        answers = {answer.item_key: answer for answer in ret.answers.all()}
        for key, answer in answers.items():
            item = items[key]  # only items the form shows this agency
            assert answer.report_key == item.report_key
            if answer.grade is not None or answer.not_applicable:
                assert "grade" in item.columns
            if answer.not_applicable:
                assert item.allow_not_applicable and answer.grade is None
            if answer.grade is not None:
                assert 1 <= answer.grade <= 4
            if answer.choice:
                assert "choice" in item.columns
                assert answer.choice in {"yes", "no", "not_known"}
            if answer.date:
                assert "date" in item.columns
            if answer.text:
                assert "text" in item.columns
            if answer.evidence:
                assert "evidence" in item.columns
        if ret.status == ReturnStatus.NOT_STARTED:
            assert not answers and ret.submitted_at is None
        elif ret.status == ReturnStatus.IN_PROGRESS:
            assert answers and ret.submitted_at is None
        else:
            assert problems(parts, answers) == []  # complete, as submitting requires
            assert ret.submitted_at is not None and ret.submitted_by_id is not None


def test_meetings_agree_grades_and_code_findings_to_themes(partnership):
    discussed = Case.objects.filter(discussion__isnull=False)
    assert discussed.exists()
    assert not CaseDiscussion.objects.filter(case__opened_for_meeting_at__isnull=True).exists()
    assert set(AgreedGrade.objects.values_list("case", flat=True)) <= set(
        discussed.values_list("pk", flat=True)
    )
    findings = Finding.objects.prefetch_related("themes", "agencies")
    assert findings.exists()
    for finding in findings:
        assert finding.themes.exists()
        assert finding.case is not None and finding.case.programme_id == finding.programme_id
    for action in Action.objects.select_related("finding"):
        assert action.finding is not None
        assert action.owner_agency in action.finding.agencies.all()


def test_programme_agencies_are_those_with_returns(partnership):
    for programme in Programme.objects.prefetch_related("agencies"):
        with_returns = set(
            Return.objects.filter(case__programme=programme).values_list("agency", flat=True)
        )
        assert {agency.pk for agency in programme.agencies.all()} == with_returns


def test_new_rows_after_the_build_get_fresh_keys(partnership):
    agency = Agency.objects.create(name="Probation Service", kind=AgencyKind.OTHER)
    assert agency.pk > Agency.objects.exclude(pk=agency.pk).order_by("-pk")[0].pk


def _fingerprint() -> list[tuple]:
    return list(
        Answer.objects.order_by("ret_id", "item_key").values_list(
            "ret_id", "item_key", "text", "evidence", "grade", "not_applicable", "choice", "date"
        )
    ) + list(Case.objects.order_by("pk").values_list("case_identifier", "initials", "category"))


def test_the_same_seed_builds_the_same_partnership(db):
    prints = []
    for _ in range(2):
        with pytest.raises(Rollback), transaction.atomic():
            build_partnership(12, seed=3, today=TODAY)
            prints.append(_fingerprint())
            raise Rollback
    assert prints[0] == prints[1]
    assert prints[0]


def test_the_command_builds_and_refuses_a_database_with_data(db):
    out = StringIO()
    call_command("synth", "--cases", "8", "--seed", "2", "--today", "2026-11-23", stdout=out)
    assert "Built 8 cases" in out.getvalue()
    assert Case.objects.count() == 8
    with pytest.raises(CommandError, match="empty database"):
        call_command("synth", "--cases", "8", stdout=StringIO())
    assert Case.objects.count() == 8


def test_the_command_needs_a_positive_number_of_cases(db):
    with pytest.raises(CommandError):
        call_command("synth", "--cases", "0", stdout=StringIO(), stderr=StringIO())
