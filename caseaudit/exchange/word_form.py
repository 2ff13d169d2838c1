"""A return's Word form, laid out like the source tool, for an agency that completes it in Word.

The form is built from `parts_for(ret)`, the same definition as the online return, so it asks
exactly what the return asks: key questions, outcomes, case details (filled in from the case),
practitioner, each section's questions with their judgement and equality considerations, the
overall judgement, recommendations and feedback, and the sign-off. Questions that are not for
the agency stay in their section's table, marked "Not for your agency", with no Ref; a section
with no question for the agency says so and lists none. The protective marking and the tool's
own notice are in every page's header and footer, and the document's custom properties say
which return it is for (see identity.py)."""

import io
from collections.abc import Iterable, Sequence
from itertools import groupby

import docx
from django.conf import settings
from django.utils.text import slugify
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Length, Pt, RGBColor
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

from caseaudit.audit_tools.schema import CaseField, Section, Tool
from caseaudit.audits.items import Item, ItemKind, Part, parts_for
from caseaudit.audits.models import Answer, Case, Return
from caseaudit.exchange.identity import FormIdentity, add_custom_properties
from caseaudit.exchange.layout import (
    CHOICE_LABELS,
    DATE_FORMAT,
    NOT_FOR_YOUR_AGENCY,
    REF_HEADING,
    column_heading,
    label_heading,
)

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PAGE_WIDTH = Cm(17)  # A4 less two 2 cm margins
REF_WIDTH = Cm(2.4)
GREY = RGBColor(0x50, 0x5A, 0x5F)
HEADER_FILL = "DDDDDD"
NOT_FOR_YOU_FILL = "F3F2F1"


def build_word_form(ret: Return, *, include_answers: bool) -> bytes:
    """The return's form as .docx bytes; with its saved answers when `include_answers`."""
    tool = ret.tool_version.tool
    case = ret.case
    answers = {answer.item_key: answer for answer in ret.answers.all()} if include_answers else {}
    document = docx.Document()
    _set_up(document, tool)
    _opening(document, ret, tool)
    for part in parts_for(ret):
        if part.slug == "practitioner":
            _case_details(document, tool, case)
        _part(document, ret, tool, part, answers)
    _footnotes(document, tool)
    add_custom_properties(document, FormIdentity.of(ret).properties())
    document.core_properties.title = f"{tool.title}: case {case.case_identifier}, {ret.agency}"
    document.core_properties.author = settings.PARTNERSHIP_NAME
    document.core_properties.subject = settings.PROTECTIVE_MARKING
    document.core_properties.keywords = settings.PROTECTIVE_MARKING
    document.core_properties.comments = ""
    document.core_properties.last_modified_by = settings.PARTNERSHIP_NAME
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def file_name(ret: Return) -> str:
    case = slugify(ret.case.case_identifier) or "case"
    agency = slugify(ret.agency.name) or "agency"
    return f"{settings.PROTECTIVE_MARKING} case {case} {agency} return {ret.pk}.docx"


# Page, header and footer --------------------------------------------------------------------


def _set_up(document: Document, tool: Tool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    for style_name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = document.styles[style_name]
        style.font.name = "Arial"
        style.font.color.rgb = RGBColor(0x0B, 0x0C, 0x0C)
        # The template's headings take the theme's font, which wins over the font's name.
        fonts = style.element.rPr.rFonts if style.element.rPr is not None else None
        if fonts is not None:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
    for area in (section.header, section.footer):
        marking = area.paragraphs[0]
        marking.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = marking.add_run(settings.PROTECTIVE_MARKING)
        run.bold = True
        notice = area.add_paragraph()
        notice.alignment = WD_ALIGN_PARAGRAPH.CENTER
        notice.add_run(tool.marking_notice).font.size = Pt(8)
    page = section.footer.add_paragraph()
    page.alignment = WD_ALIGN_PARAGRAPH.CENTER
    page.add_run("Page ").font.size = Pt(8)
    _page_number(page)


def _page_number(paragraph: Paragraph) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


# The opening pages ----------------------------------------------------------------------------


def _opening(document: Document, ret: Return, tool: Tool) -> None:
    case = ret.case
    document.add_heading(tool.title, level=0)
    _paragraph(
        document,
        f"{settings.PARTNERSHIP_NAME} · {case.programme.title} · "
        f"{ret.agency.name}’s return for case {case.case_identifier}",
        bold=True,
    )
    _paragraphs(document, tool.description)

    document.add_heading("How to complete this form", level=1)
    for line in (
        "Write your answers in the empty boxes. Do not change the narrow “Ref” column: "
        "Case Audit reads your answers back by it.",
        "Do not add, remove or move rows. Leave a box empty if you have nothing to say.",
        "Grades: write the grade’s number (for example 2), its name (for example Good), or both.",
        "Key questions: write Yes, No or Not known. Dates: write them as day/month/year, for "
        "example 15/01/2026.",
        "Save the form as a Word Document (.docx), without a password, and return it as the "
        "partnership asked. It is uploaded into Case Audit, where you can check what was read "
        "before it is saved.",
    ):
        document.add_paragraph(line, style="List Bullet")
    _paragraph(
        document,
        f"Form reference: return {ret.pk}, case {case.case_identifier}, {ret.agency.name}, "
        f"{tool.short_title} version {ret.tool_version.version}.",
        size=8,
        colour=GREY,
    )

    document.add_heading("Grades", level=1)
    _paragraphs(document, tool.guidance)
    scale = tool.grade_scale
    widths = (Cm(3), Length(PAGE_WIDTH - Cm(3)))
    table = _table(document, ("Grade", "Meaning"), widths)
    for grade in scale.grades:
        _add_row(table, (str(grade.value), grade.label), widths)
    if scale.allow_not_applicable:
        _add_row(table, (scale.not_applicable_label, "Where a grade does not apply"), widths)
    better = "Lower" if scale.lower_is_better else "Higher"
    _paragraph(document, f"{scale.name}. {better} grades are better.")

    document.add_heading("Audit window", level=1)
    _paragraph(
        document,
        f"Audit the work from {case.audit_window_start:%-d %B %Y} to the audit date, "
        f"{case.programme.audit_date:%-d %B %Y}.",
        bold=True,
    )
    _paragraphs(document, tool.audit_window.description)
    _paragraphs(document, tool.equality_prompt)


def _case_details(document: Document, tool: Tool, case: Case) -> None:
    document.add_heading("1. Case details", level=1)
    _paragraph(document, "Completed centrally: these are not read back from the form.")
    widths = (Cm(7), Length(PAGE_WIDTH - Cm(7)))
    table = _table(document, ("Case detail", "To be completed centrally"), widths)
    for detail in tool.case_details:
        _add_row(table, (detail.label, _case_value(case, detail.field)), widths)


def _case_value(case: Case, field: CaseField) -> str:
    if field == CaseField.AGE:
        return "" if case.age_at_audit is None else str(case.age_at_audit)
    if field == CaseField.FAMILY_MEMBERS:
        return "; ".join(str(member) for member in case.family_members.all())
    if field == CaseField.CATEGORY:
        return case.get_category_display()
    if field == CaseField.REFERRAL_DATE:
        return case.referral_date.strftime(DATE_FORMAT) if case.referral_date else ""
    return str(getattr(case, field.value) or "")


# Parts ----------------------------------------------------------------------------------------


def _part(
    document: Document, ret: Return, tool: Tool, part: Part, answers: dict[str, Answer]
) -> None:
    document.add_heading(part.title, level=1)
    if part.section is not None:
        _section_opening(document, part.section)
    if part.hint:
        _paragraphs(document, part.hint)
    if not part.applies:
        _paragraph(
            document,
            f"None of this section’s questions is for {ret.agency.name}: it needs no answers "
            "or grade.",
            bold=True,
        )
        return
    if part.slug == "practitioner":
        _paragraph(document, "To be completed by agency auditor.")
    # Rows with the same answer columns share a table, as in the source tool.
    for _, group in groupby(part.items, key=lambda item: (item.kind, item.columns)):
        _answer_table(document, tool, list(group), answers)


def _section_opening(document: Document, section: Section) -> None:
    if section.applies_to_note:
        _paragraph(document, section.applies_to_note)
    if section.guidance:
        _paragraphs(document, section.guidance)


def _answer_table(
    document: Document, tool: Tool, items: Sequence[Item], answers: dict[str, Answer]
) -> None:
    first = items[0]
    columns = first.columns
    label_width = Cm(6)
    answer_width = Length((PAGE_WIDTH - REF_WIDTH - label_width) // len(columns))
    widths = (REF_WIDTH, label_width, *([answer_width] * len(columns)))
    headings = (
        REF_HEADING,
        label_heading(first),
        *(column_heading(tool, first, column) for column in columns),
    )
    table = _table(document, headings, widths)
    for item in items:
        if not item.applies:
            row = _add_row(table, ("", "", *([NOT_FOR_YOUR_AGENCY] * len(columns))), widths)
            _label_cell(row.cells[1], tool, item)
            for cell in row.cells:
                _shade(cell, NOT_FOR_YOU_FILL)
            continue
        answer = answers.get(item.key)
        values = [_answer_text(tool, column, answer) for column in columns]
        row = _add_row(table, ("", "", *values), widths)
        _ref_cell(row.cells[0], item.key)
        _label_cell(row.cells[1], tool, item)


def _ref_cell(cell: _Cell, key: str) -> None:
    run = cell.paragraphs[0].add_run(key)
    run.font.size = Pt(7)
    run.font.color.rgb = GREY


def _label_cell(cell: _Cell, tool: Tool, item: Item) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.add_run(item.label).bold = item.kind in (ItemKind.JUDGEMENT, ItemKind.OVERALL)
    question = item.source if item.kind == ItemKind.QUESTION else None
    for sub_question in getattr(question, "sub_questions", ()):
        cell.add_paragraph(sub_question)
    markers = {footnote.id: footnote.marker for footnote in tool.footnotes}
    for footnote in getattr(question, "footnotes", ()):
        note = cell.add_paragraph().add_run(f"See note {markers.get(footnote, footnote)}.")
        note.font.size = Pt(8)


def _answer_text(tool: Tool, column: str, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if column == "grade":
        if answer.not_applicable:
            return tool.grade_scale.not_applicable_label
        if answer.grade is None:
            return ""
        return f"{answer.grade} – {tool.grade_scale.label_for(answer.grade)}"
    if column == "choice":
        return CHOICE_LABELS.get(answer.choice, "")
    if column == "date":
        return answer.date.strftime(DATE_FORMAT) if answer.date else ""
    return str(getattr(answer, column) or "")


def _footnotes(document: Document, tool: Tool) -> None:
    if not tool.footnotes:
        return
    document.add_heading("Notes", level=1)
    for footnote in tool.footnotes:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{footnote.marker} – ").bold = True
        paragraph.add_run(footnote.text)


# python-docx helpers ------------------------------------------------------------------------


def _paragraph(
    document: Document,
    text: str,
    *,
    bold: bool = False,
    size: int | None = None,
    colour: RGBColor | None = None,
) -> Paragraph:
    paragraph = document.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if colour is not None:
        run.font.color.rgb = colour
    return paragraph


def _paragraphs(document: Document, text: str) -> None:
    for block in text.split("\n\n"):
        if block.strip():
            document.add_paragraph(" ".join(block.split()))


def _table(document: Document, headings: Sequence[str], widths: Sequence[Length]) -> Table:
    table = document.add_table(rows=1, cols=len(headings))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    grid = table._tbl.tblGrid
    for column, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        column.set(qn("w:w"), str(int(width.twips)))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    _fill_row(header, headings, widths, bold=True)
    for cell in header.cells:
        _shade(cell, HEADER_FILL)
    # Repeat the heading row on every page, and tell screen readers it is the heading.
    header_properties = header._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header_properties.append(repeat)
    return table


def _add_row(table: Table, texts: Iterable[str], widths: Sequence[Length]) -> _Row:
    row = table.add_row()
    _fill_row(row, texts, widths)
    return row


def _fill_row(
    row: _Row, texts: Iterable[str], widths: Sequence[Length], *, bold: bool = False
) -> None:
    for cell, text, width in zip(row.cells, texts, widths, strict=True):
        cell.width = width
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n") if text else [""]
        cell.paragraphs[0].add_run(lines[0]).bold = bold
        for line in lines[1:]:
            cell.add_paragraph().add_run(line).bold = bold


def _shade(cell: _Cell, fill: str) -> None:
    properties = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    properties.append(shading)
