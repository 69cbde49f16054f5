"""The data step of every chart, against plain pandas on the CSV files and on small frames
whose answers are worked out by hand. (The drawing steps are checked in test_plot.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import relations
from relations import plot

DATA = Path(__file__).resolve().parent.parent / "data"


def csv(name: str) -> pd.DataFrame:
    """A table read with plain pandas, not through the package's loader."""
    df = pd.read_csv(DATA / f"{name}.csv", dtype={"cameo_code": str, "cameo_also": str, "article": str})
    for col in ("date", "first_reported"):
        if col in df:
            df[col] = pd.to_datetime(df[col])
    return df


def enum(table: str, field: str) -> list[str]:
    package = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in package["resources"] if r["name"] == table)
    return next(f for f in res["schema"]["fields"] if f["name"] == field)["constraints"]["enum"]


def events(rows: list[tuple]) -> pd.DataFrame:
    """Hand-made events: (date, domain, status, goldstein, direction, cameo_code)."""
    cols = ["date", "domain", "status", "goldstein", "direction", "cameo_code"]
    df = pd.DataFrame(rows, columns=cols)
    df["date"] = pd.to_datetime(df["date"])
    df["title"] = [f"event {i}" for i in range(len(df))]
    df["event_id"] = [f"ev-{i}" for i in range(len(df))]
    return df


# -- activity and contacts: stacked counts ------------------------------------------------


def test_activity_data_stacks_each_domain_on_the_earlier_ones():
    ev = events(
        [
            ("2024-01-10", "diplomacy", "confirmed", 1, "mutual", "042"),
            ("2024-02-10", "diplomacy", "confirmed", 1, "mutual", "042"),
            ("2024-03-10", "arms", "alleged", 1, "mutual", "042"),
            ("2024-03-11", "trade", "confirmed", 1, "mutual", "042"),
            ("2024-10-01", "trade", "confirmed", 1, "mutual", "042"),
        ]
    )
    df = plot.activity_data(ev)
    q1, q4 = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-10-01")
    # Q1: diplomacy 2 (0-2), arms 1 (2-3), trade 1 (3-4); Q4: trade 1 (0-1); nothing in Q2, Q3
    got = list(df[["period", "domain", "count", "bottom"]].itertuples(index=False, name=None))
    assert got == [(q1, "diplomacy", 2, 0), (q1, "arms", 1, 2), (q1, "trade", 1, 3), (q4, "trade", 1, 0)]


def test_activity_data_matches_pandas_on_the_shipped_events():
    raw = csv("events")
    order = [d for d in enum("events", "domain") if d in set(raw["domain"])]
    table = pd.crosstab(raw["date"].dt.year, raw["domain"]).reindex(columns=order, fill_value=0)
    bottoms = table.cumsum(axis=1).shift(1, axis=1).fillna(0).astype(int)
    expected = {
        (pd.Timestamp(year=y, month=1, day=1), d): (int(table.at[y, d]), int(bottoms.at[y, d]))
        for y in table.index
        for d in order
        if table.at[y, d] > 0
    }
    df = plot.activity_data(relations.load("events"), freq="YS")
    got = {(r.period, r.domain): (r.count, r.bottom) for r in df.itertuples()}
    assert got == expected
    assert df["count"].sum() == len(raw)


def test_contacts_data_counts_only_contacts_between_the_two():
    ev = events(
        [
            ("2024-01-10", "diplomacy", "confirmed", 1, "mutual", "041"),  # call
            ("2024-01-20", "diplomacy", "confirmed", 1, "RUS->IRN", "042"),  # visit
            ("2024-02-01", "diplomacy", "confirmed", 1, "IRN->RUS", "043"),  # visit
            ("2024-02-02", "diplomacy", "confirmed", 1, "third party", "041"),  # not between the two
            ("2024-02-03", "trade", "confirmed", 1, "mutual", "057"),  # not a contact
            ("2024-04-03", "diplomacy", "confirmed", 1, "mutual", "046"),  # talks
        ]
    )
    df = plot.contacts_data(ev)
    q1, q2 = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")
    got = list(df[["period", "kind", "count", "bottom"]].itertuples(index=False, name=None))
    assert got == [(q1, "call", 1, 0), (q1, "visit", 2, 1), (q2, "talks", 1, 0)]


def test_contacts_data_matches_pandas_on_the_shipped_events():
    raw = csv("events")
    kinds = {"040": "talks", "041": "call", "042": "visit", "043": "visit", "044": "meeting elsewhere"}
    kinds |= {"045": "talks", "046": "talks"}
    # the main code if it is a contact, else the first contact code among the further ones
    first_also = (
        raw["cameo_also"].fillna("").str.split(";").map(lambda cs: next((c for c in cs if c in kinds), None))
    )
    code = raw["cameo_code"].where(raw["cameo_code"].isin(kinds), first_also)
    found = raw[code.notna() & (raw["direction"] != "third party")]
    quarter = found["date"].dt.to_period("Q").dt.start_time
    expected = found.groupby([quarter, code[found.index].map(kinds)]).size()
    df = plot.contacts_data(relations.load("events"))
    assert df.set_index(["period", "kind"])["count"].sort_index().to_dict() == expected.sort_index().to_dict()
    assert df["count"].sum() == len(found) > 0


# -- status breakdown ---------------------------------------------------------------------


def test_status_breakdown_data_shares_and_thin_domains():
    ev = events(
        [("2024-01-01", "arms", "confirmed", 1, "mutual", "042")] * 3
        + [("2024-01-01", "arms", "denied", 1, "mutual", "042")]
        + [("2024-01-01", "diplomacy", "reported", 1, "mutual", "042")] * 6
        + [("2024-01-01", "diplomacy", "alleged", 1, "mutual", "042")] * 4
    )
    df = plot.status_breakdown_data(ev).set_index(["domain", "status"])
    assert df.loc[("arms", "confirmed"), ["count", "n", "value", "left"]].tolist() == [3, 4, 75.0, 0.0]
    assert df.loc[("arms", "denied"), ["value", "left"]].tolist() == [
        25.0,
        75.0,
    ]  # after reported, alleged: 0
    assert df.loc[("diplomacy", "reported"), ["value", "left"]].tolist() == [60.0, 0.0]
    assert df.loc[("diplomacy", "alleged"), ["value", "left"]].tolist() == [40.0, 60.0]
    assert bool(df.loc[("arms", "confirmed"), "thin"]) and not df.loc[("diplomacy", "alleged"), "thin"]
    # schema order top-down: diplomacy above arms
    assert df.loc[("diplomacy", "reported"), "y"] > df.loc[("arms", "denied"), "y"]
    counts = plot.status_breakdown_data(ev, normalize=False).set_index(["domain", "status"])
    assert counts.loc[("diplomacy", "alleged"), ["value", "left"]].tolist() == [4.0, 6.0]


def test_status_breakdown_data_matches_pandas_on_the_shipped_events():
    raw = csv("events")
    shares = pd.crosstab(raw["domain"], raw["status"], normalize="index") * 100
    sizes = raw["domain"].value_counts()
    df = plot.status_breakdown_data(relations.load("events"))
    for r in df.itertuples():
        expected = shares.at[r.domain, r.status] if r.status in shares.columns else 0.0
        assert r.value == pytest.approx(expected)
        assert r.n == sizes[r.domain]
        assert r.thin == (sizes[r.domain] < 5)
    assert len(df) == raw["domain"].nunique() * len(enum("events", "status"))


# -- cooperation index --------------------------------------------------------------------

COOP = events(
    [
        ("2024-01-15", "diplomacy", "confirmed", 2.0, "mutual", "042"),
        ("2024-02-15", "diplomacy", "confirmed", 4.0, "mutual", "042"),
        ("2024-01-20", "arms", "confirmed", -5.0, "RUS->IRN", "190"),
        ("2024-04-20", "arms", "confirmed", 7.0, "mutual", "057"),
        ("2024-05-20", "arms", "confirmed", 9.0, "third party", "057"),
        ("2024-06-20", "arms", "confirmed", None, "mutual", "057"),  # not coded: left out
    ]
)


def test_cooperation_index_data_sums_and_means_per_quarter():
    q1, q2 = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-04-01")
    s = plot.cooperation_index_data(COOP, stat="sum").set_index(["period", "direction"])
    assert s.loc[(q1, "mutual"), "value"] == 6.0 and s.loc[(q2, "mutual"), "value"] == 7.0
    assert s.loc[(q1, "RUS->IRN"), "value"] == -5.0 and s.loc[(q2, "RUS->IRN"), "value"] == 0.0
    assert "IRN->RUS" not in s.index.get_level_values("direction")  # no event that way
    assert s.loc[(q1, "mutual"), "events"] == 3 and s.loc[(q2, "mutual"), "events"] == 1  # third party out
    m = plot.cooperation_index_data(COOP, stat="mean").set_index(["period", "direction"])
    assert m.loc[(q1, "mutual"), "value"] == 3.0 and m.loc[(q2, "mutual"), "value"] == 7.0
    assert np.isnan(m.loc[(q2, "RUS->IRN"), "value"])  # undefined, a gap: not 0
    monthly = plot.cooperation_index_data(COOP, freq="MS")
    assert monthly["period"].nunique() == 4  # January to April, March included with nothing
    with pytest.raises(ValueError, match="allowed: sum, mean"):
        plot.cooperation_index_data(COOP, stat="median")


@pytest.mark.parametrize("stat", ["sum", "mean"])
def test_cooperation_index_data_matches_pandas_on_the_shipped_events(stat):
    raw = csv("events").dropna(subset=["goldstein"])
    raw = raw[raw["direction"] != "third party"]
    quarter = raw["date"].dt.to_period("Q").dt.start_time
    expected = raw.groupby([quarter, raw["direction"]])["goldstein"].agg(stat)
    df = plot.cooperation_index_data(relations.load("events"), stat=stat).set_index(["period", "direction"])
    for key, value in expected.items():
        assert df.loc[key, "value"] == pytest.approx(value)
    others = df.drop(index=expected.index)["value"]
    assert (others == 0).all() if stat == "sum" else others.isna().all()
    assert df["count"].sum() == len(raw)


# -- arms transfers -----------------------------------------------------------------------


def test_arms_transfers_data_keeps_the_direction_supplier_to_recipient():
    at = pd.DataFrame(
        {
            "supplier": ["IRN", "IRN", "RUS", "IRN"],
            "recipient": ["RUS", "RUS", "IRN", "RUS"],
            "category": ["drones", "drones", "aircraft", "missiles"],
            "status": ["delivered", "delivered", "ordered", "denied"],
        }
    )
    df = plot.arms_transfers_data(at)
    drones = df[(df["label"] == "IRN→RUS  drones") & (df["status"] == "delivered")]
    assert drones[["supplier", "recipient", "count", "left"]].values.tolist() == [["IRN", "RUS", 2, 0]]
    top_down = df.drop_duplicates("y").sort_values("y", ascending=False)["label"].tolist()
    assert top_down == ["IRN→RUS  drones", "IRN→RUS  missiles", "RUS→IRN  aircraft"]
    assert set(df["label"]) == {"RUS→IRN  aircraft", "IRN→RUS  drones", "IRN→RUS  missiles"}
    missiles = df[(df["label"] == "IRN→RUS  missiles") & (df["count"] > 0)]
    assert missiles[["status", "left"]].values.tolist() == [["denied", 0]]


def test_arms_transfers_data_matches_pandas_on_the_shipped_table():
    raw = csv("arms_transfers")
    raw["label"] = raw["supplier"] + "→" + raw["recipient"] + "  " + raw["category"].str.replace("_", " ")
    expected = raw.groupby(["label", "status"]).size()
    df = plot.arms_transfers_data(relations.load("arms_transfers"))
    got = df[df["count"] > 0].set_index(["label", "status"])["count"]
    assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    for r in df.itertuples():
        assert r.label.startswith(f"{r.supplier}→{r.recipient}")
    assert {"IRN→RUS  drones", "RUS→IRN  air defence"} <= set(df["label"])


# -- trade --------------------------------------------------------------------------------


def test_trade_data_matches_pandas_on_the_shipped_table():
    raw = csv("trade")
    base = raw[(raw["flow"] == "turnover") & (raw["period_type"] == "calendar")].dropna(subset=["value_usd"])
    iran = base[base["partner_b"] == "IRN"]
    df = plot.trade_data(relations.load("trade"), comparators=("CHN", "TUR"), split=True)
    own = df[df["panel"] == "partner"]
    got = sorted(zip(own["year"], own["reporter"], own["bn"].round(6), strict=True))
    assert got == sorted(zip(iran["year"], iran["reporter"], (iran["value_usd"] / 1e9).round(6), strict=True))
    spread = iran.groupby("year")["value_usd"].agg(["min", "max"]) / 1e9
    for r in own.itertuples():
        assert (r.low, r.high) == pytest.approx((spread.at[r.year, "min"], spread.at[r.year, "max"]))
    comp = df[df["panel"] == "comparators"]
    preferred = base[base["partner_b"].isin(["CHN", "TUR", "IRN"]) & (base["preferred"] == True)]  # noqa: E712
    got = sorted(zip(comp["partner"], comp["year"], comp["bn"].round(6), strict=True))
    want = zip(
        preferred["partner_b"], preferred["year"], (preferred["value_usd"] / 1e9).round(6), strict=True
    )
    assert got == sorted(want)
    alone = plot.trade_data(relations.load("trade"), comparators=("CHN",))
    assert set(alone.loc[alone["panel"] == "comparators", "partner"]) == {"CHN"}


# -- claims board -------------------------------------------------------------------------


def test_claims_board_data_keeps_each_partys_latest_position_not_the_first():
    claims = pd.DataFrame(
        {
            "claim_id": ["c2", "c1"],
            "statement": ["Second claim", "First claim"],
            "status": ["alleged", "denied"],
            "first_reported": pd.to_datetime(["2024-05-01", "2024-01-01"]),
        }
    )
    positions = pd.DataFrame(  # rows deliberately not in date order
        {
            "claim_id": ["c1", "c1", "c1", "c2"],
            "party": ["IRN", "IRN", "USA", "USA"],
            "position": ["denies", "confirms", "asserts", "asserts"],
            "date": pd.to_datetime(["2024-03-01", "2024-01-02", "2024-01-01", "2024-05-01"]),
        }
    )
    df = plot.claims_board_data(claims, positions)
    cells = {(r.claim_id, r.party): r.position for r in df.itertuples() if isinstance(r.position, str)}
    assert cells == {("c1", "IRN"): "denies", ("c1", "USA"): "asserts", ("c2", "USA"): "asserts"}
    assert df.drop_duplicates("y")["claim_id"].tolist() == ["c1", "c2"]  # by first report
    assert df.drop_duplicates("x")["party"].tolist() == ["USA", "IRN"]
    assert len(df) == 2 * 2  # c2 has no Iranian position: an empty cell


def test_claims_board_data_matches_pandas_on_the_shipped_tables():
    pos = csv("claim_positions")
    expected = {}
    for key, group in pos.groupby(["claim_id", "party"]):
        dated = group.dropna(subset=["date"])
        # the latest dated position; a party with undated positions only: the last one listed
        expected[key] = (
            dated.loc[dated["date"].idxmax(), "position"] if len(dated) else group["position"].iloc[-1]
        )
    df = plot.claims_board_data(relations.load("claims"), relations.load("claim_positions"))
    got = {(r.claim_id, r.party): r.position for r in df.itertuples() if isinstance(r.position, str)}
    assert got == expected
    claims = csv("claims").sort_values("first_reported", kind="stable")
    assert df.drop_duplicates("y")["claim_id"].tolist() == claims["claim_id"].tolist()


# -- treaty matrix and timeline -----------------------------------------------------------


def test_treaty_matrix_data_matches_the_shipped_provisions():
    raw = csv("agreement_provisions").dropna(subset=["atop_obligation"])
    df = plot.treaty_matrix_data(relations.load("agreement_provisions"))
    assert len(df) == 5 * 3
    for r in df.itertuples():
        hit = raw[(raw["agreement_id"] == r.agreement_id) & (raw["atop_obligation"] == r.obligation)]
        if hit.empty or pd.isna(hit.iloc[0]["value"]):
            assert (r.value, r.coded) == (0.5, False)
        else:
            assert (r.value, r.coded) == ({"yes": 1.0, "no": 0.0}[hit.iloc[0]["value"]], True)
            article = hit.iloc[0]["article"]
            assert r.text.startswith(hit.iloc[0]["value"])
            assert (f"Art. {article}" if isinstance(article, str) else "article n/a") in r.text
    defence = df[df["obligation"] == "defense"].sort_values("col")
    assert defence["value"].tolist() == [0.0, 0.0, 1.0]


def test_timeline_data_numbers_milestones_in_date_order_and_caps_them():
    ev = events([(f"2024-{m:02d}-01", "diplomacy", "confirmed", 1, "mutual", "042") for m in range(1, 11)])
    ev["key_event"] = True
    df = plot.timeline_data(ev, max_labels=4)
    picked = df.dropna(subset=["milestone"]).sort_values("milestone")
    assert picked["milestone"].tolist() == [1, 2, 3, 4]
    assert picked["date"].is_monotonic_increasing
    assert picked["date"].iloc[0] == ev["date"].min() and picked["date"].iloc[-1] == ev["date"].max()
    chosen = plot.timeline_data(ev, label=["ev-3", "ev-1"])
    assert chosen.dropna(subset=["milestone"])[["event_id", "milestone"]].values.tolist() == [
        ["ev-1", 1],
        ["ev-3", 2],
    ]
    assert plot.timeline_data(ev, label=None)["milestone"].isna().all()


def test_timeline_data_matches_the_shipped_events():
    raw = csv("events")
    order = [d for d in enum("events", "domain") if d in set(raw["domain"])]
    df = plot.timeline_data(relations.load("events"))
    assert len(df) == len(raw)
    assert (df["y"] == df["domain"].map(order.index)).all()
    statuses = [s for s in enum("events", "status") if s in set(raw["status"])]
    assert df["status"].drop_duplicates().tolist() == statuses
    assert df["milestone"].notna().sum() == min(8, int(raw["key_event"].sum()))
    assert set(df.loc[df["milestone"].notna(), "event_id"]) <= set(raw.loc[raw["key_event"], "event_id"])


def test_a_treaty_signed_during_a_visit_counts_once_as_a_visit():
    found = plot.contact_events(relations.load("events")).set_index("event_id")
    assert found.loc["ev-2025-01-17-treaty-signed", "contact_kind"] == "visit"
    ev = pd.DataFrame(
        {
            "cameo_code": ["057", "057", "041", "057", "042"],
            "cameo_also": [["043"], "190;041", "042", "", "041"],
            "direction": ["mutual", "RUS->IRN", "mutual", "mutual", "third party"],
        }
    )
    assert plot.contact_events(ev)["contact_kind"].to_dict() == {0: "visit", 1: "call", 2: "call"}
