from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from caseaudit.audit_tools.actions import create_draft, sync_shipped_tools
from caseaudit.audit_tools.loading import ToolInvalid, load_tool
from caseaudit.audit_tools.models import ToolSource


class Command(BaseCommand):
    help = "Validate, import and load audit tool documents (YAML)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        commands = parser.add_subparsers(dest="command", required=True)
        validate = commands.add_parser("validate", help="check a tool file and list every error")
        validate.add_argument("file", type=Path)
        import_ = commands.add_parser("import", help="store a tool file as a new draft version")
        import_.add_argument("file", type=Path)
        commands.add_parser("sync", help="load the shipped tools as published versions")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["command"] == "sync":
            created = sync_shipped_tools()
            for tool_version in created:
                self.stdout.write(f"Published {tool_version}")
            if not created:
                self.stdout.write("The shipped tools are up to date.")
            return
        tool = self._load(options["file"])
        if options["command"] == "validate":
            self.stdout.write(f"{options['file']}: valid ({tool.short_title})")
        else:
            draft = create_draft(tool, by=None, source=ToolSource.IMPORTED)
            self.stdout.write(f"Created {draft}")

    def _load(self, path: Path):  # type: ignore[no-untyped-def]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"{path}: cannot read the file: {error}") from error
        try:
            return load_tool(text)
        except ToolInvalid as invalid:
            for problem in invalid.errors:
                where = f"{path}:{problem.line}" if problem.line else str(path)
                self.stderr.write(f"{where}: {problem.path}: {problem.message}")
            raise CommandError(f"{path}: {len(invalid.errors)} error(s)") from invalid
