"""The rules :func:`relations.check` applies on top of Table Schema, one function each.

Table Schema (checked by frictionless) cannot state references inside ``;`` lists,
actor codes, plausible dates, rules across tables, or text hygiene; each rule here
takes the package and its rows and returns problems as
``file:row:column: message (allowed: ...)``. :data:`RULES` lists them in the order
they run; the check's cache is keyed on their source, so a new rule always runs.

>>> from relations.schema import read_package
>>> pkg = read_package()
>>> rows = {"events": [(2, {"actors": "RUS;Iran"})]}
>>> actor_codes(pkg, rows)[0][:60]
"events.csv:2:actors: 'Iran' is not an actor code (allowed: I"
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable

from . import analytic_rules, source_rules
from .schema import Package

__all__ = [
    "EARLIEST",
    "ORGANISATIONS",
    "RECORDED_EARLIEST",
    "RULES",
    "Rows",
    "run_rules",
]

#: Rows of every table: ``(row number in the file, {column: cell})``; the header is row 1.
Rows = dict[str, list[tuple[int, dict[str, str]]]]
Rule = Callable[[Package, Rows], list[str]]

#: Organisations allowed in ``actors`` / ``parties`` besides ISO 3166-1 alpha-3 codes.
ORGANISATIONS = ("UN", "UNSC", "IAEA", "EU", "E3", "EAEU", "SCO", "BRICS", "NATO", "G7", "OPEC")
_ISO3 = re.compile(r"^[A-Z]{3}$")
#: Earliest plausible date: the founding of the Islamic Republic (office holders such as
#: Khamenei took office before the Russian Federation existed).
EARLIEST = dt.date(1979, 4, 1)
#: Earliest plausible ``recorded`` date (when a row entered the record): the record starts
#: with the 2001 treaty, so nothing in it can have been recorded before 2001.
RECORDED_EARLIEST = dt.date(2001, 1, 1)
#: Bidirectional overrides and isolates: they reorder how text is shown ("Trojan Source").
BIDI = {chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
_CONTROL_NAMES = {0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x1B: "ESCAPE", 0x7F: "DELETE"}
#: A signed figure at the start of a note ("+12% y/y", "-17% to $4bn") is not a formula.
_SIGNED_FIGURE = re.compile(r"[+-]\d[\d.,]*%?(?=[\s,;.]|$)")
_FORMULA_MARKS = re.compile(r"\||\w\(")  # DDE (cmd|...) and function calls (HYPERLINK(...))

RULES: list[Rule] = []


def rule(fn: Rule) -> Rule:
    """Register ``fn`` in :data:`RULES`."""
    RULES.append(fn)
    return fn


def run_rules(pkg: Package, rows: Rows) -> list[str]:
    """Every problem every rule in :data:`RULES` finds."""
    return [p for fn in RULES for p in fn(pkg, rows)]


def _a(word: str) -> str:
    return f"an {word}" if word[:1] in "aeiou" else f"a {word}"


def _items(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split(";") if p.strip()]


def _path(pkg: Package, name: str) -> str:
    return pkg.table(name).path


@rule
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
                    f"(allowed: {_a(ref_col)} listed in {_path(pkg, fk.ref_table)})"
                    for item in _items(r.get(col))
                    if item not in known
                ]
    return out


@rule
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
                    for item in _items(r.get(col))
                    if not (_ISO3.match(item) or item in ORGANISATIONS)
                ]
    return out


def _dates(pkg: Package, rows: Rows):
    """``(table, row, {date column: date})`` for every row; blank and malformed dates left out."""
    for t in pkg.tables:
        names = [f.name for f in t.fields if f.type == "date"]
        for i, r in rows.get(t.name, []):
            parsed = {}
            for col in names:
                try:
                    parsed[col] = dt.date.fromisoformat((r.get(col) or "").strip())
                except ValueError:
                    continue  # blank or malformed: frictionless reports malformed ones
            yield t, i, parsed


def _earliest(table: str) -> dt.date:
    """Earliest plausible date in ``table``: the curators' judgements and indicator states
    look at the partnership since the 2001 treaty (:data:`relations.analytic_rules.EARLIEST`)."""
    return analytic_rules.EARLIEST if table in analytic_rules.ANALYTIC_TABLES else EARLIEST


@rule
def plausible_dates(pkg: Package, rows: Rows) -> list[str]:
    """Every date lies between :data:`EARLIEST` (2001 in the analytic tables) and today.

    ``recorded`` has its own rule, :func:`recorded_dates`.
    """
    today = dt.date.today()
    return [
        f"{t.path}:{i}:{col}: {day} is not a plausible date (allowed: {_earliest(t.name)} to {today})"
        for t, i, parsed in _dates(pkg, rows)
        for col, day in parsed.items()
        if col != "recorded" and not _earliest(t.name) <= day <= today
    ]


@rule
def recorded_dates(pkg: Package, rows: Rows) -> list[str]:
    """``recorded``, when a row entered the record, lies between :data:`RECORDED_EARLIEST` and today.

    That it is present and a valid date is the schema's part (``required``, type ``date``).
    """
    today = dt.date.today()
    return [
        f"{t.path}:{i}:recorded: {d['recorded']} is not a plausible recorded date (allowed: "
        f"{RECORDED_EARLIEST} to {today}, the day the row entered the record or last changed)"
        for t, i, d in _dates(pkg, rows)
        if "recorded" in d and not RECORDED_EARLIEST <= d["recorded"] <= today
    ]


@rule
def in_force_after_signed(pkg: Package, rows: Rows) -> list[str]:
    """An agreement enters into force on or after its signature."""
    return [
        f"{t.path}:{i}:in_force: {d['in_force']} is before the signature on "
        f"{d['signed']} (allowed: on or after the signed date)"
        for t, i, d in _dates(pkg, rows)
        if "signed" in d and "in_force" in d and d["in_force"] < d["signed"]
    ]


@rule
def end_after_start(pkg: Package, rows: Rows) -> list[str]:
    """In every table with ``start`` and ``end`` dates, the end is not before the start."""
    return [
        f"{t.path}:{i}:end: {d['end']} is before start {d['start']} (allowed: on or after start)"
        for t, i, d in _dates(pkg, rows)
        if "start" in d and "end" in d and d["end"] < d["start"]
    ]


@rule
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
                f"{_path(pkg, 'events')}:{i}:goldstein: {value!r} does not match CAMEO {code} "
                f"(allowed: {goldstein[code]}, from {_path(pkg, 'cameo_codes')})"
            )
    return out


@rule
def cameo_also_once(pkg: Package, rows: Rows) -> list[str]:
    """An event's secondary CAMEO codes (``cameo_also``) name each code once, never its own
    ``cameo_code``: a repeat would count the event twice under that code."""
    if "events" not in rows:
        return []
    key = (pkg.table("events").primary_key or ["event_id"])[0]
    allowed = "(allowed: each code once, and not the event's own cameo_code)"
    out = []
    for i, r in rows["events"]:
        also, own = _items(r.get("cameo_also")), (r.get("cameo_code") or "").strip()
        where = f"{_path(pkg, 'events')}:{i}:cameo_also: event {r.get(key, '')!r} lists CAMEO"
        for code in dict.fromkeys(also):
            n = also.count(code)
            if code == own:
                out.append(f"{where} {code!r}, its own cameo_code {allowed}")
            elif n > 1:
                out.append(f"{where} {code!r} {'twice' if n == 2 else f'{n} times'} {allowed}")
    return out


@rule
def disputed_transfers_link_claim(pkg: Package, rows: Rows) -> list[str]:
    """An alleged or denied arms transfer names the claim that records who says what."""
    return [
        f"{_path(pkg, 'arms_transfers')}:{i}:claim_id: {_a(r['status'])} transfer must link "
        f"its claim (allowed: a claim_id from {_path(pkg, 'claims') if 'claims' in rows else 'claims'})"
        for i, r in rows.get("arms_transfers", [])
        if r.get("status") in ("alleged", "denied") and not (r.get("claim_id") or "").strip()
    ]


@rule
def claims_have_positions(pkg: Package, rows: Rows) -> list[str]:
    """Every claim has at least one recorded position."""
    if "claims" not in rows or "claim_positions" not in rows:
        return []
    with_position = {r.get("claim_id") for _, r in rows["claim_positions"]}
    return [
        f"{_path(pkg, 'claims')}:{i}:claim_id: {r['claim_id']!r} has no position "
        f"(allowed: claims with at least one row in {_path(pkg, 'claim_positions')})"
        for i, r in rows["claims"]
        if r.get("claim_id") and r["claim_id"] not in with_position
    ]


@rule
def one_preferred_trade_figure(pkg: Package, rows: Rows) -> list[str]:
    """At most one trade figure is preferred per pair of partners, year and flow."""
    out, seen = [], {}
    for i, r in rows.get("trade", []):
        if r.get("preferred") != "true":
            continue
        key = (r.get("partner_a", ""), r.get("partner_b", ""), r.get("year", ""), r.get("flow", ""))
        if key in seen:
            out.append(
                f"{_path(pkg, 'trade')}:{i}:preferred: row {seen[key]} is already preferred for "
                f"{'/'.join(key)} (allowed: one preferred figure per pair, year and flow)"
            )
        seen.setdefault(key, i)
    return out


@rule
def sources_are_cited(pkg: Package, rows: Rows) -> list[str]:
    """Every source is cited by some row (no orphans)."""
    if "sources" not in rows:
        return []
    cited = {
        item
        for t in pkg.tables
        if "source_ids" in t.field_names
        for _, r in rows.get(t.name, [])
        for item in _items(r.get("source_ids"))
    }
    return [
        f"{_path(pkg, 'sources')}:{i}:source_id: {r['source_id']!r} is cited by no row "
        "(allowed: sources that some row cites; remove orphans)"
        for i, r in rows["sources"]
        if r.get("source_id") and r["source_id"] not in cited
    ]


@rule
def reliability_matches_type(pkg: Package, rows: Rows) -> list[str]:
    """A source's reliability grade is one the rubric allows for its ``publisher_type``
    (:func:`relations.source_rules.reliability_problems`)."""
    return source_rules.reliability_problems(rows, lambda name: _path(pkg, name))


@rule
def confirmed_has_support(pkg: Package, rows: Rows) -> list[str]:
    """A confirmed event rests on a party's own voice or two A/B publishers
    (:func:`relations.source_rules.confirmed_problems`)."""
    return source_rules.confirmed_problems(rows, lambda name: _path(pkg, name))


@rule
def recorded_after_dates(pkg: Package, rows: Rows) -> list[str]:
    """A row is recorded on or after every date it reports
    (:func:`relations.source_rules.recorded_problems`)."""
    return source_rules.recorded_problems([(t.path, i, d) for t, i, d in _dates(pkg, rows)])


@rule
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
                f"{_path(pkg, 'reviews')}:{i}:row_key: {key!r} is not {_a(pk)} in {t.path} "
                f"(allowed: the key of an existing row of the named table; only a removed row may be missing)"
            )
    return out


@rule
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


def _text_cells(pkg: Package, rows: Rows, types: tuple[str, ...]):
    for t in pkg.tables:
        names = [f.name for f in t.fields if f.type in types]
        for i, r in rows.get(t.name, []):
            for col in names:
                if r.get(col):
                    yield t, i, col, r[col]


def _control(text: str) -> str | None:
    for c in text:
        if (unicodedata.category(c) == "Cc" and c not in "\t\n\r") or c in BIDI:
            name = unicodedata.name(c, "") or _CONTROL_NAMES.get(ord(c), "")
            return f"U+{ord(c):04X}" + (f" ({name})" if name else "")
    return None


@rule
def no_control_characters(pkg: Package, rows: Rows) -> list[str]:
    """Text holds no control characters (NUL, ESC, BEL, ...) and no bidirectional overrides."""
    out = []
    for t, i, col, value in _text_cells(pkg, rows, ("string", "list")):
        found = _control(value)
        if found:
            out.append(
                f"{t.path}:{i}:{col}: contains the control character {found} "
                "(allowed: printable text without control or bidirectional-override characters)"
            )
    return out


def is_formula(text: str) -> bool:
    """Whether a spreadsheet opening the CSV would run ``text`` as a formula.

    >>> is_formula("=1+1"), is_formula("+12% y/y, a record"), is_formula("-2+3+cmd|' /C calc'!A0")
    (True, False, True)
    """
    if text[:1] not in ("=", "+", "-", "@"):
        return False
    return not (text[0] in "+-" and _SIGNED_FIGURE.match(text) and not _FORMULA_MARKS.search(text))


@rule
def no_spreadsheet_formulas(pkg: Package, rows: Rows) -> list[str]:
    """Text does not start like a spreadsheet formula (``=``, ``+``, ``-``, ``@``)."""
    return [
        f"{t.path}:{i}:{col}: {value[:40] + ('…' if len(value) > 40 else '')!r} starts with "
        f"{value[0]!r}, so spreadsheets run it as a formula (allowed: text that does not start "
        "with =, +, -, @; signed figures such as '+12% y/y' are fine)"
        for t, i, col, value in _text_cells(pkg, rows, ("string",))
        if is_formula(value)
    ]
