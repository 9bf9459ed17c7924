"""A database made before the programs app existed upgrades with every row kept.

Built forward only, on a database of its own: migrations up to the last
nodes before the move, then the demo's rows written into those old tables,
then every migration since. The same check was run by hand on a database
made by the old code itself (SQLite and PostgreSQL: same counts, same
report JSON byte for byte).
"""

import datetime as dt
import uuid
from contextlib import contextmanager

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connections, transaction
from django.db.migrations.executor import MigrationExecutor

from demo.services import demo_load
from pkk_training.crypto import decrypt_nik

# The leaf migration of each app before the tenant core moved to programs.
BEFORE_PROGRAMS = [
    ("contenttypes", "0002_remove_content_type_name"),
    ("auth", "0012_alter_user_first_name_max_length"),
    ("training_sessions", "0002_attendance"),
    ("participants", "0003_pending_import_invalid_rows"),
    ("checklists", "0001_initial"),
    ("surveys", "0001_initial"),
    ("reports", "0001_initial"),
]
MOVED = {
    f"programs_{name}": f"training_sessions_{name}"
    for name in ("organization", "organizationmembership", "program", "membership")
}


@contextmanager
def scratch_connection(directory, django_db_blocker):
    """A second, empty database on the same server as the test database."""
    default = connections["default"]
    settings = dict(connections.settings["default"])
    if default.vendor == "sqlite":
        settings["NAME"] = str(directory / "upgrade.sqlite3")
    else:
        name = f"pkk_upgrade_{uuid.uuid4().hex[:8]}"
        with django_db_blocker.unblock(), default._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
        settings["NAME"] = name
    connections.settings["upgrade"] = settings
    try:
        yield connections["upgrade"]
    finally:
        connections["upgrade"].close()
        del connections["upgrade"]
        if default.vendor != "sqlite":
            # Migrations that ignore their schema editor's alias (django-tasks'
            # own) open the default connection here. While a browser test's
            # Playwright loop runs in this thread, Django keeps that wrapper in
            # per-context storage, which close_all() at the session's end does
            # not see: the test database could then not be dropped.
            default.close()
        del connections.settings["upgrade"]
        if default.vendor != "sqlite":
            with django_db_blocker.unblock(), default._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{settings["NAME"]}"')


@pytest.fixture
def scratch_database(django_db_setup, django_db_blocker, tmp_path):
    with scratch_connection(tmp_path, django_db_blocker) as database:
        yield database


def table_columns(connection, table):
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


# Columns renamed since those migrations: {(table, today's name): the old name}.
RENAMED = {("checklists_checklisttemplate", "changed_at"): "reasons_changed_at"}


def copy_rows(source, target, table, target_table):
    """Copy a table's rows, in the columns both sides have."""
    old = {c: RENAMED.get((table, c), c) for c in table_columns(source, table)}
    columns = [c for c in old if old[c] in table_columns(target, target_table)]
    quoted = ", ".join(source.ops.quote_name(c) for c in columns)
    targets = ", ".join(target.ops.quote_name(old[c]) for c in columns)
    with source.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {source.ops.quote_name(table)}")
        rows = [[plain(value) for value in row] for row in cursor.fetchall()]
    if table == "participants_participant":
        # The old tables held NIKs in clear: the migration encrypts them again.
        nik = columns.index("nik")
        for row in rows:
            row[nik] = decrypt_nik(row[nik])
    if rows:
        marks = ", ".join(["%s"] * len(columns))
        with target.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {target.ops.quote_name(target_table)} ({targets}) VALUES ({marks})",
                rows,
            )
    return len(rows)


def plain(value):
    # sqlite3 reads TIME columns back as datetime.time but cannot write one.
    return value.isoformat() if isinstance(value, dt.time) else value


def row_ids(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
        return sorted(str(row[0]) for row in cursor.fetchall())


def test_a_database_from_before_the_programs_app_keeps_every_row(
    scratch_database, django_db_blocker
):
    # Not a django_db test: Django's test cases forbid a second database that
    # settings do not name, so this one cleans the test database itself.
    with django_db_blocker.unblock():
        try:
            upgrade_and_compare(scratch_database)
        finally:
            call_command("flush", interactive=False, verbosity=0)


def upgrade_and_compare(scratch_database):
    demo_load()
    default = connections["default"]
    project_apps = {"programs", "participants", "training_sessions", "checklists", "surveys"}
    old_tables_in_order = ["auth_user"] + [
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in project_apps | {"reports"}
    ]
    executor = MigrationExecutor(scratch_database)
    executor.migrate(BEFORE_PROGRAMS)
    old_names = set(scratch_database.introspection.table_names())
    assert set(MOVED.values()) <= old_names
    assert not set(MOVED) & old_names

    copied = {}
    # One transaction: foreign keys are checked at its end, whatever the table order.
    with (
        transaction.atomic(using=scratch_database.alias),
        scratch_database.constraint_checks_disabled(),
    ):
        for table in old_tables_in_order:
            target = MOVED.get(table, table)
            if target in old_names:
                copied[table] = copy_rows(default, scratch_database, table, target)
    MigrationExecutor(scratch_database).migrate(
        MigrationExecutor(scratch_database).loader.graph.leaf_nodes()
    )

    assert copied["programs_program"] == 1
    assert copied["participants_participant"] == 30
    assert copied["training_sessions_attendance"] > 0
    kept = {table: row_ids(scratch_database, table) for table in copied}
    assert kept == {table: row_ids(default, table) for table in copied}
    assert not set(MOVED.values()) & set(scratch_database.introspection.table_names())
    scratch_database.check_constraints()
    with scratch_database.cursor() as cursor:
        cursor.execute(
            "SELECT app_label FROM django_content_type WHERE model = 'program' ORDER BY app_label"
        )
        assert cursor.fetchall() in ([], [("programs",)])


@pytest.mark.django_db
def test_the_tenant_core_lives_in_programs_and_sessions_keeps_only_sessions():
    # Also makes pytest-django set up the test database when this module runs alone.
    program = apps.get_model("programs", "Program")

    assert program._meta.db_table == "programs_program"
    assert sorted(m.__name__ for m in apps.get_app_config("training_sessions").get_models()) == [
        "Attendance",
        "AttendanceEvent",
        "TrainingSession",
    ]
    assert sorted(m.__name__ for m in apps.get_app_config("programs").get_models()) == [
        "AuditEvent",
        "Membership",
        "Organization",
        "OrganizationMembership",
        "Program",
    ]
