"""The temperature section draws at a resolution that fits its window, and says the same as
"What changed": both leave out events among third parties about the pair."""

from __future__ import annotations

import pandas as pd
import pytest

from relations.briefing import Briefing
from relations.briefing.analysis import changes
from relations.paths import data_dir

CONTACTS = {"040", "041", "042", "043", "044", "045", "046"}


def _events(start: str, end: str) -> pd.DataFrame:
    ev = pd.read_csv(data_dir() / "events.csv", dtype=str, keep_default_na=False)
    ev["date"] = pd.to_datetime(ev["date"])
    return ev[(ev["date"] >= start) & (ev["date"] <= end)]


@pytest.mark.parametrize(
    ("start", "end", "freq"),
    [("2026-01-01", "2026-03-31", "M"), ("2025-01-01", "2025-12-31", "M"), ("2022-01-01", "2025-12-31", "Q")],
)
def test_the_cooperation_chart_is_monthly_for_a_year_or_less(start, end, freq):
    b = Briefing.from_parameters(start=start, end=end, length="full")
    chart = next(c for c in b.section("temperature").figures() if c.name == "cooperation_index")
    ev = _events(start, end)
    ev = ev[(ev["direction"] != "third party") & (ev["goldstein"] != "")]
    periods = ev["date"].dt.to_period(freq)
    n_periods = (periods.max() - periods.min()).n + 1
    assert chart.rows == n_periods * ev["direction"].nunique()


def test_the_contacts_chart_is_monthly_in_a_quarter():
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31", length="full")
    chart = next(c for c in b.section("temperature").figures() if c.name == "contacts")
    ev = _events("2026-01-01", "2026-03-31")
    also = ev["cameo_also"].str.split(";").map(lambda codes: next((c for c in codes if c in CONTACTS), ""))
    code = ev["cameo_code"].where(ev["cameo_code"].isin(CONTACTS), also)
    found = ev[(code != "") & (ev["direction"] != "third party")]
    kind = code[found.index].map(
        lambda c: {"041": "call", "042": "visit", "043": "visit", "044": "elsewhere"}.get(c, "talks")
    )
    assert chart.rows == len(set(zip(found["date"].dt.to_period("M"), kind, strict=True)))


@pytest.mark.parametrize(("start", "end"), [("2026-01-01", "2026-03-31"), ("2025-01-01", "2025-12-31")])
def test_what_changed_sums_the_index_over_the_same_events_as_the_chart(start, end):
    got = changes(Briefing.from_parameters(start=start, end=end)).set_index("metric")
    ev = _events(start, end)
    ev = ev[(ev["direction"] != "third party") & (ev["goldstein"] != "")]
    gold = ev["goldstein"].astype(float)
    assert got.loc["cooperation index (sum)", "current"] == pytest.approx(gold.sum(), abs=0.05)
    assert got.loc["cooperation index (mean)", "current"] == pytest.approx(gold.mean(), abs=0.005)


def test_the_intro_does_not_promise_a_resolution_the_chart_may_not_have():
    b = Briefing.from_parameters(start="2022-01-01", end="2025-12-31", length="full")
    text = b.section("temperature").html()
    assert "per month on" not in text
    assert "third parties" in text
