"""Tests written to kill mutants of the analytic layer (``relations.briefing.bluf`` and
``relations.briefing.analysis``) that survived ``benchmarks/mutation/run.sh``.

Behaviour is taken from the docstrings, from the thresholds and sentences of
``sentences.yaml`` and from small hand-made data packages (the tiny tables of ``conftest``,
edited), with the expected figures worked out from those rows, not from the code;
``benchmarks/mutation/RESULTS.md`` lists the mutants left alive as equivalent.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from relations.briefing.bluf import notable, verb


def words() -> dict[str, str]:
    from relations.briefing.bluf import texts

    return texts()["words"]


# -- bluf.verb and bluf.notable -------------------------------------------------------------


@pytest.mark.parametrize(
    ("previous", "current", "kind", "word"),
    [
        # counts "rose"/"fell" at least 2 and at least 25 % (sentences.yaml): both bounds count
        (8, 10, "counts", "up"),
        (8, 6, "counts", "down"),
        (8, 9, "counts", "same"),
        # Goldstein sums: 5 points; 3 points is a change for counts but not for the index
        (10, 13, "goldstein", "same"),
        (20, 25, "goldstein", "up"),
        (20, 15, "goldstein", "down"),
        (20, 35, "goldstein", "sharp_up"),
    ],
)
def test_change_words_at_the_thresholds(previous, current, kind, word):
    assert verb(previous, current, kind) == words()[word]
    assert notable(previous, current, kind) is (word != "same")


# -- bluf._key_first: the ids a sentence links ----------------------------------------------


def test_a_sentence_links_key_events_first_then_the_earliest():
    from relations.briefing.bluf import MAX_REFS, _key_first

    ev = pd.DataFrame(
        {
            "event_id": ["e1", "e2", "e3", "e4", "e5"],
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]),
            "key_event": pd.array([None, False, True, False, True], dtype="boolean"),  # missing: not key
        }
    )
    key = ev[ev["key_event"].fillna(False)].sort_values("date")["event_id"].tolist()
    rest = ev[~ev["key_event"].fillna(False)].sort_values("date")["event_id"].tolist()
    assert _key_first(ev) == (key + rest)[:MAX_REFS]
    assert _key_first(ev.iloc[0:0]) == []


# -- bottom line sentences on a hand-made data package ------------------------------------


def tiny_briefing(tmp_path, tables, **parameters):
    from conftest import write_tables

    from relations.briefing import Briefing

    root = write_tables(tmp_path / "data", tables)
    return Briefing.from_parameters(data_dir=root, length="full", **parameters)


def event(tables, **fields) -> dict[str, str]:
    """A copy of the first tiny event with ``fields`` changed."""
    return {**tables["events"][0], **fields}


def test_milestones_are_signed_agreements_and_key_events_in_date_order(tmp_path, tiny_tables):
    from relations.briefing.bluf import _milestones, texts

    ev = tiny_tables["events"]
    ev[0]["title"] = "Zeta"  # key event on the day the tiny treaty was signed (02 Jan 2024)
    ev.append(
        event(
            tiny_tables,
            event_id="ev-2024-03-05-three",
            date="2024-03-05",
            date_precision="month",
            title="Alpha",
        )
    )
    ev.append(
        event(tiny_tables, event_id="ev-2024-03-20-four", date="2024-03-20", title="Unflagged", key_event="")
    )
    b = tiny_briefing(tmp_path, tiny_tables, start="2024-01-01", end="2024-03-31")
    text, refs = _milestones(b)
    # same day: ordered by id (ev-... before tiny-treaty); a month-precise date shows its month
    items = ["Zeta (02 Jan 2024)", "Tiny treaty signed (02 Jan 2024)", "Alpha (Mar 2024)"]
    assert text == texts()["bluf"]["milestones"].format(items="; ".join(items))
    assert refs == ["ev-2024-01-02-one", "tiny-treaty", "ev-2024-03-05-three"]
    # a fourth, older milestone: the three newest are named, the older one counted
    pact = {**tiny_tables["agreements"][0], "agreement_id": "early-pact", "title": "Early pact"}
    tiny_tables["agreements"].append({**pact, "signed": "2024-01-01", "recorded": "2024-01-01"})
    b = tiny_briefing(tmp_path / "four", tiny_tables, start="2024-01-01", end="2024-03-31")
    text, refs = _milestones(b)
    assert text == texts()["bluf"]["milestones"].format(items="; ".join(items) + " (and 1 earlier)")
    assert refs == ["ev-2024-01-02-one", "tiny-treaty", "ev-2024-03-05-three"]


def test_no_milestone_sentence_for_a_window_without_any(tmp_path, tiny_tables):
    from relations.briefing.bluf import _milestones, texts

    b = tiny_briefing(tmp_path, tiny_tables, start="2024-02-01", end="2024-02-29")
    assert _milestones(b) == (texts()["bluf"]["no_milestones"], [])


def test_the_activity_sentence_names_the_previous_window(tmp_path, tiny_tables):
    from relations.briefing.bluf import bottom_line

    tiny_tables["events"].append(event(tiny_tables, event_id="ev-2024-04-10-q2", date="2024-04-10"))
    b = tiny_briefing(tmp_path, tiny_tables, start="2024-04-01", end="2024-06-30")
    first = bottom_line(b)[0][0]
    # a calendar quarter is compared with the quarter before it
    assert "(01 Apr 2024 – 30 Jun 2024)" in first
    assert "the previous window (01 Jan 2024 – 31 Mar 2024) held 2" in first


# -- analysis: the windows compared -------------------------------------------------------


def scope(start: str, end: str, whole: bool = False):
    from relations.briefing.scope import Scope

    return Scope(pd.Timestamp(start), pd.Timestamp(end), ("arms",), whole_record=whole)


@pytest.mark.parametrize(
    ("start", "end", "prev_start", "prev_end"),
    [
        ("2025-04-01", "2025-06-30", "2025-01-01", "2025-03-31"),  # a calendar quarter: the one before
        ("2025-01-01", "2025-03-31", "2024-10-01", "2024-12-31"),
        ("2025-01-01", "2025-12-31", "2024-01-01", "2024-12-31"),  # a calendar year: the year before
        ("2024-01-01", "2024-12-31", "2023-01-01", "2023-12-31"),
        # whole calendar months: as many months, ending the day before it starts
        ("2025-03-01", "2025-03-31", "2025-02-01", "2025-02-28"),  # a calendar month: the month before
        ("2024-01-01", "2025-12-31", "2022-01-01", "2023-12-31"),  # two calendar years: the two before
        ("2024-07-01", "2025-06-30", "2023-07-01", "2024-06-30"),  # four quarters across a new year
        ("2024-03-01", "2024-04-30", "2024-01-01", "2024-02-29"),  # two months: the two before
        # any other window: as many days, ending the day before it starts
        ("2025-02-10", "2025-02-19", "2025-01-31", "2025-02-09"),
        ("2025-04-01", "2025-06-29", "2025-01-01", "2025-03-31"),  # a day short of a quarter: 90 days
        ("2025-01-01", "2025-01-01", "2024-12-31", "2024-12-31"),
    ],
)
def test_previous_window(start, end, prev_start, prev_end):
    from relations.briefing.analysis import previous_window

    s = scope(start, end, whole=True)
    p = previous_window(s)
    assert (p.start, p.end) == (pd.Timestamp(prev_start), pd.Timestamp(prev_end))
    assert p.domains == s.domains
    assert p.whole_record is False  # an earlier window never spans the whole record
    month_end = (pd.Timestamp(end) + pd.Timedelta(days=1)).day == 1
    if not (start.endswith("-01") and month_end):
        assert (p.end - p.start).days == (s.end - s.start).days
        assert p.end == s.start - pd.Timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end", "ago"),
    [
        ("2025-04-01", "2025-06-30", ("2024-04-01", "2024-06-30")),  # a calendar quarter
        ("2025-03-01", "2025-03-31", ("2024-03-01", "2024-03-31")),  # a calendar month
        ("2025-02-01", "2025-02-28", ("2024-02-01", "2024-02-29")),  # February of a leap year
        ("2024-02-01", "2024-02-29", ("2023-02-01", "2023-02-28")),
        ("2025-01-01", "2025-12-31", None),  # a year: its previous window is the year before
        ("2025-02-10", "2025-02-19", None),  # any other window
        ("2025-03-01", "2025-03-30", None),
    ],
)
def test_year_earlier(start, end, ago):
    from relations.briefing.analysis import year_earlier

    got = year_earlier(scope(start, end, whole=True))
    if ago is None:
        assert got is None
    else:
        assert (got.start, got.end) == (pd.Timestamp(ago[0]), pd.Timestamp(ago[1]))
        assert got.domains == ("arms",) and got.whole_record is False


def test_a_briefing_is_comparable_once_its_previous_window_reaches_the_record(tmp_path, tiny_tables):
    from conftest import write_tables

    from relations.briefing import Briefing
    from relations.briefing.analysis import comparable

    first = min(pd.Timestamp(r["date"]) for r in tiny_tables["events"])  # the record begins here
    root = write_tables(tmp_path / "data", tiny_tables)

    def briefing(start: pd.Timestamp):
        end = start + pd.Timedelta(days=9)  # ten days: not a calendar month, quarter or year
        return Briefing.from_parameters(start=str(start.date()), end=str(end.date()), data_dir=root)

    assert comparable(briefing(first + pd.Timedelta(days=1)))  # the previous window ends on the first day
    assert not comparable(briefing(first))
    assert not comparable(briefing(first - pd.Timedelta(days=3)))


# -- bottom line: claims with new positions, indicators that changed -------------------------


def claim(tables, claim_id: str, statement: str) -> dict[str, str]:
    return {**tables["claims"][0], "claim_id": claim_id, "statement": statement}


def position(tables, position_id: str, claim_id: str, party: str, stance: str, date: str) -> dict[str, str]:
    return {
        **tables["claim_positions"][0],
        "position_id": position_id,
        "claim_id": claim_id,
        "party": party,
        "position": stance,
        "date": date,
        "recorded": date,
    }


def test_the_claims_sentence_counts_claims_and_names_the_two_answered_last(tmp_path, tiny_tables):
    from relations.briefing.bluf import NAMED_CLAIMS, _claims, texts

    t = tiny_tables
    t["claims"] += [claim(t, "cl-b", "B said."), claim(t, "cl-c", "C said."), claim(t, "cl-d", "D said.")]
    t["claim_positions"] += [
        # cl-b: the same day twice (the later id is the later word), then only "no comment"
        position(t, "cp-b-0", "cl-b", "USA", "asserts", "2024-03-01"),
        position(t, "cp-b-1", "cl-b", "RUS", "partially_confirms", "2024-03-01"),
        position(t, "cp-b-2", "cl-b", "IRN", "no_comment", "2024-03-10"),
        # cl-c: nothing but "no comment", which then counts
        position(t, "cp-c-1", "cl-c", "IRN", "no_comment", "2024-02-15"),
        # cl-d: answered before the window only
        position(t, "cp-d-1", "cl-d", "USA", "asserts", "2023-12-01"),
    ]
    b = tiny_briefing(tmp_path, t, start="2024-01-01", end="2024-03-31")
    text, refs = _claims(b)
    # newest word per claim: cl-drones IRN denies 02 Feb, cl-c IRN no comment 15 Feb, cl-b RUS 01 Mar
    items = ["“C said.” (IRN no comment, 15 Feb 2024)", "“B said.” (RUS partially confirms, 01 Mar 2024)"]
    assert len(items) == NAMED_CLAIMS
    assert text == texts()["bluf"]["claims"].format(n="3", s="s", items="; ".join(items))
    assert refs == ["cl-c", "cl-b"]


def test_the_claims_sentence_for_one_claim_and_for_none(tmp_path, tiny_tables):
    from relations.briefing.bluf import _claims, texts

    b = tiny_briefing(tmp_path, tiny_tables, start="2024-02-02", end="2024-02-20")
    text, refs = _claims(b)
    items = "“Iran sent drones.” (IRN denies, 02 Feb 2024)"
    assert (text, refs) == (texts()["bluf"]["claims"].format(n="1", s="", items=items), ["cl-drones"])
    b = tiny_briefing(tmp_path / "none", tiny_tables, start="2024-02-03", end="2024-02-20")
    assert _claims(b) == (texts()["bluf"]["no_claims"], [])


def indicator(tables, indicator_id: str, name: str) -> dict[str, str]:
    return {**tables["indicators"][0], "indicator_id": indicator_id, "name": name}


def state(tables, state_id: str, indicator_id: str, value: str, date: str) -> dict[str, str]:
    row = {**tables["indicator_states"][0], "state_id": state_id, "indicator_id": indicator_id}
    return {**row, "state": value, "date": date, "recorded": date}


def test_the_indicators_sentence_names_three_and_counts_the_rest(tmp_path, tiny_tables):
    from relations.briefing.bluf import MAX_REFS, _indicators, texts

    t = tiny_tables
    t["indicators"] += [indicator(t, f"ind-{c}", c.upper()) for c in "dcb"]  # names B, C, D; the tiny one N
    t["indicator_states"] += [
        state(t, "is-b-1", "ind-b", "confirmed", "2024-03-01"),
        state(t, "is-c-1", "ind-c", "reported", "2024-01-20"),
        state(t, "is-d-1", "ind-d", "reversed", "2024-02-10"),
    ]
    b = tiny_briefing(tmp_path, t, start="2024-01-01", end="2024-03-31")
    text, refs = _indicators(b)
    # in name order; the fourth (N, reported 02 Jan 2024) is counted, not named
    items = "B: confirmed (01 Mar 2024); C: reported (20 Jan 2024); D: reversed (10 Feb 2024) and 1 more"
    assert text == texts()["bluf"]["indicators"].format(n="4", s="s", items=items)
    assert refs == ["ind-b", "ind-c", "ind-d"][:MAX_REFS]
    # from 10 Jan the tiny indicator's change (02 Jan) is outside the window: three, all named
    b = tiny_briefing(tmp_path / "three", t, start="2024-01-10", end="2024-03-31")
    items = "B: confirmed (01 Mar 2024); C: reported (20 Jan 2024); D: reversed (10 Feb 2024)"
    assert _indicators(b)[0] == texts()["bluf"]["indicators"].format(n="3", s="s", items=items)


def test_the_indicators_sentence_for_one_and_for_none(tmp_path, tiny_tables):
    from relations.briefing.bluf import _indicators, texts

    b = tiny_briefing(tmp_path, tiny_tables, start="2024-01-01", end="2024-01-31")
    items = "N: reported (02 Jan 2024)"
    assert _indicators(b) == (texts()["bluf"]["indicators"].format(n="1", s="", items=items), ["ind-t"])
    b = tiny_briefing(tmp_path / "none", tiny_tables, start="2024-02-01", end="2024-02-29")
    assert _indicators(b) == (texts()["bluf"]["no_indicators"], [])


# -- analysis.changes: the figures compared, on hand-made rows -----------------------------


def metrics_tables(t):
    """Five events in Q1 2024, one in Q4 2023; people, positions and agreements around them."""
    t = copy.deepcopy(t)
    t["events"] = [
        event(t, event_id="ev-0", date="2023-11-15", domain="arms", goldstein="3.0"),
        event(t, event_id="ev-1", date="2024-01-02", domain="diplomacy", goldstein="1.91"),
        event(t, event_id="ev-2", date="2024-02-01", domain="arms", direction="IRN->RUS", goldstein="1.92"),
        # third party: an event, not a contact and not in the cooperation index
        event(
            t, event_id="ev-3", date="2024-02-10", domain="diplomacy", direction="third party", goldstein="-5"
        ),
        # no Goldstein score: an event, not in the index; 057 is no contact
        event(t, event_id="ev-4", date="2024-02-20", domain="energy", cameo_code="057", goldstein=""),
        event(t, event_id="ev-5", date="2024-03-05", domain="trade", cameo_code="057", goldstein="2.04"),
    ]
    for r in t["events"]:
        r["key_event"], r["recorded"] = "false", "2024-04-01"
    person = t["people"][0]
    t["people"] = [
        {**person, "role_id": "ro-a", "start": "2024-02-01", "end": ""},  # took office in Q1 2024
        {**person, "role_id": "ro-b", "start": "2020-01-01", "end": "2024-03-15"},  # left in Q1 2024
        {**person, "role_id": "ro-c", "start": "2020-01-01", "end": "2023-01-01"},  # left in Q1 2023
        {**person, "role_id": "ro-d", "start": "2020-01-01", "end": ""},  # in office throughout
    ]
    t["claims"] += [claim(t, "cl-b", "B."), claim(t, "cl-c", "C.")]
    t["claim_positions"] += [
        position(t, "cp-b-1", "cl-b", "USA", "asserts", "2023-12-01"),
        position(t, "cp-c-1", "cl-c", "IRN", "denies", "2024-03-01"),
    ]
    t["agreements"].append({**t["agreements"][0], "agreement_id": "old", "signed": "2023-06-01"})
    return t


def test_changes_compares_the_windows_figures(tmp_path, tiny_tables):
    import math

    from relations.briefing.analysis import changes

    b = tiny_briefing(tmp_path, metrics_tables(tiny_tables), start="2024-01-01", end="2024-03-31")
    ch = changes(b).set_index("metric")
    domains = [str(d) for d in b.table("events")["domain"].cat.categories]
    assert ch.index.tolist()[: 1 + len(domains)] == ["events"] + [f"events: {d}" for d in domains]
    expected = {  # (current Q1 2024, previous Q4 2023, a year earlier Q1 2023)
        "events": (5, 1, 0),
        "events: diplomacy": (2, 0, 0),
        "events: arms": (1, 1, 0),
        "events: energy": (1, 0, 0),
        "events: trade": (1, 0, 0),
        "events: nuclear": (0, 0, 0),
        "high-level contacts": (2, 1, 0),
        "cooperation index (sum)": (5.9, 3.0, 0.0),  # 1.91 + 1.92 + 2.04, to one decimal
        "cooperation index (mean)": (1.96, 3.0, math.nan),  # 5.87 / 3, to two decimals
        "agreements signed": (1, 0, 0),
        "claims with new positions": (2, 1, 0),
        "office changes": (2, 0, 1),
    }
    for metric, (now, before, ago) in expected.items():
        row = ch.loc[metric]
        got = (row["current"], row["previous"], row["year_earlier"])
        assert got == pytest.approx((now, before, ago), abs=1e-9, nan_ok=True), metric
        assert row["change"] == pytest.approx(now - before, nan_ok=True), metric
        assert row["change_on_year"] == pytest.approx(now - ago, nan_ok=True), metric
    assert set(ch.index) == set(expected) | {f"events: {d}" for d in domains}


def test_changes_of_a_one_domain_briefing_count_that_domain_only(tmp_path, tiny_tables):
    from relations.briefing.analysis import changes

    b = tiny_briefing(
        tmp_path, metrics_tables(tiny_tables), start="2024-01-01", end="2024-03-31", domains=["diplomacy"]
    )
    ch = changes(b).set_index("metric")
    assert [m for m in ch.index if m.startswith("events")] == ["events", "events: diplomacy"]
    assert ch.loc["events", ["current", "previous"]].tolist() == [2, 0]
    assert ch.loc["cooperation index (sum)", "current"] == pytest.approx(1.9)  # ev-1 only (ev-3: third party)
    year = changes(
        tiny_briefing(tmp_path / "y", metrics_tables(tiny_tables), start="2024-01-01", end="2024-12-31")
    )
    assert year.columns.tolist() == ["metric", "current", "previous", "change"]  # no year-earlier figures


# -- analysis._domains_of through judgements_valid ----------------------------------------

BASIS = {  # judgement id -> (table, key column, id its basis names)
    "kj-event": ("events", "event_id", "ev-2024-02-01-two"),
    "kj-claim": ("claims", "claim_id", "cl-drones"),
    "kj-agreement": ("agreements", "agreement_id", "tiny-treaty"),
    "kj-transfer": ("arms_transfers", "transfer_id", "at-drones"),
    "kj-project": ("projects", "project_id", "pj-rail"),
}


def test_a_judgement_is_kept_when_a_row_of_its_basis_is_in_a_picked_domain(tmp_path, tiny_tables):
    from conftest import write_tables

    from relations.briefing import Briefing
    from relations.briefing.analysis import judgements_valid
    from relations.briefing.scope import row_domains

    base = tiny_tables["judgements"][0]
    tiny_tables["judgements"] = [
        {**base, "judgement_id": j, "question": f"{j}?", "basis": f"{ident};no-such-row"}
        for j, (_, _, ident) in BASIS.items()
    ]
    root = write_tables(tmp_path / "data", tiny_tables)
    whole = Briefing.from_parameters(start="2024-01-01", end="2024-12-31", data_dir=root)
    domains_of = {}
    for j, (table, key, ident) in BASIS.items():
        df = whole.table(table)
        domains_of[j] = {d for r in df[df[key] == ident].itertuples() for d in row_domains(table, r)}
        assert domains_of[j], j
    assert set(judgements_valid(whole)["judgement_id"]) == set(BASIS)  # no domain picked: all
    every = sorted(set().union(*domains_of.values()))
    assert len(every) > 2
    for d in every:
        b = Briefing.from_parameters(start="2024-01-01", end="2024-12-31", domains=[d], data_dir=root)
        expected = {j for j, doms in domains_of.items() if d in doms}
        assert set(judgements_valid(b)["judgement_id"]) == expected, d
