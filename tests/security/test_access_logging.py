"""Every page, download and API read of case content is recorded in the access log."""

import json

import pytest

from caseaudit.activity.models import AccessEvent
from caseaudit.api.models import ApiToken
from tests.security.conftest import World, api_client
from tests.security.routes import PARAMETERS, all_routes

pytestmark = pytest.mark.django_db


# Every view of case content is logged ----------------------------------------------------------

# Pages with a case-bearing id that show no case content of their own.
NOT_CASE_CONTENT = {
    "audits:return-submitted": "a confirmation with the case's identifier only",
    "audits:case-new": "an empty form",
    "audits:case-import": "an empty upload form",
    "audits:sample": "the upload form and earlier draws' counts",
    "audits:programme-edit": "the programme's own details, no case",
    "audits:programme-status": "the programme's status",
    "reports:summary": "the learning summary editor: aggregate text",
    "reports:summary-preview": "aggregate text",
    "reports:dashboard": "aggregates",
    "exchange:word-upload": "an empty upload form",
    "reports:inspection-pack": "a choice of cases for a pack; the pack's download is logged",
}


def test_every_page_showing_case_content_is_recorded_in_the_access_log(world: World) -> None:
    client = world.client("coordinator")
    problems = []
    for route in all_routes():
        if route.is_api or route.name in NOT_CASE_CONTENT:
            continue
        if not any(PARAMETERS[name].scope == "case" for name in route.ids):
            continue
        before = AccessEvent.objects.count()
        url = route.url(world.values(route, world.own, "own"))
        response = client.get(url)
        if response.status_code == 200 and AccessEvent.objects.count() == before:
            problems.append(f"GET {url} ({route.name}) showed case content without a record")
    assert not problems, "\n".join(problems)


def test_api_reads_are_logged_too(world: World) -> None:
    client = api_client(world, "coordinator")
    case = world.own["case_id"]
    before = AccessEvent.objects.filter(object_id=case.pk).count()
    response = client.get(f"/api/v1/cases/{case.pk}")
    assert response.status_code == 200, json.loads(response.content)
    assert AccessEvent.objects.filter(object_id=case.pk).count() == before + 1


def test_tokens_are_personal(world: World) -> None:
    assert ApiToken.objects.filter(user=world.people["coordinator"]).exists()
