"""What the downloaded Word form and the importer agree on: the cells of an answer row.

Every answer row of the form is: the item's key in a narrow "Ref" cell, the item's wording,
then one box per answer column, in the order of the item's columns (from `parts_for`). The
importer reads a row back by its Ref, so nothing depends on the wording or the table's place.
"""

from caseaudit.audit_tools.schema import Tool
from caseaudit.audits.items import Item, ItemKind

REF_HEADING = "Ref"
NOT_FOR_YOUR_AGENCY = "Not for your agency"
CHOICE_LABELS = {"yes": "Yes", "no": "No", "not_known": "Not known"}
DATE_FORMAT = "%d/%m/%Y"


def column_heading(tool: Tool, item: Item, column: str) -> str:
    """The heading of one answer column in the form, as the source tool words it."""
    if column == "grade":
        return "Grade"
    if column == "choice":
        return "Yes, No or Not known"
    if column == "date":
        return "Date (day/month/year)"
    if column == "evidence":
        return tool.columns.evidence
    if item.kind == ItemKind.QUESTION:
        return tool.columns.comments
    if item.kind == ItemKind.OUTCOME:
        return tool.outcomes.evidence_label
    if item.kind == ItemKind.JUDGEMENT:
        return getattr(item.source, "impact_label", "Impact")
    if item.kind in (ItemKind.FIELD, ItemKind.TEXT):
        return "Your answer"
    return "Comments"


def label_heading(item: Item) -> str:
    return {
        ItemKind.QUESTION: "Question",
        ItemKind.OUTCOME: "Outcome",
        ItemKind.JUDGEMENT: "Overall judgement",
        ItemKind.EQUALITY: "Equality considerations",
        ItemKind.OVERALL: "Judgement",
        ItemKind.KEY_QUESTION: "Key question",
        ItemKind.FIELD: "Detail",
        ItemKind.TEXT: "Question",
    }.get(item.kind, "Question")
