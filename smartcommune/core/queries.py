"""Small reads compiled to SQL once per process, then only run.

Django turns a queryset into SQL on every evaluation, and for the by-key reads of a busy page that
costs more CPU than the database spends answering them: the dossier page reads seven child tables,
and each prefetch cost ~1 ms of Python against ~0.25 ms for running the same SQL (bench/README.md).
`PreparedRead` asks the ORM for the SQL of `queryset.filter(<key>=...)` once per database, keeps it
with the ORM's value converters, and then executes it and builds model instances with
`Model.from_db`, as Django's own iterator does. Plain model querysets only: no select_related,
annotations, deferred fields or extra parameters.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet

_SLOT = -7_319_031_477  # stands for the key in the compiled query; found back among its parameters


@dataclass(frozen=True)
class _Compiled:
    sql: str
    attnames: list[str]
    converters: dict  # column position -> (converters, expression), as the SQL compiler gives them


class PreparedRead:
    """`read(value)` is `list(queryset.filter(**{key: value}))`, without compiling it each time."""

    def __init__(self, queryset: QuerySet, key: str):
        self.queryset = queryset
        self.key = key
        self.model = queryset.model
        self._compiled: dict[str, _Compiled] = {}

    def __call__(self, value, *, using: str | None = None) -> list[Model]:
        alias = using or router.db_for_read(self.model)
        compiled = self._compiled.get(alias) or self._compile(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, [value])
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._convert(row, compiled.converters, connection) for row in rows]
        return [self.model.from_db(alias, compiled.attnames, row) for row in rows]

    def _compile(self, alias: str) -> _Compiled:
        query = self.queryset.filter(**{self.key: _SLOT}).query
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        # The key's field may have prepared the value (a text key holds "-7319031477").
        if (
            [str(p) for p in params] != [str(_SLOT)]
            or compiler.klass_info is None
            or compiler.klass_info.get("related_klass_infos")
        ):
            raise ImproperlyConfigured(f"{self.model.__name__}: PreparedRead takes a plain filter on one key")
        columns = [expression for expression, _sql, _alias in compiler.select]
        if compiler.annotation_col_map or any(not hasattr(c, "target") for c in columns):
            raise ImproperlyConfigured(f"{self.model.__name__}: PreparedRead reads model columns only")
        compiled = _Compiled(
            sql=sql,
            attnames=[c.target.attname for c in columns],
            converters=compiler.get_converters(columns),
        )
        self._compiled[alias] = compiled
        return compiled

    @staticmethod
    def _convert(row, converters: dict, connection) -> tuple:
        values = list(row)
        for position, (functions, expression) in converters.items():
            value = values[position]
            for convert in functions:
                value = convert(value, expression, connection)
            values[position] = value
        return tuple(values)


def set_prefetched(instance: Model, accessor: str, rows: list[Model]) -> None:
    """Make `instance.<accessor>.all()` answer `rows` without a query, as prefetch_related leaves
    it, each row knowing its parent (`accessor` is a reverse foreign key)."""
    manager = getattr(instance, accessor)
    field = manager.field
    for row in rows:
        field.set_cached_value(row, instance)
    queryset = manager.get_queryset()
    queryset._result_cache = rows
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[field.remote_field.cache_name] = queryset
