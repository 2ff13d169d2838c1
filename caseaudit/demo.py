"""The demo partnership: the six partner agencies of the learning summary, the business unit,
and one account per role (an agency lead and an auditor in each agency)."""

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction

from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits import actions as audit_actions
from caseaudit.audits.items import ItemKind, parts_for
from caseaudit.audits.models import (
    Case,
    CaseCategory,
    FamilyMember,
    Programme,
    ProgrammeStatus,
    Return,
    ReturnStatus,
)
from caseaudit.meetings import actions as meeting_actions
from caseaudit.meetings.models import Action as MeetingAction
from caseaudit.meetings.models import ExternalAudit, Finding, FindingKind, Theme

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105  # nosec B105 # printed on purpose: demo only
DEMO_DOMAIN = "demo.example"


@dataclass(frozen=True)
class DemoAgency:
    slug: str
    name: str
    kind: AgencyKind
    lead: str
    auditor: str


BUSINESS_UNIT = "Partnership Business Unit"
AGENCIES = (
    DemoAgency(
        "yos", "Youth Offending Service", AgencyKind.YOUTH_JUSTICE, "Dev Patel", "Sam Okafor"
    ),
    DemoAgency(
        "eis", "Early Intervention Service", AgencyKind.EARLY_HELP, "Rachel Green", "Tom Hughes"
    ),
    DemoAgency(
        "csc",
        "Children’s Social Care",
        AgencyKind.CHILDRENS_SOCIAL_CARE,
        "Helen Carter",
        "Marcus Reid",
    ),
    DemoAgency("health", "Health", AgencyKind.HEALTH, "Dr Aisha Khan", "Nadia Brooks"),
    DemoAgency(
        "sen",
        "Special Educational Needs Service",
        AgencyKind.EDUCATION,
        "Gareth Evans",
        "Lucy Fraser",
    ),
    DemoAgency("vs", "Virtual School", AgencyKind.EDUCATION, "Fiona Walsh", "Ben Adeyemi"),
)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    agency: str
    roles: tuple[str, ...]


def demo_accounts() -> list[DemoAccount]:
    accounts = [
        DemoAccount(f"coordinator@{DEMO_DOMAIN}", "Priya Shah", BUSINESS_UNIT, ("is_coordinator",)),
        DemoAccount(f"admin@{DEMO_DOMAIN}", "Alex Morgan", BUSINESS_UNIT, ("is_administrator",)),
        DemoAccount(f"board@{DEMO_DOMAIN}", "Jo Bennett", BUSINESS_UNIT, ("is_board_viewer",)),
    ]
    for agency in AGENCIES:
        accounts.append(
            DemoAccount(
                f"{agency.slug}.lead@{DEMO_DOMAIN}", agency.lead, agency.name, ("is_agency_lead",)
            )
        )
        accounts.append(
            DemoAccount(
                f"{agency.slug}.auditor@{DEMO_DOMAIN}", agency.auditor, agency.name, ("is_auditor",)
            )
        )
    return accounts


@transaction.atomic
def load_demo() -> list[DemoAccount]:
    """Create (or bring back) the demo partnership and its programmes. Safe to run again."""
    Agency.objects.update_or_create(
        name=BUSINESS_UNIT,
        defaults={"kind": AgencyKind.OTHER, "is_business_unit": True},
    )
    for agency in AGENCIES:
        Agency.objects.update_or_create(name=agency.name, defaults={"kind": agency.kind})
    agencies = {agency.name: agency for agency in Agency.objects.all()}
    accounts = demo_accounts()
    for account in accounts:
        user, created = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "agency": agencies[account.agency],
                "is_active": True,
                **dict.fromkeys(account.roles, True),
            },
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
    load_demo_programmes()
    return accounts


# Programmes ---------------------------------------------------------------------------------

CURRENT_PROGRAMME = "Multi-agency audit: children in need, autumn 2026"
EARLIER_PROGRAMME = "Multi-agency audit: neglect, spring 2026"


@dataclass(frozen=True)
class DemoCase:
    identifier: str
    initials: str
    gender: str
    born: date
    category: CaseCategory
    referral: date | None
    ethnicity: str
    religion: str
    family: tuple[tuple[str, str, int | None], ...]
    # agency slug → (tool key, status to reach)
    returns: tuple[tuple[str, str, ReturnStatus], ...]


FULL, SHORT = "children_in_need_full", "focused_support_short"
S = ReturnStatus

CURRENT_CASES = (
    DemoCase(
        "300412",
        "AB",
        "Female",
        date(2024, 6, 3),
        CaseCategory.CHILD_PROTECTION,
        date(2026, 2, 9),
        "White British",
        "None",
        (("CB", "mother", 23), ("DB", "brother", 5)),
        (("csc", FULL, S.SUBMITTED), ("health", FULL, S.SUBMITTED), ("eis", FULL, S.SUBMITTED)),
    ),
    DemoCase(
        "300587",
        "RK",
        "Male",
        date(2020, 3, 17),
        CaseCategory.CHILD_IN_NEED,
        date(2025, 11, 20),
        "Pakistani",
        "Muslim",
        (("SK", "mother", 34), ("AK", "father", 38)),
        (
            ("csc", FULL, S.SUBMITTED),
            ("health", SHORT, S.IN_PROGRESS),
            ("sen", SHORT, S.NOT_STARTED),
        ),
    ),
    DemoCase(
        "301022",
        "TM",
        "Female",
        date(2017, 9, 30),
        CaseCategory.CHILD_IN_NEED,
        date(2025, 4, 2),
        "Mixed White and Black Caribbean",
        "Christian",
        (("LM", "mother", 29),),
        (("csc", FULL, S.IN_PROGRESS), ("eis", FULL, S.SUBMITTED), ("health", SHORT, S.RETURNED)),
    ),
    DemoCase(
        "301356",
        "JW",
        "Male",
        date(2014, 1, 12),
        CaseCategory.LOOKED_AFTER,
        date(2023, 7, 14),
        "White British",
        "None",
        (("PW", "sister", 16),),
        (("csc", FULL, S.SUBMITTED), ("vs", FULL, S.SUBMITTED), ("health", SHORT, S.NOT_STARTED)),
    ),
    DemoCase(
        "301790",
        "ON",
        "Female",
        date(2011, 5, 8),
        CaseCategory.CHILD_PROTECTION,
        date(2026, 3, 1),
        "Black African",
        "Christian",
        (("FN", "mother", 41), ("EN", "brother", 12)),
        (("csc", FULL, S.NOT_STARTED), ("yos", FULL, S.IN_PROGRESS), ("sen", SHORT, S.SUBMITTED)),
    ),
    DemoCase(
        "302044",
        "LP",
        "Male",
        date(2008, 2, 20),
        CaseCategory.CARE_LEAVER,
        date(2022, 10, 5),
        "Polish",
        "Roman Catholic",
        (),
        (("csc", FULL, S.SUBMITTED), ("yos", FULL, S.SUBMITTED), ("vs", SHORT, S.IN_PROGRESS)),
    ),
)

EARLIER_CASES = (
    DemoCase(
        "300412",
        "AB",
        "Female",
        date(2024, 6, 3),
        CaseCategory.CHILD_IN_NEED,
        date(2026, 2, 9),
        "White British",
        "None",
        (("CB", "mother", 23),),
        (("csc", FULL, S.CLOSED), ("health", FULL, S.CLOSED)),
    ),
    DemoCase(
        "298730",
        "MH",
        "Male",
        date(2016, 8, 14),
        CaseCategory.CHILD_IN_NEED,
        date(2025, 1, 6),
        "White British",
        "None",
        (("GH", "grandmother", 61),),
        (("csc", FULL, S.CLOSED), ("eis", SHORT, S.CLOSED), ("health", SHORT, S.CLOSED)),
    ),
)

# Agencies differ in how they grade, so the meeting has disagreements to discuss.
AGENCY_GRADES = {"csc": 2, "health": 3, "eis": 2, "sen": 1, "vs": 2, "yos": 4}


def _answer_everything(ret: Return, by: User, grade: int, *, parts: int | None = None) -> None:
    for part in parts_for(ret)[:parts]:
        values: dict[str, dict[str, Any]] = {}
        for item in part.applicable_items:
            values[item.key] = {}
            for column in item.columns:
                if column == "grade":
                    values[item.key].update(grade=grade, not_applicable=False)
                elif column == "choice":
                    values[item.key]["choice"] = "yes"
                elif column == "date":
                    values[item.key]["date"] = date(2026, 9, 14)
                elif column == "evidence":
                    values[item.key][column] = "Case notes and plan review, September 2026"
                else:
                    values[item.key][column] = DEMO_TEXT.get(item.kind, "Seen in the record.")
        if values:
            audit_actions.save_answers(ret, part, values, by=by, expected_version=ret.version)


DEMO_TEXT = {
    ItemKind.QUESTION: "Recorded clearly; the agency's involvement is evidenced in the file.",
    ItemKind.JUDGEMENT: "The child's situation has improved and the plan is being followed.",
    ItemKind.OUTCOME: "Attending appointments; progress noted at the last review.",
}


def _create_programme(
    title: str,
    status: ProgrammeStatus,
    audit_date: date,
    cases: tuple[DemoCase, ...],
    coordinator: User,
) -> Programme:
    agencies = {agency.slug: Agency.objects.get(name=agency.name) for agency in AGENCIES}
    programme = Programme.objects.create(
        title=title,
        focus="How well agencies work together for children in need allocated to a social worker.",
        audit_date=audit_date,
        return_deadline=audit_date + timedelta(days=35),
        meeting_date=audit_date + timedelta(days=56),
        status=ProgrammeStatus.AUDITING,
        created_by=coordinator,
    )
    programme.agencies.set(agencies.values())
    csc_lead = User.objects.get(email=f"csc.lead@{DEMO_DOMAIN}")
    for demo in cases:
        case = Case.objects.create(
            programme=programme,
            case_identifier=demo.identifier,
            initials=demo.initials,
            gender=demo.gender,
            date_of_birth=demo.born,
            category=demo.category,
            referral_date=demo.referral,
            ethnicity=demo.ethnicity,
            language="English",
            religion=demo.religion,
            referring_agency=agencies["health"],
            lead_social_worker=csc_lead,
            lead_team="Children in need team 2",
        )
        for initials, relationship, age in demo.family:
            FamilyMember.objects.create(
                case=case, initials=initials, relationship=relationship, age=age
            )
        for slug, tool_key, target in demo.returns:
            auditor = User.objects.get(email=f"{slug}.auditor@{DEMO_DOMAIN}")
            ret = Return.objects.create(
                case=case,
                agency=agencies[slug],
                auditor=auditor,
                tool_version=ToolVersion.objects.published()
                .filter(tool_key=tool_key)
                .latest("version"),
            )
            _bring_to(ret, target, auditor, AGENCY_GRADES[slug])
    if status == ProgrammeStatus.CLOSED:
        _record_meeting(programme, coordinator)
    programme.status = status
    programme.save(update_fields=["status"])
    return programme


# The themes of the learning summary this partnership produced from its earlier audit.
STRENGTHS = (
    (
        "Timely assessments",
        "The assessment was completed within timescales and updated when circumstances changed.",
    ),
    (
        "Effective planning and decision making",
        "The child in need plan set clear objectives and decisions were recorded with reasons.",
    ),
    (
        "Regular management oversight and challenge",
        "Supervision notes show the manager challenging drift and setting deadlines.",
    ),
)
IMPROVEMENTS = (
    (
        "Sharing information about risk",
        "Information about risk held by health was not shared "
        "with children’s social care when it was needed.",
    ),
    (
        "Multi-agency input to child protection conferences",
        "Partner agencies did not send reports to the conference.",
    ),
)
THEMES_IN_COMMON = ("Neglect toolkit to be better embedded", "Joint planning could be stronger")


def _record_meeting(programme: Programme, coordinator: User) -> None:
    cases = list(programme.cases.order_by("case_identifier"))
    meeting_actions.open_cases_for_meeting(cases, by=coordinator)
    meeting = meeting_actions.meeting_for(programme)
    for agency in Agency.objects.filter(returns__case__programme=programme).distinct():
        lead = User.objects.get(agency=agency, is_agency_lead=True)
        meeting_actions.add_attendee(
            meeting, by=coordinator, name=lead.full_name, agency=agency, role="Agency lead"
        )
    themes = {
        name: Theme.objects.get_or_create(name=name)[0] for name, _ in STRENGTHS + IMPROVEMENTS
    } | {name: Theme.objects.get_or_create(name=name)[0] for name in THEMES_IN_COMMON}
    health = Agency.objects.get(name="Health")
    for index, case in enumerate(cases):
        meeting_actions.save_discussion(
            case,
            by=coordinator,
            notes="Agencies compared their returns; the grades were discussed section by section.",
            decisions="Agreed grades recorded below.",
        )
        meeting_actions.save_agreed_grades(
            case,
            {
                "planning": {
                    "grade": 2,
                    "not_applicable": False,
                    "reason": "The plan was clear; reviews were sometimes late.",
                },
                "overall": {"grade": 2, "not_applicable": False, "reason": ""},
            },
            by=coordinator,
        )
        strength_theme, strength = STRENGTHS[index % len(STRENGTHS)]
        meeting_actions.save_finding(
            Finding(programme=programme, case=case),
            by=coordinator,
            kind=FindingKind.STRENGTH,
            text=strength,
            report_keys=["planning"],
            agencies=[],
            themes=[themes[strength_theme]],
        )
        improvement_theme, improvement = IMPROVEMENTS[index % len(IMPROVEMENTS)]
        finding = meeting_actions.save_finding(
            Finding(programme=programme, case=case),
            by=coordinator,
            kind=FindingKind.AREA_FOR_IMPROVEMENT,
            text=improvement,
            report_keys=["response_to_referral"],
            agencies=[health],
            themes=[themes[improvement_theme], themes[THEMES_IN_COMMON[index % 2]]],
        )
        meeting_actions.save_action(
            MeetingAction(
                programme=programme,
                finding=finding,
                case=case,
                owner_agency=health,
                description="Share risk information with the social worker within one working "
                "day and record that it was shared.",
                due_date=programme.audit_date + timedelta(days=120 + 60 * index),
            ),
            by=coordinator,
            themes=finding.themes.all(),
        )
    audit = ExternalAudit(source=ExternalAudit.Source.SINGLE_AGENCY)
    meeting_actions.save_external_audit(
        audit,
        by=coordinator,
        title="Neglect audit (children’s social care)",
        held_on=date(2025, 10, 6),
        source=ExternalAudit.Source.SINGLE_AGENCY,
        notes="",
        themes=[themes[name] for name in THEMES_IN_COMMON],
    )


def _bring_to(ret: Return, target: ReturnStatus, auditor: User, grade: int) -> None:
    if target == ReturnStatus.NOT_STARTED:
        return
    if target == ReturnStatus.IN_PROGRESS:
        _answer_everything(ret, auditor, grade, parts=4)
        return
    _answer_everything(ret, auditor, grade)
    audit_actions.submit_return(ret, by=auditor, expected_version=ret.version)
    if target == ReturnStatus.RETURNED:
        lead = User.objects.get(agency=ret.agency, is_agency_lead=True)
        audit_actions.return_for_amendment(
            ret, by=lead, reason="Please add the dates of the health visits to the evidence."
        )
    elif target == ReturnStatus.CLOSED:
        Return.objects.filter(pk=ret.pk).update(status=ReturnStatus.CLOSED)


@transaction.atomic
def load_demo_programmes() -> None:
    """The current programme in the auditing stage, with returns in every state, and an
    earlier programme already closed. Left alone if already there."""
    coordinator = User.objects.get(email=f"coordinator@{DEMO_DOMAIN}")
    if not Programme.objects.filter(title=EARLIER_PROGRAMME).exists():
        _create_programme(
            EARLIER_PROGRAMME, ProgrammeStatus.CLOSED, date(2026, 3, 2), EARLIER_CASES, coordinator
        )
    if not Programme.objects.filter(title=CURRENT_PROGRAMME).exists():
        _create_programme(
            CURRENT_PROGRAMME,
            ProgrammeStatus.AUDITING,
            date(2026, 11, 2),
            CURRENT_CASES,
            coordinator,
        )
