"""The partnership's logo: uploaded once, checked, shown on every new learning summary."""

import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from caseaudit.reports import actions, briefing, learning
from caseaudit.reports.models import Branding

pytestmark = pytest.mark.django_db


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x1d\x70\xb8\x1d\x70\xb8" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_coordinator_uploads_checks_and_removes_the_logo(
    client_for, coordinator, health_lead
) -> None:
    client = client_for(coordinator)
    not_image = client.post(
        "/reports/resources/", {"logo": SimpleUploadedFile("logo.png", b"GIF89a not a png")}
    )
    assert not_image.status_code == 422
    assert "must be a PNG or a JPEG" in not_image.content.decode()
    too_big = client.post(
        "/reports/resources/",
        {"logo": SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 200_001)},
    )
    assert "smaller than 200 KB" in too_big.content.decode()
    nothing = client.post("/reports/resources/", {})
    assert "Choose the logo file to upload" in nothing.content.decode()

    client.post("/reports/resources/", {"logo": SimpleUploadedFile("logo.png", tiny_png())})
    branding = Branding.load()
    assert branding.logo_content_type == "image/png"
    assert 'src="data:image/png;base64,' in client.get("/reports/resources/").content.decode()
    client.post("/reports/resources/", {"remove": "1"})
    assert not Branding.load().logo
    assert client_for(health_lead).post("/reports/resources/", {"remove": "1"}).status_code == 403


def test_the_logo_appears_in_every_edition(world, coordinator, tmp_path) -> None:
    actions.save_logo(by=coordinator, content=tiny_png(), content_type="image/png")
    summary = learning.start_summary(world["spring"], by=coordinator)
    actions.save_summary(summary, by=coordinator, actions_agreed="Share risk information.")
    partners, practitioners = actions.publish_summary(summary, by=coordinator)
    assert practitioners.content["logo"].startswith("data:image/png;base64,")
    document = Document(io.BytesIO(briefing.edition_docx(practitioners)))
    assert len(document.inline_shapes) == 1
    assert briefing.edition_pdf(partners).startswith(b"%PDF")
