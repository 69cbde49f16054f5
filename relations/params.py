"""Briefing parameters: declared in the notebook, validated before any kernel starts.

The declaration is read from the briefing notebook's ``parameters`` cell (names,
types, defaults and help comments, via :func:`papermill.inspect_notebook`); the
values are checked against it and against the data package's vocabularies.

>>> from relations.params import validate_parameters
>>> p = validate_parameters({"start": "2024-01-01", "domains": ["arms"]})
>>> p["start"], p["domains"]
('2024-01-01', ['arms'])
>>> try:
...     validate_parameters({"start": "2024-13-01"})
... except ValueError as exc:
...     print(exc.parameter)
start
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .paths import notebooks_dir
from .schema import read_package

__all__ = ["Declared", "briefing_notebook", "declared_parameters", "domains", "validate_parameters"]

_TYPES: dict[str, type] = {"str": str, "list": list, "int": int, "bool": bool, "float": float}


@dataclass(frozen=True)
class Declared:
    """One parameter as the notebook declares it."""

    name: str
    type: str
    default: Any
    help: str


def briefing_notebook() -> Path:
    """Path of the shipped briefing notebook."""
    return notebooks_dir() / "briefing.ipynb"


@lru_cache(maxsize=8)
def _inspect(path: str, mtime_ns: int) -> dict[str, Declared]:
    """Read the ``parameters`` cell: ``name: type = default  # help`` per line.

    A small reader of the notebook JSON (with :mod:`ast` and :mod:`tokenize`), so
    that validating parameters imports neither papermill nor nbformat. It reads
    what :func:`papermill.inspect_notebook` reads; a test keeps the two in step.
    """
    import ast
    import io
    import json
    import tokenize

    cells = json.loads(Path(path).read_text(encoding="utf-8"))["cells"]
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    if not tagged:
        raise ParameterError("notebook", f"{path} has no cell tagged 'parameters'")
    source = "".join(tagged[0]["source"]) if isinstance(tagged[0]["source"], list) else tagged[0]["source"]
    comments = {
        tok.start[0]: tok.string.lstrip("#").strip()
        for tok in tokenize.generate_tokens(io.StringIO(source).readline)
        if tok.type == tokenize.COMMENT
    }
    out: dict[str, Declared] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            name, type_name = node.target.id, ast.unparse(node.annotation)
        elif (
            isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
        ):
            name, type_name = node.targets[0].id, ""
        else:
            continue
        try:
            default = ast.literal_eval(node.value)
        except ValueError:
            default = ast.unparse(node.value)
        out[name] = Declared(
            name,
            type_name or type(default).__name__,
            default,
            comments.get(node.end_lineno or node.lineno, ""),
        )
    return out


def declared_parameters(notebook: str | os.PathLike[str] | None = None) -> dict[str, Declared]:
    """The parameters the notebook's ``parameters`` cell declares, by name."""
    path = Path(notebook) if notebook is not None else briefing_notebook()
    return dict(_inspect(str(path), path.stat().st_mtime_ns))


def domains(data_dir: str | os.PathLike[str] | None = None) -> list[str]:
    """The allowed domains (the events schema's ``domain`` enum)."""
    return list(read_package(data_dir).table("events").field("domain").enum or ())


def _date(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise ParameterError(
            name,
            f"{value!r} is not a valid ISO date (allowed: YYYY-MM-DD, e.g. 2024-01-31, "
            "or blank for the default)",
        ) from None


def validate_parameters(
    values: Mapping[str, Any],
    *,
    notebook: str | os.PathLike[str] | None = None,
    data_dir: str | os.PathLike[str] | None = None,
) -> dict[str, Any]:
    """Check ``values`` against the declaration; return the full, normalised set.

    Unknown names, wrong types, unparseable dates, an end before the start and
    unknown domains raise :class:`~relations.ParameterError` naming the parameter
    and the allowed values. Nothing is executed.
    """
    declared = declared_parameters(notebook)
    unknown = sorted(set(values) - set(declared))
    if unknown:
        raise ParameterError(unknown[0], f"unknown parameter (allowed: {', '.join(declared)})")
    out = {name: d.default for name, d in declared.items()}
    for name, value in values.items():
        want = _TYPES.get(declared[name].type)
        if want is list and isinstance(value, tuple | set):
            value = list(value)
        if want is not None and value is not None and not isinstance(value, want):
            raise ParameterError(
                name, f"expected {declared[name].type}, got {type(value).__name__} {value!r}"
            )
        out[name] = value
    for name in ("start", "end"):
        if name in out:
            out[name] = _date(name, out[name])
    if out.get("start") and out.get("end") and out["end"] < out["start"]:
        raise ParameterError("end", f"{out['end']} is before start {out['start']}")
    if "domains" in out:
        allowed = domains(out.get("data_dir") or data_dir)
        picked = list(dict.fromkeys(str(d).strip().lower() for d in out["domains"] or []))
        bad = [d for d in picked if d not in allowed]
        if bad:
            raise ParameterError("domains", f"unknown domain {bad[0]!r} (allowed: {', '.join(allowed)})")
        out["domains"] = picked
    if "title" in out:
        title = str(out["title"]).strip()
        if not title or len(title) > 200:
            raise ParameterError("title", "must be 1 to 200 characters")
        out["title"] = title
    return out
