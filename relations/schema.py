"""The registry of tables, read from ``data/datapackage.json`` (the single source of truth).

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> "events" in pkg.names
True
>>> pkg.table("events").field("status").enum[:2]
('confirmed', 'reported')
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .paths import data_dir as resolve_data_dir

__all__ = ["Field", "ForeignKey", "Package", "Table", "read_package"]


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


def _field(raw: dict[str, Any]) -> Field:
    c = raw.get("constraints", {})
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        description=raw.get("description", ""),
        required=bool(c.get("required", False)),
        enum=tuple(c["enum"]) if "enum" in c else None,
        pattern=c.get("pattern"),
        delimiter=raw.get("delimiter", ",") if raw.get("type") == "list" else None,
        max_length=c.get("maxLength"),
    )


def _keys(schema: dict[str, Any], key: str, is_list: bool) -> list[ForeignKey]:
    out = []
    for fk in schema.get(key, []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        out.append(ForeignKey(tuple(fields), ref["resource"], tuple(ref_fields), is_list))
    return out


@lru_cache(maxsize=8)
def _read(root: Path, mtime_ns: int) -> Package:
    descriptor = json.loads((root / "datapackage.json").read_text(encoding="utf-8"))
    tables = []
    for res in descriptor["resources"]:
        schema = res["schema"]
        pk = schema.get("primaryKey", [])
        tables.append(
            Table(
                name=res["name"],
                path=res["path"],
                title=res.get("title", res["name"]),
                description=res.get("description", ""),
                fields=tuple(_field(f) for f in schema["fields"]),
                primary_key=tuple(pk if isinstance(pk, list) else [pk]),
                foreign_keys=tuple(
                    _keys(schema, "foreignKeys", False) + _keys(schema, "listForeignKeys", True)
                ),
            )
        )
    return Package(root=root, descriptor=descriptor, tables=tuple(tables))


def read_package(data_dir: str | os.PathLike[str] | None = None) -> Package:
    """Read the data package (cached until ``datapackage.json`` changes)."""
    root = resolve_data_dir(data_dir)
    return _read(root, (root / "datapackage.json").stat().st_mtime_ns)
