"""The analytic layer: what changed (checked against pandas on the CSVs), the bottom line's
thresholds and links, judgements valid at a window's end, the indicator board, and the
two lengths."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from relations.briefing import Briefing, section_names
from relations.briefing.analysis import changes, indicator_board, judgements_valid, previous_window
from relations.briefing.bluf import bottom_line, verb
from relations.paths import data_dir

CONTACT_CODES = {"040", "041", "042", "043", "044", "045", "046"}


def csv(name: str) -> pd.DataFrame:
    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


def _between(dates: pd.Series, start, end) -> pd.Series:
    d = pd.to_datetime(dates, errors="coerce")
    return (d >= pd.Timestamp(start)) & (d <= pd.Timestamp(end))


WINDOWS = [
    # (start, end, domains, previous start, previous end)
    ("2026-01-01", "2026-03-31", [], "2025-10-01", "2025-12-31"),  # a quarter: the quarter before
    ("2025-01-01", "2025-12-31", ["arms", "military"], "2024-01-01", "2024-12-31"),  # a year
    ("2024-03-10", "2024-04-08", ["diplomacy"], "2024-02-09", "2024-03-09"),  # 30 days: 30 days before
]


@pytest.mark.parametrize("start,end,doms,pstart,pend", WINDOWS)
def test_what_changed_matches_pandas(start, end, doms, pstart, pend):
    b = Briefing.from_parameters(start=start, end=end, domains=doms)
    prev = previous_window(b.scope)
    assert (prev.start, prev.end) == (pd.Timestamp(pstart), pd.Timestamp(pend))
    got = changes(b).set_index("metric")
    ev = csv("events")
    ev = ev[ev["domain"].isin(doms)] if doms else ev
    for label, lo, hi in (("current", start, end), ("previous", pstart, pend)):
        part = ev[_between(ev["date"], lo, hi)]
        assert got.loc["events", label] == len(part)
        for dom, n in part["domain"].value_counts().items():
            assert got.loc[f"events: {dom}", label] == n
        also = part["cameo_also"].str.split(";").map(lambda codes: bool(CONTACT_CODES & set(codes)))
        is_contact = part["cameo_code"].isin(CONTACT_CODES) | also
        contacts = part[is_contact & (part["direction"] != "third party")]
        assert got.loc["high-level contacts", label] == len(contacts)
        pair = part[part["direction"] != "third party"]  # the index leaves third parties out
        gold = pd.to_numeric(pair["goldstein"], errors="coerce").dropna()
        assert got.loc["cooperation index (sum)", label] == pytest.approx(gold.sum(), abs=0.05)
        if len(gold):
            assert got.loc["cooperation index (mean)", label] == pytest.approx(gold.mean(), abs=0.005)
        pos = csv("claim_positions")
        moved = pos[_between(pos["date"], lo, hi)]["claim_id"]
        if not doms:
            assert got.loc["claims with new positions", label] == moved.nunique()
    pd.testing.assert_series_equal(got["change"], got["current"] - got["previous"], check_names=False)


def test_a_quarter_is_also_compared_with_the_same_quarter_a_year_earlier():
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31")
    got = changes(b).set_index("metric")
    ev = csv("events")
    assert got.loc["events", "year_earlier"] == _between(ev["date"], "2025-01-01", "2025-03-31").sum()
    assert "year_earlier" not in changes(Briefing.from_parameters(start="2024-03-10", end="2024-04-08"))


@pytest.mark.parametrize(
    "before,after,word",
    [
        (2, 3, "was about the same"),  # no "surge" from 2 to 3
        (10, 12, "was about the same"),
        (4, 6, "rose"),
        (10, 16, "rose sharply"),
        (0, 5, "rose sharply"),
        (0, 4, "rose"),
        (20, 14, "fell"),
        (20, 9, "fell sharply"),
    ],
)
def test_change_words_follow_the_thresholds(before, after, word):
    assert verb(before, after) == word


def _bluf_soup(b: Briefing) -> BeautifulSoup:
    return BeautifulSoup(b.section("bluf").html(), "html.parser")


@pytest.mark.slow
@pytest.mark.parametrize("start,end", [("2026-01-01", "2026-03-31"), ("2023-01-01", "2023-12-31")])
def test_bottom_line_is_three_to_six_bullets_each_linked_to_evidence_that_exists(start, end):
    b = Briefing.from_parameters(start=start, end=end)
    bullets = _bluf_soup(b).select("ul.relations-bluf li")
    assert 3 <= len(bullets) <= 6
    anchors = set()
    for li in BeautifulSoup(b.section("evidence").html(), "html.parser").select("[id^=evidence-]"):
        anchors.add(li["id"])
    linked = [a for li in bullets for a in li.select("a[href^='#evidence-']")]
    assert linked, "no bullet links to its evidence"
    for a in linked:
        assert a["href"][1:] in anchors, a["href"]
    # every event a bullet cites lies inside the window
    ev = csv("events").set_index("event_id")
    for a in linked:
        rid = a["href"].removeprefix("#evidence-")
        if rid in ev.index:
            assert _between(pd.Series([ev.loc[rid, "date"]]), start, end).iloc[0], rid


def test_bottom_line_is_deterministic_and_states_the_counts():
    one = [t for t, _ in bottom_line(Briefing.from_parameters(start="2026-01-01", end="2026-03-31"))]
    two = [t for t, _ in bottom_line(Briefing.from_parameters(start="2026-01-01", end="2026-03-31"))]
    assert one == two
    ev = csv("events")
    n = _between(ev["date"], "2026-01-01", "2026-03-31").sum()
    m = _between(ev["date"], "2025-10-01", "2025-12-31").sum()
    assert f"The record holds {n} events in this window" in one[0] and f"held {m}" in one[0]


def test_an_empty_window_says_so_in_the_bottom_line():
    b = Briefing.from_parameters(start="2019-04-01", end="2019-04-30", domains=["space"])
    text = _bluf_soup(b).get_text(" ", strip=True)
    assert "The record holds no event in this window" in text
    assert "No contested claim drew a new position" in text


def test_judgements_are_the_newest_per_question_made_by_the_window_end():
    b = Briefing.from_parameters(start="2024-01-01", end="2024-12-31")
    got = judgements_valid(b)
    j = csv("judgements")
    j = j[pd.to_datetime(j["as_of"]) <= pd.Timestamp("2024-12-31")]
    expected = j.sort_values("as_of").groupby("question").tail(1)
    assert set(got["judgement_id"]) == set(expected["judgement_id"])
    assert (got["as_of"] <= pd.Timestamp("2024-12-31")).all()


def test_judgements_are_labelled_as_our_assessment_apart_from_the_parties():
    b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31")
    soup = BeautifulSoup(b.section("judgements").html(), "html.parser")
    assert "not what the parties say" in soup.get_text()
    assert "our assessment (ICD 203)" in [th.get_text() for th in soup.select("th")]


def test_indicator_board_shows_the_state_at_the_window_end():
    b = Briefing.from_parameters(start="2023-01-01", end="2023-12-31")
    board = indicator_board(b).set_index("indicator_id")
    st = csv("indicator_states")
    st = st[pd.to_datetime(st["date"]) <= pd.Timestamp("2023-12-31")].sort_values(["date", "state_id"])
    for ind, rows in st.groupby("indicator_id"):
        assert board.loc[ind, "state"] == rows.iloc[-1]["state"].replace("_", " "), ind
    # a change is a state that differs from the one before it; a first "not observed" is none
    previous = st.groupby("indicator_id")["state"].shift(1).fillna("not_observed")
    moved = st[st["state"] != previous]
    changed = set(moved.loc[_between(moved["date"], "2023-01-01", "2023-12-31"), "indicator_id"])
    assert set(board.index[board["changed"]]) == changed
    flags = list(indicator_board(b)["changed"])
    assert flags == sorted(flags, reverse=True), "indicators that changed come first"


@pytest.mark.parametrize("end", ["2023-12-31", "2026-06-30"])
def test_indicator_since_is_when_the_state_began_not_the_last_recheck(end):
    b = Briefing.from_parameters(start="2023-01-01", end=end)
    board = indicator_board(b).set_index("indicator_id")
    st = csv("indicator_states")
    st = st[pd.to_datetime(st["date"]) <= pd.Timestamp(end)].sort_values(["date", "state_id"])
    for ind, rows in st.groupby("indicator_id"):
        states = list(rows["state"])
        first = len(states) - 1
        while first > 0 and states[first - 1] == states[-1]:  # walk back over re-checks
            first -= 1
        assert board.loc[ind, "since"] == pd.Timestamp(rows.iloc[first]["date"]), ind
        assert board.loc[ind, "checked"] == pd.Timestamp(rows.iloc[-1]["date"]), ind


@pytest.mark.slow
def test_executive_and_full_lengths_show_their_sections():
    ex = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", length="executive")
    full = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", length="full")
    shown_ex = [n for n in section_names()[1:] if ex.section(n).parts]
    shown_full = [n for n in section_names()[1:] if full.section(n).parts]
    assert shown_ex[:4] == ["bluf", "what_changed", "judgements", "indicators"]
    assert "claims" not in shown_ex and "appendix" not in shown_ex
    assert set(shown_ex) < set(shown_full) and "appendix" in shown_full
    charts = sum(len(ex.section(n).figures()) for n in shown_ex)
    assert 0 < charts <= 4
    rows = BeautifulSoup(ex.section("key_developments").html(), "html.parser").select("tbody tr")
    assert len(rows) <= 15
    with pytest.raises(ValueError, match="allowed: executive, full"):
        Briefing.from_parameters(length="short")


def test_a_window_before_every_judgement_shows_none():
    b = Briefing.from_parameters(start="2019-04-01", end="2019-04-30")
    assert judgements_valid(b).empty and "judgement_id" in judgements_valid(b)
    assert "No judgement of ours covers this window" in b.section("judgements").html()


def test_new_since_lists_the_rows_of_the_briefing_recorded_on_or_after_the_date():
    since = "2026-11-22"
    b = Briefing.from_parameters(start="2022-01-01", end="2022-12-31", since=since, length="full")
    soup = BeautifulSoup(b.section("since").html(), "html.parser")
    shown = [tr["data-row"] for tr in soup.select("table.relations-since tbody tr")]
    ev = csv("events")
    recent = ev[_between(ev["date"], "2022-01-01", "2022-12-31") & (ev["recorded"] >= since)]
    events = [s.split(":", 1)[1] for s in shown if s.startswith("events:")]
    assert events and set(events) <= set(recent["event_id"])
    tables = [s.split(":", 1)[0] for s in shown]
    assert max(tables.count(t) for t in set(tables)) <= 10, "at most ten rows per table"
    assert not [s for s in shown if s.startswith("sources:")], "sources are not rows of a briefing"
    if len(recent) > 10:
        assert "more in events" in soup.get_text()
    j = csv("judgements")
    valid = j[pd.to_datetime(j["as_of"]) <= pd.Timestamp("2022-12-31")]
    for key in (s.split(":", 1)[1] for s in shown if s.startswith("judgements:")):
        assert key in set(valid["judgement_id"])
    executive = Briefing.from_parameters(start="2022-01-01", end="2022-12-31", since=since)
    rows = BeautifulSoup(executive.section("since").html(), "html.parser").select("tbody tr")
    assert not [tr for tr in rows if tr["data-row"].startswith(("trade:", "people:", "projects:"))], (
        "an executive briefing lists no rows of sections it does not show"
    )


def test_no_since_date_means_no_new_section():
    b = Briefing.from_parameters(start="2022-01-01", end="2022-12-31")
    assert not b.section("since").parts
    header = BeautifulSoup(b.section("header").html(), "html.parser")
    assert "#sec-since" not in [a["href"] for a in header.select("nav a")]
    with pytest.raises(ValueError, match="since"):
        Briefing.from_parameters(since="yesterday")


def test_comparator_treaties_are_not_counted_as_agreements_signed():
    b = Briefing.from_parameters(start="2024-04-01", end="2024-06-30", length="full")
    ag = csv("agreements")
    mine = ag[_between(ag["signed"], "2024-04-01", "2024-06-30") & ag["parties"].str.contains("IRN")]
    shown = [
        tr["data-row"]
        for tr in BeautifulSoup(b.section("agreements").html(), "html.parser").select("tbody tr")
    ]
    assert sorted(shown) == sorted(mine["agreement_id"])
    assert "rus-prk-comprehensive-strategic-partnership-treaty-2024" not in shown
    assert "Russia–North Korea" not in " ".join(t for t, _ in bottom_line(b))


def test_a_window_past_the_record_never_claims_more_uncovered_days_than_it_has():
    b = Briefing.from_parameters(start="2026-07-01", end="2026-09-30")
    text = BeautifulSoup(b.section("header").html(), "html.parser").get_text(" ", strip=True)
    assert "none of this window is covered" in text and "the last 104 days" not in text


def test_a_briefing_that_starts_with_the_record_compares_with_nothing_before_it():
    b = Briefing.from_parameters(end="2012-12-31")  # from the record's first event (2001)
    text = " ".join(t for t, _ in bottom_line(b))
    assert "no earlier window to compare with" in text and "1989" not in text
    assert "no earlier window" in BeautifulSoup(b.section("what_changed").html(), "html.parser").get_text()


def test_the_bottom_line_quotes_a_partys_stance_rather_than_a_later_no_comment():
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31")
    claims_sentence = next(t for t, _ in bottom_line(b) if "contested claim" in t)
    pos = csv("claim_positions")
    pos = pos[_between(pos["date"], "2026-01-01", "2026-03-31") & (pos["claim_id"] == "cl-russia-intel-2026")]
    if (pos["position"] != "no_comment").any():
        stance = pos[pos["position"] != "no_comment"].sort_values("date").iloc[-1]
        assert f"{stance['party']} {stance['position'].replace('_', ' ')}" in claims_sentence


def test_the_newest_milestones_lead_the_key_developments_of_the_whole_record():
    b = Briefing.from_parameters()
    shown = [
        tr["data-row"]
        for tr in BeautifulSoup(b.section("key_developments").html(), "html.parser").select("tbody tr")
    ]
    ev = csv("events")
    newest_key = ev[ev["key_event"] == "true"].sort_values("date").iloc[-1]["event_id"]
    assert newest_key in shown


def test_the_treaty_section_says_when_the_treaty_falls_outside_the_window():
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31", length="full")
    text = BeautifulSoup(b.section("treaty").html(), "html.parser").get_text(" ", strip=True)
    assert "outside this window" in text and "Shown because" not in text


@pytest.mark.parametrize(("start", "end"), [("2026-01-01", "2026-03-31"), ("2024-01-01", "2024-12-31")])
def test_the_claims_sentence_links_exactly_the_claims_it_names(start, end):
    claims = csv("claims").set_index("claim_id")["statement"]
    b = Briefing.from_parameters(start=start, end=end)
    text, refs = next((t, r) for t, r in bottom_line(b) if "new position" in t)
    named = {cid for cid, statement in claims.items() if f"“{statement}”" in text}
    assert named and set(refs) == named


def test_the_header_says_when_the_record_was_last_revised():
    """A briefing states how current its data is: the newest event and, beside it, the newest
    change to the record, so a reader sees the record was checked after its newest event."""
    import glob

    revised = max(
        pd.to_datetime(pd.read_csv(f, dtype=str)["recorded"]).max()
        for f in glob.glob(str(data_dir() / "*.csv"))
        if "recorded" in pd.read_csv(f, nrows=0).columns
    )
    newest = pd.to_datetime(csv("events")["date"]).max()
    text = BeautifulSoup(Briefing.from_parameters().header().html, "html.parser").get_text(" ", strip=True)
    days = (revised - newest).days
    assert f"record last revised {revised.day:02d} {revised:%b %Y}, {days} days after that event" in text


def test_the_executive_judgements_name_their_question():
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31")
    soup = BeautifulSoup(b.section("judgements").html(), "html.parser")
    questions = csv("judgements").set_index("judgement_id")["question"]
    rows = soup.select("table.relations-judgements tbody tr[data-row]")
    assert rows
    for tr in rows:
        assert questions[tr["data-row"]] in tr.get_text(" ", strip=True)


@pytest.mark.parametrize(("start", "end"), [(None, None), ("2025-01-01", "2025-12-31")])
def test_key_developments_always_show_the_newest_events_of_the_window(start, end):
    b = Briefing.from_parameters(start=start, end=end)
    shown = [
        tr["data-row"]
        for tr in BeautifulSoup(b.section("key_developments").html(), "html.parser").select("tbody tr")
    ]
    ev = csv("events")
    if start:
        ev = ev[_between(pd.to_datetime(ev["date"]), start, end)]
    newest = ev.sort_values(["date", "event_id"]).tail(3)["event_id"]
    assert set(newest) <= set(shown)
    assert len(shown) == min(15, len(ev))


@pytest.mark.parametrize("length", ["executive", "full"])
def test_every_cited_source_shows_its_reliability_grade(length):
    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31", length=length)
    soup = BeautifulSoup(b.section("sources").html(), "html.parser")
    items = soup.select("ol.relations-sources li")
    grades = csv("sources").set_index("url")["reliability"]
    assert items
    for li in items:
        url = li.find("a")["href"]
        text = li.get_text(" ", strip=True)
        assert text.endswith(f"· {grades[url]}") or f"grade {grades[url]})" in text, text


def test_an_indicator_in_the_evidence_list_shows_its_state_date_and_sources():
    from relations.briefing.analytic import evidence_rows

    b = Briefing.from_parameters(start="2026-01-01", end="2026-03-31")
    ev = evidence_rows(b)
    cited = ev[ev["kind"] == "indicator"].set_index("id")
    assert not cited.empty
    st = csv("indicator_states")
    st = st[pd.to_datetime(st["date"]) <= pd.Timestamp("2026-03-31")].sort_values(["date", "state_id"])
    for ind, row in cited.iterrows():
        last = st[st["indicator_id"] == ind].iloc[-1]
        assert row["status"] == last["state"].replace("_", " ")
        assert row["source_ids"] == last["source_ids"].split(";")
        assert pd.notna(row["date"])


def test_a_judgement_older_than_six_months_at_the_window_end_is_marked():
    b = Briefing.from_parameters(start="2026-04-01", end="2026-06-30")
    soup = BeautifulSoup(b.section("judgements").html(), "html.parser")
    made = pd.to_datetime(csv("judgements").set_index("judgement_id")["as_of"])
    rows = soup.select("table.relations-judgements tbody tr[data-row]")
    assert rows
    for tr in rows:
        old = (pd.Timestamp("2026-06-30") - made[tr["data-row"]]).days > 182
        assert ("may be dated" in tr.get_text(" ", strip=True)) == old, tr["data-row"]
    assert any("may be dated" in tr.get_text() for tr in rows)


@pytest.mark.parametrize(("n", "words"), [(1, "1 row,"), (2, "2 rows,"), (0, "0 rows,")])
def test_a_chart_data_line_counts_its_rows_in_words(n, words):
    from relations.briefing.charts import data_link

    assert words in data_link("activity", pd.DataFrame({"a": range(n)})).html


def test_one_event_is_one_event_in_the_bottom_line_and_key_developments():
    b = Briefing.from_parameters(start="2025-07-01", end="2025-09-30", domains=["energy"])
    ev = csv("events")
    ev = ev[_between(pd.to_datetime(ev["date"]), "2025-07-01", "2025-09-30") & (ev["domain"] == "energy")]
    assert len(ev) == 1  # the case this test is about
    text = " ".join(t for t, _ in bottom_line(b)) + b.section("key_developments").html()
    assert "1 events" not in text and "1 event in this window" in text and "1 of 1 event shown" in text


def test_new_since_lists_the_rows_added_last_first_within_a_day():
    """Rows recorded on the same day are listed latest-added first (new rows are appended to
    the tables), so a since-date on a busy revision day still shows what was added."""
    since = "2026-11-30"
    b = Briefing.from_parameters(since=since)
    soup = BeautifulSoup(b.section("since").html(), "html.parser")
    shown = [tr["data-row"].split(":", 1)[1] for tr in soup.select("table.relations-since tbody tr")]
    ev = csv("events")
    events = [k for k in shown if k.startswith("ev-")]
    same_day = ev[ev["recorded"] == since]["event_id"].tolist()
    if len(same_day) <= 1:
        pytest.skip("needs two events recorded on the same day")
    position = {k: i for i, k in enumerate(ev["event_id"])}
    listed = [position[k] for k in events if k in set(same_day)]
    assert len(listed) > 1 and listed == sorted(listed, reverse=True), "latest-added first"


def test_a_whole_record_briefing_compares_its_last_twelve_months_with_the_twelve_before():
    """The default briefing (the whole record) has nothing before it to compare with; it says
    what changed in its last twelve months instead, and says which months those are."""
    b = Briefing.from_parameters()
    ev = csv("events")
    newest = pd.Timestamp(ev["date"].max())
    lo = newest - pd.DateOffset(years=1) + pd.Timedelta(days=1)
    plo = lo - pd.DateOffset(years=1)
    got = changes(b).set_index("metric")
    assert got.loc["events", "current"] == len(ev[_between(ev["date"], lo, newest)])
    assert got.loc["events", "previous"] == len(ev[_between(ev["date"], plo, lo - pd.Timedelta(days=1))])
    html = b.section("what_changed").html()
    soup = BeautifulSoup(html, "html.parser")
    headers = [th.get_text() for th in soup.select("table.relations-changes th")]
    assert any("last 12 months" in h for h in headers), headers
    assert "no earlier window" not in soup.get_text()
    first = BeautifulSoup(b.section("bluf").html(), "html.parser").select("li")[0].get_text()
    assert "last 12 months" in first, first
