"""Reading tool documents from YAML, with every error placed at its path and line."""

from dataclasses import dataclass
from typing import Any

import yaml
from pydantic import ValidationError

from caseaudit.audit_tools.schema import Path, Tool, format_path, semantic_errors


@dataclass(frozen=True)
class ToolError:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line else ""
        return f"{where}{self.path}: {self.message}"


class ToolInvalid(Exception):
    def __init__(self, errors: list[ToolError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


# Aliases let a few lines expand into an enormous document; real tools need few or none.
MAX_ALIASES = 100

PYDANTIC_MESSAGES = {
    "missing": "is required but missing",
    "extra_forbidden": "is not a field of an audit tool (check its spelling and indentation)",
}


def _line_map(node: yaml.Node, path: Path, lines: dict[Path, int], errors: list[ToolError]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key: Any = key_node.value
            if key_node.tag.endswith(":int"):
                key = int(key)
            if key in seen:
                errors.append(
                    ToolError(
                        format_path((*path, key)),
                        key_node.start_mark.line + 1,
                        f'"{key}" appears twice in the same place',
                    )
                )
            seen.add(key)
            _line_map(value_node, (*path, key), lines, errors)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _line_map(item, (*path, index), lines, errors)


def _line_for(path: Path, lines: dict[Path, int]) -> int | None:
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None


def _refuse_many_aliases(text: str) -> None:
    """Counted in the event stream, before any node is built or walked."""
    aliases = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            aliases += isinstance(event, yaml.AliasEvent)
            if aliases > MAX_ALIASES:
                line = event.start_mark.line + 1 if event.start_mark else None
                message = f"uses more than {MAX_ALIASES} YAML aliases"
                raise ToolInvalid([ToolError("(document)", line, message)])
    except yaml.YAMLError:
        pass  # reported below, with its line


def load_tool(text: str) -> Tool:
    """Parse and validate a tool document; raise ToolInvalid listing every problem found."""
    _refuse_many_aliases(text)
    try:
        loader = yaml.SafeLoader(text)
    except yaml.YAMLError as error:
        # The reader refuses control characters before any parsing starts.
        reason = str(error).splitlines()[0]
        raise ToolInvalid([ToolError("(document)", 1, f"not valid YAML: {reason}")]) from error
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or str(error)
        raise ToolInvalid(
            [ToolError("(document)", mark.line + 1 if mark else None, f"not valid YAML: {problem}")]
        ) from error
    finally:
        loader.dispose()
    if node is None or not isinstance(data, dict):
        raise ToolInvalid([ToolError("(document)", 1, "an audit tool must be a YAML mapping")])

    lines: dict[Path, int] = {}
    errors: list[ToolError] = []
    _line_map(node, (), lines, errors)
    try:
        tool = Tool.model_validate(data)
    except ValidationError as error:
        for problem in error.errors():
            loc: Path = tuple(part for part in problem["loc"] if isinstance(part, str | int))
            message = PYDANTIC_MESSAGES.get(problem["type"], problem["msg"])
            errors.append(ToolError(format_path(loc), _line_for(loc, lines), message))
        raise ToolInvalid(errors) from error
    errors.extend(
        ToolError(format_path(problem.path), _line_for(problem.path, lines), problem.message)
        for problem in semantic_errors(tool)
    )
    if errors:
        raise ToolInvalid(errors)
    return tool


def dump_tool(tool: Tool) -> str:
    """The YAML form of a tool, as exported and as `tools import` reads it back."""
    return yaml.safe_dump(
        tool.model_dump(mode="json", exclude_defaults=True),
        sort_keys=False,
        allow_unicode=True,
        width=100,
    )
