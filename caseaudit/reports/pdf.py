"""PDFs from HTML with WeasyPrint. WeasyPrint lays out pages in Python, some 80 ms of CPU each,
so a set of PDFs is written in worker processes, one a core, not one after another."""

import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from functools import partial

from weasyprint import HTML

# Each worker holds WeasyPrint and a document's layout: some 100 MB.
MAX_WORKERS = 4


def write_pdf(html: str) -> bytes:
    return HTML(string=html).write_pdf()


@contextmanager
def pdf_writer(documents: int) -> Iterator[Callable[[str], Callable[[], bytes]]]:
    """A function that takes a document's HTML and gives a function that returns its PDF:
    written meanwhile in worker processes when there are several documents and cores,
    otherwise in this process when it is asked for."""
    workers = min(documents, os.cpu_count() or 1, MAX_WORKERS)
    if workers < 2:
        yield lambda html: partial(write_pdf, html)
        return
    # Workers come from a fork server, not from this process, whose threads and database
    # connections they must not inherit. Each imports the main module again: a script that
    # makes PDFs keeps its work under `if __name__ == "__main__"`.
    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        yield lambda html: pool.submit(write_pdf, html).result
