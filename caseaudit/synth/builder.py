"""A synthetic partnership for benchmarks and scale tests: agencies, people, programmes over
several years, cases, assignments, returns in every state with answers and grades, meeting
records, agreed grades, findings coded to themes, and actions.

Everything is drawn from one seeded `random.Random` in a fixed order, so the same seed, size and
date build the same partnership. Rows go in with `bulk_create` and primary keys chosen here,
in one transaction. Synthetic data has no history: no `activity.Change` or `AccessEvent` rows
are written for it, because nobody did any of it (the history of real work is written by each
app's actions, one row at a time, which would take hours at this scale).
"""

import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple, TypeVar

from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from caseaudit.accounts.models import Agency, AgencyKind, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.items import Item, ItemKind, parts_for
from caseaudit.audits.models import (
    Answer,
    Case,
    CaseCategory,
    Escalation,
    FamilyMember,
    Programme,
    ProgrammeStatus,
    Return,
    ReturnStatus,
)
from caseaudit.meetings.models import (
    Action,
    ActionStatus,
    ActionUpdate,
    AgreedGrade,
    Attendee,
    CaseDiscussion,
    ExternalAudit,
    Finding,
    FindingKind,
    Meeting,
    Theme,
)
from caseaudit.synth import texts

FULL_TOOL = "children_in_need_full"
SHORT_TOOL = "focused_support_short"
MAX_PROGRAMMES = 20  # quarterly programmes over five years
MIN_CASES_PER_PROGRAMME = 6
FLUSH_EVERY = 50_000  # answers held in memory before they are written

M = TypeVar("M", bound=models.Model)


class NotEmpty(Exception):
    """Synthetic data goes into an empty partnership only."""


# Item plans ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemPlan:
    """What one item of a tool needs, worked out once per tool and agency."""

    key: str
    kind: ItemKind
    report_key: str
    columns: frozenset[str]
    allow_not_applicable: bool
    escalates: bool


def _plan(item: Item) -> ItemPlan:
    source = item.source
    return ItemPlan(
        key=item.key,
        kind=item.kind,
        report_key=item.report_key,
        columns=frozenset(item.columns),
        allow_not_applicable=item.allow_not_applicable,
        escalates=bool(getattr(source, "escalate_on", None)),
    )


class AnswerRow(NamedTuple):
    """One answer, in the columns of `audits.Answer` (less its id)."""

    ret_id: int
    item_key: str
    report_key: str
    text: str
    evidence: str
    grade: int | None
    not_applicable: bool
    choice: str
    date: date | None


ANSWER_COLUMNS = AnswerRow._fields


def _column(model: type[models.Model], name: str) -> str:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field) or not found.column:
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return found.column


def insert_answers(rows: Sequence[AnswerRow]) -> None:
    """Answers are nine rows in ten of a partnership. `bulk_create` spends most of its time
    building model instances and compiling SQL (measured: three quarters of the build), so the
    answers go through the database's own bulk path: COPY on PostgreSQL, one prepared INSERT
    run for every row on SQLite."""
    table = connection.ops.quote_name(Answer._meta.db_table)
    columns = [_column(Answer, name) for name in ANSWER_COLUMNS]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[union-attr]
                for row in rows:
                    copy.write_row(row)
            return
        adapt = connection.ops.adapt_datefield_value
        placeholders = ", ".join(["%s"] * len(columns))
        # The table and column names come from the model, never from input.
        insert = " ".join(("INSERT INTO", table, f"({names})", "VALUES", f"({placeholders})"))
        cursor.executemany(insert, [(*row[:-1], adapt(row.date)) for row in rows])


SAFE_CHOICES = (("yes", 0.94), ("no", 0.02), ("not_known", 0.04))
OTHER_CHOICES = (("yes", 0.72), ("no", 0.22), ("not_known", 0.06))


# Choosing -----------------------------------------------------------------------------------


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    point = rng.random() * sum(weight for _, weight in options)
    for value, weight in options:
        point -= weight
        if point < 0:
            return value
    return options[-1][0]


def _at(day: date, rng: random.Random) -> datetime:
    moment = time(hour=rng.randint(8, 17), minute=rng.randint(0, 59))
    return timezone.make_aware(datetime.combine(day, moment))


@dataclass
class Counts:
    rows: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, name: str, n: int = 1) -> None:
        self.rows[name] += n


@dataclass
class ProgrammePlan:
    programme: Programme
    status: ProgrammeStatus
    cases: int


class Builder:
    def __init__(self, cases: int, seed: int, today: date, log: Callable[[str], None]) -> None:
        self.n_cases = cases
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311 # synthetic data, not secrets
        self.today = today
        self.log = log
        self.counts = Counts()
        self.next_ids: dict[type[models.Model], int] = {}
        self.pending: dict[type[models.Model], list[models.Model]] = defaultdict(list)
        self.plans: dict[tuple[int, bool, bool], list[list[ItemPlan]]] = {}
        self.escalating: set[str] = set()
        self.answer_rows: list[AnswerRow] = []
        self.unusable_password = make_password(None)
        self.children: list[tuple[str, str, date | None, str, str]] = []
        self.used_identifiers: set[str] = set()
        self.programme_identifiers: set[str] = set()
        self.user_number = 0

    # Rows ---------------------------------------------------------------------------------

    def new_id(self, model: type[models.Model]) -> int:
        if model not in self.next_ids:
            highest = model._default_manager.aggregate(highest=Max("pk"))["highest"]
            self.next_ids[model] = (highest or 0) + 1
        value = self.next_ids[model]
        self.next_ids[model] = value + 1
        return value

    def add(self, obj: M) -> M:
        model = type(obj)
        obj.pk = self.new_id(model)
        self.pending[model].append(obj)
        return obj

    def link(self, through: type[models.Model], **ids: int) -> None:
        self.add(through(**ids))

    def flush(self) -> None:
        for model, objs in self.pending.items():
            if objs:
                model._default_manager.bulk_create(objs)
                self.counts.add(model._meta.label, len(objs))
                objs.clear()
        if self.answer_rows:
            insert_answers(self.answer_rows)
            self.counts.add(Answer._meta.label, len(self.answer_rows))
            self.answer_rows.clear()

    # The partnership ----------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        if Programme.objects.exists() or Agency.objects.exists():
            raise NotEmpty("the database already holds agencies or programmes")
        self.tools = {
            key: ToolVersion.objects.published().filter(tool_key=key).latest("version")
            for key in (FULL_TOOL, SHORT_TOOL)
        }
        self.agencies()
        self.people()
        self.themes()
        self.flush()
        for index, plan in enumerate(self.programmes()):
            self.log(f"programme {index + 1}: {plan.cases} cases, {plan.status} ({plan.programme})")
            self.fill_programme(plan)
        self.external_audits()
        self.flush()
        self.reset_sequences()
        return dict(sorted(self.counts.rows.items()))

    def agencies(self) -> None:
        self.business_unit = self.add(
            Agency(name=texts.BUSINESS_UNIT, kind=AgencyKind.OTHER, is_business_unit=True)
        )
        self.partner_agencies = [
            self.add(Agency(name=name, kind=kind)) for name, kind, _, _ in texts.AGENCIES
        ]
        self.participation = {
            agency.pk: chances
            for agency, (_, _, chances, _) in zip(
                self.partner_agencies, texts.AGENCIES, strict=True
            )
        }
        self.full_share = {
            agency.pk: share
            for agency, (_, _, _, share) in zip(self.partner_agencies, texts.AGENCIES, strict=True)
        }

    def person_name(self) -> str:
        return f"{self.rng.choice(texts.FIRST_NAMES)} {self.rng.choice(texts.SURNAMES)}"

    def user(self, agency: Agency, **roles: bool) -> User:
        name = self.person_name()
        self.user_number += 1
        number = self.user_number
        local = name.lower().replace(" ", ".").replace("'", "")
        kind = AgencyKind(agency.kind)
        user = User(
            email=f"{local}.{number}@synth.example",
            full_name=name,
            job_title=self.rng.choice(texts.JOB_TITLES[kind]),
            agency_id=agency.pk,
            password=self.unusable_password,
            date_joined=_at(self.today - timedelta(days=6 * 365), self.rng),
            **roles,
        )
        return self.add(user)

    def people(self) -> None:
        unit = self.business_unit
        self.coordinators = [self.user(unit, is_coordinator=True) for _ in range(3)]
        self.user(unit, is_administrator=True)
        for _ in range(2):
            self.user(unit, is_board_viewer=True)
        auditors_each = max(2, min(30, self.n_cases // 300 + 2))
        self.leads: dict[int, User] = {}
        self.auditors: dict[int, list[User]] = {}
        for agency in self.partner_agencies:
            self.leads[agency.pk] = self.user(agency, is_agency_lead=True)
            self.auditors[agency.pk] = [
                self.user(agency, is_auditor=True) for _ in range(auditors_each)
            ]
        csc = self.partner_agencies[0]
        self.social_workers = [self.leads[csc.pk], *self.auditors[csc.pk]]

    def themes(self) -> None:
        self.theme_rows = [
            self.add(
                Theme(
                    name=name,
                    description=description,
                    created_at=_at(self.today - timedelta(days=6 * 365), self.rng),
                )
            )
            for name, description, _, _ in texts.THEMES
        ]
        # Some themes come up far more often than others.
        self.theme_weights = [1.0 / (1 + index * 0.25) for index in range(len(self.theme_rows))]

    def programmes(self) -> Iterable[ProgrammePlan]:
        count = max(1, min(MAX_PROGRAMMES, self.n_cases // MIN_CASES_PER_PROGRAMME))
        base, extra = divmod(self.n_cases, count)
        newest = self.today - timedelta(days=21)
        for index in range(count):  # oldest first
            back = count - 1 - index
            audit_date = _months_before(newest, 3 * back)
            status = (
                ProgrammeStatus.AUDITING
                if back == 0
                else ProgrammeStatus.MEETING
                if back == 1
                else ProgrammeStatus.REPORTING
                if back == 2
                else ProgrammeStatus.CLOSED
            )
            topic, focus = texts.FOCI[index % len(texts.FOCI)]
            season = texts.SEASONS[audit_date.month]
            programme = self.add(
                Programme(
                    title=f"Multi-agency audit: {topic}, {season} {audit_date.year}",
                    focus=focus,
                    audit_date=audit_date,
                    return_deadline=audit_date + timedelta(days=35),
                    meeting_date=audit_date + timedelta(days=56),
                    status=status,
                    created_by_id=self.coordinators[0].pk,
                    created_at=_at(audit_date - timedelta(days=42), self.rng),
                )
            )
            theme = self.rng.choices(self.theme_rows, self.theme_weights)[0]
            self.link(Theme.programmes.through, theme_id=theme.pk, programme_id=programme.pk)
            yield ProgrammePlan(programme, status, base + (1 if index < extra else 0))

    # One programme ------------------------------------------------------------------------

    def fill_programme(self, plan: ProgrammePlan) -> None:
        programme = plan.programme
        taking_part: set[int] = set()
        self.programme_identifiers = set()
        meeting = None
        if plan.status != ProgrammeStatus.AUDITING:
            held_on = programme.meeting_date or programme.audit_date
            meeting = self.add(
                Meeting(
                    programme_id=programme.pk,
                    held_on=held_on,
                    decisions="Findings and actions agreed as recorded.",
                    created_at=_at(held_on, self.rng),
                )
            )
        for _ in range(plan.cases):
            case = self.case(programme)
            grades, agency_ids = self.case_returns(plan, case)
            taking_part.update(agency_ids)
            if meeting is not None:
                self.meeting_case(plan, meeting, case, grades, agency_ids)
            if len(self.answer_rows) >= FLUSH_EVERY:
                self.flush()
        for agency_id in sorted(taking_part):
            self.link(Programme.agencies.through, programme_id=programme.pk, agency_id=agency_id)
            if meeting is not None:
                lead = self.leads[agency_id]
                self.add(
                    Attendee(
                        meeting_id=meeting.pk,
                        name=lead.full_name,
                        agency_id=agency_id,
                        role="Agency lead",
                    )
                )
        if meeting is not None:
            coordinator = self.coordinators[0]
            self.add(
                Attendee(
                    meeting_id=meeting.pk,
                    name=coordinator.full_name,
                    agency_id=self.business_unit.pk,
                    role="Chair",
                )
            )
        self.flush()

    def identifier(self) -> str:
        while True:
            candidate = str(self.rng.randint(100_000, 999_999))
            if candidate not in self.used_identifiers:
                self.used_identifiers.add(candidate)
                return candidate

    def case(self, programme: Programme) -> Case:
        rng = self.rng
        category = _weighted(rng, texts.CATEGORIES)
        youngest, oldest = texts.CATEGORY_AGES[category]
        audit_date = programme.audit_date
        if self.children and rng.random() < 0.05:
            # The same child audited again: the identifier links them across programmes.
            identifier, initials, born, gender, ethnicity = rng.choice(self.children)
            if identifier in self.programme_identifiers:
                identifier = self.identifier()
        else:
            identifier = self.identifier()
            initials = rng.choice(texts.INITIAL_LETTERS) + rng.choice(texts.INITIAL_LETTERS)
            if rng.random() < 0.1:
                initials = initials[0] + rng.choice(texts.INITIAL_LETTERS) + initials[1]
            age_days = rng.randint(youngest * 365 + 30, oldest * 365 + 330)
            born = audit_date - timedelta(days=age_days)
            gender = _weighted(rng, texts.GENDERS)
            ethnicity = _weighted(rng, texts.ETHNICITIES)
            self.children.append((identifier, initials, born, gender, ethnicity))
        self.programme_identifiers.add(identifier)
        recorded_born = born if rng.random() < 0.95 else None
        age = None
        if recorded_born is None and born is not None:
            age = max(0, (audit_date - born).days // 365)
        earliest = max(born or audit_date, audit_date - timedelta(days=5 * 365))
        span = max(30, (audit_date - earliest).days)
        referral = audit_date - timedelta(days=rng.randint(30, span)) if span > 30 else None
        case = self.add(
            Case(
                programme_id=programme.pk,
                case_identifier=identifier,
                initials=initials,
                gender=gender,
                date_of_birth=recorded_born,
                age=age,
                ethnicity=ethnicity,
                language=_weighted(rng, texts.LANGUAGES),
                religion=_weighted(rng, texts.RELIGIONS),
                category=category,
                referral_date=referral,
                lead_social_worker_id=rng.choice(self.social_workers).pk,
                lead_team=rng.choice(texts.TEAMS[category]),
                created_at=_at(audit_date - timedelta(days=40), rng),
            )
        )
        self.family(case, initials)
        return case

    def family(self, case: Case, initials: str) -> None:
        rng = self.rng
        surname = initials[-1]
        members: list[tuple[str, int | None]] = []
        if rng.random() < 0.88:
            members.append(("mother", rng.randint(19, 48)))
        if rng.random() < 0.45:
            members.append(("father", rng.randint(20, 55)))
        for _ in range(_weighted(rng, ((0, 0.35), (1, 0.35), (2, 0.2), (3, 0.1)))):
            members.append((rng.choice(("brother", "sister")), rng.randint(0, 19)))
        if rng.random() < 0.12:
            members.append((rng.choice(("grandmother", "grandfather")), rng.randint(50, 80)))
        for relationship, age in members:
            self.add(
                FamilyMember(
                    case_id=case.pk,
                    initials=rng.choice(texts.INITIAL_LETTERS) + surname,
                    relationship=relationship,
                    age=age if rng.random() < 0.9 else None,
                )
            )

    # Returns and answers ------------------------------------------------------------------

    def agencies_for(self, case: Case) -> list[Agency]:
        column = texts.CATEGORY_INDEX[CaseCategory(case.category)]
        chosen = [
            agency
            for agency in self.partner_agencies
            if self.rng.random() < self.participation[agency.pk][column]
        ]
        others = [a for a in self.partner_agencies if a not in chosen]
        while len(chosen) < 2:
            pick = self.rng.choice(others)
            others.remove(pick)
            chosen.append(pick)
        return sorted(chosen, key=lambda agency: agency.pk)

    def return_status(self, status: ProgrammeStatus) -> ReturnStatus:
        s = ReturnStatus
        options = {
            ProgrammeStatus.AUDITING: (
                (s.NOT_STARTED, 0.2),
                (s.IN_PROGRESS, 0.3),
                (s.SUBMITTED, 0.42),
                (s.RETURNED, 0.08),
            ),
            ProgrammeStatus.MEETING: (
                (s.NOT_STARTED, 0.03),
                (s.IN_PROGRESS, 0.05),
                (s.SUBMITTED, 0.88),
                (s.RETURNED, 0.04),
            ),
            ProgrammeStatus.REPORTING: ((s.NOT_STARTED, 0.03), (s.SUBMITTED, 0.97)),
            ProgrammeStatus.CLOSED: ((s.NOT_STARTED, 0.03), (s.CLOSED, 0.97)),
        }[status]
        return ReturnStatus(_weighted(self.rng, options))

    def item_plans(self, tool: ToolVersion, agency: Agency, case: Case) -> list[list[ItemPlan]]:
        """The applicable items of each part, as the form shows them to this agency."""
        is_csc = agency.kind == AgencyKind.CHILDRENS_SOCIAL_CARE
        referring = case.referring_agency_id == agency.pk
        key = (tool.pk, is_csc, referring)
        if key not in self.plans:
            probe = Return(tool_version=tool, agency=agency, case=case)
            self.plans[key] = [
                [_plan(item) for item in part.applicable_items]
                for part in parts_for(probe)
                if part.applies
            ]
            self.escalating.update(
                item.key for items in self.plans[key] for item in items if item.escalates
            )
        return self.plans[key]

    def case_returns(
        self, plan: ProgrammePlan, case: Case
    ) -> tuple[dict[str, list[int]], list[int]]:
        """The case's returns with their answers; the submitted grades by report key and the
        agencies taking part."""
        rng = self.rng
        programme = plan.programme
        agencies = self.agencies_for(case)
        partners = [a for a in agencies if a.kind != AgencyKind.CHILDRENS_SOCIAL_CARE]
        if partners and rng.random() < 0.7:
            # The case row is still waiting to be written, so this goes in with it.
            case.referring_agency_id = rng.choice(partners).pk
        # How well this child's case was handled, and the partnership getting better each year.
        quality = rng.gauss(0, 0.55) + 0.08 * (self.today - programme.audit_date).days / 365
        grades: dict[str, list[int]] = defaultdict(list)
        for agency in agencies:
            full = rng.random() < self.full_share[agency.pk]
            tool = self.tools[FULL_TOOL if full else SHORT_TOOL]
            status = self.return_status(plan.status)
            auditors = self.auditors[agency.pk]
            auditor = rng.choice(auditors) if rng.random() < 0.9 else None
            author = auditor or self.leads[agency.pk]
            assigned = programme.audit_date - timedelta(days=14)
            worked = programme.audit_date + timedelta(days=rng.randint(0, 34))
            ret = self.add(
                Return(
                    case_id=case.pk,
                    agency_id=agency.pk,
                    tool_version_id=tool.pk,
                    auditor_id=auditor.pk if auditor else None,
                    status=status,
                    created_at=_at(assigned, rng),
                    updated_at=_at(worked, rng),
                )
            )
            parts = self.item_plans(tool, agency, case)
            if status == ReturnStatus.NOT_STARTED:
                ret.updated_at = ret.created_at
                continue
            answered = len(parts)
            if status == ReturnStatus.IN_PROGRESS:
                answered = rng.randint(1, len(parts) - 1)
            # The agency's habit (some grade generously) and this auditor's view of the case.
            leaning = (agency.pk % 5 - 2) * 0.12
            answers = self.answers(ret, parts[:answered], quality + leaning, author, agency, worked)
            ret.version = 1 + answered
            if status in (ReturnStatus.SUBMITTED, ReturnStatus.CLOSED, ReturnStatus.RETURNED):
                ret.version += 1
                ret.submitted_at = ret.updated_at
                ret.submitted_by_id = author.pk
            if status == ReturnStatus.RETURNED:
                ret.version += 1
                ret.amendment_reason = rng.choice(texts.AMENDMENT_REASONS)
            if status in (ReturnStatus.SUBMITTED, ReturnStatus.CLOSED):
                for row in answers:
                    if row.report_key and row.grade is not None:
                        grades[row.report_key].append(row.grade)
            self.escalate(ret, answers, author, programme)
        return grades, [agency.pk for agency in agencies]

    def answers(
        self,
        ret: Return,
        parts: list[list[ItemPlan]],
        quality: float,
        author: User,
        agency: Agency,
        worked: date,
    ) -> list[AnswerRow]:
        rng = self.rng
        rows = []
        for items in parts:
            for item in items:
                columns = item.columns
                grade = None
                not_applicable = False
                choice = ""
                day = None
                text = evidence = ""
                if "grade" in columns:
                    if item.allow_not_applicable and rng.random() < 0.04:
                        not_applicable = True
                    else:
                        grade = min(4, max(1, round(2.35 + quality + rng.gauss(0, 0.6))))
                if "choice" in columns:
                    choice = _weighted(rng, SAFE_CHOICES if item.escalates else OTHER_CHOICES)
                if "date" in columns:
                    day = worked
                    if item.kind != ItemKind.FIELD:
                        day -= timedelta(days=rng.randint(7, 240))
                if "text" in columns:
                    text = self.text(item, author, agency)
                if "evidence" in columns and rng.random() < 0.85:
                    seen = worked - timedelta(days=rng.randint(1, 540))
                    evidence = rng.choice(texts.EVIDENCE).format(date=f"{seen:%d/%m/%Y}")
                if text or evidence or grade is not None or not_applicable or choice or day:
                    # An optional item left blank is never saved, as on the form.
                    rows.append(
                        AnswerRow(
                            ret.pk,
                            item.key,
                            item.report_key,
                            text,
                            evidence,
                            grade,
                            not_applicable,
                            choice,
                            day,
                        )
                    )
        self.answer_rows.extend(rows)
        return rows

    def text(self, item: ItemPlan, author: User, agency: Agency) -> str:
        rng = self.rng
        kind = item.kind
        if kind == ItemKind.FIELD:
            return {
                "practitioner_name": self.person_name(),
                "practitioner_team": agency.name,
                "auditor_name": author.full_name,
                "auditor_job_title": author.job_title,
                "auditor_agency": agency.name,
            }.get(item.key, agency.name)
        if kind == ItemKind.EQUALITY:
            return rng.choice(texts.ANSWER_TEXT["equality"]) if rng.random() < 0.35 else ""
        if kind == ItemKind.KEY_QUESTION:
            return rng.choice(texts.ANSWER_TEXT["key_question"]) if rng.random() < 0.5 else ""
        if kind == ItemKind.TEXT:
            chance = 0.85 if item.key == "recommendations" else 0.3
            pool = "recommendations" if item.key == "recommendations" else "feedback"
            return rng.choice(texts.ANSWER_TEXT[pool]) if rng.random() < chance else ""
        pool = {ItemKind.JUDGEMENT: "judgement", ItemKind.OUTCOME: "outcome"}.get(kind, "question")
        if kind == ItemKind.OVERALL and rng.random() < 0.5:
            return ""
        return rng.choice(texts.ANSWER_TEXT[pool])

    def escalate(
        self, ret: Return, answers: list[AnswerRow], author: User, programme: Programme
    ) -> None:
        for answer in answers:
            if answer.item_key not in self.escalating or answer.choice not in ("no", "not_known"):
                continue
            raised = ret.updated_at
            still_open = programme.status == ProgrammeStatus.AUDITING and self.rng.random() < 0.3
            csc_lead = self.leads[self.partner_agencies[0].pk]
            self.add(
                Escalation(
                    ret_id=ret.pk,
                    item_key=answer.item_key,
                    answer=answer.choice,
                    comment=answer.text,
                    raised_at=raised,
                    raised_by_id=author.pk,
                    response=""
                    if still_open
                    else "Spoke to the social worker: the child was seen the same day.",
                    responded_at=None if still_open else raised + timedelta(hours=20),
                    responded_by_id=None if still_open else csc_lead.pk,
                )
            )

    # The meeting --------------------------------------------------------------------------

    def meeting_case(
        self,
        plan: ProgrammePlan,
        meeting: Meeting,
        case: Case,
        grades: dict[str, list[int]],
        agencies: list[int],
    ) -> None:
        rng = self.rng
        held = _at(meeting.held_on, rng)
        if plan.status == ProgrammeStatus.MEETING and rng.random() < 0.25:
            return  # not opened yet
        case.opened_for_meeting_at = held - timedelta(days=7)
        if plan.status == ProgrammeStatus.MEETING and rng.random() < 0.4:
            return  # opened, not discussed yet
        self.add(
            CaseDiscussion(
                meeting_id=meeting.pk,
                case_id=case.pk,
                notes=rng.choice(texts.DISCUSSION_NOTES),
                decisions="Agreed grades recorded below.",
            )
        )
        for report_key in sorted(grades):
            given = sorted(grades[report_key])
            agreed = given[len(given) // 2]
            if rng.random() < 0.15:
                agreed = min(4, max(1, agreed + rng.choice((-1, 1))))
            disagreed = given[-1] - given[0] >= 2
            self.add(
                AgreedGrade(
                    case_id=case.pk,
                    report_key=report_key,
                    grade=agreed,
                    reason="Agencies differed; agreed after looking at the evidence together."
                    if disagreed
                    else "",
                )
            )
        keys = sorted(grades) or ["overall"]
        strengths = _weighted(rng, ((0, 0.2), (1, 0.5), (2, 0.3)))
        improvements = _weighted(rng, ((0, 0.15), (1, 0.5), (2, 0.35)))
        for kind, n in (
            (FindingKind.STRENGTH, strengths),
            (FindingKind.AREA_FOR_IMPROVEMENT, improvements),
        ):
            for _ in range(n):
                self.finding(plan, case, held, kind, agencies, keys)

    def finding(
        self,
        plan: ProgrammePlan,
        case: Case,
        held: datetime,
        kind: FindingKind,
        agencies: list[int],
        keys: list[str],
    ) -> None:
        rng = self.rng
        themes = list(
            dict.fromkeys(
                rng.choices(self.theme_rows, self.theme_weights, k=1 if rng.random() < 0.6 else 2)
            )
        )
        index = self.theme_rows.index(themes[0])
        _, _, strength, improvement = texts.THEMES[index]
        concerned = sorted(rng.sample(agencies, k=min(len(agencies), rng.randint(1, 2))))
        finding = self.add(
            Finding(
                programme_id=plan.programme.pk,
                case_id=case.pk,
                kind=kind,
                text=strength if kind == FindingKind.STRENGTH else improvement,
                report_keys=sorted(rng.sample(keys, k=min(len(keys), rng.randint(1, 2)))),
                created_by_id=self.coordinators[0].pk,
                created_at=held,
            )
        )
        for agency_id in concerned:
            self.link(Finding.agencies.through, finding_id=finding.pk, agency_id=agency_id)
        for theme in themes:
            self.link(Finding.themes.through, finding_id=finding.pk, theme_id=theme.pk)
        if kind == FindingKind.AREA_FOR_IMPROVEMENT and rng.random() < 0.7:
            self.action(plan, case, finding, held, concerned[0], themes)

    def action(
        self,
        plan: ProgrammePlan,
        case: Case,
        finding: Finding,
        held: datetime,
        agency_id: int,
        themes: list[Theme],
    ) -> None:
        rng = self.rng
        due = held.date() + timedelta(days=rng.randint(60, 180))
        if due < self.today - timedelta(days=180):
            chances = ((ActionStatus.DONE, 0.85), (ActionStatus.IN_PROGRESS, 0.1), ("open", 0.05))
        elif due < self.today:
            chances = ((ActionStatus.DONE, 0.5), (ActionStatus.IN_PROGRESS, 0.3), ("open", 0.2))
        else:
            chances = ((ActionStatus.DONE, 0.1), (ActionStatus.IN_PROGRESS, 0.4), ("open", 0.5))
        status = ActionStatus(_weighted(rng, chances))
        lead = self.leads.get(agency_id)
        action = self.add(
            Action(
                programme_id=plan.programme.pk,
                finding_id=finding.pk,
                case_id=case.pk,
                description=rng.choice(texts.ACTION_TEXT),
                owner_agency_id=agency_id,
                owner_id=lead.pk if lead else None,
                due_date=due,
                status=status,
                completion_evidence="Dip sample of ten cases shows the change."
                if status == ActionStatus.DONE
                else "",
                created_by_id=self.coordinators[0].pk,
                created_at=held,
            )
        )
        for theme in themes:
            self.link(Action.themes.through, action_id=action.pk, theme_id=theme.pk)
        if status != ActionStatus.OPEN and lead is not None:
            latest = min(self.today, due)
            days = max(1, (latest - held.date()).days)
            self.add(
                ActionUpdate(
                    action_id=action.pk,
                    at=held + timedelta(days=rng.randint(1, days)),
                    by_id=lead.pk,
                    note=rng.choice(texts.ACTION_UPDATES),
                    status=status,
                )
            )

    def external_audits(self) -> None:
        for years_ago, title, source in (
            (4, "Neglect audit (children’s social care)", ExternalAudit.Source.SINGLE_AGENCY),
            (3, "Serious case review: Child P", ExternalAudit.Source.SERIOUS_CASE_REVIEW),
            (6, "Paper audit of child protection plans", ExternalAudit.Source.PAPER_AUDIT),
        ):
            audit = self.add(
                ExternalAudit(
                    title=title,
                    held_on=self.today - timedelta(days=365 * years_ago),
                    source=source,
                )
            )
            for theme in self.rng.sample(self.theme_rows[:8], k=3):
                self.link(
                    ExternalAudit.themes.through, externalaudit_id=audit.pk, theme_id=theme.pk
                )

    def reset_sequences(self) -> None:
        """Primary keys were chosen here: let the database's own counters carry on after them."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.next_ids))
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def _months_before(day: date, months: int) -> date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, 28))


def build_partnership(
    cases: int,
    *,
    seed: int = 1,
    today: date | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict[str, int]:
    """Build a synthetic partnership of `cases` cases in an empty database, in one transaction.
    Returns the number of rows written by model."""
    if cases < 1:
        raise ValueError("at least one case")
    builder = Builder(cases, seed, today or timezone.localdate(), log)
    with transaction.atomic():
        counts = builder.build()
    analyse()
    return counts


def analyse() -> None:
    """Fresh planner statistics, so the first queries after a bulk load are planned on the
    data that is there, as autovacuum would leave a database in use (on PostgreSQL, VACUUM
    also marks the pages all-visible, which index-only scans need)."""
    # VACUUM cannot run inside a transaction (a test's, for one): ANALYZE alone there.
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    statement = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        cursor.execute(statement)


def programme_count(cases: int) -> int:
    return max(1, min(MAX_PROGRAMMES, cases // MIN_CASES_PER_PROGRAMME))
