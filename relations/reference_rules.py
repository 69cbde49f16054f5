"""The reference rules of :func:`relations.check`: items of ``;`` lists and keys that name rows
of other tables, actor codes, CAMEO codes (listed in :data:`relations.rules.RULES`).

>>> from relations.schema import read_package
>>> rows = {"events": [(2, {"event_id": "ev", "cameo_code": "042", "cameo_also": "042"})]}
>>> cameo_also_once(read_package(), rows)[0][:60]
"events.csv:2:cameo_also: event 'ev' lists CAMEO '042', its o"
"""

from __future__ import annotations

from . import analytic_rules
from .rules import ISO3, ORGANISATIONS, Rows, a_or_an, cell_items, table_path
from .schema import Package

__all__ = [
    "actor_codes",
    "analytic_references",
    "cameo_also_once",
    "goldstein_matches_cameo",
    "list_references",
    "reviews_name_rows",
]


def list_references(pkg: Package, rows: Rows) -> list[str]:
    """Every item of a ``;`` list that references another table exists there."""
    out = []
    for t in pkg.tables:
        for fk in t.foreign_keys:
            if not fk.is_list or fk.ref_table not in rows or t.name not in rows:
                continue
            (col,), (ref_col,) = fk.fields, fk.ref_fields
            known = {r.get(ref_col, "") for _, r in rows[fk.ref_table]}
            for i, r in rows[t.name]:
                out += [
                    f"{t.path}:{i}:{col}: {item!r} is not a known {fk.ref_table}.{ref_col} "
                    f"(allowed: {a_or_an(ref_col)} listed in {table_path(pkg, fk.ref_table)})"
                    for item in cell_items(r.get(col))
                    if item not in known
                ]
    return out


def actor_codes(pkg: Package, rows: Rows) -> list[str]:
    """``actors`` and ``parties`` hold ISO 3166-1 alpha-3 codes or known organisations."""
    out = []
    for t in pkg.tables:
        for col in ("actors", "parties"):
            if col not in t.field_names:
                continue
            for i, r in rows.get(t.name, []):
                out += [
                    f"{t.path}:{i}:{col}: {item!r} is not an actor code (allowed: ISO "
                    f"3166-1 alpha-3 codes such as RUS, IRN, or {', '.join(ORGANISATIONS)})"
                    for item in cell_items(r.get(col))
                    if not (ISO3.match(item) or item in ORGANISATIONS)
                ]
    return out


def goldstein_matches_cameo(pkg: Package, rows: Rows) -> list[str]:
    """An event's Goldstein score is the one its CAMEO code has in ``cameo_codes``."""
    if "events" not in rows or "cameo_codes" not in rows:
        return []
    goldstein = {r.get("cameo_code", ""): r.get("goldstein", "") for _, r in rows["cameo_codes"]}
    out = []
    for i, r in rows["events"]:
        code, value = (r.get("cameo_code") or "").strip(), (r.get("goldstein") or "").strip()
        if code in goldstein and value != goldstein[code]:
            out.append(
                f"{table_path(pkg, 'events')}:{i}:goldstein: {value!r} does not match CAMEO {code} "
                f"(allowed: {goldstein[code]}, from {table_path(pkg, 'cameo_codes')})"
            )
    return out


def cameo_also_once(pkg: Package, rows: Rows) -> list[str]:
    """An event's secondary CAMEO codes (``cameo_also``) name each code once, never its own
    ``cameo_code``: a repeat would count the event twice under that code."""
    if "events" not in rows:
        return []
    key = (pkg.table("events").primary_key or ["event_id"])[0]
    allowed = "(allowed: each code once, and not the event's own cameo_code)"
    out = []
    for i, r in rows["events"]:
        also, own = cell_items(r.get("cameo_also")), (r.get("cameo_code") or "").strip()
        where = f"{table_path(pkg, 'events')}:{i}:cameo_also: event {r.get(key, '')!r} lists CAMEO"
        for code in dict.fromkeys(also):
            n = also.count(code)
            if code == own:
                out.append(f"{where} {code!r}, its own cameo_code {allowed}")
            elif n > 1:
                out.append(f"{where} {code!r} {'twice' if n == 2 else f'{n} times'} {allowed}")
    return out


def reviews_name_rows(pkg: Package, rows: Rows) -> list[str]:
    """A review names an existing row: ``table`` and ``row_key`` give the key of a row in that
    table; only a review whose outcome is ``removed`` may name a row that is gone."""
    out = []
    for i, r in rows.get("reviews", []):
        name, key = (r.get("table") or "").strip(), (r.get("row_key") or "").strip()
        if not name or not key or name not in rows or r.get("outcome") == "removed":
            continue  # a blank or unknown table is the schema's part (required, enum)
        t = pkg.table(name)
        if len(t.primary_key) != 1:
            continue
        (pk,) = t.primary_key
        if key not in {row.get(pk, "") for _, row in rows[name]}:
            out.append(
                f"{table_path(pkg, 'reviews')}:{i}:row_key: {key!r} is not {a_or_an(pk)} in {t.path} "
                f"(allowed: the key of an existing row of the named table; only a removed row may be missing)"
            )
    return out


def analytic_references(pkg: Package, rows: Rows) -> list[str]:
    """The curators' judgements and indicator states rest on rows that exist in an evidence
    table, and every indicator has a state (:func:`relations.analytic_rules.problems`)."""
    import pandas as pd

    wanted = {*analytic_rules.EVIDENCE_TABLES, *analytic_rules.ANALYTIC_TABLES}
    tables = {}
    for name in wanted & set(rows):
        t = pkg.table(name)
        frame = pd.DataFrame([r for _, r in rows[name]], columns=t.field_names, dtype=str)
        frame.attrs.update(path=t.path, rows=[i for i, _ in rows[name]])
        tables[name] = frame
    return analytic_rules.problems(tables)
