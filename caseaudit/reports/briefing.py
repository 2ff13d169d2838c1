"""A published learning summary as a PDF (WeasyPrint, the chart as SVG) and as a Word
document (python-docx), each with the edition's marking on every page."""

import base64
import io
from typing import Any
from xml.sax.saxutils import escape  # nosec B406 # escapes text for output; parses no XML

from django.template.loader import render_to_string
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt, RGBColor
from weasyprint import HTML

from caseaudit.reports.models import LearningSummaryEdition

GRADE_FILLS = {1: "#87bca8", 2: "#cfe4dc", 3: "#fabb9c", 4: "#e59a9a"}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

SECTIONS = (
    ("strengths", "The strengths identified on the individual cases could be grouped into:"),
    ("improvements", "Key areas for improvement were:"),
    ("common_themes", "Themes in common with other audits"),
    ("actions_agreed", "Actions agreed"),
    ("manager_points", "Learning points for managers"),
    ("practitioner_points", "Action points for practitioners"),
    ("key_messages", "Key messages for inter-agency learning"),
)


def chart_svg(chart: dict[str, Any], *, chart_id: str = "grade-chart") -> str:
    """A bar chart with its numbers written beside the bars (never colour alone) and a text
    alternative; counts hidden by suppression have no bar."""
    bars = chart["bars"]
    top = max((bar["count"] or 0 for bar in bars), default=0) or 1
    row, label_width, bar_width = 34, 150, 300
    height, width_all = row * len(bars) + 10, label_width + bar_width + 110
    description = "; ".join(f"{bar['label']}: {bar['text']}" for bar in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width_all}" '
        f'height="{height}" viewBox="0 0 {width_all} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(chart["title"])}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        y = index * row + 5
        parts.append(
            f'<text x="0" y="{y + 20}" font-family="Arial, Liberation Sans, sans-serif" '
            f'font-size="14" fill="#0b0c0c">{escape(bar["label"])}</text>'
        )
        width = 0
        if bar["count"]:
            width = max(2, round(bar_width * bar["count"] / top))
            parts.append(
                f'<rect x="{label_width}" y="{y + 4}" width="{width}" height="22" '
                f'fill="{GRADE_FILLS.get(bar["grade"], "#b1b4b6")}" stroke="#0b0c0c" '
                'stroke-width="1"/>'
            )
        parts.append(
            f'<text x="{label_width + width + 8}" y="{y + 20}" '
            'font-family="Arial, Liberation Sans, sans-serif" font-size="14" fill="#0b0c0c">'
            f"{escape(bar['text'])}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def context(edition: LearningSummaryEdition) -> dict[str, Any]:
    content = edition.content
    return {
        "edition": edition,
        "content": content,
        "sections": [(name, heading) for name, heading in SECTIONS if content.get(name)],
        "chart": chart_svg(content["chart"]),
    }


def edition_pdf(edition: LearningSummaryEdition) -> bytes:
    html = render_to_string("reports/edition_pdf.html", context(edition))
    return HTML(string=html).write_pdf()


def _points(document: Any, items: list[dict[str, str]]) -> None:
    for item in items:
        paragraph = document.add_paragraph(style="List Bullet")
        if item["label"]:
            paragraph.add_run(f"{item['label']}: ").bold = True
        paragraph.add_run(item["text"])


def _paragraphs(document: Any, texts: list[str]) -> None:
    for text in texts:
        document.add_paragraph(text)


def edition_docx(edition: LearningSummaryEdition) -> bytes:
    content = edition.content
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    for section in document.sections:
        for part in (section.header, section.footer):
            paragraph = part.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(content["marking"])
            run.bold = True
        section.footer.add_paragraph(content["partnership_name"])

    if content.get("logo"):
        encoded = content["logo"].split(",", 1)[1]
        document.add_picture(io.BytesIO(base64.b64decode(encoded)), width=Cm(4))
    subtitle = document.add_paragraph(content["partnership_name"])
    subtitle.runs[0].font.color.rgb = RGBColor(0x50, 0x5A, 0x5F)
    document.add_heading(content["title"], level=0)
    document.add_heading(content["subtitle"], level=1)
    document.add_heading("A summary", level=2)
    for name in ("introduction", "why", "when_and_how", "aim"):
        _paragraphs(document, content.get(name, []))
    if content.get("partners"):
        document.add_paragraph("The partners were:")
        _points(document, content["partners"])

    document.add_heading("Findings", level=2)
    chart = content["chart"]
    document.add_paragraph(chart["title"])
    table = document.add_table(rows=1, cols=2)
    table.style = "Table Grid"
    table.rows[0].cells[0].text = "Grade"
    table.rows[0].cells[1].text = "Number of grades"
    for bar in chart["bars"]:
        cells = table.add_row().cells
        cells[0].text = bar["label"]
        cells[1].text = bar["text"]
    for name, heading in SECTIONS:
        if content.get(name):
            document.add_heading(heading, level=2 if name != "strengths" else 3)
            _points(document, content[name])
    if content.get("reflection"):
        document.add_heading("Take the time to reflect…", level=2)
        _paragraphs(document, content["reflection"])
    if content.get("resources"):
        document.add_heading("Reminder to practitioners", level=2)
        for resource in content["resources"]:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(resource["title"]).bold = True
            if resource["text"]:
                paragraph.add_run(f" – {resource['text']}")
            if resource["url"]:
                paragraph.add_run(f" {resource['url']}")
            for line in resource["contacts"]:
                document.add_paragraph(line)
    if content.get("cases"):
        document.add_heading("The cases audited", level=2)
        document.add_paragraph(
            "This section identifies the cases: it is for the partners taking part only."
        )
        cases = document.add_table(rows=1, cols=5)
        cases.style = "Table Grid"
        for cell, heading in zip(
            cases.rows[0].cells,
            ("Case", "Age", "Category", "Agencies", "Agreed overall grade"),
            strict=True,
        ):
            cell.text = heading
        for case in content["cases"]:
            cells = cases.add_row().cells
            cells[0].text = f"{case['identifier']} ({case['initials']})"
            cells[1].text = "" if case["age"] is None else str(case["age"])
            cells[2].text = case["category"]
            cells[3].text = ", ".join(case["agencies"])
            cells[4].text = case["overall"]
        for case in content["cases"]:
            if case["findings"]:
                document.add_heading(f"Case {case['identifier']}: findings", level=3)
                for finding in case["findings"]:
                    paragraph = document.add_paragraph(style="List Bullet")
                    paragraph.add_run(f"{finding['kind']}: ").bold = True
                    paragraph.add_run(finding["text"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
