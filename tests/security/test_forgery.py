"""Cross-site request forgery on every route, and no change on any GET."""

import pytest
from django.test import Client

from tests.security.conftest import BOOKKEEPING, World, send, snapshot
from tests.security.routes import Route, all_routes

pytestmark = pytest.mark.django_db


# Cross-site request forgery and changes on GET ---------------------------------------------


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["coordinator"])
    before = snapshot(BOOKKEEPING)
    problems = []
    for route in all_routes():
        if route.is_api:
            continue
        url = route.url(world.values(route, world.own, "own"))
        response = client.post(url, {"anything": "x"})
        if response.status_code != 403:
            problems.append(f"POST {url}: {response.status_code}")
    assert not problems, "\n".join(problems)
    assert snapshot(BOOKKEEPING) == before


def test_the_api_never_acts_on_the_session_cookie(world: World) -> None:
    """The API takes bearer tokens only, which is why it needs no CSRF token."""
    client = world.client("coordinator")
    before = snapshot(BOOKKEEPING)
    for route in all_routes():
        # The API's root, docs page and OpenAPI document are read-only for any method.
        if not route.is_api or route.name in {
            "api-v1:api-root",
            "api-v1:openapi-view",
            "api-v1:openapi-json",
        }:
            continue
        url = route.url(world.values(route, world.own, "own"))
        for method in ("post", "patch", "delete"):
            response = send(client, method, url, api=True)
            assert response.status_code in {401, 405}, f"{method} {url}: {response.status_code}"
    assert snapshot(BOOKKEEPING) == before


def _get_every_page(world: World, persona: str, routes: list[Route]) -> list[str]:
    client = world.client(persona)
    crashes = []
    for route in routes:
        url = route.url(world.values(route, world.own, "own"))
        if client.get(url).status_code >= 500:
            crashes.append(f"GET {url} as {persona}: a server error")
    return crashes


def test_no_get_changes_anything(world: World) -> None:
    """Every page, as a coordinator, an agency lead, an auditor and an administrator."""
    personas = ("coordinator", "health.lead", "health.auditor", "admin")
    pages = [route for route in all_routes() if not route.is_api]
    for persona in personas:
        world.client(persona).get("/")  # signing in writes its own bookkeeping first
    before = snapshot(BOOKKEEPING)
    problems = []
    for persona in personas:
        problems += _get_every_page(world, persona, pages)
    after = snapshot(BOOKKEEPING)
    changed = [table for table in before if before[table] != after.get(table)]
    if changed:
        problems.append(f"GET requests changed {', '.join(changed)}: find the page by bisecting")
    assert not problems, "\n".join(problems)
