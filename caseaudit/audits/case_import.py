"""Cases from a CSV file: the template, the parser and its row-and-column errors.

Plain functions over text, so that the parser can be tested on any input. The parser never
touches the database: the caller passes the agencies by name and the identifiers already in
the programme.
"""

import csv
import io
import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from caseaudit.audits.models import CaseCategory, validate_initials

COLUMNS = (
    "case_identifier",
    "initials",
    "gender",
    "date_of_birth",
    "age",
    "ethnicity",
    "language",
    "religion",
    "category",
    "referral_date",
    "referring_agency",
    "lead_team",
    "family_members",
)
REQUIRED_COLUMNS = ("case_identifier", "initials", "category")
TEXT_LIMITS = {
    "case_identifier": 40,
    "gender": 40,
    "ethnicity": 100,
    "language": 100,
    "religion": 100,
    "lead_team": 120,
}
MAX_CHILD_AGE = 25
MAX_FAMILY_MEMBER_AGE = 120
ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9/\-_. ]*$")

TEMPLATE_EXAMPLE = {
    "case_identifier": "CS-100234",
    "initials": "JS",
    "gender": "Female",
    "date_of_birth": "2014-03-12",
    "age": "",
    "ethnicity": "White British",
    "language": "English",
    "religion": "None",
    "category": "Child in need",
    "referral_date": "2025-01-20",
    "referring_agency": "Health",
    "lead_team": "Assessment Team North",
    "family_members": "AB:mother:34; CD:brother:7",
}


@dataclass(frozen=True)
class FamilyMemberRow:
    """A family member as entered: a form row or one entry of a CSV cell."""

    initials: str
    relationship: str
    age: int | None = None
    member_id: int | None = None


@dataclass(frozen=True)
class CaseRow:
    """One case's details, checked, ready to be saved."""

    case_identifier: str
    initials: str
    category: str
    gender: str = ""
    date_of_birth: date | None = None
    age: int | None = None
    ethnicity: str = ""
    language: str = ""
    religion: str = ""
    referral_date: date | None = None
    referring_agency_id: int | None = None
    lead_team: str = ""
    family_members: tuple[FamilyMemberRow, ...] = ()
    row: int = 0

    def case_fields(self) -> dict[str, Any]:
        """The Case model's fields, as keyword arguments."""
        values = asdict(self)
        del values["family_members"], values["row"]
        return values

    def to_json(self) -> dict[str, Any]:
        values = self.case_fields()
        for name in ("date_of_birth", "referral_date"):
            values[name] = values[name].isoformat() if values[name] else None
        values["family_members"] = [
            [member.initials, member.relationship, member.age] for member in self.family_members
        ]
        return values

    @classmethod
    def from_json(cls, values: Mapping[str, Any]) -> "CaseRow":
        values = dict(values)
        for name in ("date_of_birth", "referral_date"):
            values[name] = date.fromisoformat(values[name]) if values[name] else None
        values["family_members"] = tuple(
            FamilyMemberRow(initials, relationship, age)
            for initials, relationship, age in values.get("family_members", [])
        )
        return cls(**values)


@dataclass(frozen=True, order=True)
class RowError:
    """A problem in one cell: row numbers are the spreadsheet's, the header being row 1."""

    row: int
    column: str
    message: str


@dataclass
class ParseResult:
    rows: list[CaseRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def template_csv() -> str:
    """The header row and one example row, for coordinators to fill in."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(TEMPLATE_EXAMPLE)
    return out.getvalue()


def write_cases(rows: Iterable[CaseRow], agency_names: Mapping[int, str]) -> str:
    """Cases as CSV in the import format (the parser reads back what this writes)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                "case_identifier": row.case_identifier,
                "initials": row.initials,
                "gender": row.gender,
                "date_of_birth": row.date_of_birth.isoformat() if row.date_of_birth else "",
                "age": "" if row.age is None else str(row.age),
                "ethnicity": row.ethnicity,
                "language": row.language,
                "religion": row.religion,
                "category": row.category,
                "referral_date": row.referral_date.isoformat() if row.referral_date else "",
                "referring_agency": agency_names.get(row.referring_agency_id or 0, ""),
                "lead_team": row.lead_team,
                "family_members": "; ".join(
                    ":".join(
                        [member.initials, member.relationship]
                        + ([str(member.age)] if member.age is not None else [])
                    )
                    for member in row.family_members
                ),
            }
        )
    return out.getvalue()


# Cells -------------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _words(value: str) -> str:
    """A category written any way: "Looked-after child", "looked_after", "LOOKED AFTER CHILD"."""
    return " ".join(re.split(r"[\s_\-]+", value.casefold())).strip()


CATEGORY_WORDS = {
    **{_words(choice.value): choice.value for choice in CaseCategory},
    **{_words(choice.label): choice.value for choice in CaseCategory},
}


def parse_date(value: str, name: str) -> date:
    """YYYY-MM-DD or DD/MM/YYYY."""
    iso = ISO_DATE.match(value)
    uk = UK_DATE.match(value)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        if uk:
            return date(int(uk[3]), int(uk[2]), int(uk[1]))
    except ValueError:
        pass
    raise CellError(f"{name} must be a real date, written like 2014-03-12 or 12/03/2014")


def _past_date(value: str, name: str, today: date) -> date:
    day = parse_date(value, name)
    if day > today:
        raise CellError(f"{name} must be today or in the past")
    return day


def _whole_number(value: str, name: str, maximum: int) -> int:
    if not value.isdigit() or int(value) > maximum:
        raise CellError(f"{name} must be a whole number from 0 to {maximum}")
    return int(value)


def _initials(value: str) -> str:
    try:
        validate_initials(value)
    except ValidationError as error:
        raise CellError(error.messages[0]) from None
    return value


def parse_family_members(value: str) -> tuple[FamilyMemberRow, ...]:
    """ "AB:mother:34; CD:brother:7": initials, relationship and (optionally) age."""
    members = []
    for number, entry in enumerate((part.strip() for part in value.split(";")), start=1):
        if not entry:
            continue
        parts = [part.strip() for part in entry.split(":")]
        if len(parts) not in (2, 3):
            raise CellError(
                f"Family member {number} must be written as initials:relationship:age, "
                "like AB:mother:34"
            )
        try:
            initials = _initials(parts[0])
        except CellError:
            raise CellError(
                f"Family member {number}: enter initials only, in capital letters, like AB"
            ) from None
        relationship = parts[1]
        if not relationship:
            raise CellError(f"Family member {number}: enter their relationship to the child")
        if len(relationship) > 60:
            raise CellError(f"Family member {number}: relationship must be 60 characters or fewer")
        age = None
        if len(parts) == 3 and parts[2]:
            if not parts[2].isdigit() or int(parts[2]) > MAX_FAMILY_MEMBER_AGE:
                raise CellError(
                    f"Family member {number}: age must be a whole number from 0 to "
                    f"{MAX_FAMILY_MEMBER_AGE}"
                )
            age = int(parts[2])
        members.append(FamilyMemberRow(initials, relationship, age))
    return tuple(members)


# Rows --------------------------------------------------------------------------------------


def _parse_row(
    number: int,
    cells: Mapping[str, str],
    *,
    agencies: Mapping[str, int],
    today: date,
) -> tuple[CaseRow | None, list[RowError]]:
    errors: list[RowError] = []
    values: dict[str, Any] = {}

    def check(column: str, parse: Any) -> None:
        try:
            values[column] = parse(cells.get(column, ""))
        except CellError as error:
            errors.append(RowError(number, column, str(error)))

    def text(column: str, label: str, *, required: str = "") -> Any:
        def parse(value: str) -> str:
            if not value and required:
                raise CellError(required)
            limit = TEXT_LIMITS.get(column)
            if limit and len(value) > limit:
                raise CellError(f"{label} must be {limit} characters or fewer")
            return value

        return parse

    def identifier(value: str) -> str:
        value = text("case_identifier", "Case identifier", required="Enter a case identifier")(
            value
        )
        if not IDENTIFIER.match(value):
            raise CellError(
                "Case identifier must contain only letters, numbers, spaces and - / _ ."
            )
        return value

    def initials(value: str) -> str:
        if not value:
            raise CellError("Enter the child’s initials")
        return _initials(value)

    def optional_date(name: str) -> Any:
        return lambda value: _past_date(value, name, today) if value else None

    def category(value: str) -> str:
        if not value:
            raise CellError("Enter the case category")
        if _words(value) not in CATEGORY_WORDS:
            labels = ", ".join(choice.label for choice in CaseCategory)
            raise CellError(f"Category must be one of: {labels}")
        return CATEGORY_WORDS[_words(value)]

    def age(value: str) -> int | None:
        return _whole_number(value, "Age", MAX_CHILD_AGE) if value else None

    def agency(value: str) -> int | None:
        if not value:
            return None
        if value.casefold() not in agencies:
            raise CellError(f"There is no agency called “{value}”")
        return agencies[value.casefold()]

    check("case_identifier", identifier)
    check("initials", initials)
    check("gender", text("gender", "Gender"))
    check("date_of_birth", optional_date("Date of birth"))
    check("age", age)
    check("ethnicity", text("ethnicity", "Ethnicity"))
    check("language", text("language", "Language"))
    check("religion", text("religion", "Religion"))
    check("category", category)
    check("referral_date", optional_date("Referral date"))
    check("referring_agency", agency)
    check("lead_team", text("lead_team", "Lead team"))
    check("family_members", parse_family_members)

    if "date_of_birth" in values and "age" in values:
        if values["date_of_birth"] is None and values["age"] is None:
            errors.append(
                RowError(number, "date_of_birth", "Enter the child’s date of birth or their age")
            )
        elif values["date_of_birth"] is not None and values["age"] is not None:
            errors.append(RowError(number, "age", "Enter the date of birth or the age, not both"))
    if errors:
        return None, errors
    values["referring_agency_id"] = values.pop("referring_agency")
    return CaseRow(row=number, **values), []


def parse_cases(
    text: str,
    *,
    agencies: Mapping[str, int],
    existing_identifiers: Collection[str] = (),
    today: date,
) -> ParseResult:
    """Every case in the file, or every error in it, by row and column.

    `agencies` maps each agency's name, case-folded, to its id; `existing_identifiers` are the
    programme's cases already, compared case-insensitively like identifiers in the file."""
    result = ParseResult()
    records = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    if not records or not any(cell.strip() for cell in records[0]):
        result.errors.append(RowError(1, "", "The file is empty: it needs a header row"))
        return result

    header = [cell.strip().casefold() for cell in records[0]]
    seen_columns: set[str] = set()
    for name in header:
        if not name:
            continue
        if name not in COLUMNS:
            result.errors.append(RowError(1, name, f"Unknown column “{name}”"))
        elif name in seen_columns:
            result.errors.append(RowError(1, name, f"Column “{name}” appears more than once"))
        seen_columns.add(name)
    for name in REQUIRED_COLUMNS:
        if name not in header:
            result.errors.append(RowError(1, name, f"The header row has no “{name}” column"))
    if result.errors:
        return result

    existing = {identifier.casefold() for identifier in existing_identifiers}
    first_seen: dict[str, int] = {}
    for number, record in enumerate(records[1:], start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        if len(cells) > len(header):
            result.errors.append(
                RowError(number, "", f"Row has {len(cells)} cells but the header has {len(header)}")
            )
            continue
        by_column = dict(zip(header, cells, strict=False))
        row, errors = _parse_row(number, by_column, agencies=agencies, today=today)
        result.errors.extend(errors)
        identifier = by_column.get("case_identifier", "")
        key = identifier.casefold()
        if key and key in existing:
            message = f"Case {identifier} is already in this programme"
            result.errors.append(RowError(number, "case_identifier", message))
        elif key and key in first_seen:
            message = f"Case {identifier} is repeated: it is also on row {first_seen[key]}"
            result.errors.append(RowError(number, "case_identifier", message))
        elif key:
            first_seen[key] = number
        if row is not None:
            result.rows.append(row)

    if not result.errors and not result.rows:
        result.errors.append(RowError(2, "", "The file has no cases in it"))
    if result.errors:
        result.rows = []
        result.errors.sort(key=_error_order)
    return result


def _error_order(error: RowError) -> tuple[int, int]:
    return error.row, COLUMNS.index(error.column) if error.column in COLUMNS else -1


def decode_upload(content: bytes) -> str:
    """UTF-8 text, with or without a byte-order mark; ValueError for anything else."""
    if b"\x00" in content:
        raise ValueError("not text")
    return content.decode("utf-8-sig")
