"""The registry of tables, read from ``data/datapackage.json`` (the single source of truth).

A ``datapackage.json`` that cannot be used (bad JSON, the wrong shape, an unknown field
type, a path that leaves the data folder) raises :class:`PackageError`, a
:class:`~relations.DataError` with one line naming the file.

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> "events" in pkg.names
True
>>> pkg.table("events").field("status").enum[:2]
('confirmed', 'reported')
>>> pkg.file(pkg.table("events")).name
'events.csv'
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, NoReturn

from .errors import DataError
from .paths import data_dir as resolve_data_dir

__all__ = ["TYPES", "Field", "ForeignKey", "Package", "PackageError", "Table", "read_package"]

#: Field types the loaders and the check understand.
TYPES = ("boolean", "date", "integer", "list", "number", "string")
DESCRIPTOR = "datapackage.json"


class PackageError(DataError):
    """The data package cannot be used as declared; ``str()`` is one line naming the file.

    >>> str(PackageError(Path("/d"), "datapackage.json: resources[0] is a number"))
    '/d/datapackage.json: resources[0] is a number'
    """

    def __init__(self, root: Path, problem: str) -> None:
        super().__init__([problem])
        self.path = root / problem.split(":", 1)[0]
        self.line = f"{root / problem}"

    def __str__(self) -> str:
        return self.line


@dataclass(frozen=True)
class Field:
    """One column of a table, as declared in the Table Schema."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    pattern: str | None = None
    delimiter: str | None = None
    max_length: int | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def is_list(self) -> bool:
        return self.type == "list"


@dataclass(frozen=True)
class ForeignKey:
    """``fields`` of this table reference ``ref_fields`` of ``ref_table``; ``is_list`` for `;` lists."""

    fields: tuple[str, ...]
    ref_table: str
    ref_fields: tuple[str, ...]
    is_list: bool = False


@dataclass(frozen=True)
class Table:
    """A resource of the data package: a CSV file with its schema."""

    name: str
    path: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...]

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}; fields: {self.field_names}")


@dataclass(frozen=True)
class Package:
    """The whole data package: its folder, metadata and tables."""

    root: Path
    descriptor: dict[str, Any]
    tables: tuple[Table, ...]

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tables]

    def table(self, name: str) -> Table:
        if not isinstance(name, str):
            raise TypeError(f"a table name must be a string, not {type(name).__name__}")
        for t in self.tables:
            if t.name == name:
                return t
        raise ValueError(f"unknown table {name!r}; known tables: {', '.join(self.names)}")

    def file(self, table: Table) -> Path:
        """The table's CSV file; a link that leads out of the data folder raises :class:`PackageError`."""
        path = (self.root / table.path).resolve()
        if not path.is_relative_to(self.root):
            raise PackageError(
                self.root,
                f"{table.path}: a link to a file outside the data folder "
                "(allowed: a file inside the data folder)",
            )
        return path


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    names = {dict: "an object", list: "a list", str: "a string", type(None): "null"}
    return names.get(type(value), type(value).__name__)


def _leaves_folder(path: str) -> bool:
    pure = PurePosixPath(path)
    return (
        pure.is_absolute()
        or ".." in pure.parts
        or "\\" in path
        or "://" in path
        or bool(PureWindowsPath(path).drive)
    )


class _Shape:
    """Checks of the descriptor's shape; each failure raises :class:`PackageError`."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def fail(self, message: str) -> NoReturn:
        raise PackageError(self.root, f"{DESCRIPTOR}: {message}")

    def need(self, holder: dict[str, Any], key: str, kind: type, what: str, allowed: str) -> Any:
        if key not in holder:
            self.fail(f'{what}has no "{key}" (allowed: {allowed})')
        if not isinstance(holder[key], kind) or (kind is str and not holder[key]):
            self.fail(f'{what}"{key}" is {_kind(holder[key])} (allowed: {allowed})')
        return holder[key]


def _field(raw: dict[str, Any]) -> Field:
    c = raw.get("constraints", {})
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(c.get("required", False)),
        enum=tuple(str(v) for v in c["enum"]) if "enum" in c else None,
        pattern=c.get("pattern"),
        delimiter=raw.get("delimiter", ",") if raw.get("type") == "list" else None,
        max_length=c.get("maxLength"),
        minimum=c.get("minimum"),
        maximum=c.get("maximum"),
    )


def _keys(shape: _Shape, res: str, schema: dict[str, Any], key: str, is_list: bool) -> list[ForeignKey]:
    out = []
    what = f"resource {res!r} schema {key} "
    for fk in shape.need(schema, key, list, f"resource {res!r} schema ", "a list") if key in schema else []:
        if not isinstance(fk, dict):
            shape.fail(f"{what}holds {_kind(fk)} (allowed: objects with fields and reference)")
        ref = shape.need(fk, "reference", dict, what, "an object with resource and fields")
        fields, ref_fields = fk.get("fields"), ref.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        if not isinstance(fields, list) or not isinstance(ref_fields, list):
            shape.fail(f'{what}needs "fields" and "reference.fields" (allowed: field names)')
        out.append(ForeignKey(tuple(fields), str(ref.get("resource", "")), tuple(ref_fields), is_list))
    return out


def _table(shape: _Shape, i: int, res: Any) -> Table:
    if not isinstance(res, dict):
        shape.fail(f"resources[{i}] is {_kind(res)} (allowed: an object with name, path and schema)")
    name = shape.need(res, "name", str, f"resources[{i}] ", "a table name")
    path = shape.need(res, "path", str, f"resource {name!r} ", "the CSV file's name")
    if _leaves_folder(path):
        shape.fail(
            f"resource {name!r} has path {path!r}, which leaves the data folder "
            "(allowed: a relative path to a file inside the data folder)"
        )
    schema = shape.need(res, "schema", dict, f"resource {name!r} ", "a Table Schema object")
    fields = shape.need(schema, "fields", list, f"resource {name!r} schema ", "a list of fields")
    for j, f in enumerate(fields, start=1):
        if not isinstance(f, dict):
            shape.fail(f"resource {name!r} field {j} is {_kind(f)} (allowed: an object with name and type)")
        fname = shape.need(f, "name", str, f"resource {name!r} field {j} ", "a column name")
        if f.get("type", "string") not in TYPES:
            shape.fail(f"{name}.{fname} has type {f['type']!r} (allowed: {', '.join(TYPES)})")
        if not isinstance(f.get("constraints", {}), dict):
            shape.fail(f"{name}.{fname} constraints are {_kind(f['constraints'])} (allowed: an object)")
        if not isinstance(f.get("constraints", {}).get("enum", []), list):
            shape.fail(f"{name}.{fname} enum is not a list (allowed: a list of values)")
    pk = schema.get("primaryKey", [])
    return Table(
        name=name,
        path=path,
        title=str(res.get("title", name)),
        description=str(res.get("description", "")),
        fields=tuple(_field(f) for f in fields),
        primary_key=tuple(pk if isinstance(pk, list) else [pk]),
        foreign_keys=tuple(
            _keys(shape, name, schema, "foreignKeys", False)
            + _keys(shape, name, schema, "listForeignKeys", True)
        ),
    )


def _references(shape: _Shape, tables: list[Table]) -> None:
    by_name = {t.name: t for t in tables}
    if len(by_name) < len(tables):
        shape.fail("two resources share a name (allowed: one resource per name)")
    for t in tables:
        for name in t.primary_key:
            if name not in t.field_names:
                shape.fail(f"{t.name} primaryKey names {name!r}, which is not a field of {t.name}")
        for fk in t.foreign_keys:
            ref = by_name.get(fk.ref_table)
            if ref is None:
                shape.fail(
                    f"{t.name} refers to resource {fk.ref_table!r}, which is not declared "
                    f"(allowed: {', '.join(by_name)})"
                )
            for table, names in ((t, fk.fields), (ref, fk.ref_fields)):
                for name in names:
                    if name not in table.field_names:
                        shape.fail(f"{t.name} refers to {table.name}.{name}, which is not a field")


@lru_cache(maxsize=8)
def _read(root: Path, digest: str, raw: bytes) -> Package:
    """The package parsed from ``raw`` (cached on the digest of the bytes: any edit is seen,
    whatever the file's modification time)."""
    shape = _Shape(root)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        shape.fail("not valid UTF-8 (allowed: UTF-8 text)")
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PackageError(
            root, f"{DESCRIPTOR}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg} (allowed: a JSON object)"
        ) from None
    if not isinstance(descriptor, dict):
        shape.fail(f"the top level is {_kind(descriptor)} (allowed: a JSON object with resources)")
    resources = shape.need(descriptor, "resources", list, "", "a list of resources")
    tables = [_table(shape, i, res) for i, res in enumerate(resources)]
    _references(shape, tables)
    return Package(root=root, descriptor=descriptor, tables=tuple(tables))


def read_package(data_dir: str | os.PathLike[str] | None = None) -> Package:
    """Read the data package (cached until ``datapackage.json`` changes).

    Raises ``FileNotFoundError`` naming the folder when it has no ``datapackage.json``
    and :class:`PackageError` when ``datapackage.json`` cannot be used.
    """
    root = resolve_data_dir(data_dir)
    raw = (root / DESCRIPTOR).read_bytes()
    return _read(root, hashlib.sha256(raw).hexdigest(), raw)
