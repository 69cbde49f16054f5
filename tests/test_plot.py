"""Plotting helpers: data first, the given Axes back, the expected artists, a source note,
and no change to matplotlib's global state."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import relations
from relations import plot


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return relations.load("events")


def _notes(ax):
    return [t for t in ax.texts if t.get_gid() == "relations-source-note"]


@pytest.mark.parametrize("name", ["timeline", "activity", "status_breakdown"])
def test_helper_draws_on_the_given_axes_with_a_source_note(events, name):
    fig, ax = plt.subplots()
    out = getattr(plot, name)(events, ax=ax)
    assert out is ax
    assert len(fig.axes) == 1
    assert len(_notes(ax)) == 1
    assert "relations" in _notes(ax)[0].get_text()
    assert ax.get_legend() is not None


@pytest.mark.parametrize("name", ["timeline", "activity", "status_breakdown"])
def test_helper_leaves_global_style_alone(events, name):
    before = dict(plt.rcParams)
    getattr(plot, name)(events)
    assert dict(plt.rcParams) == before


@pytest.mark.parametrize("name", ["timeline", "activity", "status_breakdown"])
def test_helper_rejects_non_frames_and_missing_columns(name):
    with pytest.raises(TypeError, match="pandas DataFrame"):
        getattr(plot, name)([1, 2, 3])
    with pytest.raises(ValueError, match="lacks column"):
        getattr(plot, name)(pd.DataFrame({"x": [1]}))


def test_timeline_one_scatter_per_status_and_labels_key_events(events):
    ax = plot.timeline(events, max_labels=5)
    statuses = events["status"].astype(str).unique()
    assert len(ax.collections) == len(statuses)
    n_points = sum(len(c.get_offsets()) for c in ax.collections)
    assert n_points == len(events)
    labels = [t for t in ax.texts if t.get_gid() == "relations-event-label"]
    assert len(labels) == min(5, int(events["key_event"].sum()))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert set(ticks) == set(events["domain"].astype(str))


def test_timeline_labels_chosen_events_and_passes_kwargs(events):
    chosen = events["event_id"].iloc[:2].tolist()
    ax = plot.timeline(events, label=chosen, alpha=0.5)
    labels = [t for t in ax.texts if t.get_gid() == "relations-event-label"]
    assert len(labels) == 2
    assert all(c.get_alpha() == 0.5 for c in ax.collections)


def test_activity_stacks_one_bar_per_period_and_domain(events):
    ax = plot.activity(events, freq="YS")
    years = events["date"].dt.year
    n_years = years.max() - years.min() + 1
    n_domains = events["domain"].astype(str).nunique()
    cells = events.groupby([years, events["domain"].astype(str)], observed=True).size()
    assert len(ax.patches) == (cells > 0).sum() <= n_years * n_domains
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(len(events))


def test_status_breakdown_shares_sum_to_100_per_domain(events):
    ax = plot.status_breakdown(events)
    n_domains = events["domain"].astype(str).nunique()
    assert len(ax.patches) == n_domains * 5
    widths: dict[float, float] = {}
    for p in ax.patches:
        widths[p.get_y()] = widths.get(p.get_y(), 0) + p.get_width()
    assert all(w == pytest.approx(100) for w in widths.values())
    counts = plot.status_breakdown(events, normalize=False)
    assert sum(p.get_width() for p in counts.patches) == pytest.approx(len(events))


def test_helpers_cope_with_an_empty_window(events):
    empty = events.iloc[0:0]
    for name in ("timeline", "activity", "status_breakdown"):
        assert getattr(plot, name)(empty) is not None


def test_import_has_no_side_effects():
    code = (
        "import sys; import relations; "
        "heavy = [m for m in ('matplotlib', 'papermill', 'frictionless', 'nbconvert') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_importing_plot_does_not_touch_rcparams():
    code = (
        "import matplotlib as m; before = dict.copy(m.rcParams); import relations.plot; "
        "print(dict.copy(m.rcParams) == before)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


@pytest.mark.parametrize("name", ["timeline", "activity", "status_breakdown"])
def test_title_can_be_set_or_left_out(events, name):
    ax = getattr(plot, name)(events, title="My chart")
    assert ax.get_title(loc="left") == "My chart"
    ax = getattr(plot, name)(events, title=None, note=None)
    assert ax.get_title(loc="left") == ""
    assert _notes(ax) == []


# -- evidence-base charts ---------------------------------------------------------------


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: relations.load(name) for name in relations.tables()}


def _call(name: str, tables: dict[str, pd.DataFrame], **kwargs):
    fn = getattr(plot, name)
    if name == "claims_board":
        return fn(tables["claims"], tables["claim_positions"], **kwargs)
    data = {
        "cooperation_index": "events",
        "contacts": "events",
        "trade": "trade",
        "arms_transfers": "arms_transfers",
        "treaty_matrix": "agreement_provisions",
    }[name]
    return fn(tables[data], **kwargs)


NEW_HELPERS = ["cooperation_index", "contacts", "trade", "arms_transfers", "treaty_matrix", "claims_board"]


@pytest.mark.parametrize("name", NEW_HELPERS)
def test_evidence_chart_uses_given_axes_and_keeps_global_style(tables, name):
    before = dict.copy(plt.rcParams)
    _fig, ax = plt.subplots()
    assert _call(name, tables, ax=ax) is ax
    assert len(_notes(ax)) == 1
    assert ax.get_title(loc="left")
    assert dict.copy(plt.rcParams) == before


def test_cooperation_index_draws_one_line_per_direction_with_the_right_sums(tables):
    events = tables["events"]
    ax = plot.cooperation_index(events)
    lines = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    idx = plot.monthly_index(events)
    for direction in ("RUS->IRN", "IRN->RUS", "mutual"):
        expected = idx[idx["direction"] == direction]["sum"].to_numpy()
        if len(expected):
            drawn = lines[direction].get_ydata()
            assert float(np.nansum(drawn)) == pytest.approx(float(expected.sum()))
            assert len(drawn) == len(pd.date_range(idx["period"].min(), idx["period"].max(), freq="MS"))
    coded = events.dropna(subset=["goldstein"])
    assert idx["count"].sum() == len(coded.dropna(subset=["direction"]))
    with pytest.raises(ValueError, match="allowed: sum, mean"):
        plot.cooperation_index(events, stat="median")


def test_contacts_counts_only_meetings_calls_and_visits_between_the_two(tables):
    events = tables["events"]
    ax = plot.contacts(events)
    found = plot.contact_events(events)
    assert sum(p.get_height() for p in ax.patches) == pytest.approx(len(found))
    assert set(found["cameo_code"]) <= {"040", "041", "042", "043", "044", "045", "046"}
    assert (found["direction"].astype(str) != "third party").all()


def test_trade_shows_every_reporter_and_comparators(tables):
    trade = tables["trade"]
    ax = plot.trade(trade, comparators=("CHN", "TUR", "IND"))
    iran = trade[
        (trade["partner_b"] == "IRN") & (trade["flow"] == "turnover") & (trade["period_type"] == "calendar")
    ]
    iran = iran.dropna(subset=["value_usd"])
    reporters = set(iran["reporter"])
    labels = {h.get_label() for h in ax.get_legend().legend_handles}
    assert reporters <= labels
    assert {"Russia–China (preferred)", "Russia–India (preferred)"} <= labels
    assert ax.get_yscale() == "log"
    points = sum(len(c.get_offsets()) for c in ax.collections if c.get_label() in reporters)
    assert points == len(iran)


def test_arms_transfers_bars_sum_to_the_number_of_rows(tables):
    arms = tables["arms_transfers"]
    ax = plot.arms_transfers(arms)
    assert sum(p.get_width() for p in ax.patches) == pytest.approx(len(arms))
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {
        "delivered",
        "ordered",
        "withheld",
        "alleged",
        "denied",
    }


def test_treaty_matrix_shows_the_defence_difference(tables):
    ax = plot.treaty_matrix(tables["agreement_provisions"])
    cells = [t for t in ax.texts if t.get_gid() == "relations-cell"]
    assert len(cells) == 5 * 3
    grid = ax.get_images()[0].get_array()
    # row 0 is "defense": no for both Russia–Iran treaties, yes for Russia–North Korea
    assert list(grid[0]) == [0.0, 0.0, 1.0]


def test_claims_board_marks_each_latest_position(tables):
    claims, positions = tables["claims"], tables["claim_positions"]
    ax = plot.claims_board(claims, positions)
    latest = positions.sort_values("date").groupby(["claim_id", "party"]).tail(1)
    drawn = sum(len(c.get_offsets()) for c in ax.collections)
    assert drawn == len(latest)
    assert len(ax.get_yticklabels()) == len(claims)
