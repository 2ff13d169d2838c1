"""Every kind of bad upload gets its own clear message, and nothing is stored."""

import io
import re
import zipfile

import pytest

from caseaudit.audits.tests.factories import make_case, make_return, short_tool
from caseaudit.exchange.identity import FormIdentity
from caseaudit.exchange.models import ImportedDocument
from caseaudit.exchange.tests.documents import as_upload, rezip
from caseaudit.exchange.word_form import build_word_form

pytestmark = pytest.mark.django_db

CUSTOM = "docProps/custom.xml"


@pytest.fixture
def client(client_for, health_lead):
    return client_for(health_lead)


@pytest.fixture
def form(ret) -> bytes:
    return build_word_form(ret, include_answers=False)


def refused(client, ret, data: bytes, name: str = "form.docx", status: int = 422) -> str:
    response = client.post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data, name)}
    )
    assert response.status_code == status
    assert not ImportedDocument.objects.exists()
    html = response.content.decode()
    assert "There is a problem" in html
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary is not None
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", summary.group(1))).strip()


def custom_properties(identity: FormIdentity, fingerprint: str | None = None) -> bytes:
    properties = identity.properties()
    if fingerprint is not None:
        properties["CaseAuditFingerprint"] = fingerprint
    items = "".join(
        f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{pid}" name="{name}">'
        f"<vt:lpwstr>{value}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(properties.items(), start=2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"{items}</Properties>"
    ).encode()


def test_no_file_asks_for_one(client, ret) -> None:
    response = client.post(f"/exchange/returns/{ret.pk}/word/upload/", {})
    assert response.status_code == 422
    assert "Select a completed Word form" in response.content.decode()


def test_an_empty_file_is_refused(client, ret) -> None:
    assert refused(client, ret, b"") == "The selected file is empty"


def test_a_file_that_is_not_a_word_document_is_refused(client, ret) -> None:
    assert refused(client, ret, b"%PDF-1.7 ...", "form.pdf") == (
        "The selected file must be a Word document (.docx)"
    )


def test_a_file_named_docx_that_is_not_one_is_refused(client, ret) -> None:
    assert refused(client, ret, b"Name,Grade\nJS,2\n") == (
        "The selected file is not a Word document (.docx), whatever its name"
    )


def test_an_old_word_97_document_is_refused(client, ret) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    assert "older Word 97–2003 document" in refused(client, ret, ole)
    assert "Word 97–2003 document (.doc)" in refused(client, ret, ole, "form.doc")


def test_a_corrupt_archive_is_refused(client, ret) -> None:
    assert refused(client, ret, b"PK\x03\x04" + bytes(range(256)) * 8).startswith(
        "The selected file is damaged or incomplete"
    )


def test_a_truncated_archive_is_refused(client, ret, form) -> None:
    assert refused(client, ret, form[: len(form) // 2]).startswith(
        "The selected file is damaged or incomplete"
    )


def test_a_part_whose_data_was_corrupted_is_refused(client, ret, form) -> None:
    archive = zipfile.ZipFile(io.BytesIO(form))
    info = archive.getinfo("word/document.xml")
    # Flip bytes inside the compressed document part: the archive's checksum no longer agrees.
    offset = info.header_offset + 30 + len(info.filename) + len(info.extra) + 20
    damaged = bytearray(form)
    damaged[offset : offset + 8] = bytes(8)
    assert refused(client, ret, bytes(damaged)).startswith(
        "The selected file is damaged or incomplete"
    )


def test_a_macro_enabled_document_is_refused_by_its_name(client, ret, form) -> None:
    assert refused(client, ret, form, "form.docm").startswith(
        "The selected file contains macros, which are never accepted"
    )


def test_a_document_carrying_a_macro_project_is_refused(client, ret, form) -> None:
    data = rezip(form, add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert refused(client, ret, data).startswith("The selected file contains macros")


def test_a_document_declaring_the_macro_enabled_content_type_is_refused(client, ret, form) -> None:
    types = (
        zipfile.ZipFile(io.BytesIO(form))
        .read("[Content_Types].xml")
        .replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
    )
    data = rezip(form, replace={"[Content_Types].xml": types})
    assert refused(client, ret, data).startswith("The selected file contains macros")


def test_a_document_over_the_size_limit_is_refused(client, ret, form, settings) -> None:
    settings.WORD_FORM_MAX_BYTES = 20 * 1024
    assert len(form) > 20 * 1024
    assert refused(client, ret, form) == "The selected file must be smaller than 20 KB"


def test_the_size_limit_is_10_mb_unless_set(client, ret) -> None:
    too_big = b"PK\x03\x04" + bytes(10 * 1024 * 1024)
    assert refused(client, ret, too_big) == "The selected file must be smaller than 10 MB"


def test_an_archive_bomb_is_refused_before_it_is_expanded(client, ret, form) -> None:
    data = rezip(form, add={"word/media/padding.bin": bytes(30 * 1024 * 1024)})
    assert len(data) < 1024 * 1024
    assert refused(client, ret, data).startswith(
        "The selected file expands to far more data than a Word form holds"
    )


def test_an_archive_too_large_uncompressed_is_refused(client, ret, form, settings) -> None:
    settings.WORD_FORM_MAX_UNCOMPRESSED_BYTES = 100 * 1024
    assert refused(client, ret, form).startswith("The selected file expands to far more data")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE Properties [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
  xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">
<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="CaseAuditReturn">
<vt:lpwstr>&secret;</vt:lpwstr></property></Properties>"""


def test_an_entity_expansion_bomb_is_refused(client, ret, form) -> None:
    data = rezip(form, replace={"word/document.xml": BILLION_LAUGHS})
    assert refused(client, ret, data).startswith(
        "The selected file contains XML document type or entity declarations"
    )


def test_an_external_entity_is_refused(client, ret, form) -> None:
    data = rezip(form, replace={CUSTOM: EXTERNAL_ENTITY})
    assert refused(client, ret, data).startswith(
        "The selected file contains XML document type or entity declarations"
    )


def test_a_declaration_hidden_in_utf_16_is_refused(client, ret, form) -> None:
    data = rezip(
        form,
        replace={
            "word/settings.xml": EXTERNAL_ENTITY.replace(
                b'"1.0"?>', b'"1.0" encoding="UTF-16"?>', 1
            )
            .decode()
            .encode("utf-16")
        },
    )
    assert refused(client, ret, data).startswith(
        "The selected file contains XML document type or entity declarations"
    )


def test_a_spreadsheet_renamed_docx_is_refused(client, ret) -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
        )
        archive.writestr("xl/workbook.xml", "<workbook/>")
    assert refused(client, ret, out.getvalue()).startswith(
        "The selected file is not a Word document (.docx): it may be a spreadsheet"
    )


def test_a_word_document_with_none_of_the_tools_questions_is_refused(client, ret) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Minutes of the team meeting")
    out = io.BytesIO()
    document.save(out)
    assert refused(client, ret, out.getvalue()) == (
        "The selected file has none of this audit tool’s questions in it. Upload the completed "
        "audit form"
    )


def test_the_form_of_another_case_is_refused(client, ret, form, case, health) -> None:
    other = make_return(make_case(case.programme, identifier="100002"), health)
    assert refused(client, other, form) == (
        "The selected file is the form for another return (case 100001). Upload it on that "
        "return’s page, or download this return’s form"
    )


def test_the_form_of_another_tool_is_refused(client, ret, form) -> None:
    type(ret).objects.filter(pk=ret.pk).update(tool_version=short_tool())
    assert refused(client, ret, form).startswith(
        "The selected file is a form of another audit tool (“Children in Need — full”). This "
        "return uses “Focused support — short”"
    )


def test_the_form_of_another_version_of_the_tool_is_refused(client, ret, form) -> None:
    identity = FormIdentity.of(ret)
    older = FormIdentity(
        identity.return_id, identity.case_identifier, identity.agency_id, identity.tool_key, 99
    )
    data = rezip(form, replace={CUSTOM: custom_properties(older)})
    assert refused(client, ret, data).startswith("The selected file is a form for version 99 of")


def test_a_form_whose_reference_was_changed_is_refused(client, ret, form, case, health) -> None:
    other = make_return(make_case(case.programme, identifier="100002"), health)
    forged = FormIdentity.of(other)
    data = rezip(form, replace={CUSTOM: custom_properties(forged, fingerprint="0" * 64)})
    assert refused(client, other, data).startswith(
        "The selected file’s Case Audit reference has been changed"
    )


def test_uploaded_names_and_text_are_never_rendered_as_html(client, ret, form) -> None:
    response = client.post(
        f"/exchange/returns/{ret.pk}/word/upload/",
        {"document": as_upload(form[:100], '<img src=x onerror="alert(1)">.docx')},
    )
    html = response.content.decode()
    assert "<img src=x" not in html
