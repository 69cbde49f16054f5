"""The rules :func:`relations.check` applies on top of Table Schema, one function each.

Table Schema (checked by frictionless) cannot state references inside ``;`` lists,
actor codes, plausible dates, rules across tables, or text hygiene; each rule takes the
package and its rows and returns problems as ``file:row:column: message (allowed: ...)``.
The rules on references, codes and links across tables are here; the date rules are in
:mod:`relations.date_rules`, the text-hygiene rules in :mod:`relations.text_rules`, what they
share in :mod:`relations.rule_helpers`. :data:`RULES` lists them all in the order they run
(a new rule is added there); the check's cache is keyed on their source, so a new rule
always runs.

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> rows = {"events": [(2, {"actors": "RUS;Iran"})]}
>>> actor_codes(pkg, rows)[0][:60]
"events.csv:2:actors: 'Iran' is not an actor code (allowed: I"
"""

from __future__ import annotations

import re

from . import analytic_rules, source_rules
from .date_rules import (
    EARLIEST,
    RECORDED_EARLIEST,
    end_after_start,
    in_force_after_signed,
    plausible_dates,
    recorded_dates,
)
from .rule_helpers import Rows, Rule, a_or_an, cell_items, dated_rows, table_path
from .schema import Package
from .text_rules import is_formula, no_control_characters, no_spreadsheet_formulas

__all__ = [
    "EARLIEST",
    "ORGANISATIONS",
    "RECORDED_EARLIEST",
    "RULES",
    "Rows",
    "is_formula",
    "run_rules",
]

#: Organisations allowed in ``actors`` / ``parties`` besides ISO 3166-1 alpha-3 codes.
ORGANISATIONS = ("UN", "UNSC", "IAEA", "EU", "E3", "EAEU", "SCO", "BRICS", "NATO", "G7", "OPEC")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_a = a_or_an  # "a claim_id" in messages (relations.validation uses it too)


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
                    if not (_ISO3.match(item) or item in ORGANISATIONS)
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


def disputed_transfers_link_claim(pkg: Package, rows: Rows) -> list[str]:
    """An alleged or denied arms transfer names the claim that records who says what."""
    return [
        f"{table_path(pkg, 'arms_transfers')}:{i}:claim_id: {a_or_an(r['status'])} transfer must link "
        f"its claim (allowed: a claim_id from {table_path(pkg, 'claims') if 'claims' in rows else 'claims'})"
        for i, r in rows.get("arms_transfers", [])
        if r.get("status") in ("alleged", "denied") and not (r.get("claim_id") or "").strip()
    ]


def claims_have_positions(pkg: Package, rows: Rows) -> list[str]:
    """Every claim has at least one recorded position."""
    if "claims" not in rows or "claim_positions" not in rows:
        return []
    with_position = {r.get("claim_id") for _, r in rows["claim_positions"]}
    return [
        f"{table_path(pkg, 'claims')}:{i}:claim_id: {r['claim_id']!r} has no position "
        f"(allowed: claims with at least one row in {table_path(pkg, 'claim_positions')})"
        for i, r in rows["claims"]
        if r.get("claim_id") and r["claim_id"] not in with_position
    ]


def one_preferred_trade_figure(pkg: Package, rows: Rows) -> list[str]:
    """At most one trade figure is preferred per pair of partners, year and flow."""
    out, seen = [], {}
    for i, r in rows.get("trade", []):
        if r.get("preferred") != "true":
            continue
        key = (r.get("partner_a", ""), r.get("partner_b", ""), r.get("year", ""), r.get("flow", ""))
        if key in seen:
            out.append(
                f"{table_path(pkg, 'trade')}:{i}:preferred: row {seen[key]} is already preferred for "
                f"{'/'.join(key)} (allowed: one preferred figure per pair, year and flow)"
            )
        seen.setdefault(key, i)
    return out


def sources_are_cited(pkg: Package, rows: Rows) -> list[str]:
    """Every source is cited by some row (no orphans)."""
    if "sources" not in rows:
        return []
    cited = {
        item
        for t in pkg.tables
        if "source_ids" in t.field_names
        for _, r in rows.get(t.name, [])
        for item in cell_items(r.get("source_ids"))
    }
    return [
        f"{table_path(pkg, 'sources')}:{i}:source_id: {r['source_id']!r} is cited by no row "
        "(allowed: sources that some row cites; remove orphans)"
        for i, r in rows["sources"]
        if r.get("source_id") and r["source_id"] not in cited
    ]


def reliability_matches_type(pkg: Package, rows: Rows) -> list[str]:
    """A source's reliability grade is one the rubric allows for its ``publisher_type``
    (:func:`relations.source_rules.reliability_problems`)."""
    return source_rules.reliability_problems(rows, lambda name: table_path(pkg, name))


def confirmed_has_support(pkg: Package, rows: Rows) -> list[str]:
    """A confirmed event rests on a party's own voice or two A/B publishers
    (:func:`relations.source_rules.confirmed_problems`)."""
    return source_rules.confirmed_problems(rows, lambda name: table_path(pkg, name))


def recorded_after_dates(pkg: Package, rows: Rows) -> list[str]:
    """A row is recorded on or after every date it reports
    (:func:`relations.source_rules.recorded_problems`)."""
    return source_rules.recorded_problems([(t.path, i, d) for t, i, d in dated_rows(pkg, rows)])


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


#: Every rule, in the order they run; :func:`run_rules` applies them.
RULES: list[Rule] = [
    list_references,
    actor_codes,
    plausible_dates,
    recorded_dates,
    in_force_after_signed,
    end_after_start,
    goldstein_matches_cameo,
    cameo_also_once,
    disputed_transfers_link_claim,
    claims_have_positions,
    one_preferred_trade_figure,
    sources_are_cited,
    reliability_matches_type,
    confirmed_has_support,
    recorded_after_dates,
    reviews_name_rows,
    analytic_references,
    no_control_characters,
    no_spreadsheet_formulas,
]


def run_rules(pkg: Package, rows: Rows) -> list[str]:
    """Every problem every rule in :data:`RULES` finds."""
    return [p for fn in RULES for p in fn(pkg, rows)]
