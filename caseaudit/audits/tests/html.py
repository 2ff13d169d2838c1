"""Reading pages in tests: the text of table cells and of the error summary."""

import re
from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self, table_id: str | None) -> None:
        super().__init__()
        self.table_id = table_id
        self.inside = table_id is None
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "table" and self.table_id is not None:
            self.inside = dict(attrs).get("id") == self.table_id
        elif not self.inside:
            return
        elif tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "table" and self.table_id is not None:
            self.inside = False

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(html: str, table_id: str | None = None) -> list[list[str]]:
    """Every table row's cells (of the table with this id, if given), as text with whitespace
    collapsed."""
    parser = _Tables(table_id)
    parser.feed(html)
    return [row for row in parser.rows if row]


def row_starting(html: str, first_cell: str) -> list[str]:
    matches = [row for row in table_rows(html) if row[0] == first_cell]
    assert len(matches) == 1, f"{len(matches)} rows start with {first_cell!r}"
    return matches[0]


def error_summary(html: str) -> list[str]:
    """The messages of the GOV.UK error summary, in order."""
    start = html.index('class="govuk-error-summary"')
    end = html.index("</ul>", start)
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", html[start:end], re.DOTALL)
    ]


class _Inputs(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("input", "option", "select", "textarea", "button"):
            self.inputs.append({"tag": tag, **dict(attrs)})


def inputs(html: str) -> list[dict[str, str | None]]:
    """The attributes of every input, select, option, textarea and button."""
    parser = _Inputs()
    parser.feed(html)
    return parser.inputs


def input_value(html: str, name: str) -> str | None:
    found = [field for field in inputs(html) if field.get("name") == name]
    assert len(found) == 1, f"{len(found)} inputs named {name!r}"
    return found[0].get("value")


def checked_values(html: str, name: str) -> list[str | None]:
    return [
        field.get("value")
        for field in inputs(html)
        if field.get("name") == name and "checked" in field
    ]
