"""On PostgreSQL, no two live bookings of one room may share a night (an exclusion constraint).

The Night ledger already forbids it on every database; this is the database's own second
lock on rooms, where date ranges are native. SQLite has neither btree_gist nor EXCLUDE.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE lodging_booking ADD CONSTRAINT lodging_room_nights_never_overlap
    EXCLUDE USING gist (place_id WITH =, daterange(first_night, until, '[)') WITH &&)
    WHERE (is_room AND status NOT IN ('cancelled', 'expired'));
"""
DROP = "ALTER TABLE lodging_booking DROP CONSTRAINT IF EXISTS lodging_room_nights_never_overlap;"


def create(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Add the constraint on PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Remove the constraint on PostgreSQL only."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("lodging", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
