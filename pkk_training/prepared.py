"""ORM queries compiled to SQL once, then run with new values.

Building and compiling a queryset costs Django 0.5–2 ms of Python; running the
SQL it compiles to costs the database a tenth of that. A facilitator's mark is
a few small queries repeated thousands of times a day, so the hottest of them
are written as ordinary querysets over `Param` placeholders and compiled once
per thread and database. The rule each query states (who may see a program,
when a checklist is complete) stays written once, in the ORM.

Only the shapes used here are supported: a `values_list()` read and a plain
`update()`; `Param` goes where a value would (a lookup's right-hand side, an
expression's argument). Nothing whose SQL depends on the request may be
prepared: a date lookup in the active time zone, say, would keep the first
request's zone.
"""

import threading

from django.db import connections, models
from django.db.models.sql import UpdateQuery


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
        self.sql, self.params = compiler.as_sql()
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
        with compiler.connection.cursor() as cursor:
            if not compiled.execute(cursor, values):
                return []
            rows = cursor.fetchall()
        if compiled.converters is None:
            columns = [column[0] for column in compiler.select[: compiler.col_count]]
            compiled.converters = compiler.get_converters(columns)
        if compiled.converters:
            rows = [tuple(row) for row in compiler.apply_converters(rows, compiled.converters)]
        return rows


class PreparedUpdate(_Prepared):
    """`build(P, kind)` returns (queryset, {field name: new value or expression});
    `update(**values)` runs UPDATE ... SET on the queryset's rows and counts them."""

    def compiler(self, using, kind):
        queryset, changes = self.build(Param, kind)
        query = queryset.query.chain(UpdateQuery)
        query.add_update_values(changes)
        return query.get_compiler(using=using)

    def update(self, *, kind=None, using="default", **values):
        compiled = self.compiled(using, kind)
        with compiled.compiler.connection.cursor() as cursor:
            if not compiled.execute(cursor, values):
                return 0
            return cursor.rowcount


class RowModels:
    """Model instances read from one row of a `values_list()`: each model with
    the fields named, reached from the query's model through its path ("" for
    the query's own model, "enrollment__participant__" for a related one).
    Fields not read are deferred: touching one loads it, as with `only()`."""

    def __init__(self, *parts):
        self.parts = []
        for model, path, names in parts:
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
