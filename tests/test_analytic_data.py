"""The curators' analytic tables (judgements, indicators, indicator_states): each rule of
:mod:`relations.analytic_rules` reports a planted fault with file, row, column and the allowed
values, leaves to the rest of ``relations check`` what it already checks, and the shipped
tables pass and cover what the briefings need. (The same rules planted through ``relations
check`` are in ``test_check_rules.py``, rule ``analytic_references``.)"""

from __future__ import annotations

import pandas as pd
import pytest

import relations
from relations.analytic_rules import (
    CONFIDENCE,
    EVIDENCE_TABLES,
    LIKELIHOOD,
    analytic_tables,
    problems,
)
from relations.schema import read_package

EVIDENCE = ", ".join(EVIDENCE_TABLES)


def tiny() -> dict[str, pd.DataFrame]:
    """Hand-made tables as plain strings, the way a CSV reads; valid as given."""
    return {
        "sources": pd.DataFrame({"source_id": ["src-a", "src-b"]}),
        "events": pd.DataFrame({"event_id": ["ev-a"]}),
        "claims": pd.DataFrame({"claim_id": ["cl-a"]}),
        "judgements": pd.DataFrame(
            [
                {
                    "judgement_id": "kj-a-2024",
                    "question": "Q?",
                    "statement": "S.",
                    "likelihood": "likely",
                    "confidence": "moderate",
                    "as_of": "2024-05-01",
                    "basis": "ev-a;cl-a",
                    "would_change_if": "W.",
                    "source_ids": "src-a",
                    "recorded": "2026-11-29",
                },
                {
                    "judgement_id": "kj-a-2026",
                    "question": "Q?",
                    "statement": "S.",
                    "likelihood": "unlikely",
                    "confidence": "low",
                    "as_of": "2026-02-01",
                    "basis": "ev-a",
                    "would_change_if": "W.",
                    "source_ids": "src-a;src-b",
                    "recorded": "2026-11-29",
                },
            ]
        ),
        "indicators": pd.DataFrame(
            [
                {
                    "indicator_id": "ind-a",
                    "name": "N",
                    "description": "D",
                    "direction": "deepening",
                    "domain": "arms",
                    "source_ids": "src-b",
                    "recorded": "2026-11-29",
                }
            ]
        ),
        "indicator_states": pd.DataFrame(
            [
                {
                    "state_id": "is-a-1",
                    "indicator_id": "ind-a",
                    "date": "2023-01-15",
                    "state": "reported",
                    "evidence_ids": "cl-a",
                    "note": "N.",
                    "source_ids": "src-a",
                    "recorded": "2026-11-29",
                },
                {
                    "state_id": "is-a-2",
                    "indicator_id": "ind-a",
                    "date": "2024-01-15",
                    "state": "not_observed",
                    "evidence_ids": "",
                    "note": "N.",
                    "source_ids": "src-b",
                    "recorded": "2026-11-29",
                },
            ]
        ),
    }


def test_tiny_tables_are_clean():
    assert problems(tiny()) == []


# Each planted fault: (table, row index, column, bad value, expected message).
# Rows count the header as row 1, so the first data row is row 2.
FAULTS = [
    (
        "judgements",
        1,
        "basis",
        "ev-a;ev-nope",
        f"judgements.csv:3:basis: 'ev-nope' is in no evidence table (allowed: an id from {EVIDENCE})",
    ),
    (
        "judgements",
        0,
        "basis",
        "src-a",
        f"judgements.csv:2:basis: 'src-a' is in no evidence table (allowed: an id from {EVIDENCE})",
    ),
    (
        "indicator_states",
        0,
        "evidence_ids",
        "at-nope",
        f"indicator_states.csv:2:evidence_ids: 'at-nope' is in no evidence table "
        f"(allowed: an id from {EVIDENCE})",
    ),
    (
        "indicator_states",
        1,
        "evidence_ids",
        "cl-a; ev-a ;kj-a-2024",
        f"indicator_states.csv:3:evidence_ids: 'kj-a-2024' is in no evidence table "
        f"(allowed: an id from {EVIDENCE})",
    ),
]


@pytest.mark.parametrize(("table", "index", "column", "value", "expected"), FAULTS)
def test_planted_fault_is_reported_exactly(table, index, column, value, expected):
    tables = tiny()
    tables[table].loc[index, column] = value
    assert problems(tables) == [expected]


def test_indicator_without_state_is_reported():
    tables = tiny()
    extra = tables["indicators"].iloc[0].to_dict() | {"indicator_id": "ind-b"}
    tables["indicators"] = pd.concat([tables["indicators"], pd.DataFrame([extra])], ignore_index=True)
    assert problems(tables) == [
        "indicators.csv:3:indicator_id: 'ind-b' has no state "
        "(allowed: indicators with at least one row in indicator_states.csv)"
    ]


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("judgements", "source_ids", "src-x"),  # list_references
        ("indicators", "source_ids", "src-b;src-nope"),
        ("judgements", "as_of", "2027-01-01"),  # plausible_dates
        ("indicator_states", "date", "2000-12-31"),
        ("indicators", "recorded", "2099-11-30"),  # recorded_dates
        ("judgements", "as_of", "2025-02-30"),  # the schema's date type
        ("judgements", "likelihood", "probable"),  # the schema's enums
        ("judgements", "confidence", "medium"),
        ("indicator_states", "indicator_id", "ind-nope"),  # the schema's foreign key
    ],
)
def test_what_check_already_reports_is_left_to_it(table, column, value):
    """No message twice in ``relations check``: these faults are its other rules' (see test_check_rules)."""
    tables = tiny()
    tables[table].loc[0, column] = value
    assert problems(tables) == []


def test_loaded_frames_with_lists_and_timestamps_work_too():
    tables = tiny()
    for name in ("judgements", "indicator_states"):
        frame = tables[name]
        for column in ("basis", "evidence_ids", "source_ids"):
            if column in frame:
                frame[column] = frame[column].map(lambda s: [p for p in s.split(";") if p])
        for column in ("as_of", "date", "recorded"):
            if column in frame:
                frame[column] = pd.to_datetime(frame[column])
    assert problems(tables) == []
    tables["judgements"].at[0, "basis"] = ["ev-a", "ev-gone"]
    tables["judgements"].attrs["source_file"] = "/somewhere/judgements.csv"
    assert problems(tables) == [
        f"judgements.csv:2:basis: 'ev-gone' is in no evidence table (allowed: an id from {EVIDENCE})"
    ]


def test_attrs_give_the_path_and_file_rows():
    """``relations check`` passes the path in the data folder and the rows (blank lines skipped)."""
    tables = tiny()
    tables["judgements"].loc[1, "basis"] = "ev-nope"
    tables["judgements"].attrs.update(path="analytic/judgements.csv", rows=[2, 5])
    assert problems(tables) == [
        f"analytic/judgements.csv:5:basis: 'ev-nope' is in no evidence table (allowed: an id from {EVIDENCE})"
    ]


# ------------------------------------------------------------------ the shipped tables


@pytest.fixture(scope="module")
def shipped() -> dict[str, pd.DataFrame]:
    return analytic_tables()


def test_shipped_analytic_tables_pass(shipped):
    assert problems(shipped) == []


@pytest.mark.parametrize("name", ["judgements", "indicators", "indicator_states"])
def test_analytic_tables_load_with_their_schema(name):
    frame = relations.load(name)
    assert list(frame.columns) == read_package().table(name).field_names
    assert len(frame) > 0
    assert frame["source_ids"].map(len).gt(0).all(), f"{name}: a row without a source"


def test_shipped_coverage(shipped):
    judgements = shipped["judgements"]
    indicators = shipped["indicators"]
    states = shipped["indicator_states"]
    assert len(judgements) >= 12
    assert len(indicators) >= 15
    assert set(indicators["indicator_id"]) <= set(states["indicator_id"]), "an indicator without state"
    assert judgements["basis"].map(len).gt(0).all()
    assert judgements["likelihood"].notna().all() and judgements["confidence"].notna().all()
    assert list(judgements["likelihood"].cat.categories) == list(LIKELIHOOD)
    assert list(judgements["confidence"].cat.categories) == list(CONFIDENCE)
    assert set(indicators["direction"]) == {"deepening", "weakening"}


def test_judgement_versions_are_dated_apart(shipped):
    """Versions of one question differ in as_of, so a past window picks exactly one."""
    judgements = shipped["judgements"]
    assert not judgements.duplicated(["question", "as_of"]).any()
    assert judgements.groupby("question").size().max() > 1, "no judgement has a later update"


def test_states_change_or_recheck_in_date_order(shipped):
    states = shipped["indicator_states"]
    assert not states.duplicated(["indicator_id", "date"]).any()
