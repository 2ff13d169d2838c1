"""Every report page and document works on the demo partnership's real tools and answers."""

import io
import zipfile

import pytest

from caseaudit.accounts.models import User
from caseaudit.audits.models import Case, Programme
from caseaudit.demo import CURRENT_PROGRAMME, EARLIER_PROGRAMME, load_demo
from caseaudit.reports import inspection, learning

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load_demo()
    return {
        "current": Programme.objects.get(title=CURRENT_PROGRAMME),
        "earlier": Programme.objects.get(title=EARLIER_PROGRAMME),
        "coordinator": User.objects.get(email="coordinator@demo.example"),
        "board": User.objects.get(email="board@demo.example"),
        "lead": User.objects.get(email="health.lead@demo.example"),
    }


def test_every_report_page_opens_for_every_reader(client_for, demo) -> None:
    for reader in ("coordinator", "lead", "board"):
        client = client_for(demo[reader])
        programme = demo["earlier"]  # closed: every reader may report on it
        for url in (
            "/reports/",
            f"/reports/programmes/{programme.pk}/",
            "/reports/across-programmes/",
            "/reports/equality/",
            "/reports/exports/",
        ):
            assert client.get(url).status_code == 200, (reader, url)
    coordinator = client_for(demo["coordinator"])
    page = coordinator.get(f"/reports/programmes/{demo['current'].pk}/").content.decode()
    assert "Is the child currently safe?" in page
    assert "Early intervention" in page or "Planning" in page
    assert coordinator.get("/reports/calibration/").status_code == 200


def test_learning_summary_and_inspection_pack_on_demo_data(demo) -> None:
    summary = learning.start_summary(demo["current"], by=demo["coordinator"])
    assert "6 case files" in summary.when_and_how
    assert "aged 2 to 18" in summary.when_and_how
    assert "Two audit tools were used" in summary.when_and_how
    case = Case.objects.filter(programme=demo["current"]).order_by("case_identifier").first()
    content = inspection.inspection_pack(demo["coordinator"], demo["current"], [case.pk])
    assert len(zipfile.ZipFile(io.BytesIO(content)).namelist()) == 2
