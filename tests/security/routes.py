"""Every route of the service, read from the URL configuration, with its parameters filled in.

The security tests walk this list rather than a hand-written one, so a route added later is
tested as soon as it exists. A route whose parameter this module cannot fill fails the tests
with a message saying what to add to PARAMETERS.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver

# The admin is tested on its own (administrators only, through the service's sign-in).
SKIPPED_NAMESPACES = {"admin"}
PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
MISSING_ID = 987_654_321


@dataclass(frozen=True)
class Parameter:
    """What a URL parameter names: a model row (by id) or a word taken from one."""

    model: str
    # "case": the row belongs to a case or an agency; "user": to one person; "shared":
    # everyone with a role may see it (themes); "coordinator": only coordinators ever see it.
    scope: str


PARAMETERS: dict[str, Parameter] = {
    "programme_id": Parameter("audits.Programme", "case"),
    "case_id": Parameter("audits.Case", "case"),
    "return_id": Parameter("audits.Return", "case"),
    "assignment_id": Parameter("audits.Return", "case"),
    "escalation_id": Parameter("audits.Escalation", "case"),
    "draw_id": Parameter("audits.SampleDraw", "case"),
    "attendee_id": Parameter("meetings.Attendee", "case"),
    "finding_id": Parameter("meetings.Finding", "case"),
    "action_id": Parameter("meetings.Action", "case"),
    "import_id": Parameter("exchange.ImportedDocument", "case"),
    "edition_id": Parameter("reports.LearningSummaryEdition", "case"),
    "theme_id": Parameter("meetings.Theme", "shared"),
    "resource_id": Parameter("reports.Resource", "coordinator"),
    "tool_version_id": Parameter("audit_tools.ToolVersion", "coordinator"),
    "token_id": Parameter("api.ApiToken", "user"),
    "job_id": Parameter("reports.ReportJob", "user"),
    "retention_run_id": Parameter("activity.RetentionRun", "coordinator"),
}
# Parameters that are words, not ids: a value that exists for the objects in the URL.
# A password-reset link's two parts: any value reaches the page saying the link does not work.
RESET_LINK = {"uidb64": "MQ", "token": "set-password"}
WORDS = {"slug", "tool_key", "section_id", "question_id", "audience", *RESET_LINK}


@dataclass(frozen=True)
class Route:
    route: str
    name: str
    parameters: tuple[str, ...]

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(name for name in self.parameters if name not in WORDS)

    def url(self, values: dict[str, object]) -> str:
        def fill(match: re.Match[str]) -> str:
            return str(values[match["name"]])

        return "/" + PARAMETER.sub(fill, self.route)

    def __str__(self) -> str:
        return f"{self.name} /{self.route}"


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Route]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in SKIPPED_NAMESPACES:
                continue
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            route = prefix + str(pattern.pattern)
            names = tuple(match["name"] for match in PARAMETER.finditer(route))
            yield Route(route, f"{namespace}:{pattern.name}" if namespace else pattern.name, names)


def all_routes() -> list[Route]:
    """Every route, once per address (the API lists one pattern per operation)."""
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver().url_patterns, "", ""):
        seen.setdefault(route.route, route)
    return list(seen.values())


def unknown_parameters() -> list[str]:
    """Routes with a parameter the tests cannot fill: each must be added to PARAMETERS."""
    return [
        f"{route}: {name}"
        for route in all_routes()
        for name in route.parameters
        if name not in PARAMETERS and name not in WORDS
    ]


def model_of(parameter: str) -> type[models.Model] | None:
    """The model a parameter names, or None when its app is not installed (yet)."""
    label = PARAMETERS[parameter].model
    try:
        return apps.get_model(label)
    except LookupError:
        return None
