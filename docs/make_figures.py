"""Regenerate the README's pictures from the shipped data: ``python docs/make_figures.py``."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import relations

HERE = Path(__file__).resolve().parent


def save(ax, name: str) -> None:
    ax.figure.savefig(HERE / name, dpi=110, bbox_inches="tight", metadata={"Software": None})


def main() -> None:
    events = relations.load("events")
    recent = events[events["date"] >= "2022-01-01"]
    save(relations.plot.timeline(recent, title="The Russia–Iran partnership since 2022"), "timeline.png")
    save(relations.plot.activity(events[events["date"] >= "2020-01-01"]), "activity.png")
    save(relations.plot.status_breakdown(recent), "status.png")
    save(relations.plot.treaty_matrix(relations.load("agreement_provisions")), "treaty.png")
    save(
        relations.plot.claims_board(relations.load("claims"), relations.load("claim_positions")), "claims.png"
    )
    save(relations.plot.trade(relations.load("trade"), comparators=("CHN", "TUR", "IND")), "trade.png")
    save(relations.plot.cooperation_index(recent), "cooperation.png")


if __name__ == "__main__":
    main()
