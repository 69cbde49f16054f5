"""Plotting helpers: data first, the given Axes back, a source note, no change to matplotlib's
global state, an honest empty chart, and the drawing step drawing exactly what the data step
returns (whose values test_plot_data.py checks against plain pandas)."""

from __future__ import annotations

import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib as mpl
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

import relations
from relations import plot

DATA = Path(__file__).resolve().parent.parent / "data"
ALL = [
    "timeline",
    "activity",
    "status_breakdown",
    *plot.CHARTS.keys() - {"timeline", "activity", "status_breakdown"},
]
INPUTS = {
    "timeline": ("events",),
    "activity": ("events",),
    "status_breakdown": ("events",),
    "cooperation_index": ("events",),
    "contacts": ("events",),
    "trade": ("trade",),
    "arms_transfers": ("arms_transfers",),
    "arms_quantities": ("arms_transfers",),
    "treaty_matrix": ("agreement_provisions",),
    "claims_board": ("claims", "claim_positions"),
}


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return {name: relations.load(name) for name in relations.tables()}


@pytest.fixture(scope="module")
def events(tables) -> pd.DataFrame:
    return tables["events"]


def _call(name: str, tables: dict[str, pd.DataFrame], rows=slice(None), **kwargs):
    return getattr(plot, name)(*(tables[t].iloc[rows] for t in INPUTS[name]), **kwargs)


def _notes(ax):
    return [t for t in ax.texts if t.get_gid() == "relations-source-note"]


def _bars(ax):
    """(x, bottom, height) of every bar, as drawn."""
    return [(round(p.get_x(), 6), p.get_y(), p.get_height()) for p in ax.patches]


@pytest.mark.parametrize("name", sorted(ALL))
def test_helper_draws_on_the_given_axes_with_a_source_note_and_keeps_global_style(tables, name):
    session = ("backend", "interactive")  # the session's own, see relations.plot.style
    before = {k: v for k, v in dict.copy(mpl.rcParams).items() if k not in session}
    _fig, ax = plt.subplots()
    assert _call(name, tables, ax=ax) is ax
    assert len(_notes(ax)) == 1 and "relations" in _notes(ax)[0].get_text()
    assert ax.get_title(loc="left")
    assert {k: v for k, v in dict.copy(mpl.rcParams).items() if k not in session} == before


@pytest.mark.parametrize("name", ["timeline", "activity", "status_breakdown"])
def test_helper_rejects_non_frames_and_missing_columns(name):
    with pytest.raises(TypeError, match="pandas DataFrame"):
        getattr(plot, name)([1, 2, 3])
    with pytest.raises(ValueError, match="lacks column"):
        getattr(plot, name)(pd.DataFrame({"x": [1]}))


@pytest.mark.parametrize("name", sorted(ALL))
def test_an_empty_window_says_so_without_warnings_or_a_1970_axis(tables, name):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = _call(name, tables, rows=slice(0, 0))
        ax.figure.canvas.draw()
    assert [t.get_text() for t in ax.texts if t.get_gid() == "relations-nothing"] == [
        "Nothing in this window"
    ]
    assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert len(ax.collections) == len(ax.patches) == len(ax.lines) == 0 and ax.get_legend() is None
    assert len(_notes(ax)) == 1
    assert not plot.has_data(name, *(tables[t].iloc[0:0] for t in INPUTS[name]))
    assert plot.has_data(name, *(tables[t] for t in INPUTS[name]))


@pytest.mark.parametrize(
    "name", ["timeline", "activity", "status_breakdown", "cooperation_index", "contacts"]
)
def test_a_single_event_draws_without_warnings_on_its_own_dates(events, name):
    # Putin in Tehran, October 2007: a high-level contact with a Goldstein value
    one = events[events["event_id"] == "ev-2007-10-16-putin-tehran-caspian-summit"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ax = getattr(plot, name)(one)
        ax.figure.canvas.draw()
    if name != "status_breakdown":
        lo, hi = (mdates.num2date(x).year for x in ax.get_xlim())
        assert 2006 <= lo <= 2007 <= hi <= 2008


def test_has_data_knows_the_charts_and_their_options(events):
    assert plot.has_data("cooperation_index", events, directions=("RUS->IRN",), title="ignored")
    assert not plot.has_data(
        "cooperation_index", events[events["direction"] == "mutual"], directions=("RUS->IRN",)
    )
    with pytest.raises(ValueError, match="no chart named"):
        plot.has_data("pie", events)


@pytest.mark.slow
def test_explore_leaves_the_backend_and_rcparams_alone():
    code = (
        "import matplotlib as m; m.use('svg'); before = dict.copy(m.rcParams); "
        "from relations.explore import Explorer; ex = Explorer(); "
        "png = ex._chart_png(ex.filtered()); "
        "print(png[:4] == b'\\x89PNG', m.get_backend(), dict.copy(m.rcParams) == before)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "True svg True"


def test_import_has_no_side_effects():
    code = (
        "import sys; import relations; "
        "heavy = [m for m in ('matplotlib', 'papermill', 'frictionless', 'nbconvert') "
        "if m in sys.modules]; print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
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


# -- the drawing step draws exactly the data step ------------------------------------------


def test_timeline_draws_every_event_at_its_row_and_numbers_the_milestones(events):
    df = plot.timeline_data(events, max_labels=5)
    ax = plot.timeline(events, max_labels=5)
    assert [c.get_label() for c in ax.collections] == list(df["status"].unique())
    for c in ax.collections:
        part = df[df["status"] == c.get_label()]
        expected = np.column_stack([mdates.date2num(part["date"]), part["y"]])
        np.testing.assert_allclose(c.get_offsets(), expected)
    assert sum(len(c.get_offsets()) for c in ax.collections) == len(events)
    key = [t.get_text() for t in ax.texts if t.get_gid() == "relations-event-label"]
    numbers = [t.get_text() for t in ax.texts if t.get_gid() == "relations-milestone"]
    assert numbers == ["1", "2", "3", "4", "5"] == [k.split()[0] for k in key]
    rows = sorted(set(zip(df["y"], df["domain"], strict=True)))
    assert [t.get_text() for t in ax.get_yticklabels()] == [d for _, d in rows]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(df["status"].unique())


def test_timeline_labels_chosen_events_and_passes_kwargs(events):
    chosen = events["event_id"].iloc[:2].tolist()
    ax = plot.timeline(events, label=chosen, alpha=0.5)
    labels = [t.get_text() for t in ax.texts if t.get_gid() == "relations-event-label"]
    assert len(labels) == 2 and all(t in " ".join(labels) for t in events["title"].iloc[:2].str[:20])
    assert all(c.get_alpha() == 0.5 for c in ax.collections)


def test_activity_bars_stack_each_domain_on_the_earlier_ones(events):
    raw = pd.read_csv(DATA / "events.csv", parse_dates=["date"])
    ax = plot.activity(events, freq="YS")
    df = plot.activity_data(events, freq="YS")
    expected = [(round(mdates.date2num(r.period), 6), r.bottom, r.count) for r in df.itertuples()]
    assert _bars(ax) == expected
    # independent check of the stacking: in each year the bars tile 0..n without gaps or overlaps
    by_year: dict[int, list[tuple[float, float]]] = {}
    for x, bottom, height in _bars(ax):
        by_year.setdefault(mdates.num2date(x).year, []).append((bottom, height))
    for year, bars in by_year.items():
        tops = [0.0] + [b + h for b, h in sorted(bars)]
        assert [b for b, _ in sorted(bars)] == tops[:-1]
        assert tops[-1] == (raw["date"].dt.year == year).sum()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(df["domain"].unique())


def test_status_breakdown_draws_the_shares_and_flags_thin_domains(events):
    raw = pd.read_csv(DATA / "events.csv")
    window = events[events["date"] >= "2024-01-01"]
    ax = plot.status_breakdown(window)
    df = plot.status_breakdown_data(window)
    drawn = [(p.get_y() + p.get_height() / 2, p.get_x(), p.get_width()) for p in ax.patches]
    assert np.allclose(drawn, df[["y", "left", "value"]].to_numpy(dtype=float))
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == df.drop_duplicates("y").sort_values("y")["domain"].tolist()
    sizes = raw[raw["date"] >= "2024-01-01"]["domain"].value_counts()
    flagged = {t.get_text() for t in ax.texts if t.get_gid() == "relations-thin"}
    assert flagged == {f"n={n}, too few for shares" for n in sizes[sizes < 5]}
    assert len(flagged) > 0
    hatched = {round(p.get_y() + p.get_height() / 2) for p in ax.patches if p.get_hatch()}
    assert {ticks[y] for y in hatched} == set(sizes[sizes < 5].index)
    counts = plot.status_breakdown(events, normalize=False)
    assert sum(p.get_width() for p in counts.patches) == pytest.approx(len(events))


@pytest.mark.parametrize("stat", ["sum", "mean"])
def test_cooperation_index_draws_the_quarterly_stat_per_direction(events, stat):
    raw = pd.read_csv(DATA / "events.csv", parse_dates=["date"]).dropna(subset=["goldstein"])
    raw = raw[raw["direction"] != "third party"]
    quarter = raw["date"].dt.to_period("Q").dt.start_time
    expected = raw.groupby([raw["direction"], quarter])["goldstein"].agg(stat)
    ax = plot.cooperation_index(events, stat=stat)
    lines = {ln.get_label(): ln for ln in ax.get_lines() if not ln.get_label().startswith("_")}
    assert set(lines) == {"RUS->IRN", "IRN->RUS", "mutual"}
    for direction, line in lines.items():
        when = mdates.num2date(line.get_xdata(orig=False))
        drawn = pd.Series(line.get_ydata(), index=when).tz_localize(None)
        want = expected[direction]
        assert drawn[want.index].to_numpy() == pytest.approx(want.to_numpy())
        rest = drawn.drop(want.index)
        assert (rest == 0).all() if stat == "sum" else rest.isna().all()
    twin = next(a for a in ax.figure.axes if a is not ax)
    heights = {
        mdates.num2date(p.get_x() + p.get_width() / 2).replace(tzinfo=None): p.get_height()
        for p in twin.patches
    }
    assert sum(heights.values()) == len(raw)
    with pytest.raises(ValueError, match="allowed: sum, mean"):
        plot.cooperation_index(events, stat="median")


def test_contacts_draws_meetings_calls_and_visits_between_the_two_stacked(events):
    raw = pd.read_csv(DATA / "events.csv", dtype={"cameo_code": str, "cameo_also": str})
    codes = {"040", "041", "042", "043", "044", "045", "046"}
    also = raw["cameo_also"].fillna("").str.split(";").map(lambda cs: bool(codes & set(cs)))
    found = raw[(raw["cameo_code"].isin(codes) | also) & (raw["direction"] != "third party")]
    ax = plot.contacts(events)
    df = plot.contacts_data(events)
    assert _bars(ax) == [(round(mdates.date2num(r.period), 6), r.bottom, r.count) for r in df.itertuples()]
    assert sum(p.get_height() for p in ax.patches) == len(found) > 0


def test_trade_shows_every_reporter_and_comparators_in_their_own_panel(tables):
    trade = tables["trade"]
    raw = pd.read_csv(DATA / "trade.csv")
    iran = raw[(raw["partner_b"] == "IRN") & (raw["flow"] == "turnover") & (raw["period_type"] == "calendar")]
    iran = iran.dropna(subset=["value_usd"])
    ax = plot.trade(trade, comparators=("CHN", "TUR", "IND"))
    labels = {h.get_label() for h in ax.get_legend().legend_handles}
    assert set(iran["reporter"]) <= labels
    assert ax.get_yscale() == "linear"
    points = sorted((float(x), round(float(y), 6)) for c in ax.collections[1:] for x, y in c.get_offsets())
    assert points == sorted(zip(iran["year"].astype(float), (iran["value_usd"] / 1e9).round(6), strict=True))
    other = next(a for a in ax.figure.axes if a is not ax)
    lines = {ln.get_label(): ln for ln in other.get_lines()}
    assert {"Russia–China (preferred)", "Russia–India (preferred)", "Russia–Iran (preferred)"} <= set(lines)
    china = raw[(raw["partner_b"] == "CHN") & (raw["preferred"] == True) & (raw["flow"] == "turnover")]  # noqa: E712
    china = china[china["period_type"] == "calendar"].sort_values("year")
    assert list(lines["Russia–China (preferred)"].get_ydata()) == pytest.approx(
        list(china["value_usd"] / 1e9)
    )
    _fig, one = plt.subplots()
    plot.trade(trade, ax=one, comparators=("CHN",))
    assert one.get_yscale() == "log" and len(one.figure.axes) == 1


def test_arms_transfers_draws_supplier_to_recipient_bars(tables):
    raw = pd.read_csv(DATA / "arms_transfers.csv")
    label = raw["supplier"] + "→" + raw["recipient"] + "  " + raw["category"].str.replace("_", " ")
    expected = raw.assign(label=label).groupby(["label", "status"]).size()
    ax = plot.arms_transfers(tables["arms_transfers"])
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == sorted(set(label), reverse=True)
    colours = {s: mpl.colors.to_rgba(c) for s, c in plot.military.TRANSFER_STATUS_COLOURS.items()}
    drawn = {}
    for p in ax.patches:
        status = next(s for s, c in colours.items() if c == p.get_facecolor())
        if p.get_width() > 0:
            drawn[(ticks[round(p.get_y() + p.get_height() / 2)], status)] = p.get_width()
    assert drawn == expected.to_dict()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(colours)


def test_treaty_matrix_shows_the_defence_difference(tables):
    ax = plot.treaty_matrix(tables["agreement_provisions"])
    cells = [t for t in ax.texts if t.get_gid() == "relations-cell"]
    assert len(cells) == 5 * 3
    grid = ax.get_images()[0].get_array()
    # row 0 is "defense": no for both Russia–Iran treaties, yes for Russia–North Korea
    assert list(grid[0]) == [0.0, 0.0, 1.0]


def test_claims_board_marks_each_partys_latest_position(tables):
    pos = pd.read_csv(DATA / "claim_positions.csv", parse_dates=["date"])
    dated = pos.dropna(subset=["date"])
    latest = dated.loc[dated.groupby(["claim_id", "party"])["date"].idxmax()]
    ax = plot.claims_board(tables["claims"], tables["claim_positions"])
    parties = [t.get_text() for t in ax.get_xticklabels()]
    claims = (
        pd.read_csv(DATA / "claims.csv").sort_values("first_reported", kind="stable")["claim_id"].tolist()
    )
    drawn = {
        (claims[round(y)], parties[round(x)]): c.get_label().replace(" ", "_")
        for c in ax.collections
        for x, y in c.get_offsets()
    }
    for r in latest.itertuples():
        assert drawn[(r.claim_id, r.party)] == r.position
    assert len(drawn) == pos.groupby(["claim_id", "party"]).ngroups
    assert len(ax.get_yticklabels()) == len(claims)
