"""The claims board: each contested claim, its status and every party's position.

>>> import relations
>>> ax = relations.plot.claims_board(relations.load("claims"), relations.load("claim_positions"))
>>> ax.get_title(loc="left")
'Claims board: who says what'
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from ._common import DEFAULT_NOTE, axes, finish, frame
from .style import house_style

__all__ = ["POSITION_STYLE", "claims_board"]

#: Marker and colour per position; the latest position of each party is drawn.
POSITION_STYLE = {
    "asserts": ("^", "#f1a340"),
    "confirms": ("o", "#2f6b3a"),
    "partially_confirms": ("o", "#9fcf9f"),
    "no_comment": ("s", "#bbbbbb"),
    "denies": ("X", "#c0392b"),
}
CLAIM_STATUS_COLOURS = {
    "reported": "#7fb77e",
    "alleged": "#f1a340",
    "confirmed": "#2f6b3a",
    "denied": "#c0392b",
    "disputed": "#8e6bb0",
    "retracted": "#999999",
}


def claims_board(
    claims: pd.DataFrame,
    positions: pd.DataFrame,
    *,
    ax: Axes | None = None,
    parties: Sequence[str] | None = None,
    max_chars: int = 60,
    title: str | None = "Claims board: who says what",
    note: str | None = DEFAULT_NOTE + " Latest dated position of each party; state media report officials.",
    **kwargs,
) -> Axes:
    """One row per claim (with its status), one column per party, a marker for each party's position.

    kwargs are passed to :meth:`matplotlib.axes.Axes.scatter`.
    """
    claims = frame(claims, {"claim_id", "statement", "status", "first_reported"}, "claims")
    positions = frame(positions, {"claim_id", "party", "position", "date"}, "claim_positions")
    latest = positions.sort_values("date").groupby(["claim_id", "party"]).tail(1)
    if parties is None:
        counts = latest["party"].value_counts()
        lead = [p for p in ("USA", "GBR", "UKR", "IRN", "RUS") if p in counts.index]
        parties = lead + [p for p in counts.index if p not in lead]
    cols = {p: i for i, p in enumerate(parties)}
    board = claims.sort_values("first_reported").reset_index(drop=True)
    rows = {cid: i for i, cid in enumerate(board["claim_id"])}
    with house_style():
        ax = axes(ax, (4.5 + 0.8 * len(parties), 1.2 + 0.36 * max(len(board), 1)))
        for pos, (marker, colour) in POSITION_STYLE.items():
            part = latest[
                (latest["position"].astype(str) == pos)
                & latest["claim_id"].isin(rows)
                & latest["party"].isin(cols)
            ]
            if part.empty:
                continue
            style = {"s": 70, "edgecolors": "#333333", "linewidths": 0.5, "zorder": 3} | kwargs
            ax.scatter(
                part["party"].map(cols),
                part["claim_id"].map(rows),
                marker=marker,
                c=colour,
                label=pos.replace("_", " "),
                **style,
            )
        labels = [
            (s if len(s) <= max_chars else s[: max_chars - 1] + "…") for s in board["statement"].astype(str)
        ]
        ax.set_yticks(range(len(board)), labels, fontsize=7.8)
        for i, st in enumerate(board["status"].astype(str)):
            ax.annotate(
                st,
                xy=(len(parties) - 0.4, i),
                fontsize=7.2,
                va="center",
                color=CLAIM_STATUS_COLOURS.get(st, "#333333"),
                annotation_clip=False,
            )
        ax.set_xticks(range(len(parties)), list(parties))
        ax.xaxis.tick_top()
        ax.set_xlim(-0.6, len(parties) + 0.4)
        ax.set_ylim(len(board) - 0.5, -0.5)
        ax.grid(True, axis="both", color="#eeeeee")
        handles = [
            Line2D([], [], ls="", marker=m, color=c, markeredgecolor="#333333", label=p.replace("_", " "))
            for p, (m, c) in POSITION_STYLE.items()
        ]
        ax.legend(handles=handles, title="position", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
