"""PDFs written in worker processes are those written in this one, in the order asked for."""

import pytest

from caseaudit.reports import pdf
from caseaudit.reports.tests.documents import pdf_text


@pytest.mark.parametrize("cores", [1, 2])
def test_each_document_gets_its_own_pdf(cores, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: cores)
    pages = [f"<p>Case {number}</p>" for number in range(3)]
    with pdf.pdf_writer(len(pages)) as write:
        pending = [write(page) for page in pages]
        written = [result() for result in pending]
    for number, document in enumerate(written):
        assert document.startswith(b"%PDF")
        assert pdf_text(document, tmp_path).strip() == f"Case {number}"


def test_a_failure_in_a_worker_reaches_the_caller(monkeypatch) -> None:
    monkeypatch.setattr(pdf.os, "cpu_count", lambda: 2)
    with pytest.raises(TypeError, match="Expected exactly one source"), pdf.pdf_writer(2) as write:
        write(None)()  # type: ignore[arg-type]
