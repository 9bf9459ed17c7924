"""ORM queries compiled to SQL once, then run with new values.

Building and compiling a queryset costs Django 0.5–2 ms of Python; running the
SQL it compiles to costs the database a tenth of that. A facilitator's mark is
a few small queries repeated thousands of times a day, so the hottest of them
are written as ordinary querysets over `Param` placeholders and compiled once
per thread and database. The rule each query states (who may see a program,
when a checklist is complete) stays written once, in the ORM.

Only the shapes used here are supported: a `values_list()` read, a plain
`update()` and a one-row INSERT; `Param` goes where a value would (a lookup's
right-hand side, an expression's argument, a new row's field). Nothing whose
SQL depends on the request may be prepared: a date lookup in the active time
zone, say, would keep the first request's zone.

On PostgreSQL the statements are also prepared on the server (unless
DB_SERVER_PREPARE is off), so it plans each of them once per connection
instead of on every tap; planning the mark's lookup cost the database more
than running it.
"""

import functools
import threading

from django.conf import settings
from django.db import connections, models
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery, UpdateQuery


class Param(models.Expression):
    """A named value bound when the compiled query runs."""

    def __init__(self, name, output_field):
        super().__init__(output_field=output_field)
        self.name = name

    def as_sql(self, compiler, connection):
        return "%s", [self]

    def bind(self, value, connection):
        field = self.output_field
        if value is not None and field.get_internal_type() in connection.ops.integer_field_ranges:
            low, high = connection.ops.integer_field_range(field.get_internal_type())
            if (low is not None and value < low) or (high is not None and value > high):
                raise _OutOfRange  # no row has such an id: the query finds nothing
        return field.get_db_prep_value(value, connection)


class _OutOfRange(Exception):
    pass


class _Compiled:
    def __init__(self, compiler):
        self.compiler = compiler
        compiled = compiler.as_sql()
        if isinstance(compiled, list):  # an INSERT's statements: one for one row
            [compiled] = compiled
        self.sql, self.params = compiled
        self.converters = None  # a read's, found on its first run

    def execute(self, cursor, values):
        """Run the SQL with `values` bound; False when a value can match no row."""
        connection = self.compiler.connection
        try:
            params = [
                p.bind(values[p.name], connection) if isinstance(p, Param) else p
                for p in self.params
            ]
        except _OutOfRange:
            return False
        cursor.execute(self.sql, params)
        return True


def _cursor(connection):
    """Django's cursor (health check, wrappers), binding values on the server
    where statements are prepared there. Not while queries are logged: the log
    shows a statement with its values only as the driver composed it."""
    cursor = connection.cursor()
    if (
        connection.vendor == "postgresql"
        and settings.DB_SERVER_PREPARE
        and not connection.queries_logged
    ):
        cursor.cursor = _server_preparing_cursor_class()(connection.connection)
    return cursor


@functools.cache
def _server_preparing_cursor_class():
    import psycopg  # only PostgreSQL gets here

    class ServerPreparingCursor(psycopg.Cursor):
        """Prepares its statement on the server, or runs the one prepared.

        The connection counts statements towards preparing only meanwhile:
        Django leaves counting off (prepare_threshold None), and counting every
        other statement would keep the last hundred, values and all, in memory."""

        def execute(self, query, params=None, **options):
            connection = self.connection
            before, connection.prepare_threshold = connection.prepare_threshold, _ASKED_ONLY
            try:
                return super().execute(query, params, prepare=True, **options)
            finally:
                connection.prepare_threshold = before

    return ServerPreparingCursor


_ASKED_ONLY = 2**62  # never reached by counting: a statement is prepared when asked


class _Prepared:
    def __init__(self, build):
        self.build = build
        self._local = threading.local()

    def compiled(self, using, kind):
        # A compiler holds its connection, and connections belong to one
        # thread, so each thread compiles its own (once: a worker's thread
        # keeps its connection object across requests).
        connection = connections[using]
        cache = self._local.__dict__.setdefault("compiled", {})
        compiled = cache.get((using, kind))
        if compiled is None or compiled.compiler.connection is not connection:
            compiled = cache[using, kind] = _Compiled(self.compiler(using, kind))
        return compiled

    def _write(self, kind, using, values):
        """Run a write; the rows it changed (0 when a value can match no row)."""
        compiled = self.compiled(using, kind)
        with _cursor(compiled.compiler.connection) as cursor:
            if not compiled.execute(cursor, values):
                return 0
            return cursor.rowcount


class PreparedQuery(_Prepared):
    """`build(P, kind)` returns a `values_list()` queryset; `P(name, field)`
    stands for a value given when it runs. `kind` tells apart queries of
    different shapes (an admin's role check compiles to other SQL than a
    facilitator's)."""

    def compiler(self, using, kind):
        return self.build(Param, kind).query.get_compiler(using=using)

    def rows(self, *, kind=None, using="default", **values):
        """The rows, with values converted as the queryset would convert them."""
        compiled = self.compiled(using, kind)
        compiler = compiled.compiler
        with _cursor(compiler.connection) as cursor:
            if not compiled.execute(cursor, values):
                return []
            rows = cursor.fetchall()
        if compiled.converters is None:
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            compiled.converters = compiler.get_converters(columns)
        if compiled.converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, compiled.converters)]
        return rows


def row_lock(model):
    """A PreparedQuery that locks one row of `model`, its id given as `pk`
    (FOR UPDATE on PostgreSQL; SQLite's write transactions lock the whole file).
    order_by(): a default ordering would join, and on PostgreSQL lock, other rows."""
    return PreparedQuery(
        lambda P, kind: (
            model.objects.select_for_update()
            .filter(pk=P("pk", models.BigIntegerField()))
            .order_by()
            .values_list("pk")
        )
    )


class PreparedUpdate(_Prepared):
    """`build(P, kind)` returns (queryset, {field name: new value or expression});
    `update(**values)` runs UPDATE ... SET on the queryset's rows and counts them."""

    def compiler(self, using, kind):
        queryset, changes = self.build(Param, kind)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        return query.get_compiler(using=using)

    def update(self, *, kind=None, using="default", **values):
        return self._write(kind, using, values)


class PreparedInsert(_Prepared):
    """`build(P, kind)` returns (an unsaved instance whose fields hold values
    or `P(...)`, `bulk_create`'s conflict options: ignore_conflicts, or
    update_conflicts with update_fields and unique_fields); `insert(**values)`
    writes that one row and counts the rows written or updated (0: a conflict
    ignored). Field defaults are not applied: every field is given."""

    def compiler(self, using, kind):
        obj, options = self.build(Param, kind)
        meta = obj._meta
        fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.pk]
        if stamped := [
            f.name
            for f in fields
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]:
            # Their value is taken when the row is compiled: every row would keep that time.
            raise ValueError(f"{meta.label} stamps {stamped} itself: not for a prepared insert")
        query = InsertQuery(type(obj), **_conflict_options(meta, **options))
        query.insert_values(fields, [obj])
        return query.get_compiler(using=using)

    def insert(self, *, kind=None, using="default", **values):
        return self._write(kind, using, values)


def _conflict_options(
    meta, ignore_conflicts=False, update_conflicts=False, update_fields=(), unique_fields=()
):
    if ignore_conflicts:
        return {"on_conflict": OnConflict.IGNORE}
    if update_conflicts:
        return {
            "on_conflict": OnConflict.UPDATE,
            "update_fields": [meta.get_field(name) for name in update_fields],
            "unique_fields": [meta.get_field(name) for name in unique_fields],
        }
    return {}


class RowModels:
    """Model instances read from one row of a `values_list()`: each model with
    the fields named, reached from the query's model through its path ("" for
    the query's own model, "enrollment__participant__" for a related one), or
    all its fields when the names are None. Fields not read are deferred:
    touching one loads it, as with `only()`."""

    def __init__(self, *parts):
        self.parts = []
        for model, path, names in parts:
            if names is None:
                names = [f.attname for f in model._meta.concrete_fields]
            # Model.from_db takes a subset of the fields in the model's own order.
            ordered = tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)
            if len(ordered) != len(names):
                raise LookupError(f"{model.__name__} has no field {set(names) - set(ordered)}")
            self.parts.append((model, path, ordered))

    @property
    def columns(self):
        return [path + name for _model, path, names in self.parts for name in names]

    def read(self, row, using="default"):
        """(the instances in the order given, the row's further values)."""
        values = iter(row)
        found = [
            model.from_db(using, names, [next(values) for _ in names])
            for model, _path, names in self.parts
        ]
        return found, list(values)
