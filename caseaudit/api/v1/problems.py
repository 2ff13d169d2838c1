"""Errors as RFC 9457 problem details (application/problem+json).

Every error the API gives has a `type` (a URN naming the kind of problem, listed in
docs/api.md), a `title` (the same for every problem of that type), the HTTP `status`, a `detail`
for this occurrence and an `errors` list that names each field at fault.
"""

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.serializers.json import DjangoJSONEncoder
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

MEDIA_TYPE = "application/problem+json"


class FieldError(Schema):
    field: str
    pointer: str | None = None
    message: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []
    current_version: int | None = None


KINDS: dict[str, tuple[int, str]] = {
    "bad-request": (400, "The request could not be read"),
    "unauthorized": (401, "An API token is needed"),
    "forbidden": (403, "Not allowed"),
    "read-only-token": (403, "The token is read-only"),
    "not-found": (404, "Not found"),
    "stale-return": (409, "The return has changed since you read it"),
    "conflict": (409, "The change conflicts with the current state"),
    "too-large": (413, "The request is too large"),
    "validation-error": (422, "The request has invalid values"),
    "incomplete-return": (422, "The return is not complete"),
    "rate-limited": (429, "Too many requests"),
}


def problem_type(kind: str) -> str:
    return f"urn:caseaudit:problem:{kind}"


class ApiProblem(Exception):
    """Raise anywhere in an endpoint to answer with a problem document."""

    def __init__(
        self,
        kind: str,
        detail: str,
        *,
        errors: Iterable[Mapping[str, Any]] = (),
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.kind = kind
        self.detail = detail
        self.errors: list[Mapping[str, Any]] = list(errors)
        self.headers = dict(headers or {})
        self.extra = extra


def problem_response(problem: ApiProblem) -> HttpResponse:
    status, title = KINDS[problem.kind]
    body = {
        "type": problem_type(problem.kind),
        "title": title,
        "status": status,
        "detail": problem.detail,
        "errors": [
            {"field": error["field"], "pointer": error.get("pointer"), "message": error["message"]}
            for error in problem.errors
        ],
        **problem.extra,
    }
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder), status=status, content_type=MEDIA_TYPE
    )
    for name, value in problem.headers.items():
        response[name] = value
    return response


def field_error(path: Sequence[str | int], message: str) -> dict[str, Any]:
    """An error at a place in the request body, as a dotted name and a JSON pointer."""
    field = ""
    for part in path:
        field += f"[{part}]" if isinstance(part, int) else (f".{part}" if field else str(part))
    pointer = "/" + "/".join(str(part).replace("~", "~0").replace("/", "~1") for part in path)
    return {"field": field, "pointer": pointer, "message": message}


def form_errors(
    form: BaseForm, prefix: Sequence[str | int] = (), names: Mapping[str, str] | None = None
) -> list[dict[str, Any]]:
    """A Django form's errors placed in the request body: `names` maps form field names to the
    body's where they differ."""
    names = names or {}
    errors: list[dict[str, Any]] = []
    for name, messages in form.errors.items():
        path = list(prefix)
        if name != "__all__":
            path.append(names.get(name, name))
        errors.extend(field_error(path, str(message)) for message in messages)
    return errors


def _validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    found = []
    for error in errors:
        source, *location = error.get("loc", ())
        message = str(error.get("msg", "Invalid value"))
        if source == "body":
            # The first part names the endpoint's body argument, not a field of the body.
            found.append(field_error(location[1:], message))
        else:
            name = ".".join(str(part) for part in location) or str(source)
            found.append({"field": name, "pointer": None, "message": message})
    return found


def install(api: NinjaAPI) -> None:
    """Answer every error the API can raise with a problem document. (Ninja types a handler's
    exception as the exception or its class, hence Any.)"""

    def on_problem(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(exc)

    def on_not_found(request: HttpRequest, exc: Any) -> HttpResponse:
        # The access module's message names only the kind of object, never whether it exists.
        return problem_response(ApiProblem("not-found", str(exc) or "Not found"))

    def on_validation(request: HttpRequest, exc: Any) -> HttpResponse:
        errors = _validation_errors(exc.errors)
        return problem_response(
            ApiProblem("validation-error", "Some values in the request are invalid", errors=errors)
        )

    def on_unauthenticated(request: HttpRequest, exc: Any) -> HttpResponse:
        return problem_response(
            ApiProblem(
                "unauthorized",
                "Send a personal API token in an “Authorization: Bearer …” header",
                headers={"WWW-Authenticate": 'Bearer realm="Case Audit API"'},
            )
        )

    def on_http_error(request: HttpRequest, exc: Any) -> HttpResponse:
        kind = {400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found"}
        return problem_response(ApiProblem(kind.get(exc.status_code, "bad-request"), str(exc)))

    def on_too_large(request: HttpRequest, exc: Any) -> HttpResponse:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        return problem_response(
            ApiProblem("too-large", f"The request body may be at most {limit:,} bytes")
        )

    api.add_exception_handler(ApiProblem, on_problem)
    api.add_exception_handler(RequestDataTooBig, on_too_large)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ValidationError, on_validation)
    api.add_exception_handler(AuthenticationError, on_unauthenticated)
    api.add_exception_handler(HttpError, on_http_error)
