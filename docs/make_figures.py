"""Regenerate the README's pictures from the shipped data: ``python docs/make_figures.py``."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import relations

HERE = Path(__file__).resolve().parent


def main() -> None:
    events = relations.load("events")
    recent = events[events["date"] >= "2022-01-01"]
    ax = relations.plot.timeline(recent, title="The Russia–Iran partnership since 2022")
    ax.figure.savefig(HERE / "timeline.png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    ax = relations.plot.activity(events[events["date"] >= "2020-01-01"])
    ax.figure.savefig(HERE / "activity.png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    ax = relations.plot.status_breakdown(recent)
    ax.figure.savefig(HERE / "status.png", dpi=110, bbox_inches="tight", metadata={"Software": None})


if __name__ == "__main__":
    main()
