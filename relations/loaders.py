"""Load the curated tables as tidy, typed pandas DataFrames.

Types come from ``data/datapackage.json``: dates become ``datetime64``, integers
``Int64``, booleans ``boolean``, enums ordered categoricals (in the schema's order),
and ``;``-separated lists Python lists.

>>> import relations
>>> events = relations.load("events")
>>> events["status"].cat.categories[:2].tolist()
['confirmed', 'reported']
>>> isinstance(events["source_ids"].iloc[0], list)
True
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import DataError
from .schema import Field, Table, read_package

__all__ = ["TableDescription", "data_hash", "describe", "load", "tables"]


def tables(*, data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """Names of the tables declared in the data package.

    >>> import relations
    >>> relations.tables()[:3]
    ['sources', 'events', 'agreements']
    """
    return read_package(data_dir).names


def _convert(series: pd.Series, f: Field, table: Table) -> pd.Series:
    blank = series.str.strip() == ""
    try:
        if f.type == "date":
            return pd.to_datetime(series.where(~blank), format="%Y-%m-%d", errors="raise")
        if f.type == "integer":
            return pd.to_numeric(series.where(~blank)).astype("Int64")
        if f.type == "number":
            return pd.to_numeric(series.where(~blank)).astype("Float64")
        if f.type == "boolean":
            return series.str.strip().str.lower().map({"true": True, "false": False}).astype("boolean")
        if f.type == "list":
            return series.map(lambda s: [p.strip() for p in s.split(f.delimiter or ",") if p.strip()])
    except (ValueError, TypeError) as exc:
        raise DataError(
            [f"{table.path}:?:{f.name}: cannot be read as {f.type} ({exc})"],
            header=f"table {table.name!r} does not load; run `relations check` for every problem",
        ) from exc
    if f.enum is not None:
        return pd.Categorical(series.where(~blank), categories=list(f.enum), ordered=True)
    return series.where(~blank).astype("string")


def load(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> pd.DataFrame:
    """Load table ``name`` as a typed DataFrame (columns in schema order).

    Parameters
    ----------
    name
        A table name; see :func:`tables`. An unknown name raises ``ValueError``
        listing the known ones.
    data_dir
        Folder with another copy of the data (default: ``$RELATIONS_DATA`` or the
        bundled data).

    >>> import relations
    >>> relations.load("agreements").dtypes["signed"]
    dtype('<M8[ns]')
    """
    pkg = read_package(data_dir)
    table = pkg.table(name)
    path = pkg.root / table.path
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in table.field_names if c not in raw.columns]
    if missing:
        raise DataError(
            [
                f"{table.path}:1:{c}: column missing (expected: {', '.join(table.field_names)})"
                for c in missing
            ]
        )
    frame = pd.DataFrame({f.name: _convert(raw[f.name], f, table) for f in table.fields})
    for c in frame.columns:
        if frame[c].dtype.kind == "M":
            frame[c] = frame[c].astype("datetime64[ns]")
    frame.attrs["table"] = name
    frame.attrs["source_file"] = str(path)
    return frame


def data_hash(*, data_dir: str | os.PathLike[str] | None = None) -> str:
    """SHA-256 over ``datapackage.json`` and every table's CSV, in registry order.

    The same data gives the same hash on any machine; change one byte and it changes.
    """
    pkg = read_package(data_dir)
    h = hashlib.sha256()
    for rel in ["datapackage.json", *(t.path for t in pkg.tables)]:
        h.update(rel.encode() + b"\0")
        h.update((pkg.root / rel).read_bytes())
        h.update(b"\0")
    return h.hexdigest()


@dataclass
class TableDescription:
    """Title, description, fields and provenance of one table."""

    name: str
    title: str
    description: str
    path: Path
    fields: pd.DataFrame
    primary_key: list[str]
    foreign_keys: list[str]
    licence: str
    curation: str
    provenance: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [f"{self.title} ({self.name}: {self.path})", "", self.description, ""]
        lines.append(f"Primary key: {', '.join(self.primary_key)}")
        if self.foreign_keys:
            lines.append("References: " + "; ".join(self.foreign_keys))
        lines.append(f"Licence: {self.licence}")
        for k, v in self.provenance.items():
            lines.append(f"{k.replace('_', ' ').capitalize()}: {v}")
        lines += ["", "Fields:"]
        for f in self.fields.itertuples():
            need = "required" if f.required else "optional"
            lines.append(f"  {f.name} ({f.type}, {need}): {f.description}")
            if f.allowed:
                lines.append(f"      allowed: {f.allowed}")
        return "\n".join(lines)


def describe(name: str, *, data_dir: str | os.PathLike[str] | None = None) -> TableDescription:
    """Describe table ``name``: title, description, fields and provenance.

    >>> import relations
    >>> info = relations.describe("events")
    >>> info.title
    'Events'
    >>> "status" in info.fields["name"].tolist()
    True
    """
    pkg = read_package(data_dir)
    table = pkg.table(name)
    fields = pd.DataFrame(
        [
            {
                "name": f.name,
                "type": f.type,
                "required": f.required,
                "allowed": ", ".join(f.enum) if f.enum else "",
                "description": f.description,
            }
            for f in table.fields
        ]
    )
    frame = load(name, data_dir=data_dir)
    provenance: dict[str, Any] = {"rows": len(frame)}
    if "source_ids" in frame:
        cited = sorted({s for ids in frame["source_ids"] for s in ids})
        provenance["distinct_sources_cited"] = len(cited)
        sources = load("sources", data_dir=data_dir)
        kinds = sources[sources["source_id"].isin(cited)]["publisher_type"].value_counts()
        provenance["sources_by_publisher_type"] = ", ".join(f"{k}: {v}" for k, v in kinds.items() if v)
    if name == "sources":
        provenance["publishers"] = frame["publisher"].nunique()
    licences = pkg.descriptor.get("licenses", [])
    return TableDescription(
        name=table.name,
        title=table.title,
        description=table.description,
        path=pkg.root / table.path,
        fields=fields,
        primary_key=list(table.primary_key),
        foreign_keys=[
            f"{', '.join(fk.fields)} -> {fk.ref_table}.{', '.join(fk.ref_fields)}"
            + (" (each ;-separated item)" if fk.is_list else "")
            for fk in table.foreign_keys
        ],
        licence=", ".join(lic.get("name", "") for lic in licences),
        curation=pkg.descriptor.get("description", ""),
        provenance=provenance,
    )
