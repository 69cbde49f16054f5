"""The temperature of the relationship: a Goldstein cooperation index and high-level contacts.

>>> import relations
>>> ax = relations.plot.cooperation_index(relations.load("events"))
>>> ax.get_ylabel()
'Goldstein sum per quarter'
"""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from ._common import DEFAULT_NOTE, axes, date_axis, finish, frame, nothing, stacked_counts
from .style import house_style

__all__ = [
    "CONTACT_KINDS",
    "DIRECTIONS",
    "contact_events",
    "contacts",
    "contacts_data",
    "cooperation_index",
    "cooperation_index_data",
    "monthly_index",
]

DIRECTIONS = {"RUS->IRN": "#c0392b", "IRN->RUS": "#1f6f8b", "mutual": "#6d5c9e", "third party": "#999999"}
#: CAMEO codes of high-level contacts, grouped as shown in :func:`contacts`.
CONTACT_KINDS = {
    "call": ("041",),
    "visit": ("042", "043"),
    "meeting elsewhere": ("044",),
    "talks": ("040", "045", "046"),
}
_PERIOD_WORDS = {"QS": "quarter", "MS": "month", "YS": "year"}
_KIND_COLOURS = {"call": "#76b7b2", "visit": "#4e79a7", "meeting elsewhere": "#b07aa1", "talks": "#bab0ac"}


def monthly_index(data: pd.DataFrame, *, freq: str = "MS") -> pd.DataFrame:
    """Goldstein sum, mean and event count per period and direction (tidy frame).

    >>> import relations
    >>> idx = relations.plot.monthly_index(relations.load("events"))
    >>> sorted(idx.columns)
    ['count', 'direction', 'mean', 'period', 'sum']
    """
    data = frame(data, {"date", "goldstein", "direction"}, "events")
    coded = data.dropna(subset=["goldstein", "direction"])
    if coded.empty:
        return pd.DataFrame(columns=["period", "direction", "sum", "mean", "count"])
    period = coded["date"].dt.to_period(freq.rstrip("S") or "M").dt.start_time
    grouped = coded.groupby([period, coded["direction"].astype(str)])["goldstein"]
    out = grouped.agg(["sum", "mean", "count"]).reset_index()
    out.columns = ["period", "direction", "sum", "mean", "count"]
    out[["sum", "mean"]] = out[["sum", "mean"]].astype(float)
    return out


def cooperation_index_data(
    data: pd.DataFrame,
    *,
    stat: str = "sum",
    freq: str = "QS",
    directions: tuple[str, ...] = ("RUS->IRN", "IRN->RUS", "mutual"),
) -> pd.DataFrame:
    """The lines and bars of :func:`cooperation_index`: ``period, direction, value, count, events``.

    One row per period (every period from the first to the last, none left out) and
    direction: ``value`` is the Goldstein ``stat`` of the direction's events (a period
    without events adds 0 to a sum; its mean is undefined, NaN, a gap in the line),
    ``count`` the direction's events, ``events`` all drawn directions' events in the period.

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-01"]),
    ...     "goldstein": [2.0, 4.0], "direction": ["mutual", "mutual"]})
    >>> cooperation_index_data(ev, stat="mean", directions=("mutual",))["value"].tolist()
    [3.0]
    """
    if stat not in ("sum", "mean"):
        raise ValueError(f"stat={stat!r} (allowed: sum, mean)")
    columns = ["period", "direction", "value", "count", "events"]
    idx = monthly_index(data, freq=freq)
    idx = idx[idx["direction"].isin(directions)]
    if idx.empty:
        return pd.DataFrame({c: pd.Series(dtype=float) for c in columns}).astype(
            {"period": "datetime64[ns]", "direction": object, "count": "int64", "events": "int64"}
        )
    periods = pd.date_range(idx["period"].min(), idx["period"].max(), freq=freq)
    full = pd.MultiIndex.from_product([periods, list(directions)], names=["period", "direction"])
    out = idx.set_index(["period", "direction"]).reindex(full)
    out["count"] = out["count"].fillna(0).astype("int64")
    out["value"] = out[stat].fillna(0.0) if stat == "sum" else out[stat]
    out["events"] = out.groupby(level="period")["count"].transform("sum").astype("int64")
    out = out.reset_index()[columns]
    # directions with no event at all in the window are left out, not drawn as flat zeros
    present = set(idx["direction"])
    return out[out["direction"].isin(present)].reset_index(drop=True)


def cooperation_index(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    stat: str = "sum",
    freq: str = "QS",
    directions: tuple[str, ...] = ("RUS->IRN", "IRN->RUS", "mutual"),
    title: str | None = "Cooperation index (Goldstein), by direction",
    note: str | None = DEFAULT_NOTE + " Goldstein values from GDELT's CAMEO lookup.",
    **kwargs,
) -> Axes:
    """Goldstein sum (or mean) per quarter by direction, with event counts as grey bars.

    Parameters
    ----------
    data
        Events with ``goldstein`` and ``direction`` (``relations.load("events")``).
    stat
        ``"sum"`` (net cooperation, default) or ``"mean"`` (average tone).
    freq
        ``"QS"`` (quarters, default: monthly sums are mostly single events), ``"MS"`` or ``"YS"``.
    directions
        Which directions to draw; ``"third party"`` is left out by default.
    kwargs
        Passed to :meth:`matplotlib.axes.Axes.plot`.
    """
    df = cooperation_index_data(data, stat=stat, freq=freq, directions=directions)
    word = _PERIOD_WORDS.get(freq, "period")
    with house_style():
        ax = axes(ax, (10, 4.2))
        if df.empty:
            return nothing(ax, title, note)
        bars = df.drop_duplicates("period")
        width = {"QS": 80, "MS": 25, "YS": 330}.get(freq, 80)
        twin = ax.twinx()
        twin.bar(bars["period"], bars["events"], width=width, color="#dddddd", zorder=0, label="events")
        twin.set_ylabel(f"events per {word}", color="#888888")
        twin.tick_params(axis="y", colors="#888888")
        twin.grid(False)
        twin.spines["right"].set_visible(True)
        ax.set_zorder(twin.get_zorder() + 1)
        ax.patch.set_visible(False)
        for d, part in df.groupby("direction", sort=False):
            style = {"marker": "o", "ms": 3.5, "lw": 1.2, "color": DIRECTIONS.get(d, "#555555")} | kwargs
            ax.plot(part["period"], part["value"].to_numpy(dtype=float), label=d, **style)
        ax.axhline(0, color="#555555", lw=0.6)
        ax.set_ylabel(f"Goldstein {stat} per {word}")
        date_axis(ax)
        ax.legend(title="direction", loc="upper left")
        finish(ax, title, note)
    return ax


def _codes(cell: object) -> list[str]:
    """The further CAMEO codes of one event: a list (as loaded) or a ``;``-separated string."""
    if isinstance(cell, (list, tuple)):
        return [str(c) for c in cell]
    return [c.strip() for c in cell.split(";") if c.strip()] if isinstance(cell, str) else []


def contact_events(data: pd.DataFrame) -> pd.DataFrame:
    """Events that are high-level contacts between Moscow and Tehran (CAMEO 040–046, not third
    party), with their ``contact_kind``. An event counts once, by its main ``cameo_code`` or else
    by the first contact code in ``cameo_also`` (a treaty signed during a visit is a visit).

    >>> ev = pd.DataFrame({"cameo_code": ["057", "057", "042"], "cameo_also": ["042", "", "043"],
    ...                    "direction": ["mutual", "mutual", "third party"]})
    >>> contact_events(ev)["contact_kind"].tolist()
    ['visit']
    """
    data = frame(data, {"cameo_code", "direction"}, "events")
    kind = {c: k for k, group in CONTACT_KINDS.items() for c in group}
    also = data["cameo_also"] if "cameo_also" in data else pd.Series([[]] * len(data), index=data.index)
    found = [
        next((kind[c] for c in [str(main), *_codes(more)] if c in kind), None)
        for main, more in zip(data["cameo_code"], also, strict=True)
    ]
    found = pd.Series(found, index=data.index, dtype=object)
    mask = found.notna() & (data["direction"].astype(str) != "third party")
    out = data[mask].copy()
    out["contact_kind"] = found[mask]
    return out


def contacts_data(data: pd.DataFrame, *, freq: str = "QS") -> pd.DataFrame:
    """Contacts per period and kind, stacked: ``period, kind, count, bottom`` (non-empty bars only).

    >>> ev = pd.DataFrame({"date": pd.to_datetime(["2024-01-05", "2024-02-01", "2024-03-01"]),
    ...     "cameo_code": ["041", "042", "190"], "direction": ["mutual"] * 3})
    >>> contacts_data(ev)[["kind", "count", "bottom"]].to_dict("list")
    {'kind': ['call', 'visit'], 'count': [1, 1], 'bottom': [0, 1]}
    """
    found = contact_events(frame(data, {"date", "cameo_code", "direction"}, "events"))
    found = found.dropna(subset=["date"])
    return stacked_counts(found["date"], found["contact_kind"], list(CONTACT_KINDS), freq, name="kind")


def contacts(
    data: pd.DataFrame,
    *,
    ax: Axes | None = None,
    freq: str = "QS",
    title: str | None = "High-level contacts per quarter",
    note: str | None = DEFAULT_NOTE + " Contacts: CAMEO 040–046 between Russia and Iran.",
    **kwargs,
) -> Axes:
    """Meetings, visits and calls between Russian and Iranian officials per quarter, stacked by kind.

    kwargs are passed to :meth:`matplotlib.axes.Axes.bar`.
    """
    df = contacts_data(data, freq=freq)
    with house_style():
        ax = axes(ax, (10, 4))
        if df.empty:
            return nothing(ax, title, note)
        width = {"QS": 80, "MS": 25, "YS": 330}.get(freq, 80)
        for k, part in df.groupby("kind", sort=False):
            style = {"width": width, "align": "edge", "linewidth": 0} | kwargs
            ax.bar(
                part["period"], part["count"], bottom=part["bottom"], color=_KIND_COLOURS[k], label=k, **style
            )
        ax.set_ylabel("contacts")
        ax.grid(axis="y", color="#dddddd")
        ax.grid(axis="x", visible=False)
        date_axis(ax)
        ax.legend(title="kind", loc="upper left")
        finish(ax, title, note)
    return ax
