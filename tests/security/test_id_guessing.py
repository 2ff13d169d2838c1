"""Guessing ids: another agency's objects on every route, for every role."""

import pytest

from tests.security.conftest import BOOKKEEPING, World, api_client, send, snapshot
from tests.security.routes import PARAMETERS, all_routes

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}
# The API checks a request's body before it looks the object up: an empty body is 422 for a
# missing object and another agency's alike, so it tells nothing.
API_REFUSED = REFUSED | {422}
API_METHODS = ("get", "post", "patch", "delete")
# One agency stands for all: every persona below is outside the island's agency.
GUESSERS = ("coordinator", "admin", "board", "health.lead", "health.auditor", "csc.auditor")


def _is_foreign(parameter: str, persona: str) -> bool:
    """Whether the island's object for `parameter` is another agency's (or person's) for
    `persona`: coordinators see every case, nobody sees another person's tokens or exports."""
    scope = PARAMETERS[parameter].scope
    if scope == "user":
        return True
    return scope == "case" and persona != "coordinator"


# Id guessing -----------------------------------------------------------------------------------


def test_another_agencys_object_answers_exactly_as_one_that_does_not_exist(world: World) -> None:
    """Every route with an id, every persona, every method: an object of another agency (or
    another person) is refused just as a missing one is, never shown and never a crash."""
    for persona in GUESSERS:  # sign in first: signing in records the time
        world.client(persona)
        api_client(world, persona)
    before = snapshot(BOOKKEEPING)
    problems: list[str] = []
    tested = 0
    for route in all_routes():
        if not route.ids:
            continue
        for persona in GUESSERS:
            if not any(_is_foreign(name, persona) for name in route.ids):
                continue
            client = api_client(world, persona) if route.is_api else world.client(persona)
            foreign = route.url(world.values(route, world.island, "island"))
            missing = route.url(world.missing(route, "island"))
            for method in API_METHODS if route.is_api else ("get", "post"):
                got = send(client, method, foreign, api=route.is_api).status_code
                expected = send(client, method, missing, api=route.is_api).status_code
                tested += 1
                refused = API_REFUSED if route.is_api else REFUSED
                if got not in refused or got != expected:
                    problems.append(
                        f"{method.upper()} {foreign} as {persona}: {got} (missing id: {expected})"
                    )
    assert tested > 200
    assert not problems, "\n".join(problems)
    assert snapshot(BOOKKEEPING) == before, "a refused request changed something"
