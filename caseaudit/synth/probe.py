"""The Django side of `make bench`, run as `python -m caseaudit.synth.probe` against a database
that `caseaudit synth` has filled.

* `targets FILE`: signed-in sessions and the addresses the load generator asks for. Sessions
  are made directly with the session engine (no sign-in form, no password), as a sign-in would
  make them. Two-factor sign-in is switched off for the bench (REQUIRE_TWO_FACTOR=false), so
  no session needs a second step.
* `pages FILE`: each page and document timed in this process through Django's test client,
  with the number of SQL queries it made. Results are written after each measurement, so a
  run stopped by its time limit keeps what it finished.
"""

import json
import os
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from importlib import import_module
from pathlib import Path
from typing import Any

import django

from caseaudit.synth import load

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
FORM_CLIENTS = 24  # returns opened at once by the load generator, one per simulated auditor
INSPECTION_CASES = 6


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()


def signed_in_session(user: Any) -> str:
    """A session signed in to `user`, as the sign-in page leaves it (password step done;
    two-factor sign-in is off for the bench)."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from caseaudit.accounts import sessions

    if MODEL_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        raise RuntimeError(f"{MODEL_BACKEND} is not an authentication backend")
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = MODEL_BACKEND
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    sessions.start(store, user)
    key: str = store.session_key
    return key


@dataclass
class FormTarget:
    """One return an auditor has open: the form page of its largest part, and what an
    autosave of that part sends."""

    session: str
    path: str
    fields: dict[str, str]
    text_field: str
    version: int


def _part_fields(ret: Any, part: Any) -> tuple[dict[str, str], str]:
    answers = {answer.item_key: answer for answer in ret.answers.all()}
    fields: dict[str, str] = {}
    text_field = ""
    for item in part.applicable_items:
        answer = answers.get(item.key)
        for column in item.columns:
            name = f"{item.key}-{column}"
            if column == "grade":
                value = "na" if answer and answer.not_applicable else ""
                fields[name] = value or str(answer.grade if answer and answer.grade else 2)
            elif column == "choice":
                fields[name] = (answer.choice if answer else "") or "yes"
            elif column == "date":
                day = (answer.date if answer else None) or date(2026, 1, 5)
                fields[f"{name}-day"] = str(day.day)
                fields[f"{name}-month"] = str(day.month)
                fields[f"{name}-year"] = str(day.year)
            else:
                fields[name] = (getattr(answer, column, "") if answer else "") or "Seen."
                if column == "text" and not text_field:
                    text_field = name
    return fields, text_field


def form_targets(count: int) -> list[FormTarget]:
    """Open returns with a named auditor, largest tool first, one per simulated auditor."""
    from caseaudit.audits.items import parts_for
    from caseaudit.audits.models import EDITABLE_STATUSES, ProgrammeStatus, Return

    returns = (
        Return.objects.filter(
            status__in=EDITABLE_STATUSES,
            auditor__isnull=False,
            case__programme__status=ProgrammeStatus.AUDITING,
        )
        .select_related("tool_version", "agency", "case__programme", "auditor")
        .order_by("tool_version__tool_key", "pk")[:count]
    )
    targets = []
    for ret in returns:
        sections = [p for p in parts_for(ret) if p.slug.startswith("section-") and p.applies]
        part = max(sections, key=lambda p: len(p.applicable_items))
        fields, text_field = _part_fields(ret, part)
        targets.append(
            FormTarget(
                session=signed_in_session(ret.auditor),
                path=f"/returns/{ret.pk}/{part.slug}/",
                fields=fields,
                text_field=text_field,
                version=ret.version,
            )
        )
    return targets


def report_programme() -> Any:
    """The programme the dashboard is measured on: the latest with its meeting held."""
    from caseaudit.audits.models import Programme, ProgrammeStatus

    for status in (ProgrammeStatus.REPORTING, ProgrammeStatus.CLOSED, ProgrammeStatus.MEETING):
        programme = Programme.objects.filter(status=status).order_by("-audit_date").first()
        if programme is not None:
            return programme
    return Programme.objects.order_by("-audit_date").first()


def discussed_cases(programme: Any) -> Any:
    """The programme's discussed cases, those with an action agreed first: cases of the same
    shape at every size, so that query counts compare like with like."""
    from django.db.models import Case, Count, IntegerField, Q, Value, When

    from caseaudit import access

    without_actions_last = Case(
        When(with_actions__gt=0, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        programme.cases.filter(discussion__isnull=False)
        .annotate(
            submitted=Count(
                "returns",
                filter=Q(returns__status__in=access.SUBMITTED_STATUSES),
                distinct=True,
            ),
            with_actions=Count("actions", distinct=True),
        )
        .order_by(without_actions_last, "case_identifier")
    )


def meeting_case(programme: Any) -> Any:
    """A typical discussed case: among those with an action, the median number of submitted
    returns."""
    cases = list(discussed_cases(programme))
    if not cases:
        return programme.cases.order_by("case_identifier").first()
    shaped = [case for case in cases if case.with_actions] or cases
    shaped.sort(key=lambda case: (case.submitted, case.case_identifier))
    return shaped[len(shaped) // 2]


def coordinator() -> Any:
    from caseaudit.accounts.models import User

    return User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()


def write_targets(path: Path) -> None:
    from django.conf import settings

    programme = report_programme()
    case = meeting_case(programme)
    token = secrets.token_hex(16)  # 32 characters: Django's unmasked CSRF secret
    forms = form_targets(FORM_CLIENTS)
    if not forms:
        raise RuntimeError("no open return with a named auditor: build more cases")
    data = {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "csrf_token": token,
        "coordinator_session": signed_in_session(coordinator()),
        "trivial": "/healthz",
        "case_view": f"/meetings/cases/{case.pk}/",
        "dashboard": f"/reports/programmes/{programme.pk}/",
        "across": "/reports/across-programmes/",
        "forms": [target.__dict__ for target in forms],
        "programme_cases": programme.cases.count(),
    }
    path.write_text(json.dumps(data, indent=1))


# Pages and documents, in this process ------------------------------------------------------


def keep_active(session_keys: list[str]) -> None:
    """Mark the sessions as just used, so the session-timeout middleware's once-a-while write
    of the last activity does not land in a measured request's query count."""
    from django.conf import settings

    from caseaudit.accounts.sessions import LAST_ACTIVITY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in session_keys:
        store = store_class(session_key=key)
        store[LAST_ACTIVITY] = time.time()
        store.save()


class Recorder:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.results: dict[str, Any] = {"pages": {}}
        self.sessions: list[str] = []

    def note(self, key: str, value: Any) -> None:
        self.results[key] = value
        self.save()

    def save(self) -> None:
        self.path.write_text(json.dumps(self.results, indent=1))

    def measure(
        self, name: str, call: Callable[[], Any], *, repeats: int, warm: bool = True
    ) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        if warm:
            call()
        times, queries, status = [], 0, 0
        for _ in range(repeats):
            keep_active(self.sessions)
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = call()
                times.append((time.perf_counter() - started) * 1000)
            queries = len(captured.captured_queries)
            status = response.status_code
        self.results["pages"][name] = {
            "ms": statistics.median(times) if warm else min(times),
            "runs_ms": [round(t, 1) for t in times],
            "queries": queries,
            "status": status,
        }
        self.save()


def measure_pages(path: Path, *, everything: bool) -> None:
    from django.conf import settings
    from django.test import Client

    from caseaudit.reports import actions as report_actions
    from caseaudit.reports import learning
    from caseaudit.reports.models import Audience

    recorder = Recorder(path)
    programme = report_programme()
    case = meeting_case(programme)
    chief = coordinator()
    recorder.note(
        "subjects",
        {
            "programme": programme.title,
            "programme_cases": programme.cases.count(),
            "case_returns": case.returns.count(),
        },
    )

    def client_for(session: str) -> Client:
        recorder.sessions.append(session)
        client = Client(SERVER_NAME="127.0.0.1")
        client.cookies[settings.SESSION_COOKIE_NAME] = session
        return client

    coordinator_client = client_for(signed_in_session(chief))
    anonymous = Client(SERVER_NAME="127.0.0.1")
    recorder.measure("trivial", lambda: anonymous.get("/healthz"), repeats=5)
    form = form_targets(1)[0]
    auditor_client = client_for(form.session)
    recorder.measure("return_form", lambda: auditor_client.get(form.path), repeats=5)
    saves = [0]

    def autosave() -> Any:
        saves[0] += 1
        data = {**form.fields, form.text_field: f"Seen. Saved {saves[0]}.", "version": form.version}
        response = auditor_client.post(form.path, data, headers={"HX-Request": "true"})
        found = load.VERSION_FIELD.search(response.content)
        if found:
            form.version = int(found.group(1))
        return response

    recorder.measure("autosave", autosave, repeats=5)
    case_path = f"/meetings/cases/{case.pk}/"
    recorder.measure("case_view", lambda: coordinator_client.get(case_path), repeats=5)
    dashboard = f"/reports/programmes/{programme.pk}/"
    recorder.measure("dashboard", lambda: coordinator_client.get(dashboard), repeats=5)
    across = "/reports/across-programmes/"
    recorder.measure("across", lambda: coordinator_client.get(across), repeats=5)

    summary = learning.start_summary(programme, by=chief)
    editions = report_actions.publish_summary(summary, by=chief)
    partners = next(e for e in editions if e.audience == Audience.PARTNERS)
    pdf = f"/reports/learning-summaries/{partners.pk}/pdf/"
    recorder.measure(
        "learning_summary_pdf", lambda: coordinator_client.get(pdf), repeats=2, warm=False
    )
    export = {"kind": "answers_xlsx", "programme": str(programme.pk)}
    recorder.measure(
        "answers_xlsx",
        lambda: coordinator_client.post("/reports/exports/", export),
        repeats=2,
        warm=False,
    )
    chosen = [case.pk for case in discussed_cases(programme)[:INSPECTION_CASES]]
    pack = f"/reports/programmes/{programme.pk}/inspection-pack/"
    recorder.measure(
        "inspection_pack",
        lambda: coordinator_client.post(pack, {"cases": [str(pk) for pk in chosen]}),
        repeats=2,
        warm=False,
    )
    if everything:
        every = {"kind": "answers_xlsx", "programme": ""}
        recorder.measure(
            "answers_xlsx_every_programme",
            lambda: coordinator_client.post("/reports/exports/", every),
            repeats=1,
            warm=False,
        )


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in {"targets", "pages"}:
        print("usage: python -m caseaudit.synth.probe targets|pages FILE [--everything]")
        return 2
    setup()
    path = Path(argv[1])
    if argv[0] == "targets":
        write_targets(path)
    else:
        measure_pages(path, everything="--everything" in argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
