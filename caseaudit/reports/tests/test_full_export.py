"""The open full export, checked row for row against the database."""

import csv
import io
import json
import zipfile

import pytest

from caseaudit.activity.actions import record_change
from caseaudit.audits.models import Answer, ReturnStatus
from caseaudit.reports import full_export
from caseaudit.reports.full_export import TABLES, column_name, export_fields, json_value

pytestmark = pytest.mark.django_db


def test_every_table_is_exported_row_for_row_as_json_and_csv(world, coordinator) -> None:
    draft = world["cases"][2].returns.get(status=ReturnStatus.IN_PROGRESS)
    record_change(draft, by=coordinator, field="planning_judgement.text", old="", new="draft!")
    record_change(draft, by=coordinator, field="status", old="not_started", new="in_progress")
    archive = zipfile.ZipFile(io.BytesIO(full_export.full_export()))
    names = set(archive.namelist())
    assert "README.md" in names
    readme = archive.read("README.md").decode()
    assert "OFFICIAL-SENSITIVE" in readme
    for table in TABLES:
        assert f"json/{table.name}.json" in names and f"csv/{table.name}.csv" in names
        assert f"## {table.name} (" in readme
        fields = export_fields(table.model)
        columns = [column_name(field) for field in fields]
        expected = [
            {name: json_value(value) for name, value in zip(columns, row, strict=True)}
            for row in table.rows().order_by("pk").values_list(*columns)
        ]
        exported = json.loads(archive.read(f"json/{table.name}.json"))
        assert exported == json.loads(json.dumps(expected, default=str)), table.name
        rows = list(csv.DictReader(io.StringIO(archive.read(f"csv/{table.name}.csv").decode())))
        assert [row["id"] for row in rows] == [str(row["id"]) for row in expected], table.name
        for column in columns:
            assert f"`{column}`" in readme

    answers = json.loads(archive.read("json/answers.json"))
    assert len(answers) == Answer.objects.exclude(ret__status=ReturnStatus.IN_PROGRESS).count()
    assert not any(answer["ret_id"] == draft.pk for answer in answers)
    users = json.loads(archive.read("json/users.json"))
    assert users and all("password" not in user for user in users)
    history = json.loads(archive.read("json/history.json"))
    assert not any(change["new_value"] == "draft!" for change in history)
    assert any(
        change["field"] == "status" and change["object_id"] == draft.pk for change in history
    )
    cases = list(csv.DictReader(io.StringIO(archive.read("csv/cases.csv").decode())))
    assert {case["initials"] for case in cases} >= {"QX", "ZV", "KW"}
    assert cases[0]["programme_id"] == str(world["spring"].pk)
