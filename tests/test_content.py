"""What the record must let a reader answer, from the data alone, with sources."""

from __future__ import annotations

import pandas as pd
import pytest

import relations


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return relations.load("events")


@pytest.fixture(scope="module")
def agreements() -> pd.DataFrame:
    return relations.load("agreements").set_index("agreement_id")


def test_record_spans_2001_to_2026_weighted_to_recent_years(events):
    assert len(events) >= 60
    assert events["date"].min() <= pd.Timestamp("2001-12-31")
    assert events["date"].max() >= pd.Timestamp("2026-01-01")
    assert (events["date"] >= "2022-01-01").mean() > 0.5


MILESTONES = [
    "ev-2001-03-12-treaty-foundations",
    "ev-2022-07-19-putin-tehran-visit",
    "ev-2022-11-05-iran-admits-drones",
    "ev-2023-06-09-white-house-alabuga-drone-plant",
    "ev-2024-09-10-blinken-fath360-accusation",
    "ev-2024-09-11-araghchi-denies-missiles",
    "ev-2023-12-05-declaration-countering-ucm",
    "ev-2024-01-17-zakharova-treaty-final-stage",
    "ev-2023-07-04-iran-joins-sco",
    "ev-2024-01-01-iran-joins-brics",
    "ev-2024-05-20-putin-raisi-condolences",
    "ev-2024-07-06-putin-congratulates-pezeshkian",
    "ev-2024-10-11-putin-pezeshkian-ashgabat",
    "ev-2024-10-23-putin-pezeshkian-kazan",
    "ev-2025-01-17-treaty-signed",
    "ev-2025-04-21-putin-signs-ratification-law",
    "ev-2025-05-21-majlis-ratifies-treaty",
    "ev-2025-07-18-jalali-says-treaty-in-force",
    "ev-2025-10-02-treaty-enters-into-force-mfa",
    "ev-2025-06-13-putin-condemns-israeli-strikes",
    "ev-2025-08-28-e3-trigger-snapback-russia-rejects",
    "ev-2025-09-28-snapback-in-effect-lavrov-letter",
]


def test_required_milestones_are_in_the_record(events):
    missing = sorted(set(MILESTONES) - set(events["event_id"]))
    assert not missing


def test_missile_accusation_and_denials_are_both_recorded(events):
    row = events.set_index("event_id").loc["ev-2024-09-10-blinken-fath360-accusation"]
    assert row["status"] == "denied"
    assert {"USA", "IRN", "RUS"} <= set(row["actors"])
    denial = events.set_index("event_id").loc["ev-2024-09-11-araghchi-denies-missiles"]
    assert "IRN" in denial["actors"]


def test_treaty_entry_into_force_keeps_both_versions(events):
    by_id = events.set_index("event_id")
    for eid in ("ev-2025-07-18-jalali-says-treaty-in-force", "ev-2025-10-02-treaty-enters-into-force-mfa"):
        assert by_id.loc[eid, "status"] == "disputed"
    sources = relations.load("sources").set_index("source_id")
    cited = set(by_id.loc["ev-2025-07-18-jalali-says-treaty-in-force", "source_ids"])
    assert cited <= set(sources.index)


def test_the_2025_treaty_and_its_comparator(agreements):
    treaty = agreements.loc["rus-irn-comprehensive-strategic-partnership-treaty-2025"]
    assert treaty["signed"] == pd.Timestamp("2025-01-17")
    assert treaty["signed_place"] == "Moscow"
    assert treaty["n_articles"] == 47
    assert treaty["duration_years"] == 20
    assert not treaty["mutual_defence"]
    dprk = agreements.loc["rus-prk-comprehensive-strategic-partnership-treaty-2024"]
    assert dprk["mutual_defence"]
    assert list(dprk["parties"]) == ["RUS", "PRK"]


def test_required_agreements_are_present(agreements):
    required = {
        "rus-irn-treaty-2001",
        "rus-irn-military-cooperation-2015",
        "rus-irn-declaration-unilateral-coercive-measures-2023",
        "eaeu-irn-fta-2023",
        "rus-irn-rasht-astara-railway-2023",
        "rus-irn-comprehensive-strategic-partnership-treaty-2025",
        "rus-prk-comprehensive-strategic-partnership-treaty-2024",
    }
    assert required <= set(agreements.index)


def test_state_media_is_labelled():
    sources = relations.load("sources")
    tass = sources[sources["url"].str.contains("tass.com|tass.ru", regex=True)]
    assert not tass.empty
    assert (tass["publisher_type"] == "state_media").all()


# -- questions a reader must be able to answer from the data alone (issue: evidence base) --


def test_how_the_2025_treaty_differs_from_the_north_korea_treaty():
    pr = relations.load("agreement_provisions")
    defence = pr[pr["atop_obligation"] == "defense"].set_index("agreement_id")
    assert defence.loc["rus-irn-comprehensive-strategic-partnership-treaty-2025", "value"] == "no"
    assert defence.loc["rus-prk-comprehensive-strategic-partnership-treaty-2024", "value"] == "yes"
    assert defence.loc["rus-prk-comprehensive-strategic-partnership-treaty-2024", "article"] == "4"
    for aid in defence.index:
        assert defence.loc[aid, "source_ids"]


def test_each_side_position_on_missiles_and_drones_is_recorded():
    positions = relations.load("claim_positions")
    for claim in ("cl-fath360-delivery", "cl-shahed-supply"):
        parties = positions[positions["claim_id"] == claim].groupby("party")["position"].apply(set)
        assert "asserts" in parties["USA"]
        assert "denies" in parties["RUS"] or "no_comment" in parties["RUS"]
        assert parties["IRN"] & {"denies", "partially_confirms"}


def test_trade_moved_year_by_year_with_a_reporter_for_each_figure():
    trade = relations.load("trade")
    iran = trade[(trade["partner_b"] == "IRN") & (trade["flow"] == "turnover")]
    years = set(iran["year"])
    assert set(range(2019, 2025)) <= years
    assert iran["reporter"].notna().all()
    preferred = iran[iran["preferred"] & (iran["period_type"] == "calendar")]
    assert not preferred.duplicated("year").any()
    disagreeing = iran[iran["period_type"] == "calendar"].groupby("year")["value_usd"].nunique()
    assert (disagreeing > 1).any(), "reporter disagreements are kept, not flattened"


def test_every_alleged_or_denied_transfer_rests_on_a_claim_with_positions():
    arms = relations.load("arms_transfers")
    contested = arms[arms["status"].isin(["alleged", "denied"])]
    positions = relations.load("claim_positions")
    assert contested["claim_id"].notna().all()
    assert set(contested["claim_id"]) <= set(positions["claim_id"])


def test_events_are_coded_with_cameo_and_goldstein():
    events = relations.load("events")
    codes = relations.load("cameo_codes").set_index("cameo_code")["goldstein"]
    assert events["cameo_code"].notna().all()
    assert (events["goldstein"] == events["cameo_code"].map(codes)).all()
    assert len(events) >= 250
    assert events["direction"].notna().all()
