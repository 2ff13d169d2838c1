"""Back up, restore into an empty database, and compare every table row for row."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from caseaudit.demo import load_demo
from caseaudit.lib import backup as backups

ROOT = Path(__file__).parents[3]
ON_POSTGRESQL = connection.vendor == "postgresql"


def _manage(*args: str, database: Path) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "CASEAUDIT_ENVIRONMENT": "test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def sqlite_tables(path: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(path) as database:
        names = [
            row[0]
            for row in database.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            name: sorted(database.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608 - table names from the schema
            for name in names
        }


def test_sqlite_backup_and_restore_through_the_command_line(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    backup_file = tmp_path / "backup.sqlite3"
    assert _manage("demo", database=live).returncode == 0
    result = _manage("backup", str(backup_file), database=live)
    assert result.returncode == 0, result.stderr
    assert oct(backup_file.stat().st_mode & 0o777) == "0o600", "only its owner may read a backup"

    result = _manage("restore", str(backup_file), database=copy)
    assert result.returncode == 0, result.stderr
    original, restored = sqlite_tables(live), sqlite_tables(copy)
    assert restored.keys() == original.keys()
    for table, rows in original.items():
        assert restored[table] == rows, f"{table} differs after the restore"
    assert len(original["audits_answer"]) > 100, "the demo's returns were backed up"

    refused = _manage("restore", str(backup_file), database=copy)
    assert refused.returncode != 0
    assert "The database is not empty" in refused.stderr

    with sqlite3.connect(copy) as database:
        database.execute("DELETE FROM audits_familymember")
    forced = _manage("restore", "--force", str(backup_file), database=copy)
    assert forced.returncode == 0, forced.stderr
    assert sqlite_tables(copy) == original


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path: Path) -> None:
    not_a_backup = tmp_path / "notes.txt"
    not_a_backup.write_text("hello")
    result = _manage("restore", str(not_a_backup), database=tmp_path / "new.sqlite3")
    assert result.returncode != 0
    assert "is not an SQLite backup" in result.stderr


@pytest.mark.django_db
def test_restore_refuses_to_overwrite_this_database(tmp_path: Path) -> None:
    backup_file = tmp_path / "backup.bin"
    backup_file.write_bytes(b"PGDMP" if ON_POSTGRESQL else backups.SQLITE_MAGIC)
    with pytest.raises(CommandError, match="The database is not empty"):
        call_command("restore", str(backup_file))


# PostgreSQL ------------------------------------------------------------------------------------


def pg_tables(settings: dict[str, Any]) -> dict[str, list[Any]]:
    import psycopg

    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as database:
        names = [
            row[0]
            for row in database.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            name: sorted(database.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)  # noqa: S608 - table names from the catalogue
            for name in names
        }


@pytest.mark.skipif(not ON_POSTGRESQL, reason="pg_dump and pg_restore need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_and_restore_into_an_empty_database(tmp_path: Path) -> None:
    load_demo()
    backup_file = tmp_path / "backup.dump"
    call_command("backup", str(backup_file))
    assert backup_file.read_bytes()[:5] == b"PGDMP"

    source = connection.settings_dict
    target = {**source, "NAME": f"{source['NAME']}_restored"}
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}"')
        cursor.execute(f'CREATE DATABASE "{target["NAME"]}"')
    try:
        backups.pg_restore(backup_file, target, replace=False)
        original, restored = pg_tables(source), pg_tables(target)
        assert restored.keys() == original.keys()
        for table, rows in original.items():
            assert restored[table] == rows, f"{table} differs after the restore"
        assert len(original["audits_answer"]) > 100
        # --force replaces what is there, in one transaction.
        backups.pg_restore(backup_file, target, replace=True)
        assert pg_tables(target) == original
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{target["NAME"]}" WITH (FORCE)')
