"""The grading rules of issue 12 on small hand-made rows: when ``confirmed`` is allowed,
how reposts count, and that a row is not recorded before what it records."""

from __future__ import annotations

import datetime as dt

import pytest

from relations import source_rules


def _source(sid, publisher, kind, grade):
    return {"source_id": sid, "publisher": publisher, "publisher_type": kind, "reliability": grade}


SOURCES = [
    _source("reuters", "Reuters", "independent_media", "B"),
    _source("devdiscourse", "Devdiscourse (Reuters)", "independent_media", "B"),
    _source("ap", "AP", "independent_media", "B"),
    _source("kremlin", "Kremlin", "government", "A"),
    _source("tass", "TASS", "state_media", "C"),
    _source("un", "UN", "international_org", "A"),
    _source("blog", "A blog", "other", "D"),
    _source("lenta", "Lenta.ru", "independent_media", "C"),
    _source("k4s", "K4S News (citing Reuters)", "independent_media", "B"),
]


def _problems(status, cited):
    rows = {
        "sources": [(i + 2, s) for i, s in enumerate(SOURCES)],
        "events": [(2, {"status": status, "source_ids": cited})],
    }
    return source_rules.confirmed_problems(rows, lambda name: f"{name}.csv")


@pytest.mark.parametrize(
    "cited",
    ["kremlin", "tass", "un", "blog;tass", "reuters;ap", "ap;k4s", "reuters;ap;blog"],
)
def test_confirmed_with_an_own_voice_or_two_good_publishers_passes(cited):
    assert _problems("confirmed", cited) == []


@pytest.mark.parametrize(
    ("cited", "what"),
    [
        ("reuters", "one source graded B"),
        ("blog", "one source graded D"),
        ("reuters;devdiscourse", "2 sources graded B"),  # a repost is its original
        ("reuters;lenta", "2 sources graded B, C"),
        ("blog;lenta", "2 sources graded C, D"),
    ],
)
def test_confirmed_without_support_is_reported_with_its_grades(cited, what):
    assert _problems("confirmed", cited) == [
        f"events.csv:2:status: confirmed rests on {what} and no party's own voice (allowed: "
        "confirmed with a government, international_org or state_media source, or two sources "
        "graded A or B from different publishers; otherwise reported)"
    ]


@pytest.mark.parametrize("status", ["reported", "alleged", "denied", "disputed"])
def test_other_statuses_need_no_second_source(status):
    assert _problems(status, "blog") == []


@pytest.mark.parametrize(
    ("publisher", "original"),
    [
        ("The Iran Project (TASS)", "tass"),
        ("Pledge Times (AFP)", "afp"),
        ("Reuters", "reuters"),
        ("K4S News (citing Iran International)", "k4s news"),
        ("CNSNews.com (via comparemela)", "cnsnews.com"),
        ("City Reporter (text per IRNA)", "city reporter"),
    ],
)
def test_original_publisher(publisher, original):
    assert source_rules.original_publisher(publisher) == original


def test_recorded_before_a_date_of_the_row_names_the_latest_date():
    d = dt.date.fromisoformat
    rows = [
        ("people.csv", 2, {"start": d("2020-01-01"), "end": d("2024-05-01"), "recorded": d("2023-01-01")}),
        ("people.csv", 3, {"start": d("2020-01-01"), "recorded": d("2020-01-01")}),
        ("events.csv", 4, {"date": d("2024-01-02")}),  # no recorded date: the schema's part
    ]
    assert source_rules.recorded_problems(rows) == [
        "people.csv:2:recorded: 2023-01-01 is before the row's end 2024-05-01 (allowed: on or after "
        "every date the row reports; a row cannot be recorded before what it records)"
    ]


@pytest.mark.parametrize(
    ("kind", "grade", "ok"),
    [
        ("government", "A", True),
        ("state_media", "B", False),
        ("other", "F", True),
        ("think_tank", "D", False),
    ],
)
def test_reliability_grade_follows_the_type(kind, grade, ok):
    rows = {"sources": [(2, _source("s", "P", kind, grade))]}
    assert (source_rules.reliability_problems(rows, lambda name: f"{name}.csv") == []) is ok
