"""The learning summary: drafted from the data, edited, published in two editions, and made
into PDF and Word documents that carry the right marking."""

import io

import pytest
from docx import Document

from caseaudit.activity.models import Change
from caseaudit.reports import actions, briefing, learning
from caseaudit.reports.models import Audience, Resource
from caseaudit.reports.tests.conftest import CASE_WORDS
from caseaudit.reports.tests.documents import (
    libreoffice_to_pdf,
    pdf_pages,
    pdf_text,
    render_first_page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resources():
    return [
        Resource.objects.create(
            title="Thresholds document",
            text="Know the thresholds for accessing services.",
            url="https://example.org/thresholds",
            position=1,
        ),
        Resource.objects.create(
            title="No Names Consultation",
            text="Advice without divulging full information.",
            contacts="North: 01865 323039\nSouth: 01865 323041",
            position=2,
        ),
        Resource.objects.create(title="Retired leaflet", is_active=False),
    ]


@pytest.fixture
def summary(world, coordinator, resources):
    summary = learning.start_summary(world["spring"], by=coordinator)
    actions.save_summary(
        summary,
        by=coordinator,
        manager_points=(
            "Direction: ensure practitioners use the neglect tools\nCheck: that minutes are shared"
        ),
        practitioner_points="Use the referral form: give complete information",
        key_messages="Embed a shared understanding of the neglect tool",
        reflection="Make decisions you have confidence in.",
        why="To prepare for the inspection of services for children.",
    )
    return summary


def test_the_summary_is_drafted_from_the_data(summary) -> None:
    assert summary.when_and_how == (
        "In March 2026 the partnership audited 3 case files of children and young people "
        "aged 2 to 18. One audit tool was used: Children in Need — full. Each partner "
        "audited its own files, followed by a multi-agency meeting on 24 April 2026 to "
        "discuss the conclusions of the audits."
    )
    assert summary.partners.splitlines() == [
        "Children’s Social Care",
        "Health",
        "Youth Offending Service",
    ]
    assert summary.strengths == "Timely assessments"
    assert summary.improvements == "Sharing information about risk"
    assert summary.aim == "How well agencies recognise and respond to neglect."
    assert summary.actions_agreed.splitlines() == [
        "Health to share risk information with QX's school. (Health, by 1 May 2026)",
        "Refresh the neglect toolkit. (Children’s Social Care, by 1 January 2030)",
    ]
    # Only resources offered for new summaries are ticked.
    assert [r.title for r in summary.resources.all()] == [
        "Thresholds document",
        "No Names Consultation",
    ]


def test_themes_in_common_count_other_programmes_and_outside_audits(world, coordinator) -> None:
    from datetime import date

    from caseaudit.meetings.models import ExternalAudit
    from caseaudit.reports.tests.builders import finding

    timely, sharing = world["themes"]
    assert learning.common_themes(world["spring"]) == []
    finding(world["autumn"], None, "improvement", "Again.", [sharing])
    outside = ExternalAudit.objects.create(
        title="Serious case review", held_on=date(2025, 6, 1), source="serious_case_review"
    )
    outside.themes.add(timely)
    assert learning.common_themes(world["spring"]) == [
        "Sharing information about risk",
        "Timely assessments",
    ]


def test_edits_are_kept_in_the_history(summary, coordinator) -> None:
    change = Change.objects.filter(object_type="reports.learningsummary", field="why").get()
    assert change.new_value == "To prepare for the inspection of services for children."


def test_points_take_a_bold_label_before_a_colon() -> None:
    assert learning.points("Direction: use the tools\n\n- plain point\nA: b: c") == [
        {"label": "Direction", "text": "use the tools"},
        {"label": "", "text": "plain point"},
        {"label": "A", "text": "b: c"},
    ]


def test_publishing_makes_two_frozen_editions(summary, coordinator) -> None:
    # The drafted actions name QX: the practitioners' edition must not.
    with pytest.raises(actions.IdentifiesCase) as refused:
        actions.publish_summary(summary, by=coordinator)
    assert refused.value.mentions == ["Actions agreed: QX"]
    actions.save_summary(
        summary,
        by=coordinator,
        actions_agreed="Health to share risk information with schools. (Health, by 1 May 2026)",
    )
    partners, practitioners = actions.publish_summary(summary, by=coordinator)
    assert (partners.number, partners.audience) == (1, Audience.PARTNERS)
    assert partners.marking == "OFFICIAL-SENSITIVE"
    assert practitioners.marking == "OFFICIAL"
    assert [case["identifier"] for case in partners.content["cases"]] == [
        "904518",
        "904519",
        "904520",
    ]
    assert practitioners.content["cases"] == []
    # Later edits do not change a published edition.
    actions.save_summary(summary, by=coordinator, key_messages="Something else")
    practitioners.refresh_from_db()
    assert practitioners.content["key_messages"][0]["text"].startswith("Embed a shared")
    again = actions.publish_summary(summary, by=coordinator)
    assert again[0].number == 2


def test_the_case_words_include_family_members_initials(world) -> None:
    words = learning.case_words(world["spring"])
    assert {"QX", "ZV", "KW", "XJ", "904518"} <= set(words)
    content = {"key_messages": [{"label": "", "text": "Mother XJ was seen."}]}
    assert learning.identifying_mentions(content, words) == [
        "Key messages for inter-agency learning: XJ"
    ]
    # Initials inside another word are not a mention.
    assert learning.identifying_mentions({"why": ["QXA and 19045188"]}, words) == []


def _published(summary, coordinator):
    actions.save_summary(summary, by=coordinator, actions_agreed="Share risk information.")
    return actions.publish_summary(summary, by=coordinator)


def test_the_pdf_editions_carry_their_marking_on_every_page(summary, coordinator, tmp_path) -> None:
    partners, practitioners = _published(summary, coordinator)
    text = pdf_text(briefing.edition_pdf(partners), tmp_path, "partners.pdf")
    pages = pdf_pages(text)
    assert all("OFFICIAL-SENSITIVE" in page for page in pages)
    for expected in (
        "Eyes on",
        "A summary",
        "aged 2 to 18",
        "Timely assessments",
        "Sharing information about risk",
        "Direction:",
        "Learning points for managers",
        "Action points for practitioners",
        "Key messages for inter-agency learning",
        "Take the time to reflect",
        "Thresholds document",
        "North: 01865 323039",
        "The cases audited",
        "904518",
    ):
        assert expected in text, expected
    assert "Retired leaflet" not in text

    board = pdf_text(briefing.edition_pdf(practitioners), tmp_path, "practitioners.pdf")
    assert all("OFFICIAL" in page for page in pdf_pages(board))
    assert "OFFICIAL-SENSITIVE" not in board
    for word in CASE_WORDS:
        assert word not in board
    assert "fewer than 5" in board  # the chart's small counts are suppressed
    image = render_first_page(briefing.edition_pdf(practitioners), tmp_path)
    assert image.read_bytes().startswith(b"\x89PNG")


def test_the_chart_is_svg_with_a_text_alternative(summary) -> None:
    chart = learning.grade_chart(summary.programme, suppressed=False)
    assert [bar["count"] for bar in chart["bars"]] == [1, 2, 1, 1]
    svg = briefing.chart_svg(chart)
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "<desc" in svg and "2 Good: 2" in svg
    suppressed = learning.grade_chart(summary.programme, suppressed=True)
    assert [bar["text"] for bar in suppressed["bars"]] == ["fewer than 5"] * 4


def test_the_word_editions_open_and_convert(summary, coordinator, tmp_path) -> None:
    partners, practitioners = _published(summary, coordinator)
    content = briefing.edition_docx(practitioners)
    document = Document(io.BytesIO(content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Learning points for managers" in text
    assert "Direction: ensure practitioners use the neglect tools" in text
    assert document.sections[0].header.paragraphs[0].text == "OFFICIAL"
    assert "OFFICIAL" in document.sections[0].footer.paragraphs[0].text
    tables = "\n".join(
        cell.text for table in document.tables for row in table.rows for cell in row.cells
    )
    for word in CASE_WORDS:
        assert word not in text and word not in tables
    path = tmp_path / "practitioners.docx"
    path.write_bytes(content)
    converted = libreoffice_to_pdf(path, tmp_path)
    assert "Learning points for managers" in pdf_text(converted.read_bytes(), tmp_path, "lo.pdf")

    partners_document = Document(io.BytesIO(briefing.edition_docx(partners)))
    assert partners_document.sections[0].header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    cells = [
        cell.text for table in partners_document.tables for row in table.rows for cell in row.cells
    ]
    assert "904518 (QX)" in cells
