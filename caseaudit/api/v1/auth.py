"""Bearer-token authentication, the rate limit and the token's scope, checked before any
endpoint runs. Only tokens are accepted, never the session cookie: that is why the API needs
no CSRF protection, and a page open in a browser can never write through it."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from caseaudit.api import actions
from caseaudit.api.models import ApiToken
from caseaudit.api.v1.common import SAFE_METHODS
from caseaudit.api.v1.problems import ApiProblem, problem_response

UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="Case Audit API"'}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        api_token = token_user(request, token)
        rate = actions.count_request(api_token)
        if not rate.allowed:
            raise ApiProblem(
                "rate-limited",
                f"This token may make {rate.limit} requests in each window of time: "
                f"try again in {rate.resets_in} seconds",
                headers={"Retry-After": str(rate.resets_in)},
            )
        if request.method not in SAFE_METHODS and not api_token.can_write:
            raise ApiProblem(
                "read-only-token",
                "This token is read-only: create a read and write token to make changes",
            )
        return api_token


def token_user(request: HttpRequest, secret: str) -> ApiToken:
    """Check the token and make its owner the request's user; a problem if it is refused."""
    try:
        api_token = actions.authenticate(secret.strip())
    except actions.TokenRefused as refused:
        raise ApiProblem("unauthorized", str(refused), headers=UNAUTHORIZED_HEADERS) from None
    request.user = api_token.user
    request.api_token = api_token  # type: ignore[attr-defined]
    return api_token


def bearer_secret(request: HttpRequest) -> str | None:
    scheme, _, secret = request.headers.get("Authorization", "").partition(" ")
    return secret if scheme.lower() == "bearer" and secret else None


def signed_in_or_token(view: Any) -> Any:
    """For the OpenAPI document: a signed-in person or a valid token may read it."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            if not request.user.is_authenticated:
                TokenAuth().authenticate(request, bearer_secret(request) or "")
        except ApiProblem as problem:
            return problem_response(problem)
        return view(request, *args, **kwargs)

    return wrapped
