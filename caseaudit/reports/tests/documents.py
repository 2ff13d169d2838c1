"""Reading back the documents the reports make: PDFs as text and as images, Word files."""

import os
import subprocess
from pathlib import Path


def pdf_text(pdf: bytes, tmp_path: Path, name: str = "document.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_pages(text: str) -> list[str]:
    """pdftotext separates pages with a form feed."""
    return [page for page in text.split("\f") if page.strip()]


def render_first_page(pdf: bytes, tmp_path: Path) -> Path:
    path = tmp_path / "render.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
        capture_output=True,
    )
    (image,) = tmp_path.glob("page*.png")
    return image


def libreoffice_to_pdf(document: Path, tmp_path: Path) -> Path:
    """Convert as a user's editor would; a private profile so parallel runs do not clash."""
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "converted"),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    converted = tmp_path / "converted" / (document.stem + ".pdf")
    assert converted.exists(), "LibreOffice made no PDF"
    return converted
