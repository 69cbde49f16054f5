"""Tests written to kill mutants of the chart data steps (``relations.plot.*_data`` and
``plot.has_data``) that survived ``benchmarks/mutation/run.sh``.

Each test states behaviour of a data step taken from its docstring, from the error-message
format of ``plot._common.frame`` or from the other rows of the same result, on small frames
whose answers are worked out by hand; ``benchmarks/mutation/RESULTS.md`` lists the mutants
left alive as equivalent.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from relations import plot
from relations.plot.military import TRANSFER_STATUS_COLOURS
from relations.plot.treaties import OBLIGATIONS, TREATIES

# -- every data step names the table to load when a column is missing ---------------------

MISSING_COLUMN = [
    ("activity_data", "events", (pd.DataFrame({"date": []}),)),
    ("status_breakdown_data", "events", (pd.DataFrame({"domain": []}),)),
    ("contacts_data", "events", (pd.DataFrame({"date": [], "cameo_code": []}),)),
    ("timeline_data", "events", (pd.DataFrame({"date": [], "domain": [], "status": []}),)),
    ("arms_transfers_data", "arms_transfers", (pd.DataFrame({"supplier": []}),)),
    ("arms_quantities_data", "arms_transfers", (pd.DataFrame({"transfer_id": []}),)),
    ("trade_data", "trade", (pd.DataFrame({"year": []}),)),
    ("treaty_matrix_data", "agreement_provisions", (pd.DataFrame({"agreement_id": []}),)),
    (
        "claims_board_data",
        "claims",
        (pd.DataFrame({"claim_id": []}), pd.DataFrame(columns=["claim_id", "party", "position", "date"])),
    ),
    (
        "claims_board_data",
        "claim_positions",
        (pd.DataFrame(columns=["claim_id", "statement", "status", "first_reported"]), pd.DataFrame()),
    ),
]


@pytest.mark.parametrize(
    ("step", "table", "args"), MISSING_COLUMN, ids=[f"{s}-{t}" for s, t, _ in MISSING_COLUMN]
)
def test_a_missing_column_names_the_table_to_load(step, table, args):
    with pytest.raises(
        ValueError, match=r"data lacks column\(s\) .*; pass relations\.load\('([a-z_]+)'\)$"
    ) as e:
        getattr(plot, step)(*args)
    assert e.value.args[0].endswith(f"pass relations.load({table!r})")


def test_arms_quantities_data_needs_number_high_and_status_too():
    at = pd.DataFrame(
        {
            "transfer_id": ["a"],
            "supplier": ["IRN"],
            "recipient": ["RUS"],
            "designation": ["X"],
            "delivery_years": ["2023"],
            "number_low": [4],
        }
    )
    with pytest.raises(ValueError, match=r"lacks column\(s\) number_high, status;"):
        plot.arms_quantities_data(at)


def test_has_data_lists_the_known_charts_separated_by_commas():
    with pytest.raises(ValueError) as e:
        plot.has_data("no_such_chart")
    known = e.value.args[0].split("(known: ", 1)[1].rstrip(")")
    assert known.split(", ") == list(plot.CHARTS)


# -- claims board ---------------------------------------------------------------------------


def claims(statements: list[str], first: list[str] | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "claim_id": [f"c{i}" for i in range(len(statements))],
            "statement": statements,
            "status": "alleged",
            "first_reported": pd.to_datetime(first or ["2024-01-01"] * len(statements)),
        }
    )


def positions(rows: list[tuple]) -> pd.DataFrame:
    """(claim_id, party, position, date) rows."""
    df = pd.DataFrame(rows, columns=["claim_id", "party", "position", "date"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_claims_board_labels_are_cut_to_max_chars_with_an_ellipsis():
    short, exact, long61 = "a" * 10, "b" * 60, "c" * 61
    df = plot.claims_board_data(claims([short, exact, long61]), positions([]))
    labels = dict(zip(df["claim_id"], df["label"], strict=True))
    assert labels["c0"] == short  # shorter than the default 60: whole
    assert labels["c1"] == exact  # exactly 60: whole
    assert labels["c2"] == long61[:59] + "…"  # longer: 59 characters and the ellipsis
    assert len(labels["c2"]) == 60
    cut = plot.claims_board_data(claims([long61]), positions([]), max_chars=10)["label"].iloc[0]
    assert cut == long61[:9] + "…"


def test_claims_board_undated_positions_are_older_than_dated_ones():
    pos = positions([("c0", "IRN", "denies", "2024-02-01"), ("c0", "IRN", "asserts", None)])
    df = plot.claims_board_data(claims(["S"]), pos)
    assert df["position"].tolist() == ["denies"]


def test_claims_board_positions_of_the_same_day_keep_the_tables_order():
    # 20 parties, each with two positions on the same day: the one listed last is the latest
    parties = [f"P{i:02d}" for i in range(20)]
    rows = [("c0", p, "asserts", "2024-03-01") for p in parties] + [
        ("c0", p, "denies", "2024-03-01") for p in parties
    ]
    df = plot.claims_board_data(claims(["S"]), positions(rows))
    assert dict(zip(df["party"], df["position"], strict=True)) == dict.fromkeys(parties, "denies")


def test_claims_board_claims_reported_the_same_day_keep_the_tables_order():
    statements = [f"claim {i}" for i in range(25)]
    df = plot.claims_board_data(claims(statements), positions([]))
    assert df.sort_values("y")["claim_id"].tolist() == [f"c{i}" for i in range(25)]


def test_claims_board_puts_the_named_parties_first_in_their_order_then_the_rest_by_count():
    # counts: CHN 6, RUS 5, IRN 4, UKR 3, GBR 2, USA 1, FRA 0 and a second claim for the counts
    counts = {"CHN": 6, "RUS": 5, "IRN": 4, "UKR": 3, "GBR": 2, "USA": 1}
    rows = [(f"c{i}", p, "asserts", "2024-01-01") for p, n in counts.items() for i in range(n)]
    df = plot.claims_board_data(claims([f"s{i}" for i in range(6)]), positions(rows))
    order = df.drop_duplicates("x").sort_values("x")["party"].tolist()
    assert order == ["USA", "GBR", "UKR", "IRN", "RUS", "CHN"]


def test_claims_board_matches_claim_ids_and_parties_that_are_not_strings():
    cl = claims(["S", "T"]).assign(claim_id=[1, 2])
    pos = positions([(2, 7, "denies", "2024-01-05")])
    df = plot.claims_board_data(cl, pos)
    assert df.set_index("claim_id")["position"].isna().to_dict() == {"1": True, "2": False}
    assert df.loc[df["claim_id"] == "2", ["party", "position"]].values.tolist() == [["7", "denies"]]


# -- cooperation index ----------------------------------------------------------------------


def goldstein_events(rows: list[tuple]) -> pd.DataFrame:
    """(date, direction, goldstein) rows."""
    df = pd.DataFrame(rows, columns=["date", "direction", "goldstein"])
    df["date"] = pd.to_datetime(df["date"])
    return df


def test_cooperation_index_counts_zero_events_where_a_direction_has_none_in_a_period():
    ev = goldstein_events(
        [("2024-01-05", "mutual", 2.0), ("2024-01-06", "RUS->IRN", 3.0), ("2024-04-01", "mutual", 1.0)]
    )
    df = plot.cooperation_index_data(ev, directions=("RUS->IRN", "mutual"))
    got = {(r.period, r.direction): (r.count, r.events) for r in df.itertuples()}
    q1, q2 = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")
    assert got == {
        (q1, "RUS->IRN"): (1, 2),
        (q1, "mutual"): (1, 2),
        (q2, "RUS->IRN"): (0, 1),
        (q2, "mutual"): (1, 1),
    }
    assert df["count"].dtype == np.int64


def test_cooperation_index_data_of_an_empty_window_has_the_column_types_of_a_full_one():
    ev = goldstein_events([("2024-01-05", "mutual", 2.0)])
    full = plot.cooperation_index_data(ev)
    empty = plot.cooperation_index_data(ev.iloc[0:0])
    assert empty.empty and not full.empty
    assert empty.columns.tolist() == full.columns.tolist()
    for df in (empty, full):
        assert pd.api.types.is_datetime64_any_dtype(df["period"])
        assert pd.api.types.is_float_dtype(df["value"])
        assert df["count"].dtype == df["events"].dtype == np.int64


# -- trade ----------------------------------------------------------------------------------


def trade_rows(rows: list[tuple]) -> pd.DataFrame:
    """(partner_b, year, value_usd, reporter, preferred) rows of turnover, calendar years."""
    df = pd.DataFrame(rows, columns=["partner_b", "year", "value_usd", "reporter", "preferred"])
    return df.assign(partner_a="RUS", flow="turnover", period_type="calendar", notes=None)


def test_trade_data_comparator_rows_are_their_own_low_and_high_in_billions():
    tr = trade_rows(
        [
            ("IRN", 2024, 4.8e9, "A", True),
            ("IRN", 2024, 5.0e9, "B", False),
            ("CHN", 2024, 245e9, "A", True),
            ("CHN", 2023, 240.1e9, "A", True),
        ]
    )
    df = plot.trade_data(tr, comparators=["CHN"])
    assert df.columns.tolist() == ["panel", "partner", "year", "reporter", "bn", "preferred", "low", "high"]
    assert df.index.equals(pd.RangeIndex(len(tr)))
    comp = df[df["panel"] == "comparators"]
    assert sorted(comp["bn"]) == sorted(v / 1e9 for v in (245e9, 240.1e9))
    assert (comp["low"] == comp["bn"]).all() and (comp["high"] == comp["bn"]).all()
    own = df[df["panel"] == "partner"]
    assert own["bn"].tolist() == [4.8e9 / 1e9, 5.0e9 / 1e9]


def test_trade_data_a_missing_preferred_flag_is_not_preferred():
    tr = trade_rows(
        [
            ("IRN", 2024, 4.8e9, "A", True),
            ("IRN", 2024, 5.1e9, "B", None),
            ("CHN", 2024, 245e9, "A", None),
            ("CHN", 2023, 240e9, "A", True),
        ]
    ).astype({"preferred": "boolean"})  # as relations.load("trade") reads it
    df = plot.trade_data(tr, comparators=["CHN"])
    comp = df[df["panel"] == "comparators"]
    assert comp["year"].tolist() == [2023]  # the unflagged 2024 figure is not the preferred series
    own = df[df["panel"] == "partner"]
    assert own["reporter"].tolist() == ["A", "B"]  # every reporter's figure is drawn
    assert own["preferred"].tolist() == [True, False]
    assert df["preferred"].dtype == bool


def test_trade_data_keeps_a_figure_whose_other_fields_are_blank():
    tr = trade_rows([("IRN", 2024, 4.8e9, "A", True), ("IRN", 2025, None, "A", True)])
    tr["notes"] = [None, "growth only"]
    df = plot.trade_data(tr)
    assert df["year"].tolist() == [2024]  # the value-less 2025 row goes, the 2024 one (no notes) stays


# -- status breakdown -----------------------------------------------------------------------


def test_status_breakdown_a_domain_without_a_known_status_gets_empty_bars_not_nan():
    ev = pd.DataFrame(
        {"domain": ["arms", "arms", "trade"], "status": ["confirmed", "denied", "no such status"]}
    )
    df = plot.status_breakdown_data(ev)
    trade = df[df["domain"] == "trade"]
    assert (trade["count"] == 0).all() and (trade["n"] == 0).all()
    assert trade["value"].tolist() == [0.0] * len(trade)
    assert trade["left"].tolist() == [0.0] * len(trade)


# -- arms transfers -------------------------------------------------------------------------


def test_arms_transfers_data_starts_each_status_after_the_earlier_ones_of_its_own_row():
    at = pd.DataFrame(
        {
            "supplier": ["IRN", "IRN", "IRN", "RUS", "RUS", "RUS", "RUS"],
            "recipient": ["RUS", "RUS", "RUS", "IRN", "IRN", "IRN", "IRN"],
            "category": [
                "drones",
                "drones",
                "drones",
                "air_defence",
                "air_defence",
                "air_defence",
                "air_defence",
            ],
            "status": ["delivered", "delivered", "alleged", "delivered", "ordered", "ordered", "alleged"],
        }
    )
    df = plot.arms_transfers_data(at)
    statuses = list(TRANSFER_STATUS_COLOURS)
    for (sup, cat), part in at.groupby(["supplier", "category"]):
        counts = part["status"].value_counts()
        rows = df[(df["supplier"] == sup) & (df["category"] == cat)].set_index("status")
        for i, s in enumerate(statuses):
            assert rows.at[s, "count"] == counts.get(s, 0)
            assert rows.at[s, "left"] == sum(counts.get(t, 0) for t in statuses[:i])
    assert set(df["category"]) == {"drones", "air_defence"}  # as in the table, not as in the label


# -- arms quantities ------------------------------------------------------------------------


def quantities(rows: list[tuple]) -> pd.DataFrame:
    """(transfer_id, delivery_years, number_low, number_high) rows, IRN→RUS, status delivered."""
    df = pd.DataFrame(rows, columns=["transfer_id", "delivery_years", "number_low", "number_high"])
    return df.assign(
        supplier="IRN", recipient="RUS", designation=[f"D{i}" for i in range(len(df))], status="delivered"
    )


def test_arms_quantities_data_columns_labels_and_missing_bounds():
    at = quantities(
        [
            ("a", "2022-2023", 400, None),
            ("b", None, None, 48),
            ("c", "2024", "several", "about 10"),
            ("d", "2021", "12", "20"),
        ]
    )
    df = plot.arms_quantities_data(at)
    assert df.columns.tolist() == [
        "transfer_id",
        "label",
        "delivery_years",
        "first_year",
        "status",
        "low",
        "high",
        "y",
    ]
    rows = df.set_index("transfer_id")
    assert "c" not in rows.index  # no number at all: left out
    assert rows.loc["a", ["low", "high"]].tolist() == [400.0, 400.0]
    assert rows.loc["b", ["low", "high"]].tolist() == [48.0, 48.0]  # a missing low takes the high
    assert rows.loc["d", ["low", "high"]].tolist() == [12.0, 20.0]
    assert rows.loc["b", "delivery_years"] == "not delivered"
    assert rows.loc["a", "label"] == "IRN→RUS  D0"
    assert df["transfer_id"].tolist() == ["d", "a", "b"]  # by first delivery year, undelivered last


# -- timeline -------------------------------------------------------------------------------


def timeline_events(n: int, **cols) -> pd.DataFrame:
    df = pd.DataFrame(
        {
            "event_id": [f"e{i}" for i in range(n)],
            "date": pd.to_datetime("2024-05-01"),
            "domain": "arms",
            "status": "confirmed",
            "title": [f"T{i}" for i in range(n)],
            "key_event": True,
        }
    )
    return df.assign(**cols)


def test_timeline_data_keeps_events_without_a_title_and_its_columns():
    ev = timeline_events(3, title=["A", None, "C"])
    df = plot.timeline_data(ev)
    assert df["event_id"].tolist() == ["e0", "e1", "e2"]
    assert df.columns.tolist() == ["event_id", "date", "domain", "status", "title", "y", "milestone"]


def test_timeline_data_gives_plain_strings_and_integer_rows_for_categorical_columns():
    ev = timeline_events(2, domain=["arms", "trade"], status=["confirmed", "alleged"])
    ev = ev.astype({"domain": "category", "status": "category", "title": "category"})
    df = plot.timeline_data(ev)
    for col in ("domain", "status", "title"):
        assert not isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert pd.api.types.is_integer_dtype(df["y"])


def test_timeline_data_a_missing_key_event_flag_gets_no_milestone():
    ev = timeline_events(3, key_event=pd.array([True, pd.NA, False], dtype="boolean"))
    df = plot.timeline_data(ev)
    assert df.set_index("event_id")["milestone"].isna().to_dict() == {"e0": False, "e1": True, "e2": True}
    assert df["milestone"].max() == 1


def test_timeline_data_milestones_of_the_same_day_keep_the_tables_order():
    ev = timeline_events(30)
    df = plot.timeline_data(ev, max_labels=30)
    assert df.set_index("event_id")["milestone"].to_dict() == {f"e{i}": i + 1 for i in range(30)}
    assert df["milestone"].max() == 30 and df["milestone"].sum() == sum(range(1, 31))


def test_timeline_data_milestones_are_whole_numbers_with_missing_values():
    df = plot.timeline_data(timeline_events(3, key_event=[True, False, True]))
    assert pd.api.types.is_integer_dtype(df["milestone"])
    assert df["milestone"].isna().tolist() == [False, True, False]


def test_timeline_data_label_errors_say_what_is_wrong():
    ev = timeline_events(2)
    with pytest.raises(ValueError, match=r"^label='nope' is not a column of data$"):
        plot.timeline_data(ev, label="nope")
    with pytest.raises(ValueError, match=r"^label as a list of event ids needs an event_id column$"):
        plot.timeline_data(ev.drop(columns="event_id"), label=["e0"])


# -- treaty matrix --------------------------------------------------------------------------


def provisions(rows: list[tuple]) -> pd.DataFrame:
    """(agreement_id, atop_obligation, value, article, alternative_value) rows."""
    return pd.DataFrame(
        rows, columns=["agreement_id", "atop_obligation", "value", "article", "alternative_value"]
    )


def test_treaty_matrix_cell_texts():
    pr = provisions(
        [
            ("a", "defense", "no", "3", "yes"),  # an alternative coding is defensible: "no*"
            ("a", "offense", "yes", None, None),  # no article
            ("a", "neutral", None, None, None),  # left open
        ]
    )
    df = plot.treaty_matrix_data(pr, agreements=["a"]).set_index("obligation")
    assert df.loc["defense", "text"] == "no*\nArt. 3"
    assert df.loc["offense", "text"] == "yes\narticle n/a"
    assert df.loc["neutral", "text"] == "left open"
    for ob in set(OBLIGATIONS) - {"defense", "offense", "neutral"}:
        assert df.loc[ob, "text"] == "not coded"
    assert df["coded"].tolist() == [ob in ("defense", "offense") for ob in OBLIGATIONS]


def test_treaty_matrix_names_a_treaty_by_its_label_else_its_id():
    known = next(iter(TREATIES))
    pr = provisions([(known, "defense", "yes", "1", None)])
    df = plot.treaty_matrix_data(pr, agreements=[known, "zzz", "yyy"], labels={"yyy": "Y treaty"})
    names = df.drop_duplicates("agreement_id").set_index("agreement_id")["treaty"].to_dict()
    assert names == {known: TREATIES[known], "zzz": "zzz", "yyy": "Y treaty"}
