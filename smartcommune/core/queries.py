"""Small reads, and one-row inserts, compiled to SQL once per process, then only run.

Django turns a queryset into SQL on every evaluation, and for the by-key reads of a busy page that
costs more CPU than the database spends answering them: the dossier page reads seven child tables,
and each prefetch cost ~1 ms of Python against ~0.25 ms for running the same SQL (bench/README.md).
`PreparedRead` asks the ORM for the SQL of a queryset built around one key once per database, keeps
it with the ORM's value converters, and then only executes it: model instances are built with
`Model.from_db` and Django's related populators, as its own iterator does (model reads, with
select_related; no annotations), or the rows are given as tuples (values_list
reads, joins included). A read may take several keys (`build(a, b)`, `read(a, b)`).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators
from django.db.models.sql import InsertQuery

_SLOT = -7_319_031_477  # stands for the key in the compiled query; found back among its parameters


def _slots(count: int) -> list[int]:
    return [_SLOT - i for i in range(count)]  # one distinct stand-in for each key


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: list  # the query's parameters, the keys' places holding their stand-ins
    slots: tuple[int, ...]  # where each key goes among them
    attnames: list[str] | None  # the model's fields among the columns, for a model read
    fields: slice  # where they are in a row
    related: list  # select_related: Django's RelatedPopulators (stateless, reused for every row)
    converters: dict  # column position -> (converters, expression), as the SQL compiler gives them


class PreparedRead:
    """`build(key)` is a queryset; `read(value)` is `list(build(value))`, and `read.rows(value)` the
    rows as tuples (for a values_list queryset), without compiling it each time.

    `build` must use each key once, as a value compared in a filter (an IN list may be made of
    keys: `build(*paths)`, one read per list length); its other values (a constant IN list, a
    LIMIT) are kept as they were at the first call."""

    def __init__(self, build: Callable[..., QuerySet], *, keys: int = 1):
        self.build = build
        self.keys = keys
        self._model = None
        self._compiled: dict[str, _Compiled] = {}

    def rows(self, *values, using: str | None = None) -> list[tuple]:
        compiled, alias = self._prepared(using)
        if len(values) != len(compiled.slots):
            raise TypeError(f"this read takes {len(compiled.slots)} keys, not {len(values)}")
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = [self._convert(row, compiled.converters, connection) for row in rows]
        return rows

    def __call__(self, *values, using: str | None = None) -> list[Model]:
        compiled, alias = self._prepared(using)
        if compiled.attnames is None:
            raise ImproperlyConfigured("PreparedRead builds model objects from model reads only")
        model, attnames, fields = self._model, compiled.attnames, compiled.fields
        objects = []
        for row in self.rows(*values, using=alias):
            obj = model.from_db(alias, attnames, row[fields])
            for populator in compiled.related:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def _prepared(self, using: str | None) -> tuple[_Compiled, str]:
        if self._model is None:
            self._model = self.build(*_slots(self.keys)).model
        alias = using or router.db_for_read(self._model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        return compiled, alias

    def _compile(self, alias: str) -> _Compiled:
        queryset = self.build(*_slots(self.keys))
        compiler = queryset.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        # A key's field may have prepared the value (a text key holds "-7319031477").
        slots = []
        for stand_in in _slots(self.keys):
            found = [i for i, p in enumerate(params) if str(p) == str(stand_in)]
            if len(found) != 1:
                raise ImproperlyConfigured(
                    f"{queryset.model.__name__}: PreparedRead needs each key once in its query"
                )
            slots += found
        select, klass_info = compiler.select, compiler.klass_info
        columns = [expression for expression, _sql, _alias in select]
        # A model read, as ModelIterable reads one: the model's columns, then select_related ones.
        model_read = (
            klass_info is not None
            and not compiler.annotation_col_map
            and all(hasattr(c, "target") for c in columns)
        )
        fields = (
            slice(klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1)
            if model_read
            else slice(0)
        )
        return _Compiled(
            sql=sql,
            params=list(params),
            slots=tuple(slots),
            attnames=[c.target.attname for c in columns[fields]] if model_read else None,
            fields=fields,
            related=get_related_populators(klass_info, select, alias) if model_read else [],
            converters=compiler.get_converters(columns),
        )

    @staticmethod
    def _convert(row, converters: dict, connection) -> tuple:
        values = list(row)
        for position, (functions, expression) in converters.items():
            value = values[position]
            for convert in functions:
                value = convert(value, expression, connection)
            values[position] = value
        return tuple(values)


class PreparedInsert:
    """`insert(obj)` writes a new instance of `model` with one INSERT compiled once per database:
    `obj.save()` for a row that nothing reads back on the page (no signals, its id is not fetched),
    such as the log of who viewed personal data, written on every view. Values are prepared as the
    ORM prepares them (defaults, auto_now, types)."""

    def __init__(self, model: type[Model]):
        self.model = model
        self._compiled: dict[str, tuple] = {}

    def __call__(self, obj: Model, *, using: str | None = None) -> None:
        alias = using or router.db_for_write(self.model)
        prepared = self._compiled.get(alias)
        if prepared is None:
            prepared = self._compiled[alias] = self._compile(obj, alias)
        sql, fields, compiler = prepared
        params = [compiler.prepare_value(f, compiler.pre_save_val(f, obj)) for f in fields]
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)

    def _compile(self, obj: Model, alias: str) -> tuple:
        meta = self.model._meta
        fields = [f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field]
        query = InsertQuery(self.model)
        query.insert_values(fields, [obj])
        compiler = query.get_compiler(alias)
        (sql, params), *_more = compiler.as_sql()
        if len(params) != len(fields) or sql.count("%s") != len(fields):
            raise ImproperlyConfigured(f"{self.model.__name__}: PreparedInsert needs plain columns")
        return sql, fields, compiler


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
