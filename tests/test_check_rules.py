"""Every rule of ``relations.check`` has a planted-fault test.

Each test plants exactly one fault into the tiny valid package (``conftest.TINY``) and
asserts the complete list of problems: exactly the one expected message, as
``file:row:column: message (allowed: ...)`` with the header as row 1. Removing a rule
makes its test fail; so does a rule that starts reporting collateral problems.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import write_tables

import relations
from relations import rules, validation

TODAY = dt.date.today()
EXPECTED_EVENTS = (
    "event_id, date, date_precision, title, summary, domain, actors, status, source_ids, "
    "cameo_code, cameo_also, goldstein, direction, key_event, friction, claim_id, recorded"
)


def _set(table, row, column, value):
    def edit(t):
        t[table][row][column] = value

    return edit


def _append(table, **changes):
    def edit(t):
        t[table].append({**t[table][0], **changes})

    return edit


def _drop_column(table, column):
    def edit(t):
        for r in t[table]:
            del r[column]

    return edit


def _add_column(table, column):
    def edit(t):
        for r in t[table]:
            r[column] = "x"

    return edit


def _alleged_without_claim(t):
    t["arms_transfers"][0].update(status="alleged", claim_id="")


# (rule, edit, the one expected problem). "schema:*" rules are Table Schema checks done by
# frictionless (or the header check before it); the others are the functions in rules.RULES.
FAULTS = [
    # --- Table Schema through frictionless: types --------------------------------------
    (
        "schema:date",
        _set("events", 0, "date", "2024-13-45"),
        "events.csv:2:date: '2024-13-45' is not a valid date (allowed: an ISO date YYYY-MM-DD)",
    ),
    (
        "schema:boolean",
        _set("agreements", 0, "mutual_defence", "maybe"),
        "agreements.csv:2:mutual_defence: 'maybe' is not a valid boolean (allowed: true, false)",
    ),
    (
        "schema:integer",
        _set("agreements", 0, "duration_years", "twenty"),
        "agreements.csv:2:duration_years: 'twenty' is not a valid integer (allowed: a whole number)",
    ),
    (
        "schema:number",
        _set("trade", 0, "value_usd", "lots"),
        "trade.csv:2:value_usd: 'lots' is not a valid number (allowed: a number)",
    ),
    # --- constraints -------------------------------------------------------------------
    (
        "schema:required",
        _set("events", 0, "source_ids", ""),
        "events.csv:2:source_ids: value required but blank",
    ),
    (
        "schema:enum",
        _set("events", 1, "status", "rumoured"),
        "events.csv:3:status: 'rumoured' is not allowed "
        "(allowed: confirmed, reported, alleged, denied, disputed)",
    ),
    (
        "schema:enum",
        _set("claims", 0, "likelihood", "probable"),
        "claims.csv:2:likelihood: 'probable' is not allowed (allowed: almost no chance, very unlikely, "
        "unlikely, roughly even chance, likely, very likely, almost certain)",
    ),
    (
        "schema:pattern",
        _set("arms_transfers", 0, "delivery_years", "soon"),
        "arms_transfers.csv:2:delivery_years: 'soon' has the wrong form "
        "(allowed: text matching ^[0-9]{4}(-[0-9]{4})?$)",
    ),
    (
        "schema:pattern",
        _set("people", 0, "country", "Iran"),
        "people.csv:2:country: 'Iran' has the wrong form (allowed: text matching ^[A-Z]{3}$)",
    ),
    (
        "schema:url",
        _set("sources", 1, "url", "ftp://example.org/b"),
        "sources.csv:3:url: 'ftp://example.org/b' is not an http(s) URL "
        "(allowed: http:// or https:// addresses)",
    ),
    (
        "schema:maxLength",
        _set("events", 0, "title", "x" * 121),
        "events.csv:2:title: text is 121 characters long (allowed: at most 120)",
    ),
    (
        "schema:minimum",
        _set("agreements", 0, "duration_years", "0"),
        "agreements.csv:2:duration_years: '0' is below the minimum (allowed: 1 to 100)",
    ),
    (
        "schema:minimum",
        _set("trade", 0, "value_usd", "-5"),
        "trade.csv:2:value_usd: '-5' is below the minimum (allowed: at least 0)",
    ),
    (
        "schema:maximum",
        _set("cameo_codes", 0, "quad_class", "5"),
        "cameo_codes.csv:2:quad_class: '5' is above the maximum (allowed: 1 to 4)",
    ),
    # --- keys --------------------------------------------------------------------------
    (
        "schema:primary-key",
        _set("events", 1, "event_id", "ev-2024-01-02-one"),
        "events.csv:3:event_id: 'ev-2024-01-02-one' is already used in row 2 (allowed: one row per event_id)",
    ),
    (
        "schema:foreign-key",
        _set("events", 0, "cameo_code", "999"),
        "events.csv:2:cameo_code: '999' is not a known cameo_codes.cameo_code "
        "(allowed: a cameo_code listed in cameo_codes.csv)",
    ),
    (
        "schema:foreign-key",
        _set("events", 1, "claim_id", "cl-nothing"),
        "events.csv:3:claim_id: 'cl-nothing' is not a known claims.claim_id "
        "(allowed: a claim_id listed in claims.csv)",
    ),
    (
        "schema:foreign-key",
        _set("claim_positions", 1, "claim_id", "cl-other"),
        "claim_positions.csv:3:claim_id: 'cl-other' is not a known claims.claim_id "
        "(allowed: a claim_id listed in claims.csv)",
    ),
    (
        "schema:foreign-key",
        _set("agreement_provisions", 0, "agreement_id", "no-such-treaty"),
        "agreement_provisions.csv:2:agreement_id: 'no-such-treaty' is not a known agreements.agreement_id "
        "(allowed: an agreement_id listed in agreements.csv)",
    ),
    (
        "schema:foreign-key",
        _set("arms_transfers", 0, "claim_id", "cl-nothing"),
        "arms_transfers.csv:2:claim_id: 'cl-nothing' is not a known claims.claim_id "
        "(allowed: a claim_id listed in claims.csv)",
    ),
    (
        "schema:foreign-key",
        _append("indicator_states", state_id="is-t-2", indicator_id="ind-nope"),
        "indicator_states.csv:3:indicator_id: 'ind-nope' is not a known indicators.indicator_id "
        "(allowed: an indicator_id listed in indicators.csv)",
    ),
    (
        "schema:enum",
        _set("indicators", 0, "direction", "sideways"),
        "indicators.csv:2:direction: 'sideways' is not allowed (allowed: deepening, weakening)",
    ),
    (
        "schema:maxLength",
        _set("judgements", 0, "question", "Why?" * 51),
        "judgements.csv:2:question: text is 204 characters long (allowed: at most 200)",
    ),
    # --- header ------------------------------------------------------------------------
    (
        "header:missing",
        _drop_column("events", "status"),
        f"events.csv:1:status: column missing (expected columns: {EXPECTED_EVENTS})",
    ),
    (
        "header:unexpected",
        _add_column("events", "mood"),
        f"events.csv:1:mood: unexpected column (expected columns: {EXPECTED_EVENTS})",
    ),
    # --- rules.RULES ---------------------------------------------------------------------
    (
        "list_references",
        _set("events", 1, "source_ids", "src-a;src-zz"),
        "events.csv:3:source_ids: 'src-zz' is not a known sources.source_id "
        "(allowed: a source_id listed in sources.csv)",
    ),
    (
        "list_references",
        _set("memberships", 0, "source_ids", "src-nope"),
        "memberships.csv:2:source_ids: 'src-nope' is not a known sources.source_id "
        "(allowed: a source_id listed in sources.csv)",
    ),
    (
        "actor_codes",
        _set("events", 0, "actors", "RUS;Iran"),
        "events.csv:2:actors: 'Iran' is not an actor code (allowed: ISO 3166-1 alpha-3 codes such "
        "as RUS, IRN, or UN, UNSC, IAEA, EU, E3, EAEU, SCO, BRICS, NATO, G7, OPEC)",
    ),
    (
        "actor_codes",
        _set("agreements", 0, "parties", "RUS;Persia"),
        "agreements.csv:2:parties: 'Persia' is not an actor code (allowed: ISO 3166-1 alpha-3 codes "
        "such as RUS, IRN, or UN, UNSC, IAEA, EU, E3, EAEU, SCO, BRICS, NATO, G7, OPEC)",
    ),
    (
        "plausible_dates",
        _set("events", 0, "date", "1850-01-01"),
        f"events.csv:2:date: 1850-01-01 is not a plausible date (allowed: 1979-04-01 to {TODAY})",
    ),
    (
        "plausible_dates",
        _set("events", 0, "date", "1979-03-31"),
        f"events.csv:2:date: 1979-03-31 is not a plausible date (allowed: 1979-04-01 to {TODAY})",
    ),
    (
        "plausible_dates",
        _set("sources", 0, "published", str(TODAY + dt.timedelta(days=1))),
        f"sources.csv:2:published: {TODAY + dt.timedelta(days=1)} is not a plausible date "
        f"(allowed: 1979-04-01 to {TODAY})",
    ),
    (
        "plausible_dates",
        _set("judgements", 0, "as_of", "2000-12-31"),
        f"judgements.csv:2:as_of: 2000-12-31 is not a plausible date (allowed: 2001-01-01 to {TODAY})",
    ),
    (
        "plausible_dates",
        _set("indicator_states", 0, "date", str(TODAY + dt.timedelta(days=1))),
        f"indicator_states.csv:2:date: {TODAY + dt.timedelta(days=1)} is not a plausible date "
        f"(allowed: 2001-01-01 to {TODAY})",
    ),
    # --- recorded: required and a date (schema), from 2001 to today (recorded_dates) ------
    (
        "schema:required",
        _set("trade", 1, "recorded", ""),
        "trade.csv:3:recorded: value required but blank",
    ),
    (
        "schema:date",
        _set("claim_positions", 0, "recorded", "29/11/2026"),
        "claim_positions.csv:2:recorded: '29/11/2026' is not a valid date (allowed: an ISO date YYYY-MM-DD)",
    ),
    (
        "header:missing",
        _drop_column("people", "recorded"),
        "people.csv:1:recorded: column missing (expected columns: role_id, person_id, name, country, "
        "role, start, end, source_ids, recorded)",
    ),
    (
        "recorded_dates",
        _set("indicator_states", 0, "recorded", "2099-01-01"),
        "indicator_states.csv:2:recorded: 2099-01-01 is not a plausible recorded date "
        f"(allowed: 2001-01-01 to {TODAY}, the day the row entered the record or last changed)",
    ),
    (
        "recorded_dates",
        _set("sources", 1, "recorded", str(TODAY + dt.timedelta(days=1))),
        f"sources.csv:3:recorded: {TODAY + dt.timedelta(days=1)} is not a plausible recorded date "
        f"(allowed: 2001-01-01 to {TODAY}, the day the row entered the record or last changed)",
    ),
    (
        "recorded_dates",
        _set("agreement_provisions", 0, "recorded", "2000-12-31"),
        "agreement_provisions.csv:2:recorded: 2000-12-31 is not a plausible recorded date "
        f"(allowed: 2001-01-01 to {TODAY}, the day the row entered the record or last changed)",
    ),
    (
        "in_force_after_signed",
        _set("agreements", 0, "in_force", "2023-01-01"),
        "agreements.csv:2:in_force: 2023-01-01 is before the signature on 2024-01-02 "
        "(allowed: on or after the signed date)",
    ),
    (
        "end_after_start",
        _set("projects", 0, "end", "2020-01-01"),
        "projects.csv:2:end: 2020-01-01 is before start 2023-05-17 (allowed: on or after start)",
    ),
    (
        "end_after_start",
        _set("people", 0, "end", "2024-07-27"),
        "people.csv:2:end: 2024-07-27 is before start 2024-07-28 (allowed: on or after start)",
    ),
    (
        "goldstein_matches_cameo",
        _set("events", 0, "goldstein", "5.0"),
        "events.csv:2:goldstein: '5.0' does not match CAMEO 042 (allowed: 1.9, from cameo_codes.csv)",
    ),
    (
        "disputed_transfers_link_claim",
        _set("arms_transfers", 0, "claim_id", ""),
        "arms_transfers.csv:2:claim_id: a denied transfer must link its claim "
        "(allowed: a claim_id from claims.csv)",
    ),
    (
        "disputed_transfers_link_claim",
        _alleged_without_claim,
        "arms_transfers.csv:2:claim_id: an alleged transfer must link its claim "
        "(allowed: a claim_id from claims.csv)",
    ),
    (
        "claims_have_positions",
        _append("claims", claim_id="cl-lonely"),
        "claims.csv:3:claim_id: 'cl-lonely' has no position "
        "(allowed: claims with at least one row in claim_positions.csv)",
    ),
    (
        "one_preferred_trade_figure",
        _set("trade", 1, "preferred", "true"),
        "trade.csv:3:preferred: row 2 is already preferred for RUS/IRN/2024/turnover "
        "(allowed: one preferred figure per pair, year and flow)",
    ),
    (
        "sources_are_cited",
        _append("sources", source_id="src-orphan"),
        "sources.csv:4:source_id: 'src-orphan' is cited by no row "
        "(allowed: sources that some row cites; remove orphans)",
    ),
    # --- source reliability (issue 12): a grade the rubric allows for the publisher type ---
    (
        "schema:enum",
        _set("sources", 0, "reliability", "G"),
        "sources.csv:2:reliability: 'G' is not allowed (allowed: A, B, C, D, E, F)",
    ),
    (
        "reliability_matches_type",
        _set("sources", 1, "reliability", "A"),
        "sources.csv:3:reliability: 'A' is not a grade for state_media "
        "(allowed: C, per the rubric in docs/grading.md)",
    ),
    (
        "reliability_matches_type",
        _set("sources", 0, "reliability", "E"),
        "sources.csv:2:reliability: 'E' is not a grade for independent_media "
        "(allowed: B, C, per the rubric in docs/grading.md)",
    ),
    # --- confirmed needs a party's own voice or two A/B publishers (issue 12) -------------
    (
        "confirmed_has_support",
        _set("events", 0, "source_ids", "src-a"),
        "events.csv:2:status: confirmed rests on one source graded B and no party's own voice "
        "(allowed: confirmed with a government, international_org or state_media source, or two "
        "sources graded A or B from different publishers; otherwise reported)",
    ),
    (
        "recorded_after_dates",
        _set("events", 0, "recorded", "2024-01-01"),
        "events.csv:2:recorded: 2024-01-01 is before the row's date 2024-01-02 (allowed: on or "
        "after every date the row reports; a row cannot be recorded before what it records)",
    ),
    (
        "recorded_after_dates",
        _set("people", 0, "recorded", "2024-07-01"),
        "people.csv:2:recorded: 2024-07-01 is before the row's start 2024-07-28 (allowed: on or "
        "after every date the row reports; a row cannot be recorded before what it records)",
    ),
    (
        "cameo_also_once",
        _set("events", 0, "cameo_also", "042"),
        "events.csv:2:cameo_also: event 'ev-2024-01-02-one' lists CAMEO '042', its own cameo_code "
        "(allowed: each code once, and not the event's own cameo_code)",
    ),
    (
        "event_id_names_date",
        _set("events", 0, "date", "2024-01-03"),
        "events.csv:2:event_id: 'ev-2024-01-02-one' names the day 2024-01-02 but the event's date is "
        "2024-01-03 (allowed: an id that starts ev-<its date>-, or names no date)",
    ),
    (
        "event_id_names_date",
        _append("events", event_id="ev-2024-01-02-copy"),
        "events.csv:4:title: event 'ev-2024-01-02-copy' repeats the date and title of row 2 "
        "(allowed: one row per event; add sources to the first instead)",
    ),
    # --- reviews (issue 12): a review names an existing row, unless it removed it ---------
    (
        "reviews_name_rows",
        _set("reviews", 0, "row_key", "ev-2024-09-09-nothing"),
        "reviews.csv:2:row_key: 'ev-2024-09-09-nothing' is not an event_id in events.csv "
        "(allowed: the key of an existing row of the named table; only a removed row may be missing)",
    ),
    # --- the analytic tables: what other rules check is reported once, by them -----------
    (
        "list_references",
        _set("judgements", 0, "source_ids", "src-a;src-x"),
        "judgements.csv:2:source_ids: 'src-x' is not a known sources.source_id "
        "(allowed: a source_id listed in sources.csv)",
    ),
    (
        "schema:enum",
        _set("judgements", 0, "confidence", "medium"),
        "judgements.csv:2:confidence: 'medium' is not allowed (allowed: low, moderate, high)",
    ),
    (
        "analytic_references",
        _set("judgements", 0, "basis", "ev-2024-01-02-one;ev-nope"),
        "judgements.csv:2:basis: 'ev-nope' is in no evidence table (allowed: an id from events, "
        "claims, claim_positions, agreements, agreement_provisions, arms_transfers, projects, "
        "memberships, trade)",
    ),
    (
        "analytic_references",
        _set("indicator_states", 0, "evidence_ids", "src-a"),
        "indicator_states.csv:2:evidence_ids: 'src-a' is in no evidence table (allowed: an id from "
        "events, claims, claim_positions, agreements, agreement_provisions, arms_transfers, projects, "
        "memberships, trade)",
    ),
    (
        "analytic_references",
        _append("indicators", indicator_id="ind-stateless"),
        "indicators.csv:3:indicator_id: 'ind-stateless' has no state "
        "(allowed: indicators with at least one row in indicator_states.csv)",
    ),
    (
        "no_control_characters",
        _set("claims", 0, "statement", "Iran sent\x1b[31m drones."),
        "claims.csv:2:statement: contains the control character U+001B (ESCAPE) "
        "(allowed: printable text without control or bidirectional-override characters)",
    ),
    (
        "no_control_characters",
        _set("judgements", 0, "would_change_if", "A \u202egnp.exe report."),
        "judgements.csv:2:would_change_if: contains the control character U+202E (RIGHT-TO-LEFT OVERRIDE) "
        "(allowed: printable text without control or bidirectional-override characters)",
    ),
    (
        "no_spreadsheet_formulas",
        _set("projects", 0, "notes", '=HYPERLINK("http://x")'),
        "projects.csv:2:notes: '=HYPERLINK(\"http://x\")' starts with '=', so spreadsheets run it as "
        "a formula (allowed: text that does not start with =, +, -, @; signed figures such as "
        "'+12% y/y' are fine)",
    ),
]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("rule", "edit", "message"),
    FAULTS,
    ids=[f"{rule}-{message.split(': ')[0]}" for rule, _, message in FAULTS],
)
def test_planted_fault_gives_exactly_its_message(tmp_path, tiny_tables, rule, edit, message):
    edit(tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad", tiny_tables))
    assert info.value.problems == [message]


def test_every_registered_rule_has_a_planted_fault():
    planted = {rule for rule, _, _ in FAULTS}
    assert {fn.__name__ for fn in rules.RULES} <= planted


def test_planted_faults_cover_every_table(tiny_tables):
    touched = {m.split(".csv")[0] for _, _, m in FAULTS}
    assert touched == set(tiny_tables)


def test_every_problem_is_reported_at_once(tmp_path, tiny_tables):
    tiny_tables["events"][0]["status"] = "rumoured"
    tiny_tables["events"][1]["date"] = "yesterday"
    tiny_tables["sources"][0]["language"] = "English"
    tiny_tables["projects"][0]["end"] = "2020-01-01"
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad", tiny_tables))
    where = sorted(p.split(": ")[0] for p in info.value.problems)
    assert where == [
        "events.csv:2:status",
        "events.csv:3:date",
        "projects.csv:2:end",
        "sources.csv:2:language",
    ]


# --- the cache of passed checks ------------------------------------------------------------


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "relations"


def test_a_passed_check_is_cached(tiny_data, cache_home):
    relations.check(tiny_data, use_cache=True)
    assert len(list(cache_home.glob("check-*.json"))) == 1


def test_a_new_rule_is_not_skipped_for_data_that_passed_before(tiny_data, cache_home, monkeypatch):
    assert relations.check(tiny_data, use_cache=True).rows["events"] == 2

    def no_events_in_february(pkg, rows):
        return [f"events.csv:{i}:date: February" for i, r in rows["events"] if r["date"][5:7] == "02"]

    monkeypatch.setattr(rules, "RULES", [*rules.RULES, no_events_in_february])
    with pytest.raises(relations.DataError) as info:
        relations.check(tiny_data, use_cache=True)
    assert info.value.problems == ["events.csv:3:date: February"]


def test_changed_checking_code_runs_the_check_again(tiny_data, cache_home, monkeypatch):
    relations.check(tiny_data, use_cache=True)
    calls = []
    monkeypatch.setattr(validation, "run_rules", lambda pkg, rows: calls.append(1) or [])
    relations.check(tiny_data, use_cache=True)
    assert calls == [], "unchanged code and data: the cached pass is used"
    monkeypatch.setattr(validation, "code_fingerprint", lambda: "a different rule module")
    relations.check(tiny_data, use_cache=True)
    assert calls == [1]


def test_fingerprint_follows_the_source_of_the_rule_modules(tmp_path, monkeypatch):
    before = validation.code_fingerprint()
    edited = tmp_path / "rules.py"
    source = Path(rules.__file__).read_text(encoding="utf-8")
    edited.write_text(source + "\n# a new rule\n", encoding="utf-8")
    monkeypatch.setattr(rules, "__file__", str(edited))
    assert validation.code_fingerprint() != before
