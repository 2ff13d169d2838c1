"""The world the security tests attack: the demo partnership, plus an "island" (a programme
in which only one agency, of its own, takes part) holding one object of every kind a URL can
name. Every demo persona is outside the island's agency, so each island object is another
agency's object for each of them."""

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.utils import timezone

from caseaudit.accounts.models import Agency, AgencyKind, PartnershipSettings, User
from caseaudit.audit_tools.models import ToolVersion
from caseaudit.audits.items import parts_for
from caseaudit.audits.models import (
    Case,
    CaseCategory,
    Escalation,
    Programme,
    ProgrammeStatus,
    Return,
    SampleDraw,
)
from caseaudit.demo import DEMO_DOMAIN, load_demo
from caseaudit.meetings.models import Action, Attendee, Finding, FindingKind, Meeting, Theme
from tests.security.routes import MISSING_ID, PARAMETERS, RESET_LINK, WORDS, Route, model_of

PERSONAS = (
    "coordinator",
    "admin",
    "board",
    "health.lead",
    "health.auditor",
    "csc.lead",
    "csc.auditor",
    "yos.lead",
    "yos.auditor",
)


@dataclass
class World:
    people: dict[str, User]
    island: dict[str, models.Model | None]
    own: dict[str, models.Model | None]
    words: dict[str, dict[str, str]] = field(default_factory=dict)
    clients: dict[str, Client] = field(default_factory=dict)

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client()
            client.force_login(self.people[persona])
            self.clients[persona] = client
        return self.clients[persona]

    def values(self, route: Route, objects: dict[str, models.Model | None], words: str) -> dict:
        """The route's parameters filled from `objects` (ids) and `self.words[words]`."""
        values: dict[str, Any] = {}
        for name in route.parameters:
            if name in WORDS:
                values[name] = self.words[words][name]
            else:
                obj = objects.get(name)
                values[name] = obj.pk if obj is not None else MISSING_ID
        return values

    def missing(self, route: Route, words: str = "own") -> dict:
        return {
            name: self.words[words][name] if name in WORDS else MISSING_ID
            for name in route.parameters
        }


def _optional(label: str, **values: Any) -> models.Model | None:
    """A row of a model whose app may not be installed yet."""
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    return model.objects.create(**values)


def _tool_words(tool_version: ToolVersion) -> dict[str, str]:
    tool = tool_version.tool
    section = tool.sections[0]
    return {
        "tool_key": tool_version.tool_key,
        "section_id": section.id,
        "question_id": section.questions[0].id,
        "audience": "partners",
    }


def build_world() -> World:
    load_demo()
    PartnershipSettings.load()
    people = {user.email.split("@")[0]: user for user in User.objects.all()}
    coordinator = people["coordinator"]
    full = (
        ToolVersion.objects.published().filter(tool_key="children_in_need_full").latest("version")
    )

    agency = Agency.objects.create(name="Island Agency", kind=AgencyKind.OTHER)
    lead = User.objects.create_user(
        f"island.lead@{DEMO_DOMAIN}",
        "x" * 20,
        full_name="Island Lead",
        agency=agency,
        is_agency_lead=True,
    )
    auditor = User.objects.create_user(
        f"island.auditor@{DEMO_DOMAIN}",
        "x" * 20,
        full_name="Island Auditor",
        agency=agency,
        is_auditor=True,
    )
    programme = Programme.objects.create(
        title="Island programme",
        audit_date=date(2026, 6, 1),
        return_deadline=date(2026, 7, 1),
        status=ProgrammeStatus.MEETING,
        created_by=coordinator,
    )
    programme.agencies.set([agency])
    case = Case.objects.create(
        programme=programme,
        case_identifier="ISLAND-1",
        initials="IS",
        date_of_birth=date(2015, 1, 1),
        category=CaseCategory.CHILD_IN_NEED,
        opened_for_meeting_at=timezone.now(),
    )
    ret = Return.objects.create(case=case, agency=agency, tool_version=full, auditor=auditor)
    meeting = Meeting.objects.create(programme=programme, held_on=date(2026, 7, 15))
    finding = Finding.objects.create(
        programme=programme,
        case=case,
        kind=FindingKind.STRENGTH,
        text="Island finding",
        created_by=coordinator,
    )
    summary = _optional("reports.LearningSummary", programme=programme)
    now = timezone.now()
    island: dict[str, models.Model | None] = {
        "programme_id": programme,
        "case_id": case,
        "return_id": ret,
        "assignment_id": ret,
        "escalation_id": Escalation.objects.create(
            ret=ret, item_key="child_safe", answer="no", raised_by=auditor
        ),
        "draw_id": SampleDraw.objects.create(
            programme=programme,
            seed=1,
            n=1,
            eligible_count=1,
            eligible_fingerprint="0" * 64,
            drawn_by=coordinator,
        ),
        "attendee_id": Attendee.objects.create(meeting=meeting, name="Island Lead", agency=agency),
        "finding_id": finding,
        "action_id": Action.objects.create(
            programme=programme,
            finding=finding,
            case=case,
            description="Island action",
            owner_agency=agency,
            due_date=date(2027, 1, 1),
            created_by=coordinator,
        ),
        "import_id": _optional(
            "exchange.ImportedDocument",
            ret=ret,
            kind="exported",
            file_name="island.docx",
            size=1,
            sha256="1" * 64,
            uploaded_by=lead,
        ),
        "edition_id": summary
        and _optional(
            "reports.LearningSummaryEdition",
            summary=summary,
            number=1,
            audience="partners",
            marking="OFFICIAL-SENSITIVE",
            content={},
            published_by=coordinator,
        ),
        "theme_id": Theme.objects.first(),
        "resource_id": _optional("reports.Resource", title="Island resource"),
        "tool_version_id": full,
        "token_id": _optional(
            "api.ApiToken",
            user=lead,
            name="Island token",
            key_hash=hashlib.sha256(b"i").hexdigest(),
            hint="caseaudit_island",
            expires_at=now + timedelta(days=30),
        ),
        "job_id": _optional("reports.ReportJob", kind="answers_csv", requested_by=lead),
        "retention_run_id": None,
    }
    own: dict[str, models.Model | None] = {}
    for name in PARAMETERS:
        model = model_of(name)
        own[name] = (
            model.objects.exclude(pk=getattr(island[name], "pk", None)).first() if model else None
        )
    own["token_id"] = _optional(
        "api.ApiToken",
        user=coordinator,
        name="Own token",
        key_hash=hashlib.sha256(b"o").hexdigest(),
        hint="caseaudit_own",
        expires_at=now + timedelta(days=30),
    )
    own["job_id"] = _optional("reports.ReportJob", kind="answers_csv", requested_by=coordinator)
    own_return = own["return_id"]
    assert isinstance(own_return, Return)
    words = {
        "own": {**_tool_words(full), **RESET_LINK, "slug": parts_for(own_return)[0].slug},
        "island": {**_tool_words(full), **RESET_LINK, "slug": parts_for(ret)[0].slug},
    }
    return World(people=people, island=island, own=own, words=words)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


# Rows that a request may write by design: the access log records reads, the session and
# sign-in bookkeeping follow the person, the API counts its requests and notes a token's use.
BOOKKEEPING = {
    "activity.accessevent",
    "sessions.session",
    "accounts.usersession",
    "accounts.signinevent",
    "api.ratewindow",
    "api.apitoken",
    "axes.accessattempt",
    "axes.accesslog",
    "axes.accessfailurelog",
    "axes.accessattemptexpiration",
}


def api_client(world: World, persona: str) -> Client:
    """A client sending a read and write API token of the persona."""
    from caseaudit.api import actions
    from caseaudit.api.models import TokenScope

    key = f"api:{persona}"
    if key not in world.clients:
        _token, secret = actions.create_token(
            world.people[persona],
            name="attack",
            scope=TokenScope.READ_WRITE,
            lifetime=timedelta(days=1),
        )
        world.clients[key] = Client(headers={"Authorization": f"Bearer {secret}"})
    return world.clients[key]


def send(client: Client, method: str, url: str, *, api: bool) -> Any:
    """A request with an empty body: JSON for the API, a form for pages."""
    if api and method != "get":
        return getattr(client, method)(url, data="{}", content_type="application/json")
    return getattr(client, method)(url)


def snapshot(exclude: set[str]) -> dict[str, str]:
    """A fingerprint of every table's rows, to prove that nothing changed."""
    prints = {}
    for model in apps.get_models():
        if model._meta.label_lower in exclude:
            continue
        rows = list(model.objects.order_by("pk").values_list())
        prints[model._meta.label_lower] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return prints
