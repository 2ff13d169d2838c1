"""Download a return's Word form, complete it as an agency would (in python-docx, or in
LibreOffice), upload it, accept it: the return holds exactly the answers typed."""

from datetime import date
from typing import Any

import pytest

from caseaudit.audits.items import parts_for
from caseaudit.audits.models import Answer, ReturnStatus
from caseaudit.exchange.models import ImportedDocument, ImportStatus
from caseaudit.exchange.tests.documents import (
    as_upload,
    fill_in_libreoffice,
    fill_in_python_docx,
    needs_soffice,
    through_libreoffice,
)

pytestmark = pytest.mark.django_db

GRADE_WRITINGS = ("2", "Good", "2 - Good", "2=Good", "2 – good", "(2) Good", "Good (2)")


def typed_and_expected(ret) -> tuple[dict, dict, dict]:
    """What a person types in every box of the form, and the answers that should result."""
    typed: dict[str, dict[str, str]] = {}
    expected: dict[str, dict[str, Any]] = {}
    columns: dict[str, tuple[str, ...]] = {}
    writings = iter(GRADE_WRITINGS * 20)
    for part in parts_for(ret):
        for item in part.applicable_items:
            columns[item.key] = item.columns
            typed[item.key], expected[item.key] = {}, {}
            for column in item.columns:
                if column == "grade":
                    typed[item.key][column] = next(writings)
                    expected[item.key].update(grade=2, not_applicable=False)
                elif column == "choice":
                    typed[item.key][column] = "Yes"
                    expected[item.key][column] = "yes"
                elif column == "date":
                    typed[item.key][column] = "15/01/2026"
                    expected[item.key][column] = date(2026, 1, 15).isoformat()
                else:
                    text = f"{column} for {item.key}: seen at home – ‘settled’\nSecond line"
                    typed[item.key][column] = text
                    expected[item.key][column] = text
    return typed, expected, columns


def saved_answers(ret) -> dict[str, dict[str, Any]]:
    saved = {}
    for answer in Answer.objects.filter(ret=ret):
        values = answer.values()
        saved[answer.item_key] = {
            column: values[column]
            for column in values
            if values[column] not in ("", None, False) or column == "not_applicable"
        }
    return saved


def expected_rows(expected: dict) -> dict:
    rows = {}
    for key, values in expected.items():
        row = dict(values)
        if "grade" in row:
            row["not_applicable"] = False
        else:
            row["not_applicable"] = False
        rows[key] = row
    return rows


def upload_and_accept(client, ret, data: bytes) -> ImportedDocument:
    response = client.post(
        f"/exchange/returns/{ret.pk}/word/upload/", {"document": as_upload(data)}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    imported = ImportedDocument.objects.get(ret=ret)
    review = client.get(response["Location"])
    assert review.status_code == 200
    ret.refresh_from_db()
    response = client.post(
        f"/exchange/imports/{imported.pk}/accept/", {"version": str(ret.version)}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/returns/{ret.pk}/"
    imported.refresh_from_db()
    assert imported.status == ImportStatus.ACCEPTED
    return imported


def download(client, ret) -> bytes:
    response = client.get(f"/exchange/returns/{ret.pk}/word/")
    assert response.status_code == 200
    return response.content


def test_a_form_filled_in_python_docx_imports_every_answer_exactly(
    client_for, health_lead, ret
) -> None:
    client = client_for(health_lead)
    typed, expected, columns = typed_and_expected(ret)
    data = fill_in_python_docx(download(client, ret), typed, columns)

    imported = upload_and_accept(client, ret, data)

    assert saved_answers(ret) == expected_rows(expected)
    assert imported.report["unmatched"] == []
    ret.refresh_from_db()
    assert ret.status == ReturnStatus.IN_PROGRESS


@needs_soffice
def test_a_form_saved_through_libreoffice_imports_every_answer_exactly(
    client_for, health_lead, ret
) -> None:
    client = client_for(health_lead)
    typed, expected, columns = typed_and_expected(ret)
    data = through_libreoffice(fill_in_python_docx(download(client, ret), typed, columns))

    upload_and_accept(client, ret, data)

    assert saved_answers(ret) == expected_rows(expected)


@needs_soffice
def test_a_form_filled_in_libreoffice_imports_every_answer_exactly(
    client_for, health_lead, ret
) -> None:
    client = client_for(health_lead)
    typed, expected, columns = typed_and_expected(ret)
    data = fill_in_libreoffice(download(client, ret), typed, columns)

    upload_and_accept(client, ret, data)

    assert saved_answers(ret) == expected_rows(expected)
