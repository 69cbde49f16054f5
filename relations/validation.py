"""Validate the data package: every table against its schema, and across tables.

Schema checks (types, required values, enums, patterns, lengths, primary and
foreign keys) are done by `frictionless <https://framework.frictionlessdata.io>`_,
the reference implementation of the Data Package standard; on top of it come
the rules Table Schema cannot express: references inside ``;`` lists, actor
codes, and plausible dates. Every problem is reported at once as
``file:row:column: message (allowed: ...)``, with the header as row 1.

>>> import relations
>>> result = relations.check()
>>> result.rows["events"] > 0
True
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError
from .schema import Package, Table, read_package

__all__ = ["CheckResult", "check"]

#: Organisations allowed in ``actors`` / ``parties`` besides ISO 3166-1 alpha-3 codes.
ORGANISATIONS = ("UN", "UNSC", "IAEA", "EU", "E3", "EAEU", "SCO", "BRICS", "NATO", "G7", "OPEC")
_ISO3 = re.compile(r"^[A-Z]{3}$")
#: Earliest plausible date: the founding of the Islamic Republic (office holders such as
#: Khamenei took office before the Russian Federation existed).
EARLIEST = dt.date(1979, 4, 1)


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
    if f.pattern:
        return f" (allowed: text matching {f.pattern})"
    return ""


def _frictionless_problems(pkg: Package) -> list[str]:
    from frictionless import Package as FPackage
    from frictionless import system

    by_path = {t.path: t for t in pkg.tables}
    out: list[str] = []
    with system.use_context(trusted=True):
        report = FPackage(str(pkg.root / "datapackage.json")).validate()
    for task in report.tasks:
        table = by_path.get(Path(task.place).name) or pkg.table(task.name)
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
                else:
                    msg = f"{cell!r} breaks the {name} constraint ({e.note})"
            elif kind == "primary-key":
                key = ", ".join(table.primary_key)
                msg = f"duplicate primary key {key} ({e.note})"
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
                        f"{value!r} is not a {ref}.{ref_col} "
                        f"(allowed: a {ref_col} listed in {pkg.table(ref).path})"
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


def _read_rows(pkg: Package, table: Table) -> list[dict[str, str]]:
    path = pkg.root / table.path
    if not path.is_file():
        return []
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cross_table_problems(pkg: Package) -> list[str]:
    out: list[str] = []
    rows = {t.name: _read_rows(pkg, t) for t in pkg.tables}
    today = dt.date.today()
    for t in pkg.tables:
        for fk in t.foreign_keys:
            if not fk.is_list or fk.ref_table not in rows:
                continue
            (col,), (ref_col,) = fk.fields, fk.ref_fields
            known = {r.get(ref_col, "") for r in rows[fk.ref_table]}
            ref_path = pkg.table(fk.ref_table).path
            for i, r in enumerate(rows[t.name], start=2):
                for item in (p.strip() for p in (r.get(col) or "").split(";")):
                    if item and item not in known:
                        out.append(
                            f"{t.path}:{i}:{col}: {item!r} is not a {fk.ref_table}.{ref_col} "
                            f"(allowed: a {ref_col} listed in {ref_path})"
                        )
        for col in ("actors", "parties"):
            if col not in t.field_names:
                continue
            for i, r in enumerate(rows[t.name], start=2):
                for item in (p.strip() for p in (r.get(col) or "").split(";")):
                    if item and not (_ISO3.match(item) or item in ORGANISATIONS):
                        out.append(
                            f"{t.path}:{i}:{col}: {item!r} is not an actor code (allowed: ISO "
                            f"3166-1 alpha-3 codes such as RUS, IRN, or {', '.join(ORGANISATIONS)})"
                        )
        dates = [f.name for f in t.fields if f.type == "date"]
        for i, r in enumerate(rows[t.name], start=2):
            parsed: dict[str, dt.date] = {}
            for col in dates:
                try:
                    parsed[col] = dt.date.fromisoformat((r.get(col) or "").strip())
                except ValueError:
                    continue  # blank or malformed: frictionless reports malformed ones
                if not EARLIEST <= parsed[col] <= today:
                    out.append(
                        f"{t.path}:{i}:{col}: {parsed[col]} is not a plausible date "
                        f"(allowed: {EARLIEST} to {today})"
                    )
            if "signed" in parsed and "in_force" in parsed and parsed["in_force"] < parsed["signed"]:
                out.append(
                    f"{t.path}:{i}:in_force: {parsed['in_force']} is before the signature on "
                    f"{parsed['signed']} (allowed: on or after the signed date)"
                )
    out += _rule_problems(pkg, rows)
    if "sources" in rows:
        cited = {
            item.strip()
            for t in pkg.tables
            if "source_ids" in t.field_names
            for r in rows[t.name]
            for item in (r.get("source_ids") or "").split(";")
        }
        src = pkg.table("sources")
        for i, r in enumerate(rows["sources"], start=2):
            if r.get("source_id") and r["source_id"] not in cited:
                out.append(
                    f"{src.path}:{i}:source_id: {r['source_id']!r} is cited by no row "
                    "(allowed: sources that some row cites; remove orphans)"
                )
    return out


def _rule_problems(pkg: Package, rows: dict[str, list[dict[str, str]]]) -> list[str]:
    """Rules across rows and tables that Table Schema cannot state."""
    out: list[str] = []

    def path(name: str) -> str:
        return pkg.table(name).path

    if "events" in rows and "cameo_codes" in rows:
        goldstein = {r["cameo_code"]: r["goldstein"] for r in rows["cameo_codes"]}
        for i, r in enumerate(rows["events"], start=2):
            code, value = (r.get("cameo_code") or "").strip(), (r.get("goldstein") or "").strip()
            if code in goldstein and value != goldstein[code]:
                out.append(
                    f"{path('events')}:{i}:goldstein: {value!r} does not match CAMEO {code} "
                    f"(allowed: {goldstein[code]}, from {path('cameo_codes')})"
                )
    if "arms_transfers" in rows:
        for i, r in enumerate(rows["arms_transfers"], start=2):
            if r.get("status") in ("alleged", "denied") and not (r.get("claim_id") or "").strip():
                out.append(
                    f"{path('arms_transfers')}:{i}:claim_id: an {r['status']} transfer must link "
                    "its claim (allowed: a claim_id from claims.csv)"
                )
    if "claims" in rows and "claim_positions" in rows:
        with_position = {r.get("claim_id") for r in rows["claim_positions"]}
        for i, r in enumerate(rows["claims"], start=2):
            if r.get("claim_id") and r["claim_id"] not in with_position:
                out.append(
                    f"{path('claims')}:{i}:claim_id: {r['claim_id']!r} has no position "
                    "(allowed: claims with at least one row in claim_positions.csv)"
                )
    for name in ("people", "projects"):
        for i, r in enumerate(rows.get(name, []), start=2):
            start, end = (r.get("start") or "").strip(), (r.get("end") or "").strip()
            if start and end and end < start:
                out.append(
                    f"{path(name)}:{i}:end: {end} is before start {start} (allowed: on or after start)"
                )
    if "trade" in rows:
        seen: dict[tuple[str, ...], int] = {}
        for i, r in enumerate(rows["trade"], start=2):
            if r.get("preferred") != "true":
                continue
            key = (r.get("partner_a", ""), r.get("partner_b", ""), r.get("year", ""), r.get("flow", ""))
            if key in seen:
                out.append(
                    f"{path('trade')}:{i}:preferred: row {seen[key]} is already preferred for "
                    f"{'/'.join(key)} (allowed: one preferred figure per pair, year and flow)"
                )
            seen.setdefault(key, i)
    return out


def _cache_file(pkg: Package) -> Path | None:
    """Where a passing check of exactly these bytes is remembered (``$XDG_CACHE_HOME/relations``)."""
    import hashlib

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "relations"
    h = hashlib.sha256()
    for rel in ["datapackage.json", *(t.path for t in pkg.tables)]:
        path = pkg.root / rel
        if not path.is_file():
            return None
        h.update(rel.encode() + b"\0" + path.read_bytes() + b"\0")
    from . import __version__

    h.update(__version__.encode())
    return base / f"check-{h.hexdigest()}.json"


def check(data_dir: str | os.PathLike[str] | None = None, *, use_cache: bool = False) -> CheckResult:
    """Validate every table; raise :class:`~relations.DataError` listing every problem.

    Parameters
    ----------
    data_dir
        Folder with the data package (default: ``$RELATIONS_DATA`` or the bundled data).
    use_cache
        Skip the work when exactly these bytes passed before (briefings use this; a
        failing check is never cached).
    """
    import json

    pkg = read_package(data_dir)
    cache = _cache_file(pkg) if use_cache else None
    if cache is not None and cache.is_file():
        return CheckResult(pkg.root, json.loads(cache.read_text(encoding="utf-8")))
    problems = [
        f"{t.path}: file missing (expected in {pkg.root})"
        for t in pkg.tables
        if not (pkg.root / t.path).is_file()
    ]
    if problems:
        raise DataError(problems)
    problems = _frictionless_problems(pkg) + _cross_table_problems(pkg)
    if problems:
        raise DataError(problems, header=f"{len(problems)} problem(s) in {pkg.root}")
    result = CheckResult(pkg.root, {t.name: len(_read_rows(pkg, t)) for t in pkg.tables})
    if cache is not None:
        try:
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(result.rows), encoding="utf-8")
        except OSError:
            pass  # a read-only home only costs the next run a full check
    return result
