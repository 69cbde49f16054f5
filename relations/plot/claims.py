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

from ._common import DEFAULT_NOTE, axes, finish, frame, nothing
from .style import house_style

__all__ = ["POSITION_STYLE", "claims_board", "claims_board_data"]

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


def claims_board_data(
    claims: pd.DataFrame,
    positions: pd.DataFrame,
    *,
    parties: Sequence[str] | None = None,
    max_chars: int = 60,
) -> pd.DataFrame:
    """One row per claim and party: ``claim_id, y, label, status, party, x, position, date``.

    ``position`` is the party's LATEST dated position on the claim (NaN where it has
    none; a party with undated positions only keeps the last one listed); claims run
    down by first report (``y``), parties across (``x``): the given ``parties``, or
    those with positions (USA, GBR, UKR, IRN, RUS first).

    >>> cl = pd.DataFrame({"claim_id": ["c"], "statement": ["S"], "status": ["denied"],
    ...     "first_reported": pd.to_datetime(["2024-01-01"])})
    >>> pos = pd.DataFrame({"claim_id": ["c", "c"], "party": ["IRN", "IRN"],
    ...     "position": ["no_comment", "denies"], "date": pd.to_datetime(["2024-01-02", "2024-03-01"])})
    >>> claims_board_data(cl, pos)[["party", "position"]].values.tolist()
    [['IRN', 'denies']]
    """
    claims = frame(claims, {"claim_id", "statement", "status", "first_reported"}, "claims")
    positions = frame(positions, {"claim_id", "party", "position", "date"}, "claim_positions")
    # undated positions count as older than any dated one; among them the table's order holds
    latest = positions.dropna(subset=["party"]).sort_values("date", kind="stable", na_position="first")
    latest = latest.groupby(["claim_id", "party"]).tail(1)
    if parties is None:
        counts = latest["party"].astype(str).value_counts()
        lead = [p for p in ("USA", "GBR", "UKR", "IRN", "RUS") if p in counts.index]
        parties = lead + [p for p in counts.index if p not in lead]
    board = claims.sort_values("first_reported", kind="stable").reset_index(drop=True)
    rows = pd.DataFrame(
        {
            "claim_id": board["claim_id"].astype(str),
            "y": range(len(board)),
            "label": [
                s if len(s) <= max_chars else s[: max_chars - 1] + "…" for s in board["statement"].astype(str)
            ],
            "status": board["status"].astype(str),
        }
    )
    cols = pd.DataFrame({"party": [str(p) for p in parties], "x": range(len(parties))})
    grid = rows.merge(cols, how="cross") if len(cols) else rows.assign(party=pd.NA, x=pd.NA)
    found = latest.assign(claim_id=latest["claim_id"].astype(str), party=latest["party"].astype(str))
    found = found[["claim_id", "party", "position", "date"]].assign(
        position=lambda f: f["position"].astype(str)
    )
    out = grid.merge(found, on=["claim_id", "party"], how="left")
    return out[["claim_id", "y", "label", "status", "party", "x", "position", "date"]]


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
    df = claims_board_data(claims, positions, parties=parties, max_chars=max_chars)
    board = df.drop_duplicates("y")
    cols = df.dropna(subset=["x"]).drop_duplicates("x").sort_values("x")
    with house_style():
        ax = axes(ax, (4.5 + 0.8 * max(len(cols), 2), 1.6 + 0.36 * max(len(board), 2)))
        if df.empty:
            return nothing(ax, title, note)
        for pos, (marker, colour) in POSITION_STYLE.items():
            part = df[df["position"] == pos]
            if part.empty:
                continue
            style = {"s": 70, "edgecolors": "#333333", "linewidths": 0.5, "zorder": 3} | kwargs
            ax.scatter(
                part["x"].astype(float),
                part["y"].astype(float),
                marker=marker,
                c=colour,
                label=pos.replace("_", " "),
                **style,
            )
        ax.set_yticks(board["y"].tolist(), board["label"].tolist(), fontsize=7.8)
        for r in board.itertuples():
            ax.annotate(
                r.status,
                xy=(len(cols) - 0.4, r.y),
                fontsize=7.2,
                va="center",
                color=CLAIM_STATUS_COLOURS.get(r.status, "#333333"),
                annotation_clip=False,
            )
        ax.set_xticks(cols["x"].astype(int).tolist(), cols["party"].tolist())
        ax.xaxis.tick_top()
        ax.set_xlim(-0.6, len(cols) + 0.4)
        ax.set_ylim(len(board) - 0.5, -0.5)
        ax.grid(True, axis="both", color="#eeeeee")
        handles = [
            Line2D([], [], ls="", marker=m, color=c, markeredgecolor="#333333", label=p.replace("_", " "))
            for p, (m, c) in POSITION_STYLE.items()
        ]
        ax.legend(handles=handles, title="position", loc="upper left", bbox_to_anchor=(1.0, 1.0))
        finish(ax, title, note)
    return ax
