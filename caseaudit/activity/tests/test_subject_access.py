import io
import json
import zipfile

import pytest

from caseaudit.accounts.models import User
from caseaudit.activity.models import AccessEvent
from caseaudit.audits.models import Answer, Case, Programme
from caseaudit.demo import CURRENT_PROGRAMME, EARLIER_PROGRAMME, load_demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_case() -> Case:
    """A child audited in both demo programmes: the closed one has a meeting record."""
    load_demo()
    earlier = Programme.objects.get(title=EARLIER_PROGRAMME).cases.order_by("pk").first()
    current = Programme.objects.get(title=CURRENT_PROGRAMME)
    existing = current.cases.filter(case_identifier__iexact=earlier.case_identifier).first()
    return existing or Case.objects.create(
        programme=current,
        case_identifier=earlier.case_identifier.lower(),
        initials=earlier.initials,
        date_of_birth=earlier.date_of_birth,
        category=earlier.category,
    )


def demo_user(name: str) -> User:
    return User.objects.get(email=f"{name}@demo.example")


def download(client, case: Case) -> tuple[dict, str]:
    response = client.get(f"/activity/cases/{case.pk}/subject-access/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["subject-access.html", "subject-access.json"]
    return (
        json.loads(archive.read("subject-access.json")),
        archive.read("subject-access.html").decode(),
    )


def test_the_export_holds_everything_about_the_child_in_every_programme(demo_case) -> None:
    from django.test import Client

    client = Client()
    client.force_login(demo_user("coordinator"))
    client.get(f"/cases/{demo_case.pk}/")  # a view, to find in the export's access log
    data, html = download(client, demo_case)

    assert [case["programme"] for case in data["cases"]] == [EARLIER_PROGRAMME, CURRENT_PROGRAMME]
    earlier = data["cases"][0]
    case = Case.objects.get(pk=earlier["id"])
    assert earlier["initials"] == case.initials and earlier["religion"] == case.religion
    assert len(earlier["family_members"]) == case.family_members.count()
    assert len(earlier["returns"]) == case.returns.count() > 0
    answers = sum(len(ret["answers"]) for ret in earlier["returns"])
    assert answers == Answer.objects.filter(ret__case=case).count() > 0
    assert earlier["meeting"]["discussion"]["notes"]
    assert earlier["meeting"]["agreed_grades"] and earlier["meeting"]["findings"]
    assert earlier["meeting"]["actions"]
    assert any(change["record"] == f"audits.case {case.pk}" for change in data["history"])
    assert any(
        event["record"] == f"audits.case {demo_case.pk}" and event["action"] == "view"
        for event in data["access_log"]
    )
    assert data["protective_marking"] in html
    assert case.case_identifier in html and earlier["returns"][0]["answers"][0]["item"] in html


def test_the_export_is_recorded_in_the_access_log(client_for, demo_case) -> None:
    from django.test import Client

    coordinator = demo_user("coordinator")
    client = Client()
    client.force_login(coordinator)
    download(client, demo_case)
    assert AccessEvent.objects.filter(
        user=coordinator, object_id=demo_case.pk, action="subject access export"
    ).exists()


@pytest.mark.parametrize("persona", ["admin", "board", "health.lead", "health.auditor"])
def test_only_coordinators_may_export(demo_case, persona) -> None:
    from django.test import Client

    client = Client()
    client.force_login(demo_user(persona))
    response = client.get(f"/activity/cases/{demo_case.pk}/subject-access/")
    assert response.status_code == 404


def test_the_readable_page_escapes_what_was_typed(demo_case) -> None:
    from django.test import Client

    Case.objects.filter(pk=demo_case.pk).update(religion="<script>alert(1)</script>")
    client = Client()
    client.force_login(demo_user("coordinator"))
    _data, html = download(client, demo_case)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
