"""The arms-quantities chart: its data step against pandas on the CSV, and its drawing."""

from __future__ import annotations

import re

import pandas as pd

import relations
from relations import plot
from relations.paths import data_dir


def test_quantities_are_the_reported_ranges_ordered_by_first_delivery():
    raw = pd.read_csv(data_dir() / "arms_transfers.csv")
    low = pd.to_numeric(raw["number_low"], errors="coerce")
    high = pd.to_numeric(raw["number_high"], errors="coerce")
    known = raw[low.notna() | high.notna()]
    got = plot.arms_quantities_data(relations.load("arms_transfers")).set_index("transfer_id")
    assert set(got.index) == set(known["transfer_id"])
    for r in known.itertuples():
        lo = r.number_low if pd.notna(r.number_low) else r.number_high
        hi = r.number_high if pd.notna(r.number_high) else r.number_low
        assert (got.loc[r.transfer_id, "low"], got.loc[r.transfer_id, "high"]) == (float(lo), float(hi))
        assert got.loc[r.transfer_id, "label"].startswith(f"{r.supplier}→{r.recipient}")
    first = [
        min(int(y) for y in re.findall(r"\d{4}", str(v))) if pd.notna(v) else 9999
        for v in got.sort_values("y", ascending=False)["delivery_years"].replace("not delivered", None)
    ]
    assert first == sorted(first), "rows run from the earliest delivery down"


def test_the_chart_draws_each_range_at_its_row():
    at = relations.load("arms_transfers")
    df = plot.arms_quantities_data(at)
    ax = plot.arms_quantities(at)
    ranges = {
        (tuple(line.get_xdata()), tuple(line.get_ydata())) for line in ax.lines if line.get_linestyle() == "-"
    }
    expected = {((r.low, r.high), (r.y, r.y)) for r in df.itertuples()}
    assert ranges == expected
    assert ax.get_xscale() == "log"
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert len(labels) == len(df) and all("(" in lab for lab in labels)


def test_no_number_means_nothing_in_this_window():
    at = relations.load("arms_transfers")
    empty = at.assign(number_low=pd.NA, number_high=pd.NA)
    assert not plot.has_data("arms_quantities", empty)
    ax = plot.arms_quantities(empty)
    assert "Nothing in this window" in [t.get_text() for t in ax.texts]
    assert not ax.lines
