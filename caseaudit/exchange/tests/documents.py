"""Word documents for the tests: filling a downloaded form as a person would, in python-docx or
in LibreOffice, an older form in the source tool's layout, and hostile files."""

import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from lxml import etree

from caseaudit.audit_tools.schema import AUDIENCE_LABELS, Tool

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui",
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ODF_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
ODF_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"

# What a person types, by item key and column: the boxes of the downloaded form.
Typed = Mapping[str, Mapping[str, str]]


def as_upload(data: bytes, name: str = "completed form.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=DOCX_TYPE)


def fill_in_python_docx(data: bytes, typed: Typed, columns: Mapping[str, tuple[str, ...]]) -> bytes:
    """Type into the boxes of a downloaded form: each row found by its Ref cell."""
    document = docx.Document(io.BytesIO(data))
    for table in document.tables:
        for row in table.rows:
            key = row.cells[0].text.strip()
            if key not in typed:
                continue
            for column, text in typed[key].items():
                cell = row.cells[2 + columns[key].index(column)]
                _replace_cell_text(cell, text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _replace_cell_text(cell: Any, text: str) -> None:
    for paragraph in cell.paragraphs[1:]:
        paragraph._p.getparent().remove(paragraph._p)
    first = cell.paragraphs[0]
    for run in first.runs:
        run._r.getparent().remove(run._r)
    lines = text.split("\n")
    first.add_run(lines[0])
    for line in lines[1:]:
        cell.add_paragraph(line)


def soffice_convert(data: bytes, source_suffix: str, target: str) -> bytes:
    """Convert with LibreOffice headless, in a private profile so parallel runs do not clash."""
    assert SOFFICE is not None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / f"form{source_suffix}"
        source.write_bytes(data)
        out = Path(folder) / "out"
        profile = Path(folder) / "profile"
        subprocess.run(
            [
                SOFFICE,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        extension = target.split(":")[0]
        return (out / f"form.{extension}").read_bytes()


def through_libreoffice(data: bytes) -> bytes:
    """Open a .docx in LibreOffice, save it as .odt, then save that as .docx again."""
    odt = soffice_convert(data, ".docx", "odt")
    return soffice_convert(odt, ".odt", "docx:MS Word 2007 XML")


def fill_in_libreoffice(data: bytes, typed: Typed, columns: Mapping[str, tuple[str, ...]]) -> bytes:
    """Convert the form to LibreOffice's own format, type into its table cells there, and save
    it back as .docx with LibreOffice, as someone completing the form in LibreOffice would."""
    odt = soffice_convert(data, ".docx", "odt")
    source = zipfile.ZipFile(io.BytesIO(odt))
    content = etree.fromstring(source.read("content.xml"))
    cell_tag = f"{{{ODF_TABLE}}}table-cell"
    paragraph_tag = f"{{{ODF_TEXT}}}p"
    for row in content.iter(f"{{{ODF_TABLE}}}table-row"):
        cells = [cell for cell in row if cell.tag == cell_tag]
        if not cells:
            continue
        key = "".join(cells[0].itertext()).strip()
        if key not in typed:
            continue
        for column, text in typed[key].items():
            cell = cells[2 + columns[key].index(column)]
            style = next(iter(cell.iter(paragraph_tag))).get(f"{{{ODF_TEXT}}}style-name")
            for child in list(cell):
                cell.remove(child)
            for line in text.split("\n"):
                paragraph = etree.SubElement(cell, paragraph_tag)
                if style:
                    paragraph.set(f"{{{ODF_TEXT}}}style-name", style)
                paragraph.text = line
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            payload = source.read(info.filename)
            if info.filename == "content.xml":
                payload = etree.tostring(content, xml_declaration=True, encoding="UTF-8")
            compression = (
                zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED
            )
            target.writestr(info.filename, payload, compress_type=compression)
    return soffice_convert(out.getvalue(), ".odt", "docx:MS Word 2007 XML")


# Older forms, typed into the source tool's Word document ------------------------------------


def legacy_form(
    tool: Tool,
    answers: Mapping[str, tuple[str, ...]],
    extra_rows: tuple[tuple[str, ...], ...] = (),
    reworded: Mapping[str, str] | None = None,
) -> bytes:
    """The source tool's layout, with no Ref column and no Case Audit properties: a table per
    section headed by its title, rows of question | auditor comments | evidenced by (the
    question cell prefixed with its audience, sub-questions below), and the judgement's impact
    and grade written in the one box under it. `answers` holds each answered item's boxes by
    its id; `extra_rows` are added to the last section's table; `reworded` gives some
    questions other wording (the whole question cell), as an older version of the form had."""
    document = docx.Document()
    document.add_paragraph("RESTRICTED WHEN COMPLETED")
    document.add_paragraph(tool.title)

    details = document.add_table(rows=0, cols=2)
    for row in (
        ("1. Case details", "To be completed centrally"),
        ("Initials of subject child", "JS"),
        ("Case identifier number", "100001"),
    ):
        _row(details, row)

    outcomes = document.add_table(rows=0, cols=3)
    _row(outcomes, ("", tool.outcomes.evidence_label, "Grade"))
    for outcome in tool.outcomes.items:
        _row(outcomes, (outcome.title, *answers.get(outcome.id, ("", ""))))

    practitioner = document.add_table(rows=0, cols=2)
    for field in tool.practitioner:
        _row(practitioner, (field.label, *answers.get(field.id, ("",))))

    for section in tool.sections:
        table = document.add_table(rows=0, cols=3)
        _row(
            table, (f"{section.number}. {section.title}", "Auditor Comments", tool.columns.evidence)
        )
        for question in section.questions:
            prefix = f"{AUDIENCE_LABELS[question.audience]}: " if question.audience else ""
            text = "\n\n".join([prefix + question.text, *question.sub_questions])
            text = (reworded or {}).get(question.id, text)
            _row(table, (text, *answers.get(question.id, ("", ""))))
        if section.judgement:
            impact, grade = answers.get(section.judgement.id, ("", ""))
            box = f"Impact (What has changed/ improved and is this sustainable):: {impact}\n\nGrade: {grade}"
            _row(table, (section.judgement.text, box, ""))
        if section is tool.sections[-1]:
            for extra in extra_rows:
                _row(table, extra)

    closing = document.add_table(rows=0, cols=1)
    for key, label in (
        ("recommendations", tool.recommendations_label),
        ("feedback", tool.feedback_label),
    ):
        _row(closing, (f"{label}:\n{answers.get(key, ('',))[0]}",))
    sign_off = document.add_table(rows=0, cols=2)
    for field in tool.sign_off:
        _row(sign_off, (field.label, *answers.get(field.id, ("",))))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _row(table: Any, texts: tuple[str, ...]) -> None:
    cells = table.add_row().cells
    for cell, text in zip(cells, texts, strict=False):
        lines = text.split("\n")
        cell.paragraphs[0].add_run(lines[0])
        for line in lines[1:]:
            cell.add_paragraph(line)


# Hostile and broken files ----------------------------------------------------------------------


def rezip(
    data: bytes, replace: Mapping[str, bytes] | None = None, add: Mapping[str, bytes] | None = None
) -> bytes:
    """A copy of a .docx with some parts replaced or added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            payload = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(info.filename, payload)
        for name, payload in (add or {}).items():
            target.writestr(name, payload)
    return out.getvalue()
