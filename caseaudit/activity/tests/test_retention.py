from datetime import date

import pytest
from django.core.management import call_command

from caseaudit.activity import retention
from caseaudit.activity.models import Change, RetentionRun
from caseaudit.audits.models import Answer, Case, FamilyMember, Programme, ProgrammeStatus
from caseaudit.demo import CURRENT_PROGRAMME, EARLIER_PROGRAMME, load_demo
from caseaudit.meetings.models import AgreedGrade, CaseDiscussion, Finding

pytestmark = pytest.mark.django_db

# The demo's earlier programme closed (meeting) in April 2026: past 24 months by June 2028.
LATER = date(2028, 6, 1)


@pytest.fixture
def demo() -> dict[str, Programme]:
    load_demo()
    return {
        "closed": Programme.objects.get(title=EARLIER_PROGRAMME),
        "current": Programme.objects.get(title=CURRENT_PROGRAMME),
    }


def grades(programme: Programme) -> list[tuple]:
    return list(
        Answer.objects.filter(ret__case__programme=programme)
        .order_by("pk")
        .values_list("pk", "report_key", "grade", "not_applicable", "choice")
    )


def test_a_dry_run_changes_nothing_and_is_logged(demo) -> None:
    before = list(Case.objects.values().order_by("pk"))
    run = retention.run(apply=False, today=LATER, months=24)
    assert list(Case.objects.values().order_by("pk")) == before
    assert run.applied is False
    assert [entry["title"] for entry in run.programmes] == [EARLIER_PROGRAMME]
    assert run.counts["cases"] == demo["closed"].cases.count() > 0
    assert RetentionRun.objects.count() == 1


def test_nothing_is_due_before_the_period_ends(demo) -> None:
    run = retention.run(apply=True, today=date(2027, 6, 1), months=24)
    assert run.programmes == []
    assert not Case.objects.filter(initials="XX").exists()


def test_applying_anonymises_the_case_details_and_keeps_what_reports_need(demo) -> None:
    closed = demo["closed"]
    cases_before = {case.pk: case for case in closed.cases.all()}
    grades_before = grades(closed)
    agreed_before = list(AgreedGrade.objects.filter(case__programme=closed).values_list("grade"))
    findings_before = list(
        Finding.objects.filter(programme=closed).values_list("pk", "kind", "text", "themes")
    )
    current_before = list(demo["current"].cases.values())

    run = retention.run(apply=True, today=LATER, months=24)

    assert run.applied and run.counts["family_members"] > 0
    for case in closed.cases.all():
        old = cases_before[case.pk]
        assert case.initials == "XX"
        assert case.case_identifier == f"ANON-{case.pk}"
        assert case.date_of_birth is None and case.age == old.age_at_audit
        assert (case.language, case.religion, case.lead_team) == ("", "", "")
        assert case.ethnicity == retention.generalise_ethnicity(old.ethnicity)
        assert case.gender in {"Female", "Male", "Another gender or not known", ""}
        assert case.lead_social_worker_id is None and case.referral_date is None
        assert case.category == old.category
        history = list(
            Change.objects.filter(object_type="audits.case", object_id=case.pk).values_list(
                "old_value", "new_value"
            )
        )
        assert old.case_identifier not in repr(history), "the history keeps no identifier"
    assert not FamilyMember.objects.filter(case__programme=closed).exists()
    answers = Answer.objects.filter(ret__case__programme=closed)
    assert not answers.exclude(text="").exists()
    assert not answers.exclude(evidence="").exists()
    assert grades(closed) == grades_before, "grades, choices and report keys are kept"
    assert (
        list(AgreedGrade.objects.filter(case__programme=closed).values_list("grade"))
        == agreed_before
    )
    assert not AgreedGrade.objects.filter(case__programme=closed).exclude(reason="").exists()
    assert not CaseDiscussion.objects.filter(case__programme=closed).exclude(notes="").exists()
    assert (
        list(Finding.objects.filter(programme=closed).values_list("pk", "kind", "text", "themes"))
        == findings_before
    )
    text_history = Change.objects.filter(
        object_type="audits.return",
        object_id__in=[ret.pk for case in closed.cases.all() for ret in case.returns.all()],
        field__endswith=".text",
    )
    assert text_history.exists()
    assert set(text_history.values_list("new_value", flat=True)) == {retention.REMOVED}
    assert list(demo["current"].cases.values()) == current_before, "open programmes untouched"


def test_a_programme_is_anonymised_once(demo) -> None:
    retention.run(apply=True, today=LATER, months=24)
    again = retention.run(apply=False, today=LATER, months=24)
    assert again.programmes == []
    assert RetentionRun.objects.count() == 2


def test_the_closing_day_comes_from_the_history(demo) -> None:
    from caseaudit.accounts.models import User

    closed = demo["closed"]
    coordinator = User.objects.get(email="coordinator@demo.example")
    Change.objects.create(
        actor=coordinator,
        object_type="audits.programme",
        object_id=closed.pk,
        field="status",
        old_value=ProgrammeStatus.REPORTING.value,
        new_value=ProgrammeStatus.CLOSED.value,
        at=retention.timezone.make_aware(retention.timezone.datetime(2028, 1, 10, 12)),
    )
    assert retention.closed_on(closed) == date(2028, 1, 10)
    assert retention.run(apply=False, today=LATER, months=24).programmes == []


def test_the_command_is_a_dry_run_unless_told(demo) -> None:
    from io import StringIO

    out = StringIO()
    call_command("retention", "--date", "2028-06-01", stdout=out)
    text = out.getvalue()
    assert EARLIER_PROGRAMME in text and "Dry run: nothing changed" in text
    assert not Case.objects.filter(initials="XX").exists()
    out = StringIO()
    call_command("retention", "--date", "2028-06-01", "--apply", stdout=out)
    assert "Anonymised:" in out.getvalue()
    assert Case.objects.filter(initials="XX").count() == demo["closed"].cases.count()


@pytest.mark.parametrize(
    ("described", "group"),
    [
        ("White British", "White"),
        ("Mixed White and Black Caribbean", "Mixed or multiple ethnic groups"),
        ("Pakistani", "Asian or Asian British"),
        ("Black African", "Black, Black British, Caribbean or African"),
        ("Kurdish", "Other ethnic group"),
        ("", ""),
        ("Not known", ""),
    ],
)
def test_ethnicity_is_generalised_to_the_broad_census_groups(described, group) -> None:
    assert retention.generalise_ethnicity(described) == group


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2028, 6, 1), 24, date(2026, 6, 1)),
        (date(2028, 2, 29), 12, date(2027, 2, 28)),
        (date(2028, 1, 31), 1, date(2027, 12, 31)),
        (date(2028, 3, 31), 1, date(2028, 2, 29)),
    ],
)
def test_months_are_counted_back_by_the_calendar(day, months, expected) -> None:
    assert retention.months_before(day, months) == expected
