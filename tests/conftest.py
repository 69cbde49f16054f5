"""Shared fixtures: a headless matplotlib backend and a tiny, valid copy of the data package."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt

from relations.paths import data_dir

REPO = Path(__file__).resolve().parent.parent

TINY = {
    "sources": [
        {
            "source_id": "src-a",
            "url": "https://example.org/a",
            "publisher": "Example",
            "title": "A",
            "published": "2024-01-02",
            "publisher_type": "independent_media",
            "language": "en",
        },
        {
            "source_id": "src-b",
            "url": "http://example.org/b",
            "publisher": "Agency",
            "title": "B",
            "published": "",
            "publisher_type": "state_media",
            "language": "ru",
        },
    ],
    "events": [
        {
            "event_id": "ev-2024-01-02-one",
            "date": "2024-01-02",
            "date_precision": "day",
            "title": "One",
            "summary": "First.",
            "domain": "diplomacy",
            "actors": "RUS;IRN",
            "status": "confirmed",
            "source_ids": "src-a",
            "cameo_code": "042",
            "direction": "mutual",
            "key_event": "true",
        },
        {
            "event_id": "ev-2024-02-01-two",
            "date": "2024-02-01",
            "date_precision": "month",
            "title": "Two",
            "summary": "Second.",
            "domain": "arms",
            "actors": "IRN;RUS;USA",
            "status": "alleged",
            "source_ids": "src-a;src-b",
            "cameo_code": "",
            "direction": "IRN->RUS",
            "key_event": "false",
        },
    ],
    "agreements": [
        {
            "agreement_id": "tiny-treaty",
            "title": "Tiny treaty",
            "kind": "treaty",
            "parties": "RUS;IRN",
            "signed": "2024-01-02",
            "signed_place": "Moscow",
            "in_force": "2024-03-01",
            "duration_years": "20",
            "n_articles": "47",
            "mutual_defence": "false",
            "status": "in_force",
            "source_ids": "src-b",
            "notes": "",
        },
    ],
}


def write_tables(root: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write ``tables`` as CSVs next to a copy of the real datapackage.json."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(data_dir() / "datapackage.json", root / "datapackage.json")
    for name, rows in tables.items():
        with (root / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    return root


@pytest.fixture
def tiny_tables() -> dict[str, list[dict[str, str]]]:
    """A fresh, mutable copy of the tiny valid tables."""
    return {k: [dict(r) for r in v] for k, v in TINY.items()}


@pytest.fixture
def tiny_data(tmp_path: Path, tiny_tables) -> Path:
    return write_tables(tmp_path / "data", tiny_tables)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")
