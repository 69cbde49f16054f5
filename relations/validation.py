"""Validate the data package: every table against its schema, and across tables.

Schema checks (types, required values, enums, patterns, lengths, primary and
foreign keys) are done by `frictionless <https://framework.frictionlessdata.io>`_,
the reference implementation of the Data Package standard; on top of it come
the rules Table Schema cannot express (:mod:`relations.rules`: references inside
``;`` lists, actor codes, plausible dates, rules across tables, text hygiene).
Files are read by :mod:`relations.csvfiles` first (inside the data folder, UTF-8
with or without a byte-order mark, one cell per column). Every problem is reported
at once as ``file:row:column: message (allowed: ...)``, with the header as row 1.

>>> import relations
>>> result = relations.check()
>>> result.rows["events"] > 0
True
"""

from __future__ import annotations

import copy
import hashlib
import inspect
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from . import csvfiles, rules, schema
from .csvfiles import label, printable, read_records
from .errors import DataError
from .rules import EARLIEST, ORGANISATIONS, Rows, run_rules
from .schema import Package, Table, read_package

__all__ = ["EARLIEST", "ORGANISATIONS", "CheckResult", "check", "code_fingerprint"]


@dataclass(frozen=True)
class CheckResult:
    """What a successful check saw: rows per table."""

    root: Path
    rows: dict[str, int]

    def __str__(self) -> str:
        body = ", ".join(f"{k} {v}" for k, v in self.rows.items())
        return f"ok: {self.root} passes every check ({body} rows)"


def _allowed(table: Table, field: str) -> str:
    try:
        f = table.field(field)
    except KeyError:
        return ""
    if f.enum:
        return f" (allowed: {', '.join(f.enum)})"
    if f.type == "date":
        return " (allowed: an ISO date YYYY-MM-DD)"
    if f.type == "boolean":
        return " (allowed: true, false)"
    if f.type == "integer":
        return " (allowed: a whole number)"
    if f.type == "number":
        return " (allowed: a number)"
    if f.pattern:
        return f" (allowed: text matching {f.pattern})"
    return ""


def _number(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _frictionless_problems(pkg: Package, rows: Rows) -> list[str]:
    from frictionless import Package as FPackage
    from frictionless import system

    descriptor = copy.deepcopy(pkg.descriptor)
    for res in descriptor["resources"]:
        res["encoding"] = "utf-8-sig"  # the byte-order mark spreadsheet programs write is fine
    by_row = {name: dict(records) for name, records in rows.items()}
    out: list[str] = []
    # Untrusted: frictionless refuses paths that leave the folder (read_package already did).
    with system.use_context(trusted=False):
        report = FPackage(descriptor, basepath=str(pkg.root)).validate()
    for task in report.tasks:
        table = pkg.table(task.name)
        for e in task.errors:
            row = getattr(e, "row_number", None)
            col = getattr(e, "field_name", None) or getattr(e, "label", None) or ""
            cell = getattr(e, "cell", None)
            where = f"{table.path}:{row if row is not None else 1}:{col}"
            kind = e.type
            if kind == "type-error":
                f = table.field(col)
                msg = f"{cell!r} is not a valid {f.type}{_allowed(table, col)}"
            elif kind == "constraint-error":
                m = re.search(r'constraint "(\w+)"', e.note or "")
                name = m.group(1) if m else "?"
                if name == "required":
                    msg = "value required but blank"
                elif name == "enum":
                    msg = f"{cell!r} is not allowed{_allowed(table, col)}"
                elif name == "pattern":
                    if col == "url":
                        msg = f"{cell!r} is not an http(s) URL (allowed: http:// or https:// addresses)"
                    else:
                        msg = f"{cell!r} has the wrong form{_allowed(table, col)}"
                elif name == "maxLength":
                    f = table.field(col)
                    msg = f"text is {len(str(cell))} characters long (allowed: at most {f.max_length})"
                elif name in ("minimum", "maximum"):
                    f = table.field(col)
                    low, high = _number(f.minimum), _number(f.maximum)
                    bound = f"{low} to {high}" if None not in (low, high) else f"at least {low}"
                    if high is not None and low is None:
                        bound = f"at most {high}"
                    side = "below the minimum" if name == "minimum" else "above the maximum"
                    msg = f"{cell!r} is {side} (allowed: {bound})"
                else:
                    msg = f"{cell!r} breaks the {name} constraint ({e.note})"
            elif kind == "primary-key":
                cells = by_row[task.name].get(row, {})
                if all(not cells.get(k, "") for k in table.primary_key):
                    continue  # a blank key: the blank-row or required-field problem says so
                key = ", ".join(table.primary_key)
                first = re.search(r"position (\d+)", e.note or "")
                value = ", ".join(repr(by_row[task.name].get(row, {}).get(k, "")) for k in table.primary_key)
                msg = (
                    f"{value} is already used in row {first.group(1) if first else '?'} "
                    f"(allowed: one row per {key})"
                )
                where = f"{table.path}:{row}:{key}"
            elif kind == "foreign-key":
                m = re.search(
                    r'for "(\w+)": values "(.*?)" not found in the lookup table "(\w+)" as "(\w+)"',
                    e.note or "",
                )
                if m:
                    col, value, ref, ref_col = m.groups()
                    where = f"{table.path}:{row}:{col}"
                    msg = (
                        f"{value!r} is not a known {ref}.{ref_col} "
                        f"(allowed: {rules._a(ref_col)} listed in {pkg.table(ref).path})"
                    )
                else:
                    msg = f"refers to a row that does not exist ({e.note})"
            elif kind in (
                "missing-label",
                "incorrect-label",
                "extra-label",
                "duplicate-label",
                "blank-label",
            ):
                msg = f"header problem: {e.note or kind} (expected columns: {', '.join(table.field_names)})"
            else:
                msg = f"{kind}: {e.note or e.message}"
            out.append(f"{where}: {msg}")
    return out


def code_fingerprint() -> str | None:
    """A hash of the code that decides what passes: the package version, frictionless's
    version, the reading and checking modules, every module that defines a registered rule
    (its helpers too) and every rule's source.

    ``None`` when a rule's source cannot be read (then nothing is cached).
    """
    from frictionless import __version__ as frictionless_version

    from . import __version__

    h = hashlib.sha256(f"{__version__}\0{frictionless_version}\0".encode())
    # whole modules: the rules' own and every module a rule is defined in, helpers included
    homes = {fn.__module__ for fn in rules.RULES}
    named = sorted(homes, key=str)
    for module in (sys.modules[__name__], csvfiles, rules, schema, *(sys.modules.get(n) for n in named)):
        where = getattr(module, "__file__", None)
        if not where:  # not loaded, or built in: its source cannot be read
            return None
        try:
            h.update(Path(where).read_bytes() + b"\0")
        except OSError:
            return None
    for fn in rules.RULES:
        try:
            h.update(f"{fn.__module__}.{fn.__qualname__}\0{inspect.getsource(fn)}\0".encode())
        except (OSError, TypeError):
            return None
    return h.hexdigest()


def _cache_file(pkg: Package) -> Path | None:
    """Where a passing check of exactly these bytes by exactly this code is remembered
    (``$XDG_CACHE_HOME/relations``); ``None`` when that cannot be known."""
    code = code_fingerprint()
    if code is None:
        return None
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "relations"
    h = hashlib.sha256(code.encode() + b"\0")
    for rel in ["datapackage.json", *(t.path for t in pkg.tables)]:
        path = pkg.root / rel
        if path.is_symlink() or not path.is_file():
            return None
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    return base / f"check-{h.hexdigest()}.json"


def _header_problems(table: Table, header: list[str]) -> list[str]:
    """One problem per missing, unexpected or misplaced column (not one per shifted column)."""
    expected = f"(expected columns: {', '.join(table.field_names)})"
    out = [f"{table.path}:1:{c}: column missing {expected}" for c in table.field_names if c not in header]
    out += [
        f"{table.path}:1:{label(c)}: unexpected column {expected}"
        for c in header
        if c not in table.field_names
    ]
    if not out and header != table.field_names:
        c = next(c for c, want in zip(header, table.field_names, strict=True) if c != want)
        out.append(f"{table.path}:1:{label(c)}: column out of order {expected}")
    return out


def _read_all(pkg: Package) -> tuple[Rows, list[str]]:
    """Every table's rows, and the problems that stop the check before frictionless runs."""
    rows: Rows = {}
    problems: list[str] = []
    for t in pkg.tables:
        try:
            header, records = read_records(pkg, t)
        except DataError as exc:  # a missing file, a link out of the folder, bad UTF-8, ...
            problems += exc.problems
            continue
        problems += _header_problems(t, header)
        rows[t.name] = [(i, dict(zip(header, cells, strict=True))) for i, cells in records]
    return rows, problems


def check(data_dir: str | os.PathLike[str] | None = None, *, use_cache: bool = False) -> CheckResult:
    """Validate every table; raise :class:`~relations.DataError` listing every problem.

    Parameters
    ----------
    data_dir
        Folder with the data package (default: ``$RELATIONS_DATA`` or the bundled data).
    use_cache
        Skip the work when exactly these bytes passed this very code before (briefings
        use this; a failing check is never cached).

    Raises
    ------
    FileNotFoundError
        (:class:`~relations.paths.DataFolderError`) the folder is missing or has no
        ``datapackage.json``.
    DataError
        every problem; :class:`~relations.schema.PackageError` when ``datapackage.json``
        itself cannot be used.
    """
    import json

    pkg = read_package(data_dir)
    cache = _cache_file(pkg) if use_cache else None
    if cache is not None and cache.is_file():
        return CheckResult(pkg.root, json.loads(cache.read_text(encoding="utf-8")))
    rows, problems = _read_all(pkg)
    if not problems:
        problems = _frictionless_problems(pkg, rows) + run_rules(pkg, rows)
    if problems:
        problems = [printable(p) for p in problems]  # no escape sequence from the data reaches a terminal
        raise DataError(problems, header=f"{len(problems)} problem(s) in {pkg.root}")
    result = CheckResult(pkg.root, {name: len(r) for name, r in rows.items()})
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(result.rows), encoding="utf-8")
        except OSError:
            pass  # a read-only home only costs the next run a full check
    return result
