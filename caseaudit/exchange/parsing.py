"""Reading what people type into a Word form's answer boxes: grades, yes/no answers, dates.

People write a grade as "2", "Good", "2 - Good", "2=Good" or "(2) Good"; all of those are
understood. Anything that is not clearly one answer is Unreadable, with the reason, and is
listed for a person to deal with: nothing here ever guesses."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from caseaudit.audit_tools.schema import GradeScale


class NotApplicable:
    """The grade box says "not applicable"."""

    _instance: "NotApplicable | None" = None

    def __new__(cls) -> "NotApplicable":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = NotApplicable()


@dataclass(frozen=True)
class Unreadable:
    text: str
    reason: str


NEGATIVE = re.compile(r"^\s*[-−‒–—][0-9]")
NOT_APPLICABLE_WORDS = frozenset({"n a", "na", "not applicable", "not relevant"})
CHOICE_WORDS = {
    "yes": "yes",
    "y": "yes",
    "no": "no",
    "n": "no",
    "not known": "not_known",
    "unknown": "not_known",
    "nk": "not_known",
    "don t know": "not_known",
    "dont know": "not_known",
    "do not know": "not_known",
}
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}


def words(text: str) -> str:
    """Lower-case words with every punctuation mark, dash and space run made one space."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def parse_grade(text: str, scale: GradeScale) -> int | NotApplicable | Unreadable | None:
    """A grade of the scale, NOT_APPLICABLE, None for a blank box, or Unreadable.

    The grade's number, its name, or both in either order with any punctuation or dash between
    them ("2", "Good", "2 - Good", "2=Good", "(2) Good", "Good (2)", "Grade 2"). When the number
    and the name disagree ("2 - Outstanding") the grade is unreadable."""
    if not text.strip():
        return None
    if NEGATIVE.match(text):
        return Unreadable(text, "A grade is never negative")
    said = words(text)
    if said.startswith("grade "):
        said = said.removeprefix("grade ")
    if said in NOT_APPLICABLE_WORDS or said == words(scale.not_applicable_label):
        return NOT_APPLICABLE
    by_number = {str(grade.value): grade.value for grade in scale.grades}
    by_label = {words(grade.label): grade.value for grade in scale.grades}
    if said in by_number:
        return by_number[said]
    if said in by_label:
        return by_label[said]
    number, label = _number_and_label(said)
    if number in by_number and label in by_label:
        if by_number[number] == by_label[label]:
            return by_number[number]
        return Unreadable(text, "The grade’s number and name do not agree")
    grades = ", ".join(f"{grade.value} {grade.label}" for grade in scale.grades)
    return Unreadable(text, f"Not a grade of the scale ({grades})")


def _number_and_label(said: str) -> tuple[str, str]:
    first = re.fullmatch(r"([0-9]+) (.+)", said)
    if first:
        return first.group(1), first.group(2)
    last = re.fullmatch(r"(.+) ([0-9]+)", said)
    if last:
        return last.group(2), last.group(1)
    return "", ""


def parse_choice(text: str) -> str | Unreadable | None:
    """The return's choice value (yes, no or not_known), None when blank, or Unreadable."""
    if not text.strip():
        return None
    choice = CHOICE_WORDS.get(words(text))
    if choice is None:
        return Unreadable(text, "Not one of Yes, No or Not known")
    return choice


def parse_date(text: str) -> date | Unreadable | None:
    """A date written day first ("15/01/2026", "15-1-2026", "15 January 2026", "15th Jan 2026")
    or as an ISO date ("2026-01-15"); None when blank; otherwise Unreadable."""
    if not text.strip():
        return None
    said = words(text)
    day = month = year = None
    numeric = re.fullmatch(r"([0-9]{1,2}) ([0-9]{1,2}) ([0-9]{4})", said)
    iso = re.fullmatch(r"([0-9]{4}) ([0-9]{1,2}) ([0-9]{1,2})", said)
    named = re.fullmatch(r"([0-9]{1,2})(?:st|nd|rd|th)? ([a-z]+) ([0-9]{4})", said)
    if numeric:
        day, month, year = (int(part) for part in numeric.groups())
    elif iso:
        year, month, day = (int(part) for part in iso.groups())
    elif named and named.group(2) in MONTHS:
        day, month, year = int(named.group(1)), MONTHS[named.group(2)], int(named.group(3))
    if day is None or month is None or year is None:
        return Unreadable(text, "Not a date written as day/month/year, like 15/01/2026")
    if not 1900 <= year <= 2100:
        return Unreadable(text, "The year is not a real year")
    try:
        return date(year, month, day)
    except ValueError:
        return Unreadable(text, "Not a real date")
