"""Checks on an uploaded Word form before anything reads it.

A .docx file is a zip archive of XML parts. Before python-docx sees it, the archive is checked
for its size, for being a real and complete zip, for its uncompressed size and compression
ratio (an "archive bomb" expands to gigabytes), for macros, and for XML document type or
entity declarations in any part (entity tricks read files or expand without limit). Each
refusal says what was wrong in words a person can act on."""

import hashlib
import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath

import docx
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest
from docx.document import Document
from lxml import etree

from caseaudit.exchange.identity import SAFE_PARSER

MEGABYTE = 1024 * 1024
WORD_MAIN_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURE = b"PK\x03\x04"
MACRO_PARTS = frozenset({"vbaproject.bin", "vbadata.xml", "vbaprojectsignature.bin"})
DECLARATION = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
UTF_16 = ("utf-16-le", "utf-16-be")


def max_upload_bytes() -> int:
    return int(getattr(settings, "WORD_FORM_MAX_BYTES", 10 * MEGABYTE))


def max_uncompressed_bytes() -> int:
    return int(getattr(settings, "WORD_FORM_MAX_UNCOMPRESSED_BYTES", 100 * MEGABYTE))


MAX_ENTRIES = 1000
MAX_RATIO = 100  # uncompressed ÷ compressed, for the whole archive and for any large part
LARGE_PART = MEGABYTE


class SizeLimit(FileUploadHandler):
    """Stops storing an upload as soon as it passes the size limit: the rest of it is read and
    thrown away, never written to memory or a temporary file."""

    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > max_upload_bytes():
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class RefusedUpload(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class CheckedUpload:
    file_name: str
    data: bytes
    sha256: str
    document: Document

    @property
    def size(self) -> int:
        return len(self.data)


def size_text(size: int) -> str:
    if size >= MEGABYTE:
        return f"{size / MEGABYTE:g} MB"
    return f"{size // 1024} KB"


def too_large() -> RefusedUpload:
    return RefusedUpload(
        "too_large", f"The selected file must be smaller than {size_text(max_upload_bytes())}"
    )


def check_upload(upload: UploadedFile) -> CheckedUpload:
    """The upload as a python-docx document once every check passes; RefusedUpload otherwise."""
    name = PurePath((upload.name or "").replace("\\", "/")).name[:200]
    size = upload.size or 0
    if size == 0:
        raise RefusedUpload("empty", "The selected file is empty")
    if size > max_upload_bytes():
        raise too_large()
    _check_name(name)
    data = upload.read(max_upload_bytes() + 1)
    if len(data) > max_upload_bytes():
        raise too_large()
    archive = _open_archive(data)
    with archive:
        _check_sizes(archive)
        _check_macros(archive)
        _check_parts(archive)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises many kinds on a broken package
        raise _damaged() from None
    return CheckedUpload(name, data, hashlib.sha256(data).hexdigest(), document)


def _check_name(name: str) -> None:
    suffix = PurePath(name).suffix.lower()
    if suffix in {".docm", ".dotm"}:
        raise _macros()
    if suffix == ".doc":
        raise RefusedUpload(
            "old_format",
            "The selected file is a Word 97–2003 document (.doc). Open it in Word, save it as a "
            "Word Document (.docx) and upload that",
        )
    if suffix == ".odt":
        raise RefusedUpload(
            "not_docx",
            "The selected file is an OpenDocument text (.odt). Save it as a Word Document "
            "(.docx) and upload that",
        )
    if suffix != ".docx":
        raise RefusedUpload("not_docx", "The selected file must be a Word document (.docx)")


def _macros() -> RefusedUpload:
    return RefusedUpload(
        "macros",
        "The selected file contains macros, which are never accepted. Save it as a Word "
        "Document (.docx), not a Word Macro-Enabled Document (.docm), and upload that",
    )


def _damaged() -> RefusedUpload:
    return RefusedUpload(
        "damaged",
        "The selected file is damaged or incomplete. Open it in Word to check it, save it again "
        "as a Word Document (.docx) and upload that",
    )


def _bomb() -> RefusedUpload:
    return RefusedUpload(
        "archive_bomb",
        "The selected file expands to far more data than a Word form holds, so it was not "
        "opened. Save the form again as a Word Document (.docx) and upload that",
    )


def _open_archive(data: bytes) -> zipfile.ZipFile:
    if data.startswith(OLE_SIGNATURE):
        raise RefusedUpload(
            "old_format",
            "The selected file is not a .docx Word document: it is an older Word 97–2003 "
            "document or it is protected by a password. Remove any password, save it as a Word "
            "Document (.docx) and upload that",
        )
    if not data.startswith(ZIP_SIGNATURE):
        raise RefusedUpload(
            "not_docx", "The selected file is not a Word document (.docx), whatever its name"
        )
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise _damaged() from None


def _check_sizes(archive: zipfile.ZipFile) -> None:
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise _bomb()
    total = sum(entry.file_size for entry in entries)
    compressed = sum(entry.compress_size for entry in entries)
    if total > max_uncompressed_bytes():
        raise _bomb()
    if total > LARGE_PART and total > MAX_RATIO * max(compressed, 1):
        raise _bomb()
    for entry in entries:
        if entry.file_size > LARGE_PART and entry.file_size > MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise _bomb()


def _check_macros(archive: zipfile.ZipFile) -> None:
    for entry in archive.infolist():
        if PurePath(entry.filename).name.lower() in MACRO_PARTS:
            raise _macros()
    try:
        content_types = _read(archive, "[Content_Types].xml")
    except KeyError:
        raise RefusedUpload(
            "not_docx", "The selected file is not a Word document (.docx), whatever its name"
        ) from None
    lowered = content_types.lower()
    if b"macroenabled" in lowered or b"vbaproject" in lowered:
        raise _macros()


def _check_parts(archive: zipfile.ZipFile) -> None:
    names = set(archive.namelist())
    content_types = _parse(_read(archive, "[Content_Types].xml"))
    main_types = {
        override.get("ContentType")
        for override in content_types.iter("{*}Override")
        if override.get("PartName") == "/word/document.xml"
    }
    if "word/document.xml" not in names or WORD_MAIN_TYPE not in main_types:
        raise RefusedUpload(
            "not_docx",
            "The selected file is not a Word document (.docx): it may be a spreadsheet or a "
            "presentation. Upload the completed Word form",
        )
    for name in sorted(names):
        if name.lower().endswith((".xml", ".rels")):
            _parse(_read(archive, name))


def _read(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    try:
        with archive.open(info) as part:
            data = part.read(info.file_size + 1)
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
        raise _damaged() from None
    if len(data) != info.file_size:
        raise _damaged()
    return data


def _declarations() -> RefusedUpload:
    return RefusedUpload(
        "xml_declarations",
        "The selected file contains XML document type or entity declarations, which a Word "
        "document never needs, so it was not opened. Save the form again as a Word Document "
        "(.docx) and upload that",
    )


def _parse(data: bytes) -> etree._Element:
    if _declares(data):
        raise _declarations()
    try:
        root = etree.fromstring(data, SAFE_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        raise _damaged() from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise _declarations()
    return root


def _declares(data: bytes) -> bool:
    """Looked for in the raw bytes, as UTF-8 and as UTF-16 (which XML also allows)."""
    texts = (data.decode("latin-1"), *(data.decode(e, "ignore") for e in UTF_16))
    return any(DECLARATION.search(text) for text in texts)
