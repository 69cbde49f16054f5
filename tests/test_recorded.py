"""``recorded``: when each row entered the record or last changed in substance (issue 11 §3).

Every table but the ``cameo_codes`` lookup declares it as its last column, and
:func:`relations.loaders.recorded_since` lists the rows recorded since a date; its answer is
checked against plain pandas on the CSVs.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

import relations
from relations.loaders import LABEL_LENGTH, recorded_since
from relations.paths import data_dir
from relations.schema import read_package

PKG = read_package()
WITH_RECORDED = [t.name for t in PKG.tables if t.name != "cameo_codes"]


def _csv(name: str, root=None) -> pd.DataFrame:
    return pd.read_csv((root or data_dir()) / f"{name}.csv", dtype=str, keep_default_na=False)


def test_every_table_but_the_cameo_lookup_declares_recorded_last():
    d = json.loads((PKG.root / "datapackage.json").read_text(encoding="utf-8"))
    for res in d["resources"]:
        names = [f["name"] for f in res["schema"]["fields"]]
        if res["name"] == "cameo_codes":
            assert "recorded" not in names
            assert "reference lookup" in res["description"]
            continue
        field = res["schema"]["fields"][-1]
        assert field["name"] == "recorded", res["name"]
        assert field["type"] == "date" and field["constraints"] == {"required": True}
        assert "last changed in substance" in field["description"]
        assert "recorded" in res["description"], f"{res['name']}: how recorded was set is not said"


@pytest.mark.parametrize("name", WITH_RECORDED)
def test_every_shipped_row_has_a_plausible_recorded_date(name):
    frame = _csv(name)
    assert list(frame.columns)[-1] == "recorded"
    days = pd.to_datetime(frame["recorded"], format="%Y-%m-%d")
    assert days.notna().all()
    assert days.between(pd.Timestamp("2001-01-01"), pd.Timestamp(dt.date.today())).all()


def _expected(day: str, root=None) -> pd.DataFrame:
    """The rows recorded on or after ``day``, straight from the CSVs (ISO dates sort as text)."""
    rows = []
    for t in read_package(root).tables:
        frame = _csv(t.name, root)
        if "recorded" not in frame:
            continue
        (key,) = t.primary_key
        new = frame[frame["recorded"] >= day]
        rows += [(t.name, k, r) for k, r in zip(new[key], new["recorded"], strict=True)]
    return pd.DataFrame(rows, columns=["table", "key", "recorded"])


def _as_tuples(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    days = (
        frame["recorded"].dt.strftime("%Y-%m-%d")
        if frame["recorded"].dtype.kind == "M"
        else frame["recorded"]
    )
    return sorted(zip(frame["table"].astype(str), frame["key"].astype(str), days, strict=True))


@pytest.mark.parametrize("day", ["2001-01-01", "2026-11-22", "2026-11-23", "2026-11-29"])
def test_recorded_since_matches_pandas_on_the_csvs(day):
    got = recorded_since(day)
    assert list(got.columns) == ["table", "key", "recorded", "label"]
    assert _as_tuples(got) == _as_tuples(_expected(day))
    assert got["recorded"].is_monotonic_decreasing
    assert got["label"].str.len().between(1, LABEL_LENGTH).all()


def test_recorded_since_covers_every_row_from_the_start():
    got = recorded_since("2001-01-01")
    sizes = got.groupby("table").size().to_dict()
    assert sizes == {name: len(_csv(name)) for name in WITH_RECORDED}


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= LABEL_LENGTH else text[: LABEL_LENGTH - 1].rstrip() + "…"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "column"),
    [
        ("events", "title"),
        ("agreements", "title"),
        ("claims", "statement"),
        ("agreement_provisions", "summary"),
        ("projects", "name"),
        ("indicators", "name"),
    ],
)
def test_labels_are_the_rows_own_words(name, column):
    got = recorded_since("2001-01-01")
    got = got[got["table"] == name].set_index("key")["label"]
    frame = _csv(name).set_index(PKG.table(name).primary_key[0])
    assert got.sort_index().tolist() == frame[column].map(_short).sort_index().tolist()


def test_labels_of_composed_rows():
    got = recorded_since("2001-01-01").set_index(["table", "key"])["label"]
    people = _csv("people").iloc[0]
    assert got["people", people["role_id"]] == f"{people['name']}, {people['role']} ({people['country']})"
    state = _csv("indicator_states").iloc[0]
    assert got["indicator_states", state["state_id"]] == (
        f"{state['indicator_id']} {state['state']} from {state['date']}"
    )
    source = _csv("sources").iloc[0]
    assert got["sources", source["source_id"]] == _short(f"{source['publisher']}: {source['title']}")


def test_recorded_since_on_the_tiny_data(tiny_data):
    got = recorded_since("2025-01-01", data_dir=tiny_data)
    assert got.to_dict("list") == {
        "table": ["sources", "events"],
        "key": ["src-b", "ev-2024-02-01-two"],
        "recorded": [pd.Timestamp("2025-03-01")] * 2,
        "label": ["Agency: B", "Two"],
    }
    assert _as_tuples(recorded_since("2024-02-01", data_dir=tiny_data)) == _as_tuples(
        _expected("2024-02-01", tiny_data)
    )
    assert len(recorded_since("2024-02-01", data_dir=tiny_data)) == sum(
        len(_csv(n, tiny_data)) for n in relations.tables(data_dir=tiny_data) if n != "cameo_codes"
    )


def test_newest_first_then_package_order(tiny_data):
    got = recorded_since("2001-01-01", data_dir=tiny_data)
    assert got["key"].tolist()[:3] == ["src-b", "ev-2024-02-01-two", "ro-someone-1"]
    assert got["recorded"].is_monotonic_decreasing
    order = {name: i for i, name in enumerate(relations.tables(data_dir=tiny_data))}
    for _, same_day in got.groupby("recorded"):
        assert same_day["table"].map(order).is_monotonic_increasing


@pytest.mark.parametrize(
    "day", [dt.date(2025, 3, 1), pd.Timestamp("2025-03-01 17:30"), dt.datetime(2025, 3, 1, 23, 59)]
)
def test_any_form_of_the_day_works(tiny_data, day):
    assert recorded_since(day, data_dir=tiny_data)["key"].tolist() == ["src-b", "ev-2024-02-01-two"]


def test_nothing_recorded_in_the_future_gives_an_empty_frame(tiny_data):
    got = recorded_since(dt.date.today() + dt.timedelta(days=1), data_dir=tiny_data)
    assert got.empty
    assert list(got.columns) == ["table", "key", "recorded", "label"]
    assert got["recorded"].dtype == "datetime64[ns]"


@pytest.mark.parametrize("day", ["last week", "2025-02-30", None])
def test_a_bad_day_is_a_clear_error(day):
    with pytest.raises(ValueError, match="is not a date"):
        recorded_since(day)
