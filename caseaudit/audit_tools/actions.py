import copy
import re
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from pydantic import ValidationError

from caseaudit.activity.actions import record_change
from caseaudit.audit_tools import designer
from caseaudit.audit_tools.loading import PYDANTIC_MESSAGES, load_tool
from caseaudit.audit_tools.models import (
    FrozenToolVersionError,
    ToolSource,
    ToolVersion,
    content_hash,
)
from caseaudit.audit_tools.schema import Path, Tool, format_path, semantic_errors

SHIPPED_DIR = FilePath(__file__).parent / "shipped"


def _next_version(tool_key: str) -> int:
    latest = ToolVersion.objects.filter(tool_key=tool_key).aggregate(Max("version"))
    return (latest["version__max"] or 0) + 1


def create_draft(
    tool: Tool, *, by: Any, source: ToolSource, based_on: ToolVersion | None = None
) -> ToolVersion:
    """Store a validated tool as a new draft version numbered after the tool's latest."""
    with transaction.atomic():
        version = _next_version(tool.id)
        document = tool.model_copy(update={"version": version}).model_dump(mode="json")
        draft = ToolVersion.objects.create(
            tool_key=tool.id,
            version=version,
            title=tool.short_title,
            document=document,
            source=source,
            created_by=by,
            based_on=based_on,
        )
        record_change(
            draft,
            by=by,
            field="created",
            old=None,
            new=f"version {version} (draft)",
            note=f"started from {based_on}" if based_on else "",
        )
    return draft


def publish(tool_version: ToolVersion, *, by: Any) -> ToolVersion:
    """Freeze a draft for ever so that it can be assigned."""
    with transaction.atomic():
        tool_version.published_at = timezone.now()
        tool_version.published_by = by
        tool_version.save(update_fields=["published_at", "published_by"])
        record_change(
            tool_version, by=by, field="published", old=None, new=f"version {tool_version.version}"
        )
    return tool_version


def sync_shipped_tools() -> list[ToolVersion]:
    """Load each shipped tool file as a published version, unless its content is already the
    latest shipped version's. Idempotent: a changed file becomes a new version, never an edit."""
    created = []
    for path in sorted(SHIPPED_DIR.glob("*.yaml")):
        tool = load_tool(path.read_text(encoding="utf-8"))
        latest = (
            ToolVersion.objects.filter(tool_key=tool.id, source=ToolSource.SHIPPED)
            .order_by("-version")
            .first()
        )
        if latest and latest.content_hash == content_hash(tool.model_dump(mode="json")):
            continue
        draft = create_draft(tool, by=None, source=ToolSource.SHIPPED)
        created.append(publish(draft, by=None))
    return created


# The tool designer --------------------------------------------------------------------------
#
# Every edit of a draft goes through `_edit_draft`: lock the row, refuse a published version,
# apply one designer operation to a copy of the document, validate the whole document with the
# schema, save, and write one history row, all in one transaction.


class DraftInvalid(Exception):
    """The edit would leave the tool invalid; nothing was saved."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


FRIENDLY_MESSAGES = {
    ("sections",): "A tool needs at least one section",
    ("sections", "questions"): "needs at least one question: remove the section instead",
}


def _place(document: dict[str, Any], path: Path) -> str:
    """Where a problem is, in the designer's words rather than as a document path."""
    if len(path) >= 2 and path[0] == "sections" and isinstance(path[1], int):
        try:
            section = document["sections"][path[1]]
            place = f"Section “{section.get('title') or section['id']}”"
            if len(path) >= 4 and path[2] == "questions" and isinstance(path[3], int):
                place += f", question {path[3] + 1}"
        except (IndexError, KeyError, TypeError):
            return format_path(path)
        return place
    return format_path(path)


SECTION_PATH = re.compile(r"sections\[(\d+)\](?:\.questions\[(\d+)\])?[\w.\[\]]*")


def _in_words(document: dict[str, Any], message: str) -> str:
    """A message naming another place by its path ("first used at sections[4].id") names it
    as the designer shows it instead."""

    def place(match: re.Match[str]) -> str:
        path: Path = ("sections", int(match[1]))
        if match[2] is not None:
            path = (*path, "questions", int(match[2]))
        text = _place(document, path)
        return text[:1].lower() + text[1:]

    return SECTION_PATH.sub(place, message)


def validate_document(document: dict[str, Any]) -> Tool:
    """The schema's checks and its rules across the document, as `caseaudit tools validate`
    runs them; raise DraftInvalid listing every problem."""
    try:
        tool = Tool.model_validate(document)
    except ValidationError as error:
        messages = []
        for problem in error.errors():
            loc: Path = tuple(part for part in problem["loc"] if isinstance(part, str | int))
            shape = tuple(part for part in loc if isinstance(part, str))
            if problem["type"] == "too_short" and shape in FRIENDLY_MESSAGES:
                if shape == ("sections",):
                    messages.append(FRIENDLY_MESSAGES[shape])
                else:
                    messages.append(f"{_place(document, loc)} {FRIENDLY_MESSAGES[shape]}")
                continue
            message = PYDANTIC_MESSAGES.get(problem["type"], problem["msg"])
            messages.append(f"{_place(document, loc)}: {message}")
        raise DraftInvalid(messages) from error
    problems = semantic_errors(tool)
    if problems:
        raise DraftInvalid(
            [
                f"{_place(document, problem.path)}: {_in_words(document, problem.message)}"
                for problem in problems
            ]
        )
    return tool


def _edit_draft(
    draft: ToolVersion,
    *,
    by: Any,
    field: str,
    change: Callable[[dict[str, Any]], tuple[Any, Any]],
) -> ToolVersion:
    with transaction.atomic():
        locked = ToolVersion.objects.select_for_update().get(pk=draft.pk)
        if locked.is_published:
            raise FrozenToolVersionError(f"{locked} is published and cannot change")
        document = copy.deepcopy(locked.document)
        old, new = change(document)
        tool = validate_document(document)
        locked.document = tool.model_dump(mode="json")
        locked.title = tool.short_title
        locked.save(update_fields=["document", "title", "content_hash"])
        record_change(locked, by=by, field=field, old=old, new=new)
    draft.refresh_from_db()
    return draft


def start_draft(
    *, based_on: ToolVersion | None, tool_key: str, title: str, short_title: str, by: Any
) -> ToolVersion:
    """Start a new draft in the designer: a copy of `based_on` (or of the blank tool), either
    as the next version of the same tool or as the first version of a new one (`tool_key`)."""
    document = copy.deepcopy(based_on.document) if based_on else designer.blank_document()
    document.update(id=tool_key, title=title, short_title=short_title)
    tool = validate_document(document)
    return create_draft(tool, by=by, source=ToolSource.DESIGNED, based_on=based_on)


def edit_tool_settings(
    draft: ToolVersion,
    settings: dict[str, Any],
    *,
    grade_scale: str,
    allow_not_applicable: bool,
    by: Any,
) -> ToolVersion:
    """Change a draft's titles, guidance, labels and grade scale."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        names = [*designer.SETTING_FIELDS, "grade_scale"]
        before = {name: document[name] for name in names}
        designer.set_tool_settings(
            document,
            settings,
            grade_scale=grade_scale,
            allow_not_applicable=allow_not_applicable,
        )
        changed = [name for name in names if document[name] != before[name]]
        return (
            {name: before[name] for name in changed},
            {name: document[name] for name in changed},
        )

    return _edit_draft(draft, by=by, field="settings", change=change)


def edit_section(
    draft: ToolVersion, section_id: str, fields: dict[str, Any], *, by: Any
) -> ToolVersion:
    """Change a section's title, audience, guidance, equality prompt or judgement."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        before = copy.deepcopy(designer.find_section(document, section_id)[1])
        designer.set_section(document, section_id, fields)
        after = designer.find_section(document, section_id)[1]
        return _without_questions(before), _without_questions(after)

    return _edit_draft(draft, by=by, field=f"section {section_id}", change=change)


def _without_questions(section: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in section.items() if key != "questions"}


def add_section(draft: ToolVersion, fields: dict[str, Any], *, first_question: str, by: Any) -> str:
    """Add a section at the end of the draft, with its first question; return its id."""
    added: list[str] = []

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        section_id = designer.add_section(document, fields, first_question)
        added.append(section_id)
        return None, designer.find_section(document, section_id)[1]

    _edit_draft(draft, by=by, field="section added", change=change)
    return added[0]


def remove_section(draft: ToolVersion, section_id: str, *, by: Any) -> ToolVersion:
    """Leave a section and its questions out of this draft. Published versions keep it, and
    so do the returns made with them."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        return designer.remove_section(document, section_id), None

    return _edit_draft(draft, by=by, field=f"section {section_id} removed", change=change)


def move_section(
    draft: ToolVersion, section_id: str, direction: designer.Direction, *, by: Any
) -> ToolVersion:
    """Move a section one place up or down."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        try:
            before, after = designer.move_section(document, section_id, direction)
        except designer.CannotMove as error:
            raise DraftInvalid([f"The section is already the {error}"]) from error
        return before + 1, after + 1

    return _edit_draft(draft, by=by, field=f"position of section {section_id}", change=change)


def edit_question(
    draft: ToolVersion, question_id: str, fields: dict[str, Any], *, by: Any
) -> ToolVersion:
    """Reword a question or change its sub-questions, audience, answer type or guidance. The
    question keeps its id, so answers to it line up across versions."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        before = copy.deepcopy(designer.find_question(document, question_id)[2])
        designer.set_question(document, question_id, fields)
        return before, designer.find_question(document, question_id)[2]

    return _edit_draft(draft, by=by, field=f"question {question_id}", change=change)


def add_question(draft: ToolVersion, section_id: str, fields: dict[str, Any], *, by: Any) -> str:
    """Add a question at the end of a section; return its id."""
    added: list[str] = []

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        question_id = designer.add_question(document, section_id, fields)
        added.append(question_id)
        return None, designer.find_question(document, question_id)[2]

    _edit_draft(draft, by=by, field=f"question added to section {section_id}", change=change)
    return added[0]


def remove_question(draft: ToolVersion, question_id: str, *, by: Any) -> ToolVersion:
    """Leave a question out of this draft. It is never deleted from a published version, so
    returns that answered it keep their answers."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        return designer.remove_question(document, question_id), None

    return _edit_draft(draft, by=by, field=f"question {question_id} removed", change=change)


def move_question(
    draft: ToolVersion, question_id: str, direction: designer.Direction, *, by: Any
) -> ToolVersion:
    """Move a question one place up or down, across into the next section at either end."""

    def change(document: dict[str, Any]) -> tuple[Any, Any]:
        try:
            before, after = designer.move_question(document, question_id, direction)
        except designer.CannotMove as error:
            raise DraftInvalid([f"The question is already the {error} in the tool"]) from error
        return list(before), list(after)

    return _edit_draft(draft, by=by, field=f"position of question {question_id}", change=change)
