"""Hostile input: SQL meta-characters in every search and filter, oversized input."""

from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.test import Client

from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, Return
from tests.security.conftest import World, api_client
from tests.security.routes import all_routes

pytestmark = pytest.mark.django_db


# SQL meta-characters in every search and filter ---------------------------------------------

META = ["' OR '1'='1", '"; DROP TABLE audits_case; --', "%", "_", "\\", "\x00", "1 UNION SELECT 1"]


class _GetForms(HTMLParser):
    """The GET forms of a page: their action and the names of their fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, set[str]]] = []
        self._current: tuple[str, set[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            if (attributes.get("method") or "get").lower() == "get":
                self._current = (attributes.get("action") or "", set())
        elif tag in {"input", "select", "textarea"} and self._current is not None:
            name = attributes.get("name")
            if name and attributes.get("type") not in {"submit", "button"}:
                self._current[1].add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._current is not None:
            self.forms.append(self._current)
            self._current = None


def _get_forms(world: World, persona: str) -> Iterator[tuple[str, set[str]]]:
    client = world.client(persona)
    for route in all_routes():
        if route.is_api:
            continue
        url = route.url(world.values(route, world.own, "own"))
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            parser = _GetForms()
            parser.feed(response.content.decode())
            for action, names in parser.forms:
                yield (action or url), names


@pytest.mark.parametrize("persona", ["coordinator", "health.lead", "board"])
def test_sql_meta_characters_in_every_search_and_filter(world: World, persona: str) -> None:
    client = world.client(persona)
    forms = {(action, frozenset(names)) for action, names in _get_forms(world, persona)}
    assert forms or persona == "board"
    problems = []
    for action, names in forms:
        for meta in META:
            query = urlencode(dict.fromkeys(names, meta))
            response = client.get(f"{urlsplit(action).path}?{query}")
            if response.status_code >= 500:
                problems.append(f"{action} with {meta!r}: {response.status_code}")
    assert not problems, "\n".join(problems)
    for meta in META:  # the API's list filters too
        response = api_client(world, persona).get(f"/api/v1/cases?{urlencode({'q': meta})}")
        assert response.status_code < 500


# Oversized input -----------------------------------------------------------------------------


def test_an_oversized_answer_is_refused_with_a_clear_message(world: World) -> None:
    ret = Return.objects.filter(status="in_progress", auditor__isnull=False).first()
    part = next(p for p in parts_for(ret) if any("text" in i.columns for i in p.applicable_items))
    item = next(i for i in part.applicable_items if "text" in i.columns)
    client = Client()
    client.force_login(ret.auditor)
    before = list(Answer.objects.filter(ret=ret).values_list("text", flat=True))
    response = client.post(
        f"/returns/{ret.pk}/{part.slug}/",
        {"version": ret.version, f"{item.key}-text": "x" * 25_000},
    )
    assert response.status_code == 422
    assert "must be 20,000 characters or fewer" in response.content.decode()
    assert list(Answer.objects.filter(ret=ret).values_list("text", flat=True)) == before


def test_every_form_limits_the_length_of_its_text() -> None:
    """Every text field of every form in the service has a maximum length."""
    import importlib
    import pkgutil

    from django import forms

    import caseaudit

    unlimited = []
    for module_info in pkgutil.walk_packages(caseaudit.__path__, "caseaudit."):
        if not module_info.name.endswith(("forms", "_forms")):
            continue
        module = importlib.import_module(module_info.name)
        for name, value in vars(module).items():
            if not (isinstance(value, type) and issubclass(value, forms.BaseForm)):
                continue
            if value.__module__ != module.__name__:
                continue
            for field_name, field in value.base_fields.items():
                if isinstance(field, forms.CharField) and field.max_length is None:
                    if isinstance(field.widget, forms.PasswordInput | forms.HiddenInput):
                        continue
                    unlimited.append(f"{module.__name__}.{name}.{field_name}")
    assert not unlimited, "give these a max_length: " + ", ".join(unlimited)


def test_a_request_body_over_the_limit_is_refused(world: World) -> None:
    from django.conf import settings

    response = world.client("coordinator").post(
        "/programmes/new/", {"title": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)}
    )
    assert response.status_code == 400
