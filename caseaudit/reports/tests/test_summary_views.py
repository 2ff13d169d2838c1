"""The learning-summary editor, preview, publication and the published editions."""

import re

import pytest
from docx import Document

from caseaudit.activity.models import AccessEvent
from caseaudit.reports.models import (
    Audience,
    Branding,
    LearningSummary,
    LearningSummaryEdition,
    Resource,
)

pytestmark = pytest.mark.django_db


def url(world, rest=""):
    return f"/reports/programmes/{world['spring'].pk}/learning-summary/{rest}"


def form_data(**changes):
    data = {
        "title": "Eyes on – Enhancing our practice",
        "subtitle": "Learning from the audit",
        "introduction": "",
        "why": "To prepare for the inspection.",
        "when_and_how": "In March 2026 we audited 3 cases.",
        "aim": "",
        "partners": "Health",
        "strengths": "Timely assessments",
        "improvements": "Sharing information about risk",
        "common_themes": "",
        "actions_agreed": "Share risk information.",
        "manager_points": "Direction: use the neglect tools",
        "practitioner_points": "",
        "key_messages": "",
        "reflection": "",
        "practitioner_marking": "OFFICIAL",
    }
    data.update(changes)
    return data


def test_only_the_coordinator_edits(client_for, world, health_lead, board_viewer) -> None:
    assert client_for(health_lead).get(url(world)).status_code == 404
    assert client_for(board_viewer).get(url(world)).status_code == 404


def test_opening_and_previewing_a_new_summary_writes_nothing(client_for, world, coordinator):
    Resource.objects.create(title="Seven golden rules for information sharing")
    Resource.objects.create(title="Withdrawn leaflet", is_active=False)
    client = client_for(coordinator)
    page = client.get(url(world)).content.decode()
    assert "Drafted from the data" in page
    # The active resource is ticked, as the saved draft will have it.
    assert re.search(r'value="\d+" checked[^>]*>\s*<label[^>]*>\s*Seven golden rules', page)
    preview = client.get(url(world, "preview/partners/")).content.decode()
    assert "Seven golden rules" in preview and "Withdrawn leaflet" not in preview
    assert not LearningSummary.objects.exists() and not Branding.objects.exists()

    assert client.post(url(world, "redraft/")).status_code == 302
    summary = LearningSummary.objects.get()
    assert [r.title for r in summary.resources.all()] == [
        "Seven golden rules for information sharing"
    ]


def test_coordinator_edits_previews_and_publishes(
    client_for, world, coordinator, board_viewer, health_lead, yos_lead
) -> None:
    Resource.objects.create(title="Seven golden rules for information sharing")
    client = client_for(coordinator)
    page = client.get(url(world)).content.decode()
    assert "Drafted from the data" in page and "aged 2 to 18" in page
    response = client.post(url(world), form_data(marking="x", practitioner_marking=""))
    assert response.status_code == 422
    assert "Enter the marking of this edition" in response.content.decode()
    resource = Resource.objects.get()
    response = client.post(url(world), form_data(resources=[resource.pk]))
    assert response.status_code == 302
    preview = client.get(url(world, "preview/practitioners/")).content.decode()
    assert "Preview: not published" in preview
    assert "Seven golden rules" in preview
    assert "904518" not in preview

    response = client.post(url(world, "publish/"))
    practitioners = LearningSummaryEdition.objects.get(audience=Audience.PRACTITIONERS)
    partners = LearningSummaryEdition.objects.get(audience=Audience.PARTNERS)
    assert response["Location"] == f"/reports/learning-summaries/{practitioners.pk}/"

    # The board sees the practitioners' edition, never the partners' one.
    board = client_for(board_viewer)
    assert (
        "Direction:"
        in board.get(f"/reports/learning-summaries/{practitioners.pk}/").content.decode()
    )
    assert board.get(f"/reports/learning-summaries/{partners.pk}/").status_code == 404
    pdf = board.get(f"/reports/learning-summaries/{practitioners.pk}/pdf/")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    docx = board.get(f"/reports/learning-summaries/{practitioners.pk}/docx/")
    assert docx["Content-Disposition"].endswith('.docx"')
    # Leads of agencies that took part read the partners' edition, and it is logged.
    lead = client_for(health_lead)
    page = lead.get(f"/reports/learning-summaries/{partners.pk}/").content.decode()
    assert "904518" in page
    assert AccessEvent.objects.filter(user=health_lead, action="view learning summary").exists()
    # Police took no part; Youth Offending did.
    assert (
        client_for(yos_lead).get(f"/reports/learning-summaries/{partners.pk}/").status_code == 200
    )


def test_publishing_is_refused_when_the_board_edition_names_a_case(
    client_for, world, coordinator
) -> None:
    client = client_for(coordinator)
    client.post(url(world), form_data(key_messages="Remember ZV's story"))
    response = client.post(url(world, "publish/"), follow=True)
    page = response.content.decode()
    assert "Not published" in page and "Key messages for inter-agency learning: ZV" in page
    assert not LearningSummaryEdition.objects.exists()
    preview = client.get(url(world, "preview/practitioners/")).content.decode()
    assert "cannot be published as it is" in preview


def test_redraft_rewrites_the_data_parts_only(client_for, world, coordinator) -> None:
    client = client_for(coordinator)
    client.post(url(world), form_data(strengths="Mine", manager_points="Keep me"))
    client.post(url(world, "redraft/"))
    page = client.get(url(world)).content.decode()
    assert "Keep me" in page
    assert ">Timely assessments</textarea>" in page


def test_resources_are_managed_by_the_coordinator(
    client_for, world, coordinator, health_lead
) -> None:
    assert client_for(health_lead).get("/reports/resources/").status_code == 403
    client = client_for(coordinator)
    bad = client.post("/reports/resources/new/", {"title": "", "url": "not a url", "position": "0"})
    assert bad.status_code == 422 and "Enter the title of the resource" in bad.content.decode()
    client.post(
        "/reports/resources/new/",
        {"title": "Thresholds", "url": "https://example.org/t", "position": "1", "is_active": "on"},
    )
    resource = Resource.objects.get()
    assert resource.is_active
    client.post(
        f"/reports/resources/{resource.pk}/", {"title": "Thresholds document", "position": "1"}
    )
    resource.refresh_from_db()
    assert resource.title == "Thresholds document" and not resource.is_active
    assert "Thresholds document" in client.get("/reports/resources/").content.decode()


def test_word_document_from_the_page_opens(client_for, world, coordinator, tmp_path) -> None:
    import io

    client = client_for(coordinator)
    client.post(url(world), form_data())
    client.post(url(world, "publish/"))
    partners = LearningSummaryEdition.objects.get(audience=Audience.PARTNERS)
    response = client.get(f"/reports/learning-summaries/{partners.pk}/docx/")
    document = Document(io.BytesIO(response.content))
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
