"""Filling returns in tests through the real action, as the form would."""

from datetime import date
from typing import Any

from caseaudit.accounts.models import User
from caseaudit.audits import actions
from caseaudit.audits.items import Item, parts_for
from caseaudit.audits.models import Return


def complete_values(item: Item, grade: int = 2) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for column in item.columns:
        if column == "grade":
            values.update(grade=grade, not_applicable=False)
        elif column == "choice":
            values["choice"] = "yes"
        elif column == "date":
            values["date"] = date(2026, 1, 15)
        else:
            values[column] = f"{column} for {item.key}"
    return values


def fill_return(ret: Return, by: User, grade: int = 2) -> Return:
    """Answer every applicable item of every part, one save per part."""
    for part in parts_for(ret):
        values = {item.key: complete_values(item, grade) for item in part.applicable_items}
        if values:
            actions.save_answers(ret, part, values, by=by, expected_version=ret.version)
    return ret


def post_data(ret: Return, part_slug: str, grade: str = "2") -> dict[str, str]:
    """A complete POST for one part of the return form."""
    data = {"version": str(ret.version)}
    part = next(p for p in parts_for(ret) if p.slug == part_slug)
    for item in part.applicable_items:
        for column in item.columns:
            name = f"{item.key}-{column}"
            if column == "grade":
                data[name] = grade
            elif column == "choice":
                data[name] = "yes"
            elif column == "date":
                data.update({f"{name}-day": "15", f"{name}-month": "1", f"{name}-year": "2026"})
            else:
                data[name] = f"{column} for {item.key}"
    return data
