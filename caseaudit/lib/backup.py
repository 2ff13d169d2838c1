"""Backing up and restoring the whole database, online, while the service runs.

SQLite: the online backup API (`sqlite3.Connection.backup`), which copies a consistent snapshot
page by page while others read and write; copying the file could catch it half-written (and
would miss the write-ahead log). PostgreSQL: `pg_dump` in its custom format, read back with
`pg_restore`, both from the PostgreSQL client tools of the server's major version.

A backup holds every child's case details: it is written readable by its owner only.
"""

import os
import shutil
import sqlite3
import subprocess  # nosec B404 # runs pg_dump and pg_restore: fixed arguments, no shell
from pathlib import Path
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(Exception):
    """The backup or restore could not be done; the message says why and what to do."""


def backup(path: Path, *, using: str = "default") -> None:
    """Write a consistent copy of the whole database to `path`."""
    connection = connections[using]
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        sqlite_backup(connection.connection, path)
    elif connection.vendor == "postgresql":
        pg_dump(connection.settings_dict, path)
    else:
        raise BackupError(f"Backing up a {connection.vendor} database is not supported")


def restore(path: Path, *, using: str = "default", force: bool = False) -> None:
    """Load a backup into the database. An empty database only, unless `force`: then every
    table in it is replaced by the backup's."""
    connection = connections[using]
    if not path.is_file():
        raise BackupError(f"{path} does not exist")
    if not force and not is_empty(connection):
        raise BackupError(
            "The database is not empty: restoring would replace everything in it. "
            "Restore into a new, empty database, or give --force to replace this one."
        )
    if connection.vendor == "sqlite":
        _expect(path, SQLITE_MAGIC, "an SQLite backup")
        connection.ensure_connection()
        sqlite_restore(path, connection.connection)
        connection.close()
    elif connection.vendor == "postgresql":
        _expect(path, PG_DUMP_MAGIC, "a PostgreSQL backup (pg_dump's custom format)")
        connection.close()
        pg_restore(path, connection.settings_dict, replace=force)
    else:
        raise BackupError(f"Restoring a {connection.vendor} database is not supported")


def is_empty(connection: BaseDatabaseWrapper) -> bool:
    """A database is empty when it has no tables at all: a new file, or a new database made
    with createdb and never migrated."""
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


# SQLite --------------------------------------------------------------------------------------


def sqlite_backup(source: sqlite3.Connection, path: Path) -> None:
    path.unlink(missing_ok=True)
    target = _private_sqlite(path)
    try:
        source.backup(target)
    finally:
        target.close()


def sqlite_restore(path: Path, target: sqlite3.Connection) -> None:
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(target)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} could not be read as an SQLite backup: {error}") from error
    finally:
        source.close()


def _private_sqlite(path: Path) -> sqlite3.Connection:
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    return sqlite3.connect(path)


# PostgreSQL ----------------------------------------------------------------------------------


def pg_dump(settings: dict[str, Any], path: Path) -> None:
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600))
    _run(
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", f"--file={path}"],
        settings,
    )


def pg_restore(path: Path, settings: dict[str, Any], *, replace: bool) -> None:
    command = [_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
    if replace:
        command += ["--clean", "--if-exists"]
    # One transaction: a restore that fails half-way leaves the database as it was.
    command += ["--single-transaction", f"--dbname={settings['NAME']}", str(path)]
    _run(command, settings)


def _run(command: list[str], settings: dict[str, Any]) -> None:
    environment = {
        **os.environ,
        "PGHOST": str(settings.get("HOST") or ""),
        "PGPORT": str(settings.get("PORT") or ""),
        "PGUSER": str(settings.get("USER") or ""),
        "PGPASSWORD": str(settings.get("PASSWORD") or ""),
        "PGDATABASE": str(settings["NAME"]),
    }
    # The password goes in the environment, never on the command line where `ps` shows it.
    result = subprocess.run(  # noqa: S603  # nosec B603 # fixed program and arguments, no shell
        command, env=environment, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} was not found: install the PostgreSQL client tools")
    return found


def _expect(path: Path, magic: bytes, kind: str) -> None:
    with path.open("rb") as file:
        if file.read(len(magic)) != magic:
            raise BackupError(f"{path} is not {kind}")
