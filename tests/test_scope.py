"""A narrowed briefing shows nothing outside its window and domains, in any section.

Expectations are computed here with plain pandas on the CSV files, table by table, and
compared with the rows each section shows (``data-row`` attributes of its HTML).
"""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from relations.briefing import Briefing
from relations.paths import data_dir

WINDOWS = [
    ("2025-01-01", "2025-12-31", ["arms", "military"]),
    ("2023-04-01", "2023-06-30", ["energy", "trade", "transport", "finance"]),
    ("2022-01-01", "2022-12-31", []),
    ("2024-07-01", "2024-09-30", ["diplomacy"]),
    ("2026-01-01", "2026-03-31", ["nuclear", "space"]),
]
IDS = [f"{s}_{e}_{'-'.join(d) or 'all'}" for s, e, d in WINDOWS]
ALL = [
    "diplomacy", "military", "arms", "security", "nuclear", "space", "energy", "trade",
    "finance", "transport", "multilateral", "sanctions", "legal", "domestic",
]  # fmt: skip


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


def rows(b: Briefing, section: str, css: str) -> list[str]:
    soup = BeautifulSoup(b.section(section).html(), "html.parser")
    return [tr["data-row"] for tr in soup.select(f"table.{css} tbody tr")]


def _in(dates: pd.Series, start: str, end: str) -> pd.Series:
    d = pd.to_datetime(dates, errors="coerce")
    return (d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))


def _years(value: str) -> set[int]:
    if not value:
        return set()
    parts = [int(x) for x in value.split("-")]
    return set(range(parts[0], parts[-1] + 1))


@pytest.fixture(scope="module", params=WINDOWS, ids=IDS)
def case(request):
    start, end, doms = request.param
    return (
        start,
        end,
        doms or ALL,
        Briefing.from_parameters(start=start, end=end, domains=doms, length="full"),
    )


@pytest.mark.slow
def test_event_sections_hold_only_events_of_the_window_and_domains(case):
    start, end, doms, b = case
    ev = csv("events")
    expected = ev[_in(ev["date"], start, end) & ev["domain"].isin(doms)]
    assert set(rows(b, "key_developments", "relations-developments")) <= set(expected["event_id"])
    contested = expected[expected["status"].isin(["alleged", "denied", "disputed"])]
    assert rows(b, "contested", "relations-claims") == sorted(
        contested["event_id"], key=lambda i: (i[3:13], i)
    )
    frictions = expected[expected["friction"] == "true"]
    assert sorted(rows(b, "frictions", "relations-frictions")) == sorted(frictions["event_id"])


def test_agreements_signed_in_the_window(case):
    start, end, doms, b = case
    ag = csv("agreements")
    shown = rows(b, "agreements", "relations-agreements")
    assert set(shown) <= set(ag.loc[_in(ag["signed"], start, end), "agreement_id"])
    if set(doms) & {"diplomacy", "legal"}:  # every agreement is diplomacy and legal
        assert set(shown) == set(ag.loc[_in(ag["signed"], start, end), "agreement_id"])


def test_arms_transfers_ordered_or_delivered_in_the_window_years(case):
    start, end, doms, b = case
    at = csv("arms_transfers")
    years = set(range(int(start[:4]), int(end[:4]) + 1))
    dom = at["category"].map(lambda c: {"space"} if c == "satellites" else {"arms", "military"})
    when = at.apply(
        lambda r: (
            bool(years & ({int(r.order_year)} if r.order_year else set()))
            or bool(years & _years(r.delivery_years))
        ),
        axis=1,
    )
    expected = at[when & dom.map(lambda d: bool(d & set(doms)))]
    shown = rows(b, "military", "relations-arms")
    assert sorted(shown) == sorted(expected["transfer_id"])


def test_claims_and_positions_inside_the_window(case):
    start, end, doms, b = case
    soup = BeautifulSoup(b.section("claims").html(), "html.parser")
    pos = csv("claim_positions").set_index("position_id")
    for li in soup.select("table.relations-claimsboard li[data-row]"):
        date = pos.loc[li["data-row"], "date"]
        # an undated position belongs to no window but the whole record's
        assert date and _in(pd.Series([date]), start, end).iloc[0], (li["data-row"], date)
    cl = csv("claims").set_index("claim_id")
    topics = {"drones", "missiles", "ammunition", "aircraft", "air_defence"}
    for claim in (tr["data-row"] for tr in soup.select("table.relations-claimsboard tbody tr")):
        topic = cl.loc[claim, "topic"]
        allowed = {"arms", "military"} if topic in topics else set()
        allowed |= {"security", "military"} if topic == "intelligence" else set()
        allowed |= {"diplomacy", "legal"} if topic == "treaty" else set()
        assert allowed & set(doms), (claim, topic)


def test_projects_started_or_ended_in_the_window(case):
    start, end, doms, b = case
    pj = csv("projects")
    expected = pj[(_in(pj["start"], start, end) | _in(pj["end"], start, end)) & pj["sector"].isin(doms)]
    assert sorted(rows(b, "economy", "relations-projects")) == sorted(expected["project_id"])


def test_trade_figures_of_the_window_years(case):
    start, end, doms, b = case
    tr = csv("trade")
    years = {str(y) for y in range(int(start[:4]), int(end[:4]) + 1)}
    expected = tr[tr["year"].isin(years) & (tr["partner_b"] == "IRN")] if "trade" in doms else tr.iloc[0:0]
    assert sorted(rows(b, "economy", "relations-trade")) == sorted(expected["trade_id"])


def test_people_in_office_during_the_window(case):
    start, end, doms, b = case
    pe = csv("people")
    began = pd.to_datetime(pe["start"], errors="coerce").astype("datetime64[ns]").fillna(pd.Timestamp.min)
    ended = pd.to_datetime(pe["end"], errors="coerce").astype("datetime64[ns]").fillna(pd.Timestamp.max)
    overlap = (began <= pd.Timestamp(end)) & (ended >= pd.Timestamp(start))
    shown = set(rows(b, "people", "relations-people"))
    assert shown <= set(pe.loc[overlap, "role_id"])
    role = pe.set_index("role_id")["role"].str.lower()
    for rid in shown:
        if "defence" in role[rid]:
            assert {"military", "security"} & set(doms)
        elif "security" in role[rid]:
            assert "security" in doms
        else:
            assert "diplomacy" in doms


def test_a_section_outside_the_domains_is_left_out_with_one_line():
    b = Briefing.from_parameters(
        start="2025-01-01", end="2025-12-31", domains=["arms", "military"], length="full"
    )
    economy = b.section("economy")
    assert economy.left_out and not economy.figures()
    text = BeautifulSoup(economy.html(), "html.parser").get_text(" ", strip=True)
    assert "Left out: this section covers trade, energy" in text and "limited to military, arms" in text
    assert "relations-projects" not in economy.html() and "relations-trade" not in economy.html()
    contents = BeautifulSoup(b.section("header").html(), "html.parser").select("nav a")
    assert "#sec-economy" not in [a["href"] for a in contents]


@pytest.mark.slow
@pytest.mark.parametrize("section", ["key_developments", "agreements", "military", "claims", "people"])
def test_every_section_states_its_scope(section):
    b = Briefing.from_parameters(
        start="2025-01-01", end="2025-12-31", domains=["arms", "military", "diplomacy"], length="full"
    )
    scope = BeautifulSoup(b.section(section).html(), "html.parser").select_one(".relations-section-scope")
    assert scope is not None and "Scope:" in scope.get_text()
    assert "2025" in scope.get_text()


def test_arms_scope_line_names_the_years():
    b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", domains=["arms"], length="full")
    text = BeautifulSoup(b.section("military").html(), "html.parser").get_text(" ", strip=True)
    assert "Transfers ordered or delivered in 2025" in text


def test_sources_listed_are_the_sources_counted():
    b = Briefing.from_parameters(
        start="2025-01-01", end="2025-12-31", domains=["arms", "military"], length="full"
    )
    head = BeautifulSoup(b.section("headline").html(), "html.parser").get_text(" ", strip=True)
    listed = BeautifulSoup(b.section("sources").html(), "html.parser")
    n = len(listed.select("ol.relations-sources li"))
    assert f"{n} distinct sources cited" in head
    assert f"Sources cited in this briefing ({n})" in listed.get_text()


def _figures(b: Briefing) -> dict[str, str]:
    soup = BeautifulSoup(b.section("headline").html(), "html.parser")
    return {
        f.select_one(".label").get_text(): f.select_one(".value").get_text()
        for f in soup.select(".relations-figure")
    }


def test_headline_figures_equal_their_pandas_counts(case):
    start, end, doms, b = case
    ev = csv("events")
    part = ev[_in(ev["date"], start, end) & ev["domain"].isin(doms)]
    got = _figures(b)
    assert got["events in the record"] == str(len(part))
    confirmed = int((part["status"] == "confirmed").sum())
    expected = f"{confirmed} ({confirmed / len(part):.0%})" if len(part) else "0"
    assert got["confirmed (status in the record)"] == expected
    contested = part["status"].isin(["alleged", "denied", "disputed"]).sum()
    assert got["contested (alleged, denied, disputed)"] == str(contested)
    assert got["agreements signed"] == str(len(rows(b, "agreements", "relations-agreements")))


def test_key_developments_are_milestones_first_then_the_most_recent_in_date_order(case):
    start, end, doms, b = case
    ev = csv("events")
    part = ev[_in(ev["date"], start, end) & ev["domain"].isin(doms)]
    key = part[part["key_event"] == "true"].sort_values(["date", "event_id"], ascending=False)
    rest = part[part["key_event"] != "true"].sort_values(["date", "event_id"], ascending=False)
    expected = list(key["event_id"]) + list(rest["event_id"])
    expected = expected[:40]
    shown = rows(b, "key_developments", "relations-developments")
    assert sorted(shown) == sorted(expected)
    dates = [ev.set_index("event_id").loc[i, "date"] for i in shown]
    assert dates == sorted(dates)
