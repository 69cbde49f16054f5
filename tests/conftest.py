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
from relations.schema import read_package

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
            "reliability": "B",
            "language": "en",
        },
        {
            "source_id": "src-b",
            "url": "http://example.org/b",
            "publisher": "Agency",
            "title": "B",
            "published": "",
            "publisher_type": "state_media",
            "reliability": "C",
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
            "source_ids": "src-a;src-b",
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


# Columns and tables of the evidence base (issue 3), added to the tiny package.
TINY["events"][0].update({"goldstein": "1.9", "friction": "false", "claim_id": "", "cameo_also": ""})
TINY["events"][1].update(
    {"cameo_also": "", "cameo_code": "042", "goldstein": "1.9", "friction": "true", "claim_id": "cl-drones"}
)
TINY.update(
    {
        "cameo_codes": [
            {
                "cameo_code": "042",
                "label": "Make a visit",
                "root_code": "04",
                "quad_class": "1",
                "goldstein": "1.9",
                "source_ids": "src-a",
            },
        ],
        "claims": [
            {
                "claim_id": "cl-drones",
                "statement": "Iran sent drones.",
                "topic": "drones",
                "first_reported": "2024-02-01",
                "status": "denied",
                "likelihood": "likely",
                "confidence": "moderate",
                "value_low": "100",
                "value_high": "200",
                "unit": "drones",
                "source_ids": "src-a",
                "preferred_note": "",
            },
        ],
        "claim_positions": [
            {
                "position_id": "cp-drones-1",
                "claim_id": "cl-drones",
                "party": "USA",
                "position": "asserts",
                "date": "2024-02-01",
                "statement_summary": "US says so.",
                "source_ids": "src-a",
            },
            {
                "position_id": "cp-drones-2",
                "claim_id": "cl-drones",
                "party": "IRN",
                "position": "denies",
                "date": "2024-02-02",
                "statement_summary": "Iran denies.",
                "source_ids": "src-b",
            },
        ],
        "agreement_provisions": [
            {
                "provision_id": "pr-tiny-art3-defense",
                "agreement_id": "tiny-treaty",
                "article": "3",
                "area": "security",
                "summary": "No defence pledge.",
                "atop_obligation": "defense",
                "value": "no",
                "alternative_value": "",
                "alternative_note": "",
                "source_ids": "src-b",
            },
        ],
        "arms_transfers": [
            {
                "transfer_id": "at-drones",
                "supplier": "IRN",
                "recipient": "RUS",
                "designation": "Shahed-136",
                "description": "Drone.",
                "category": "drones",
                "order_year": "2022",
                "delivery_years": "2022-2023",
                "number_low": "100",
                "number_high": "200",
                "status": "denied",
                "claim_id": "cl-drones",
                "source_ids": "src-a",
                "notes": "",
            },
        ],
        "trade": [
            {
                "trade_id": "tr-rus-irn-2024-a",
                "partner_a": "RUS",
                "partner_b": "IRN",
                "year": "2024",
                "period": "2024",
                "period_type": "calendar",
                "reporter": "Customs",
                "flow": "turnover",
                "value_usd": "4800000000",
                "preferred": "true",
                "source_ids": "src-a",
                "notes": "",
            },
            {
                "trade_id": "tr-rus-irn-2024-b",
                "partner_a": "RUS",
                "partner_b": "IRN",
                "year": "2024",
                "period": "2024",
                "period_type": "calendar",
                "reporter": "Ministry",
                "flow": "turnover",
                "value_usd": "5000000000",
                "preferred": "false",
                "source_ids": "src-b",
                "notes": "",
            },
        ],
        "projects": [
            {
                "project_id": "pj-rail",
                "name": "Railway",
                "sector": "transport",
                "status": "under_construction",
                "start": "2023-05-17",
                "end": "",
                "value_low": "162",
                "value_high": "170",
                "unit": "km",
                "source_ids": "src-a",
                "notes": "",
            },
        ],
        "people": [
            {
                "role_id": "ro-someone-1",
                "person_id": "pe-someone",
                "name": "Someone",
                "country": "IRN",
                "role": "President",
                "start": "2024-07-28",
                "end": "",
                "source_ids": "src-b",
            },
        ],
        "memberships": [
            {
                "membership_id": "ms-irn-brics",
                "country": "IRN",
                "organisation": "BRICS",
                "status": "member",
                "date": "2024-01-01",
                "source_ids": "src-a",
                "notes": "",
            },
        ],
        "judgements": [
            {
                "judgement_id": "kj-t",
                "question": "Q?",
                "statement": "S.",
                "likelihood": "likely",
                "confidence": "moderate",
                "as_of": "2024-01-02",
                "basis": "ev-2024-01-02-one",
                "would_change_if": "W.",
                "source_ids": "src-a",
                "recorded": "2024-02-01",
            },
        ],
        "indicators": [
            {
                "indicator_id": "ind-t",
                "name": "N",
                "description": "D",
                "direction": "deepening",
                "domain": "arms",
                "source_ids": "src-a",
                "recorded": "2024-02-01",
            },
        ],
        "indicator_states": [
            {
                "state_id": "is-t-1",
                "indicator_id": "ind-t",
                "date": "2024-01-02",
                "state": "reported",
                "evidence_ids": "ev-2024-01-02-one",
                "note": "N.",
                "source_ids": "src-a",
                "recorded": "2024-02-01",
            },
        ],
    }
)

# Reviews of rows already in the record (issue 12): one re-read event.
TINY["reviews"] = [
    {
        "review_id": "rv-0001",
        "table": "events",
        "row_key": "ev-2024-01-02-one",
        "reviewed_on": "2024-03-01",
        "outcome": "supported",
        "note": "The cited page says what the row says.",
        "source_ids": "src-a",
    },
]

# When each row entered the record or last changed in substance (issue 11): every table but
# the cameo_codes lookup. The analytic tables above have their own; two rows are newer.
for _name, _rows in TINY.items():
    if _name != "cameo_codes":
        for _row in _rows:
            _row.setdefault("recorded", "2024-02-01")
TINY["sources"][1]["recorded"] = "2025-03-01"
TINY["events"][1]["recorded"] = "2025-03-01"
# A row is recorded on or after every date it reports (rule recorded_after_dates).
TINY["agreements"][0]["recorded"] = "2024-03-01"
TINY["claim_positions"][1]["recorded"] = "2024-02-02"
TINY["people"][0]["recorded"] = "2024-08-01"
TINY["reviews"][0]["recorded"] = "2024-03-01"


def write_tables(root: Path, tables: dict[str, list[dict[str, str]]]) -> Path:
    """Write ``tables`` as CSVs next to a copy of the real datapackage.json."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(data_dir() / "datapackage.json", root / "datapackage.json")
    for name, rows in tables.items():
        with (root / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
            declared = read_package(root).table(name).field_names
            fields = [f for f in declared if f in rows[0]] + [f for f in rows[0] if f not in declared]
            writer = csv.DictWriter(fh, fieldnames=fields)
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


def run_cli(argv: list[str], capsys) -> tuple[int, str, str]:
    """Run ``relations ARGV`` in-process; return (exit code, stdout, stderr)."""
    from relations.cli import main

    try:
        code = main(argv)
    except SystemExit as exc:  # argparse's usage errors and --help
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err
