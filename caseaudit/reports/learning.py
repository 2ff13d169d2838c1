"""The learning summary ("Eyes on" briefing): the parts drafted from the data, the frozen
content of a published edition, and the check that the practitioners' edition names no case."""

import re
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from caseaudit.audits.models import Case, FamilyMember, Programme
from caseaudit.meetings.models import Action, FindingKind, Theme
from caseaudit.reports import aggregates
from caseaudit.reports.aggregates import ReportFilter
from caseaudit.reports.models import Audience, Branding, LearningSummary, Resource
from caseaudit.reports.suppression import count as small_count

NUMBER_WORDS = ("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight", "Nine")
LIST_PARTS = (
    "partners",
    "strengths",
    "improvements",
    "common_themes",
    "actions_agreed",
    "manager_points",
    "practitioner_points",
    "key_messages",
)
TEXT_PARTS = ("introduction", "why", "when_and_how", "aim", "reflection")
DRAFTED_PARTS = (
    "when_and_how",
    "aim",
    "partners",
    "strengths",
    "improvements",
    "common_themes",
    "actions_agreed",
)
# "Direction: ensure that…" — a few words before a colon are the point's bold label.
LABELLED = re.compile(r"^(?P<label>[^:]{1,40}):\s+(?P<text>.+)$")


@dataclass(frozen=True)
class Point:
    label: str
    text: str


def points(text: str) -> list[dict[str, str]]:
    """One point per non-blank line; "Label: text" gives the point a bold label."""
    found = []
    for line in text.splitlines():
        line = line.strip().lstrip("-•*").strip()
        if not line:
            continue
        match = LABELLED.match(line)
        if match and len(match["label"].split()) <= 6:
            found.append({"label": match["label"].strip(), "text": match["text"].strip()})
        else:
            found.append({"label": "", "text": line})
    return found


def paragraphs(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]


def _count_words(n: int, noun: str, plural: str | None = None) -> str:
    word = NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)
    return f"{word} {noun if n == 1 else plural or noun + 's'}"


def draft_parts(programme: Programme) -> dict[str, str]:
    """The parts of the summary the data can write: cases and ages, tools, partners,
    strengths and areas for improvement by theme, themes in common, actions agreed."""
    facts = aggregates.programme_facts(programme)
    ages = ""
    if facts.youngest is not None and facts.oldest is not None:
        ages = (
            f" of children and young people aged {facts.youngest} to {facts.oldest}"
            if facts.youngest != facts.oldest
            else f" of children aged {facts.youngest}"
        )
    tools = ""
    if facts.tools:
        tool_list = " and ".join(facts.tools)
        tools = (
            f" {_count_words(len(facts.tools), 'audit tool')} "
            f"{'was' if len(facts.tools) == 1 else 'were'} used: {tool_list}."
        )
    meeting = (
        f" on {programme.meeting_date:%-d %B %Y}" if programme.meeting_date is not None else ""
    )
    when_and_how = (
        f"In {programme.audit_date:%B %Y} the partnership audited "
        f"{facts.cases} case file{'s' if facts.cases != 1 else ''}{ages}.{tools} "
        "Each partner audited its own files, followed by a multi-agency meeting"
        f"{meeting} to discuss the conclusions of the audits."
    )
    return {
        "when_and_how": when_and_how,
        "aim": programme.focus,
        "partners": "\n".join(facts.agencies),
        "strengths": "\n".join(_themes_of(programme, FindingKind.STRENGTH)),
        "improvements": "\n".join(_themes_of(programme, FindingKind.AREA_FOR_IMPROVEMENT)),
        "common_themes": "\n".join(common_themes(programme)),
        "actions_agreed": "\n".join(
            f"{action.description} ({action.owner_agency.name}, by {action.due_date:%-d %B %Y})"
            for action in Action.objects.filter(programme=programme)
            .select_related("owner_agency")
            .order_by("due_date", "pk")
        ),
    }


def _themes_of(programme: Programme, kind: str) -> list[str]:
    """Themes of one kind of finding, the most frequent first."""
    themes = (
        Theme.objects.filter(findings__programme=programme, findings__kind=kind)
        .annotate(n=Count("findings", distinct=True))
        .order_by("-n", "name")
    )
    return [theme.name for theme in themes]


def common_themes(programme: Programme) -> list[str]:
    """Themes of this programme's findings also found in another programme or in an audit
    held outside the system."""
    here = Theme.objects.filter(findings__programme=programme).values("pk")
    themes = (
        Theme.objects.filter(pk__in=here)
        .annotate(
            elsewhere=Count(
                "findings__programme",
                filter=~Q(findings__programme=programme),
                distinct=True,
            )
            + Count("external_audits", distinct=True)
        )
        .filter(elsewhere__gte=1)
        .order_by("-elsewhere", "name")
    )
    return [theme.name for theme in themes]


def start_summary(programme: Programme, *, by: Any) -> LearningSummary:
    """The programme's summary, drafted from the data the first time it is saved."""
    summary, created = LearningSummary.objects.get_or_create(
        programme=programme, defaults={**draft_parts(programme), "updated_by": by}
    )
    if created:
        summary.resources.set(Resource.objects.filter(is_active=True))
    return summary


def summary_to_show(programme: Programme, *, by: Any) -> LearningSummary:
    """The programme's summary or, before it is first saved, the draft `start_summary` would
    save, unsaved: looking at it writes nothing."""
    found = LearningSummary.objects.filter(programme=programme).first()
    return found or LearningSummary(programme=programme, **draft_parts(programme), updated_by=by)


def summary_resources(summary: LearningSummary) -> QuerySet[Resource]:
    """The reminders and resources the summary carries (a draft not yet saved: the active
    ones, which saving it gives it)."""
    chosen = summary.resources.all() if summary.pk else Resource.objects.filter(is_active=True)
    return chosen.order_by("position", "title")


def grade_chart(programme: Programme, *, suppressed: bool) -> dict[str, Any]:
    """The agencies' overall grades for their own work, as bars (small counts hidden in the
    edition that goes beyond the partnership)."""
    heat = aggregates.heat_map(Programme.objects.filter(pk=programme.pk), ReportFilter())
    summary = heat.overall.get("overall")
    distribution = dict(summary.distribution) if summary else {}
    bars = []
    for value, label in aggregates.grade_scale():
        n = distribution.get(value, 0)
        shown = small_count(n) if suppressed else None
        bars.append(
            {
                "grade": value,
                "label": f"{value} {label}",
                "count": None if shown is not None and shown.hidden else n,
                "text": shown.text if shown is not None else str(n),
            }
        )
    return {
        "title": "Overall judgement of each agency’s own work: grades given",
        "bars": bars,
    }


def _case_rows(programme: Programme) -> list[dict[str, Any]]:
    cases = (
        Case.objects.filter(programme=programme)
        .annotate(age_now=aggregates.age_at_audit())
        .prefetch_related("returns__agency", "agreed_grades", "findings__themes")
        .order_by("case_identifier")
    )
    rows = []
    for case in cases:
        agreed = {a.report_key: a for a in case.agreed_grades.all()}
        overall = agreed.get("overall")
        rows.append(
            {
                "identifier": case.case_identifier,
                "initials": case.initials,
                "age": case.age_now,  # type: ignore[attr-defined]
                "category": case.get_category_display(),
                "agencies": sorted({ret.agency.name for ret in case.returns.all()}),
                "overall": (
                    "Not applicable"
                    if overall and overall.not_applicable
                    else str(overall.grade)
                    if overall and overall.grade
                    else "Not agreed"
                ),
                "findings": [
                    {
                        "kind": finding.get_kind_display(),
                        "text": finding.text,
                        "themes": [t.name for t in finding.themes.all()],
                    }
                    for finding in case.findings.all()
                ],
            }
        )
    return rows


def edition_content(summary: LearningSummary, audience: str) -> dict[str, Any]:
    """Everything an edition shows, frozen as data when it is published."""
    programme = summary.programme
    identifies = audience == Audience.PARTNERS
    content: dict[str, Any] = {
        "audience": audience,
        "marking": settings.PROTECTIVE_MARKING if identifies else summary.practitioner_marking,
        "partnership_name": settings.PARTNERSHIP_NAME,
        "logo": Branding.load().logo_data_uri(),
        "title": summary.title,
        "subtitle": summary.subtitle,
        "programme": {"title": programme.title, "audit_date": programme.audit_date.isoformat()},
        "resources": [
            {
                "title": r.title,
                "text": r.text,
                "url": r.url,
                "contacts": r.contact_lines(),
            }
            for r in summary_resources(summary)
        ],
        "chart": grade_chart(programme, suppressed=not identifies),
        "cases": _case_rows(programme) if identifies else [],
    }
    for name in TEXT_PARTS:
        content[name] = paragraphs(getattr(summary, name))
    for name in LIST_PARTS:
        content[name] = points(getattr(summary, name))
    return content


def case_words(programme: Programme) -> list[str]:
    """Words that identify a case of the programme: identifiers, and the initials of children
    and family members (two letters or more; a single capital is an ordinary word)."""
    cases = Case.objects.filter(programme=programme)
    words = set(cases.values_list("case_identifier", flat=True))
    words |= set(cases.values_list("initials", flat=True))
    words |= set(
        FamilyMember.objects.filter(case__programme=programme).values_list("initials", flat=True)
    )
    return sorted(word for word in words if len(word) >= 2)


def _strings(value: Any, path: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [item for key, v in value.items() for item in _strings(v, f"{path}.{key}")]
    if isinstance(value, list):
        return [item for i, v in enumerate(value) for item in _strings(v, f"{path}[{i}]")]
    return []


PART_LABELS = {
    name: str(getattr(LearningSummary._meta.get_field(name), "verbose_name", name)).capitalize()
    for name in (*TEXT_PARTS, *LIST_PARTS, "title", "subtitle")
}


def identifying_mentions(content: dict[str, Any], words: list[str]) -> list[str]:
    """Where an edition's text names a case: "Key messages: JS"."""
    found = []
    # The logo is an image, not words.
    words_only = {key: value for key, value in content.items() if key != "logo"}
    for path, text in _strings(words_only, ""):
        for word in words:
            if re.search(rf"(?<![A-Za-z0-9]){re.escape(word)}(?![A-Za-z0-9])", text):
                part = path.lstrip(".").split(".")[0].split("[")[0]
                found.append(f"{PART_LABELS.get(part, part.replace('_', ' '))}: {word}")
    return sorted(set(found))
