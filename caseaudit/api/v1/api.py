"""The REST API, version 1: its OpenAPI document, its docs page, and the routers of each domain.

To add a domain, write a module like `programmes.py` with a `router` whose endpoints get their
objects through `caseaudit.access` and write through the domain's actions, then add it to
ROUTERS below. Authentication, the rate
limit, token scopes and problem details apply to it unchanged.
"""

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from ninja import NinjaAPI, Router
from ninja.openapi.docs import DocsBase

from caseaudit.api.v1 import (
    actions,
    assignments,
    cases,
    findings,
    meetings,
    programmes,
    reports,
    returns,
    themes,
    tools,
)
from caseaudit.api.v1.auth import TokenAuth
from caseaudit.api.v1.problems import MEDIA_TYPE, install

ROUTERS: list[Router] = [
    tools.router,
    programmes.router,
    cases.router,
    assignments.router,
    returns.router,
    meetings.router,
    findings.router,
    themes.router,
    actions.router,
    reports.router,
]

DESCRIPTION = """
The Case Audit REST API, for case-management systems and analysts. It applies exactly the
same access rules as the service's pages: you see and change through it only what you could
see and change when signed in.

**Authentication.** Create a personal API token under *API tokens* on your home page and send
it in an `Authorization: Bearer caseaudit_…` header. A read-only token can only read.

**Errors** are RFC 9457 problem details (`application/problem+json`). Anything you may not see
answers 404, exactly as something that does not exist.

**Lists** are paginated with `limit` (at most 200) and `offset`, and give `count`, `next` and
`previous`.
"""


class CaseAuditAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        # Errors are problem documents: say so, so that clients and checkers expect them.
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    content = response.get("content", {})
                    if int(status) >= 400 and "application/json" in content:
                        response["content"] = {MEDIA_TYPE: content["application/json"]}
        return schema


class Docs(DocsBase):
    """Swagger UI from the service's own static files, its scripts carrying the page's CSP
    nonce. It asks no public validator: the page loads nothing from outside the service."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,
            "persistAuthorization": False,
        }
        # "<" escaped so that nothing in the settings can close the <script> element.
        data = json.dumps(settings).replace("<", "\\u003c")
        return render(
            request,
            "api/docs.html",
            {"title": api.title, "swagger_settings": mark_safe(data)},  # noqa: S308  # nosec B308, B703 # JSON, "<" escaped
        )


api = CaseAuditAPI(
    title="Case Audit API",
    version="1",
    description=DESCRIPTION.strip(),
    urls_namespace="api-v1",
    auth=TokenAuth(),
    docs=Docs(),
)
install(api)
for router in ROUTERS:
    api.add_router("", router)
