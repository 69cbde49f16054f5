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
from .paths import ENV_VAR, notebooks_dir
from .schema import read_package

__all__ = [
    "Declared",
    "briefing_notebook",
    "check_coverage",
    "check_timeout",
    "declared_parameters",
    "domains",
    "resolve_data_dir",
    "validate_parameters",
]

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


def resolve_data_dir(value: str | os.PathLike[str] | None = None) -> tuple[Path | None, str]:
    """The data folder as an absolute path, resolved once, and where it came from.

    ``value`` (the ``data_dir`` parameter) first, then ``$RELATIONS_DATA``; both are taken
    relative to the current directory. Returns ``(path, origin)`` with origin ``data_dir``,
    ``RELATIONS_DATA`` or ``bundled`` (path None: the copy shipped with relations). A folder
    without ``datapackage.json`` raises :class:`~relations.ParameterError` naming ``data_dir``.

    >>> resolve_data_dir("")
    (None, 'bundled')
    >>> try:
    ...     resolve_data_dir("no/such/folder")
    ... except ValueError as exc:
    ...     print(exc.parameter)
    data_dir
    """
    if value not in (None, ""):
        raw, origin = str(value), "data_dir"
    elif os.environ.get(ENV_VAR):
        raw, origin = os.environ[ENV_VAR], ENV_VAR
    else:
        return None, "bundled"
    path = Path(raw).expanduser().resolve()
    said = f"{raw!r}" if origin == "data_dir" else f"{ENV_VAR}={raw!r}"
    if not path.is_dir():
        raise ParameterError("data_dir", f"{said} is not a folder ({path} does not exist or is a file)")
    if not (path / "datapackage.json").is_file():
        raise ParameterError("data_dir", f"{said} has no datapackage.json (looked in {path})")
    return path, origin


def check_coverage(params: Mapping[str, Any], data_dir: str | os.PathLike[str] | None) -> tuple[str, str]:
    """First and newest event dates; a window outside them raises :class:`~relations.ParameterError`.

    A window that starts after the newest event (or ends before the first) asks about
    a time the record does not cover; it is refused, naming ``start`` (or ``end``).
    """
    from .loaders import load

    dates = load("events", data_dir=data_dir)["date"].dropna()
    if dates.empty:
        raise ParameterError("data_dir", "the events table has no dated event, so no window is covered")
    first, last = dates.min().date().isoformat(), dates.max().date().isoformat()
    if params.get("start") and params["start"] > last:
        raise ParameterError(
            "start", f"{params['start']} is after the newest event: the record ends on {last}"
        )
    if params.get("end") and params["end"] < first:
        raise ParameterError(
            "end", f"{params['end']} is before the first event: the record begins on {first}"
        )
    return first, last


def check_timeout(timeout: Any) -> int | None:
    """``timeout`` as whole seconds above 0 (None: no limit); :class:`~relations.ParameterError` else.

    >>> check_timeout(300), check_timeout(None)
    (300, None)
    """
    if timeout is None:
        return None
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        raise ParameterError("timeout", f"{timeout!r} (allowed: whole seconds above 0, e.g. 300)")
    return timeout


#: Dates a window may name: the record starts in 2001; pandas cannot hold dates past 2262.
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(2200, 12, 31)


def _date(name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, dt.date):
        day = value if not isinstance(value, dt.datetime) else value.date()
    else:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ParameterError(
                name,
                f"{value!r} is not a valid ISO date (allowed: YYYY-MM-DD, e.g. 2024-01-31, "
                "or blank for the default)",
            ) from None
    if name == "since":
        today = dt.date.today()
        if not dt.date(2001, 1, 1) <= day <= today:
            raise ParameterError(
                name, f"{day.isoformat()} (allowed: 2001-01-01 to {today.isoformat()}, the recorded dates)"
            )
    elif not EARLIEST <= day <= LATEST:
        raise ParameterError(
            name,
            f"{day.isoformat()} is out of range (allowed: {EARLIEST.isoformat()} to {LATEST.isoformat()})",
        )
    return day.isoformat()


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
    for name in ("start", "end", "since"):
        if name in out:
            out[name] = _date(name, out[name])
    if out.get("start") and out.get("end") and out["end"] < out["start"]:
        raise ParameterError("end", f"{out['end']} is before start {out['start']}")
    resolve_data_dir(out.get("data_dir") or data_dir)  # names data_dir before the data is read
    if "domains" in out:
        allowed = domains(out.get("data_dir") or data_dir)
        picked = list(dict.fromkeys(str(d).strip().lower() for d in out["domains"] or []))
        bad = [d for d in picked if d not in allowed]
        if bad:
            raise ParameterError("domains", f"unknown domain {bad[0]!r} (allowed: {', '.join(allowed)})")
        out["domains"] = sorted(picked, key=allowed.index)  # one order: the same briefing, one name
    if "title" in out:
        title = str(out["title"]).strip()
        if not title or len(title) > 200:
            raise ParameterError("title", "must be 1 to 200 characters")
        out["title"] = title
    if "length" in out:
        allowed = ("executive", "full")
        if out["length"] not in allowed:
            raise ParameterError("length", f"{out['length']!r} (allowed: {', '.join(allowed)})")
    return out
