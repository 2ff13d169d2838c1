"""API test helpers: tokens for the personas and a client that sends them."""

import json
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.models import User
from caseaudit.api import actions
from caseaudit.api.models import TokenScope


class ApiClient:
    """Calls the API with a bearer token, JSON in and out."""

    def __init__(self, secret: str | None) -> None:
        self.secret = secret
        self.client = Client()

    def request(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"Authorization": f"Bearer {self.secret}"} if self.secret else {}
        url = path if path.startswith("/") else f"/api/v1/{path}"
        return self.client.generic(
            method,
            url,
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers=headers,
            **extra,
        )

    def get(self, path: str, **extra: Any) -> Any:
        return self.request("GET", path, **extra)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("POST", path, body if body is not None else {})

    def patch(self, path: str, body: Any) -> Any:
        return self.request("PATCH", path, body)

    def delete(self, path: str) -> Any:
        return self.request("DELETE", path)


def make_token(
    user: User, scope: TokenScope = TokenScope.READ_WRITE, days: int = 90
) -> tuple[Any, str]:
    return actions.create_token(user, name="Test", scope=scope, lifetime=timedelta(days=days))


@pytest.fixture
def api_for():
    """api_for(coordinator) → a client with a read and write token of that persona."""

    def client(user: User, scope: TokenScope = TokenScope.READ_WRITE) -> ApiClient:
        _token, secret = make_token(user, scope)
        return ApiClient(secret)

    return client


@pytest.fixture
def anonymous_api() -> ApiClient:
    return ApiClient(None)
