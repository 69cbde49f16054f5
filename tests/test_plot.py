"""Plotting helpers: data first, the given Axes back, the expected artists, a source note,
and no change to matplotlib's global state."""

from __future__ import annotations

import subprocess
import sys

import matplotlib.pyplot as plt
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
    assert len(ax.patches) == n_years * n_domains
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
