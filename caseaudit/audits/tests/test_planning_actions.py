"""The planning actions: each refuses what the programme's state forbids, runs in one
transaction and keeps a history row for every change."""

from datetime import date

import pytest
from django.db import IntegrityError

from caseaudit.activity.models import Change
from caseaudit.audit_tools.actions import create_draft
from caseaudit.audit_tools.models import ToolSource
from caseaudit.audits import planning
from caseaudit.audits.case_import import CaseRow, FamilyMemberRow
from caseaudit.audits.models import Case, ProgrammeStatus, Return, ReturnStatus, SampleDraw
from caseaudit.audits.tests.factories import (
    full_tool,
    make_case,
    make_planning_programme,
    make_programme,
    make_return,
)

pytestmark = pytest.mark.django_db


def history(obj) -> list[tuple[str, object, object]]:
    return [
        (change.field, change.old_value, change.new_value)
        for change in Change.objects.filter(
            object_type=obj._meta.label_lower, object_id=obj.pk
        ).order_by("pk")
    ]


def values(**changes):
    return {
        "title": "Neglect audit",
        "focus": "",
        "audit_date": date(2026, 8, 29),
        "window_months_before_audit": 18,
        "window_months_before_referral": 6,
        "return_deadline": date(2026, 9, 30),
        "meeting_date": None,
        "review_threshold_months": 6,
        **changes,
    }


def test_creating_a_programme_records_its_details(coordinator, health) -> None:
    programme = planning.create_programme(values(), [health], by=coordinator)
    assert programme.status == ProgrammeStatus.PLANNING
    assert history(programme) == [
        ("created", None, "Neglect audit"),
        ("title", None, "Neglect audit"),
        ("audit_date", None, "2026-08-29"),
        ("window_months_before_audit", None, 18),
        ("window_months_before_referral", None, 6),
        ("return_deadline", None, "2026-09-30"),
        ("review_threshold_months", None, 6),
        ("agencies", [], ["Health"]),
    ]


def test_updating_a_programme_records_only_what_changed(coordinator, health, police) -> None:
    programme = planning.create_programme(values(), [health], by=coordinator)
    before = Change.objects.count()
    planning.update_programme(
        programme, values(meeting_date=date(2026, 10, 14)), [health, police], by=coordinator
    )
    assert history(programme)[-2:] == [
        ("meeting_date", None, "2026-10-14"),
        ("agencies", ["Health"], ["Health", "Police"]),
    ]
    assert Change.objects.count() == before + 2


def test_an_agency_with_assignments_stays_in_the_programme(coordinator, health, police) -> None:
    programme = make_planning_programme(health, police)
    make_return(make_case(programme), health)
    with pytest.raises(planning.PlanningError, match="Health cannot leave the programme"):
        planning.update_programme(programme, values(title="Renamed"), [police], by=coordinator)
    programme.refresh_from_db()
    assert programme.title != "Renamed"  # the whole change is rolled back
    assert set(programme.agencies.all()) == {health, police}


def test_a_closed_programme_refuses_every_change(coordinator, health) -> None:
    programme = make_programme(status=ProgrammeStatus.CLOSED)
    programme.agencies.set([health])
    case = make_case(programme)
    ret = make_return(case, health)
    attempts = [
        lambda: planning.update_programme(programme, values(), [health], by=coordinator),
        lambda: planning.change_programme_status(programme, "planning", by=coordinator),
        lambda: planning.save_case(case, {"initials": "KT"}, [], by=coordinator),
        lambda: planning.import_cases(
            programme, [CaseRow("X", "JS", "child_in_need")], by=coordinator
        ),
        lambda: planning.assign_agency(
            case, agency=health, tool_version=full_tool(), auditor=None, by=coordinator
        ),
        lambda: planning.remove_assignment(ret, by=coordinator),
    ]
    for attempt in attempts:
        with pytest.raises(planning.PlanningError):
            attempt()


def test_saving_a_case_sets_its_family_to_exactly_the_rows_given(coordinator, health) -> None:
    programme = make_planning_programme(health)
    case = planning.save_case(
        Case(programme=programme),
        {"case_identifier": "CS-1", "initials": "JS", "category": "child_in_need", "age": 0},
        [FamilyMemberRow("AB", "mother", 34), FamilyMemberRow("CD", "brother", 7)],
        by=coordinator,
    )
    mother, _ = case.family_members.all()
    assert ("age", None, 0) in history(case)  # a zero age is a value, not a blank

    planning.save_case(
        case,
        {"initials": "JS"},
        [FamilyMemberRow("AB", "mother", 35, member_id=mother.pk), FamilyMemberRow("EF", "aunt")],
        by=coordinator,
    )
    assert [str(member) for member in case.family_members.all()] == [
        "AB (mother, 35)",
        "EF (aunt)",
    ]
    assert case.family_members.first().pk == mother.pk
    assert history(case)[-1] == (
        "family_members",
        ["AB (mother, 34)", "CD (brother, 7)"],
        ["AB (mother, 35)", "EF (aunt)"],
    )


def test_an_import_adds_every_case_or_none(coordinator, health) -> None:
    programme = make_planning_programme(health)
    rows = [
        CaseRow("CS-1", "JS", "child_in_need", family_members=(FamilyMemberRow("AB", "mother"),)),
        CaseRow("CS-2", "KT", "care_leaver", age=19),
    ]
    cases = planning.import_cases(programme, rows, by=coordinator)
    assert [case.case_identifier for case in cases] == ["CS-1", "CS-2"]
    assert cases[0].family_members.count() == 1

    with pytest.raises(IntegrityError):
        planning.import_cases(
            programme, [CaseRow("CS-3", "JS", "child_in_need"), rows[0]], by=coordinator
        )
    assert not programme.cases.filter(case_identifier="CS-3").exists()


def test_a_draw_is_kept_and_its_cases_added_once(coordinator, health) -> None:
    programme = make_planning_programme(health)
    eligible = [
        CaseRow(f"CS-{n}", "JS", "child_in_need", date_of_birth=date(2014, 3, n + 1))
        for n in range(10)
    ]
    draw = planning.draw_sample(
        programme, eligible, n=3, seed=99, stratify_by="none", by=coordinator
    )
    assert SampleDraw.objects.get() == draw
    assert history(draw) == [("drawn", None, draw.drawn_identifiers)]

    added, left_out = planning.add_drawn_cases(draw, by=coordinator)
    assert [case.case_identifier for case in added] == draw.drawn_identifiers
    assert left_out == []
    chosen = {row.case_identifier: row for row in eligible}
    for case in added:
        assert case.date_of_birth == chosen[case.case_identifier].date_of_birth
    with pytest.raises(planning.PlanningError, match="already been added"):
        planning.add_drawn_cases(draw, by=coordinator)


def test_assignments_follow_the_programme_the_tool_and_the_agency(
    coordinator, health, police, youth_offending, health_auditor
) -> None:
    case = make_case(make_planning_programme(health, police))
    draft = create_draft(full_tool().tool, by=coordinator, source=ToolSource.IMPORTED)
    refused = [
        ({"agency": youth_offending}, "does not take part in this programme"),
        ({"agency": health, "tool_version": draft}, "Only a published tool version"),
        ({"agency": police, "auditor": health_auditor}, "is not an auditor in Police"),
    ]
    for arguments, message in refused:
        arguments = {"tool_version": full_tool(), "auditor": None, **arguments}
        with pytest.raises(planning.PlanningError, match=message):
            planning.assign_agency(case, by=coordinator, **arguments)
    planning.assign_agency(
        case, agency=health, tool_version=full_tool(), auditor=health_auditor, by=coordinator
    )
    with pytest.raises(planning.PlanningError, match="already assigned"):
        planning.assign_agency(
            case, agency=health, tool_version=full_tool(), auditor=None, by=coordinator
        )
    assert Return.objects.get().status == ReturnStatus.NOT_STARTED


def test_a_started_return_cannot_be_unassigned(coordinator, health) -> None:
    ret = make_return(make_case(make_planning_programme(health)), health)
    for status in (ReturnStatus.IN_PROGRESS, ReturnStatus.SUBMITTED, ReturnStatus.RETURNED):
        Return.objects.filter(pk=ret.pk).update(status=status)
        with pytest.raises(planning.PlanningError, match="has started"):
            planning.remove_assignment(ret, by=coordinator)
    assert Return.objects.filter(pk=ret.pk).exists()
