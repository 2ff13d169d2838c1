"""Retention: the case details of programmes closed longer ago than the retention period are
anonymised, keeping what aggregate reporting needs.

What changes, case by case (docs/data-protection.md explains why):
- initials become "XX"; the case identifier becomes "ANON-<number>", so the child can no longer
  be found in the case-management system or linked across programmes;
- the date of birth is removed and the age at the audit date kept (age bands still work);
- gender and ethnicity are generalised to broad groups; language, religion, the lead team, the
  lead social worker and the referral date are removed; family members are deleted;
- everything written about the child is blanked: every answer's comment, evidence and date, the
  reasons a return was sent back, escalation comments and responses, the meeting's discussion
  of the case and the reasons for agreed grades, Word forms read into the return, and the
  details kept from a random draw;
- the old and new values in the history of those fields are replaced by a marker.

What stays: the programme, the category, the agencies, every grade, choice and "not
applicable", report keys, agreed grades, findings (with their themes and agencies), actions,
who did what and when, and the access log (which holds no case content).
"""

import getpass
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from caseaudit.activity.models import Change, RetentionRun
from caseaudit.audits.models import (
    Answer,
    Case,
    Escalation,
    FamilyMember,
    Programme,
    ProgrammeStatus,
    Return,
    SampleDraw,
)
from caseaudit.meetings.models import AgreedGrade, CaseDiscussion

ANONYMOUS_INITIALS = "XX"
REMOVED = "(removed after the retention period)"
# History rows whose values are kept: they hold no case detail.
KEPT_CASE_FIELDS = {"category", "opened_for_meeting", "status"}
ANSWER_TEXT_COLUMNS = (".text", ".evidence", ".date")

ETHNIC_GROUPS = (
    # (broad group, words that place a description in it), checked in this order
    ("Mixed or multiple ethnic groups", ("mixed", "multiple", "dual")),
    ("Asian or Asian British", ("asian", "indian", "pakistani", "bangladeshi", "chinese")),
    ("Black, Black British, Caribbean or African", ("black", "african", "caribbean")),
    ("White", ("white", "irish", "gypsy", "traveller", "roma")),
    ("Arab", ("arab",)),
)
OTHER_ETHNIC_GROUP = "Other ethnic group"


def generalise_ethnicity(value: str) -> str:
    """The broad group of the census classification, or blank when nothing was recorded."""
    words = value.casefold()
    if not words.strip() or "not" in words.split():
        return ""
    for group, markers in ETHNIC_GROUPS:
        if any(marker in words for marker in markers):
            return group
    return OTHER_ETHNIC_GROUP


def generalise_gender(value: str) -> str:
    word = value.strip().casefold()
    if not word:
        return ""
    if word in {"female", "f", "girl"}:
        return "Female"
    if word in {"male", "m", "boy"}:
        return "Male"
    return "Another gender or not known"


def months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = [31, 29 if year % 4 == 0 and (year % 100 or year % 400 == 0) else 28, 31, 30,
                31, 30, 31, 31, 30, 31, 30, 31][month - 1]  # fmt: skip
    return date(year, month, min(day.day, last_day))


def closed_on(programme: Programme) -> date:
    """The day the programme closed, from its history; a programme closed without one (loaded
    from elsewhere) counts from its meeting date, else its deadline."""
    closing = (
        Change.objects.filter(
            object_type=programme._meta.label_lower,
            object_id=programme.pk,
            field="status",
            new_value=ProgrammeStatus.CLOSED.value,
        )
        .order_by("-at")
        .first()
    )
    if closing is not None:
        return timezone.localdate(closing.at)
    return programme.meeting_date or programme.return_deadline


def anonymised_programme_ids() -> set[int]:
    done: set[int] = set()
    for programmes in RetentionRun.objects.filter(applied=True).values_list(
        "programmes", flat=True
    ):
        done.update(entry["id"] for entry in programmes)
    return done


@dataclass
class Plan:
    cutoff: date
    months: int
    programmes: list[tuple[Programme, date]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def plan(today: date | None = None, months: int | None = None) -> Plan:
    """The closed programmes past retention that are not anonymised yet."""
    months = settings.RETENTION_MONTHS if months is None else months
    cutoff = months_before(today or timezone.localdate(), months)
    found = Plan(cutoff=cutoff, months=months)
    done = anonymised_programme_ids()
    for programme in Programme.objects.filter(status=ProgrammeStatus.CLOSED).order_by("pk"):
        if programme.pk in done:
            continue
        closed = closed_on(programme)
        if closed < cutoff:
            found.programmes.append((programme, closed))
    found.counts = _counts([programme for programme, _ in found.programmes])
    return found


def _counts(programmes: list[Programme]) -> dict[str, int]:
    cases = Case.objects.filter(programme__in=programmes)
    returns = Return.objects.filter(case__in=cases)
    return {
        "programmes": len(programmes),
        "cases": cases.count(),
        "family_members": FamilyMember.objects.filter(case__in=cases).count(),
        "answers_with_text": _answers_with_text(returns).count(),
        "escalations": Escalation.objects.filter(ret__in=returns).count(),
        "discussions": CaseDiscussion.objects.filter(case__in=cases).count(),
    }


def _answers_with_text(returns: QuerySet[Return]) -> QuerySet[Answer]:
    return Answer.objects.filter(ret__in=returns).filter(
        ~Q(text="") | ~Q(evidence="") | Q(date__isnull=False)
    )


def run(*, apply: bool, today: date | None = None, months: int | None = None) -> RetentionRun:
    """Find what is due and, when `apply`, anonymise it; either way the run is logged."""
    with transaction.atomic():
        found = plan(today, months)
        if apply:
            if connection.vendor == "postgresql":
                # Lets this transaction, and only it, blank values in the history.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL caseaudit.redacting = 'on'")
            for programme, _closed in found.programmes:
                _anonymise_programme(programme)
        return RetentionRun.objects.create(
            applied=apply,
            run_by=_operator(),
            retention_months=found.months,
            cutoff=found.cutoff,
            programmes=[
                {"id": programme.pk, "title": programme.title, "closed_on": closed.isoformat()}
                for programme, closed in found.programmes
            ],
            counts=found.counts,
        )


def _operator() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this account (a container's numeric user)
        return "unknown"


def _anonymise_programme(programme: Programme) -> None:
    cases = list(programme.cases.all())
    for case in cases:
        _anonymise_case(case)
    draws = SampleDraw.objects.filter(programme=programme)
    _redact_history(draws, keep=set())
    draws.update(drawn_cases=[], drawn_identifiers=[])


def _anonymise_case(case: Case) -> None:
    age = case.age_at_audit
    Case.objects.filter(pk=case.pk).update(
        initials=ANONYMOUS_INITIALS,
        case_identifier=f"ANON-{case.pk}",
        date_of_birth=None,
        age=age,
        gender=generalise_gender(case.gender),
        ethnicity=generalise_ethnicity(case.ethnicity),
        language="",
        religion="",
        lead_team="",
        lead_social_worker=None,
        referral_date=None,
    )
    _redact_history(Case.objects.filter(pk=case.pk), keep=KEPT_CASE_FIELDS)
    FamilyMember.objects.filter(case=case).delete()

    returns = Return.objects.filter(case=case)
    Answer.objects.filter(ret__in=returns).update(text="", evidence="", date=None)
    returns.update(amendment_reason="")
    for ret in returns:
        _redact_answer_history(ret)
    escalations = Escalation.objects.filter(ret__in=returns)
    escalations.update(comment="", response="")
    _redact_history(escalations, keep={"raised"})
    discussions = CaseDiscussion.objects.filter(case=case)
    discussions.update(notes="", decisions="")
    _redact_history(discussions, keep=set())
    AgreedGrade.objects.filter(case=case).update(reason="")
    _clear_word_imports(returns)


def _clear_word_imports(returns: QuerySet[Return]) -> None:
    try:
        imported = apps.get_model("exchange", "ImportedDocument")
    except LookupError:
        return
    imported.objects.filter(ret__in=returns).update(values={}, report={}, file_name=REMOVED)


def _history(queryset: QuerySet[Any]) -> QuerySet[Change]:
    return Change.objects.filter(
        object_type=queryset.model._meta.label_lower,
        object_id__in=list(queryset.values_list("pk", flat=True)),
    )


def _redact_history(queryset: QuerySet[Any], *, keep: set[str]) -> None:
    _history(queryset).exclude(field__in=keep).update(old_value=REMOVED, new_value=REMOVED, note="")


def _redact_answer_history(ret: Return) -> None:
    rows = _history(Return.objects.filter(pk=ret.pk))
    text = Q()
    for column in ANSWER_TEXT_COLUMNS:
        text |= Q(field__endswith=column)
    rows.filter(text).update(old_value=REMOVED, new_value=REMOVED)
    rows.exclude(note="").update(note="")
