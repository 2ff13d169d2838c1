"""On PostgreSQL the database itself refuses to change or delete history and access-log
rows, whatever code or console session tries. The one exception is the retention
command, which blanks the old and new values of history rows about anonymised case details: it
says so for its own transaction only (SET LOCAL caseaudit.redacting = 'on'). SQLite has no such
per-transaction setting, so there the models alone keep these tables append-only."""

from django.db import migrations

TABLES = ("activity_change", "activity_accessevent")

FUNCTION = """
CREATE OR REPLACE FUNCTION caseaudit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'activity_change'
            AND current_setting('caseaudit.redacting', true) = 'on' THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '%% rows are never changed or deleted (%% refused)', TG_TABLE_NAME, TG_OP;
END
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION caseaudit_append_only()"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS caseaudit_append_only()")


class Migration(migrations.Migration):
    dependencies = [("activity", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
