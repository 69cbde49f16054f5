"""Tests written to kill mutants of ``relations.params`` and ``relations.briefing.scope``.

Each test states behaviour taken from the docstrings, the notebook's ``parameters`` cell,
``relations/briefing/scope.yaml``, the data package's schema and the error-message formats
(``parameter: message``), with expected values worked out by hand on small frames made here
or read with plain pandas/json from the data files, never from the function under test.
``benchmarks/mutation/RESULTS.md`` names the mutants and lists those left alive as equivalent.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections import namedtuple

import pandas as pd
import pytest

import relations.briefing.scope as scope_module
from relations.briefing.scope import Scope, delivery_years, picked_text, row_domains
from relations.errors import ParameterError
from relations.params import (
    briefing_notebook,
    check_coverage,
    check_timeout,
    declared_parameters,
    domains,
    resolve_data_dir,
    validate_parameters,
)
from relations.paths import data_dir

T = pd.Timestamp
# The parameters cell of notebooks/briefing.ipynb, in its order.
SHIPPED = ["start", "end", "domains", "title", "data_dir", "length", "since"]


def _notebook(path, source: str):
    """A minimal notebook whose first cell, tagged ``parameters``, holds ``source``."""
    cell = {
        "cell_type": "code",
        "execution_count": None,
        "metadata": {"tags": ["parameters"]},
        "outputs": [],
        "source": source.splitlines(keepends=True),
    }
    nb = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _schema_domains() -> list[str]:
    """The ``domain`` enum of the events table, read with json from datapackage.json."""
    pkg = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in pkg["resources"] if r["name"] == "events")
    field = next(f for f in events["schema"]["fields"] if f["name"] == "domain")
    return field["constraints"]["enum"]


def _raises(parameter: str, message: str, func, *args, **kwargs):
    with pytest.raises(ParameterError) as info:
        func(*args, **kwargs)
    assert info.value.parameter == parameter
    assert str(info.value) == f"{parameter}: {message}"


# == relations.params ===================================================================


def test_briefing_notebook_is_the_shipped_briefing():
    path = briefing_notebook()
    assert path.name == "briefing.ipynb" and path.is_file()
    assert list(declared_parameters()) == SHIPPED


def test_declared_parameters_reads_the_given_notebook(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", 'n: int = 3  # how many\nlabel = "x"\n')
    got = declared_parameters(nb)
    assert list(got) == ["n", "label"]
    assert (got["n"].type, got["n"].default, got["n"].help) == ("int", 3, "how many")
    assert (got["label"].type, got["label"].default, got["label"].help) == ("str", "x", "")
    assert list(declared_parameters(str(nb))) == ["n", "label"]


def test_declared_parameters_sees_an_edited_notebook(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", "a: int = 1\n")
    assert list(declared_parameters(nb)) == ["a"]
    _notebook(nb, "b: int = 2\n")
    later = nb.stat().st_mtime_ns + 5_000_000_000
    os.utime(nb, ns=(later, later))
    assert list(declared_parameters(nb)) == ["b"]


def test_domains_are_the_schema_enum():
    assert domains() == _schema_domains()
    assert domains(data_dir()) == _schema_domains()


def test_resolve_data_dir_bundled(tmp_path, monkeypatch):
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    monkeypatch.chdir(tmp_path)  # a blank value must not mean "the current folder"
    assert resolve_data_dir("") == (None, "bundled")
    assert resolve_data_dir(None) == (None, "bundled")
    assert resolve_data_dir() == (None, "bundled")


def test_resolve_data_dir_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "datapackage.json").write_text("{}", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert resolve_data_dir("pkg") == (tmp_path.resolve() / "pkg", "data_dir")
    monkeypatch.setenv("RELATIONS_DATA", "pkg")
    assert resolve_data_dir("") == (tmp_path.resolve() / "pkg", "RELATIONS_DATA")
    assert resolve_data_dir(None) == (tmp_path.resolve() / "pkg", "RELATIONS_DATA")
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "datapackage.json").write_text("{}", encoding="utf-8")
    assert resolve_data_dir("other") == (tmp_path.resolve() / "other", "data_dir")  # the value comes first


def test_resolve_data_dir_messages(tmp_path, monkeypatch):
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    missing = tmp_path / "nowhere"
    _raises(
        "data_dir",
        f"{str(missing)!r} is not a folder ({missing} does not exist or is a file)",
        resolve_data_dir,
        str(missing),
    )
    (tmp_path / "empty").mkdir()
    empty = tmp_path / "empty"
    _raises(
        "data_dir",
        f"{str(empty)!r} has no datapackage.json (looked in {empty})",
        resolve_data_dir,
        str(empty),
    )
    monkeypatch.setenv("RELATIONS_DATA", str(missing))
    _raises(
        "data_dir",
        f"RELATIONS_DATA={str(missing)!r} is not a folder ({missing} does not exist or is a file)",
        resolve_data_dir,
        "",
    )
    monkeypatch.setenv("RELATIONS_DATA", str(empty))
    _raises(
        "data_dir",
        f"RELATIONS_DATA={str(empty)!r} has no datapackage.json (looked in {empty})",
        resolve_data_dir,
        None,
    )


def _event_dates(folder) -> tuple[str, str]:
    dates = pd.to_datetime(pd.read_csv(folder / "events.csv", dtype=str)["date"], errors="coerce").dropna()
    return dates.min().date().isoformat(), dates.max().date().isoformat()


def _day(iso: str, days: int) -> str:
    return (dt.date.fromisoformat(iso) + dt.timedelta(days=days)).isoformat()


def test_check_coverage_of_the_bundled_record():
    first, last = _event_dates(data_dir())
    assert check_coverage({}, None) == (first, last)
    assert check_coverage({"start": "", "end": ""}, None) == (first, last)
    assert check_coverage({"start": last, "end": first}, None) == (first, last)  # the bounds are covered
    after, before = _day(last, 1), _day(first, -1)
    _raises(
        "start",
        f"{after} is after the newest event: the record ends on {last}",
        check_coverage,
        {"start": after},
        None,
    )
    _raises(
        "end",
        f"{before} is before the first event: the record begins on {first}",
        check_coverage,
        {"end": before},
        None,
    )


def test_check_coverage_reads_the_given_data(tiny_data):
    first, last = _event_dates(tiny_data)
    assert (first, last) != _event_dates(data_dir())
    assert check_coverage({}, tiny_data) == (first, last)
    _raises(
        "start",
        f"{_day(last, 1)} is after the newest event: the record ends on {last}",
        check_coverage,
        {"start": _day(last, 1)},
        tiny_data,
    )


def test_check_coverage_of_a_record_without_events(tiny_data):
    events = tiny_data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    _raises(
        "data_dir",
        "the events table has no dated event, so no window is covered",
        check_coverage,
        {},
        tiny_data,
    )


@pytest.mark.parametrize("good", [None, 1, 300, 86_400])
def test_check_timeout_accepts_whole_seconds_above_0(good):
    assert check_timeout(good) == good


@pytest.mark.parametrize("bad", [0, -5, True, False, 1.5, 300.0, "300"])
def test_check_timeout_refuses(bad):
    _raises("timeout", f"{bad!r} (allowed: whole seconds above 0, e.g. 300)", check_timeout, bad)


# -- validate_parameters ----------------------------------------------------------------


def test_validate_parameters_fills_the_defaults():
    p = validate_parameters({})
    assert list(p) == SHIPPED
    assert (p["start"], p["end"], p["since"], p["data_dir"]) == ("", "", "", "")
    assert p["domains"] == []
    assert p["title"] == "The Russia–Iran partnership"
    assert p["length"] == "executive"


def test_validate_parameters_normalises_values():
    p = validate_parameters(
        {
            "start": "2024-01-01",
            "end": "20241231",
            "domains": (" Arms ", "arms", "ENERGY"),
            "title": "  Arms and energy  ",
            "length": "full",
            "since": "2024-06-01",
        }
    )
    assert p["start"] == "2024-01-01" and p["end"] == "2024-12-31" and p["since"] == "2024-06-01"
    assert p["domains"] == ["arms", "energy"]
    assert p["title"] == "Arms and energy"
    assert p["length"] == "full"
    assert validate_parameters({"domains": {"Space"}})["domains"] == ["space"]
    assert validate_parameters({"domains": None})["domains"] == []
    assert validate_parameters({"start": None})["start"] == ""
    assert validate_parameters({"length": "executive"})["length"] == "executive"


def test_validate_parameters_names_an_unknown_parameter(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", 'a: str = ""\nb: int = 1\n')
    _raises("colour", "unknown parameter (allowed: a, b)", validate_parameters, {"colour": 1}, notebook=nb)
    _raises("aa", "unknown parameter (allowed: a, b)", validate_parameters, {"zz": 1, "aa": 2}, notebook=nb)
    _raises(
        "colour",
        f"unknown parameter (allowed: {', '.join(SHIPPED)})",
        validate_parameters,
        {"colour": "red", "start": "2024-01-01"},
    )


@pytest.mark.parametrize(
    ("values", "parameter", "message"),
    [
        ({"start": 2024}, "start", "expected str, got int 2024"),
        ({"start": ("2024",)}, "start", "expected str, got tuple ('2024',)"),
        ({"domains": "arms"}, "domains", "expected list, got str 'arms'"),
        ({"title": ["x"]}, "title", "expected str, got list ['x']"),
    ],
)
def test_validate_parameters_checks_types(values, parameter, message):
    _raises(parameter, message, validate_parameters, values)


def test_validate_parameters_types_of_a_custom_notebook(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", "n: int = 3\nflag: bool = False\nratio: float = 0.5\nany = None\n")
    got = validate_parameters({"n": 4, "flag": True, "ratio": 1.5, "any": [1]}, notebook=nb)
    assert got == {"n": 4, "flag": True, "ratio": 1.5, "any": [1]}
    assert validate_parameters({}, notebook=nb) == {"n": 3, "flag": False, "ratio": 0.5, "any": None}
    assert validate_parameters({"any": "text"}, notebook=nb)["any"] == "text"
    _raises("n", "expected int, got str '4'", validate_parameters, {"n": "4"}, notebook=nb)
    _raises("flag", "expected bool, got int 1", validate_parameters, {"flag": 1}, notebook=nb)


def test_validate_parameters_accepts_dates_where_the_notebook_declares_no_type(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", "start = None\nend = None\nsince = None\n")
    got = validate_parameters(
        {"start": dt.date(2024, 2, 3), "end": dt.datetime(2024, 5, 6, 7, 8), "since": dt.date(2024, 1, 2)},
        notebook=nb,
    )
    assert got == {"start": "2024-02-03", "end": "2024-05-06", "since": "2024-01-02"}


@pytest.mark.parametrize("name", ["start", "end", "since"])
def test_validate_parameters_refuses_a_date_that_is_not_iso(name):
    _raises(
        name,
        "'2024-13-01' is not a valid ISO date "
        "(allowed: YYYY-MM-DD, e.g. 2024-01-31, or blank for the default)",
        validate_parameters,
        {name: "2024-13-01"},
    )


@pytest.mark.parametrize("name", ["start", "end"])
def test_window_dates_range_from_1900_to_2200(name):
    assert validate_parameters({name: "1900-01-01"})[name] == "1900-01-01"
    assert validate_parameters({name: "2200-12-31"})[name] == "2200-12-31"
    assert validate_parameters({name: "1950-06-15"})[name] == "1950-06-15"
    for day in ("1899-12-31", "2201-01-01"):
        _raises(
            name,
            f"{day} is out of range (allowed: 1900-01-01 to 2200-12-31)",
            validate_parameters,
            {name: day},
        )


def test_since_ranges_from_2001_to_today():
    today = dt.date.today()
    assert validate_parameters({"since": "2001-01-01"})["since"] == "2001-01-01"
    assert validate_parameters({"since": today.isoformat()})["since"] == today.isoformat()
    for day in ("2000-12-31", "1950-06-15", (today + dt.timedelta(days=1)).isoformat()):
        _raises(
            "since",
            f"{day} (allowed: 2001-01-01 to {today.isoformat()}, the recorded dates)",
            validate_parameters,
            {"since": day},
        )


def test_end_may_not_come_before_start():
    _raises(
        "end",
        "2024-05-01 is before start 2024-05-02",
        validate_parameters,
        {"start": "2024-05-02", "end": "2024-05-01"},
    )
    same = validate_parameters({"start": "2024-05-01", "end": "2024-05-01"})
    assert (same["start"], same["end"]) == ("2024-05-01", "2024-05-01")
    assert validate_parameters({"start": "2024-05-01"})["end"] == ""
    assert validate_parameters({"end": "2024-05-01"})["start"] == ""


def test_validate_parameters_names_a_bad_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    missing = tmp_path / "nowhere"
    message = f"{str(missing)!r} is not a folder ({missing} does not exist or is a file)"
    _raises("data_dir", message, validate_parameters, {"data_dir": str(missing)})
    _raises("data_dir", message, validate_parameters, {}, data_dir=str(missing))


def test_domains_are_checked_against_the_given_data(tmp_path):
    pkg = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    events = next(r for r in pkg["resources"] if r["name"] == "events")
    field = next(f for f in events["schema"]["fields"] if f["name"] == "domain")
    field["constraints"]["enum"] = [*field["constraints"]["enum"], "cyber"]
    (tmp_path / "datapackage.json").write_text(json.dumps(pkg), encoding="utf-8")
    assert validate_parameters({"domains": ["cyber"], "data_dir": str(tmp_path)})["domains"] == ["cyber"]
    assert validate_parameters({"domains": ["Cyber"]}, data_dir=str(tmp_path))["domains"] == ["cyber"]
    _raises(
        "domains",
        f"unknown domain 'cyber' (allowed: {', '.join(_schema_domains())})",
        validate_parameters,
        {"domains": ["cyber"]},
    )


def test_domains_come_in_the_vocabulary_order():
    vocabulary = _schema_domains()
    picked = ["transport", "arms", "military", "diplomacy"]
    got = validate_parameters({"domains": picked})["domains"]
    assert got == [d for d in vocabulary if d in picked]
    assert got == validate_parameters({"domains": list(reversed(picked))})["domains"]


def test_unknown_domain_names_the_first_one_and_the_allowed():
    _raises(
        "domains",
        f"unknown domain 'cooking' (allowed: {', '.join(_schema_domains())})",
        validate_parameters,
        {"domains": ["arms", "Cooking", "gardening"]},
    )


@pytest.mark.parametrize("bad", ["", "   ", "x" * 201])
def test_title_must_be_1_to_200_characters(bad):
    _raises("title", "must be 1 to 200 characters", validate_parameters, {"title": bad})


def test_title_of_200_characters_is_kept():
    assert validate_parameters({"title": "x" * 200})["title"] == "x" * 200
    assert validate_parameters({"title": "x"})["title"] == "x"


@pytest.mark.parametrize("bad", ["short", "FULL", ""])
def test_length_is_executive_or_full(bad):
    _raises("length", f"{bad!r} (allowed: executive, full)", validate_parameters, {"length": bad})


def test_a_notebook_without_the_briefing_parameters_gets_no_briefing_checks(tmp_path):
    nb = _notebook(tmp_path / "p.ipynb", "n: int = 3\n")
    assert validate_parameters({"n": 5}, notebook=nb) == {"n": 5}


# == relations.briefing.scope ===========================================================


@pytest.mark.parametrize(
    ("table", "row", "expected"),
    [
        ("events", {"domain": "energy"}, ["energy"]),
        # arms_categories
        ("arms_transfers", {"category": "satellites"}, ["space"]),
        ("arms_transfers", {"category": "Satellites"}, ["space"]),  # keys match case-insensitively
        ("arms_transfers", {"category": "aircraft"}, ["arms", "military"]),
        ("arms_transfers", {}, ["arms", "military"]),
        # claim_topics
        ("claims", {"topic": "drones"}, ["arms", "military"]),
        ("claims", {"topic": "air_defence"}, ["arms", "military"]),
        ("claims", {"topic": "intelligence"}, ["security", "military"]),
        ("claims", {"topic": "TREATY"}, ["diplomacy", "legal"]),
        ("claims", {"topic": "economy"}, ["diplomacy"]),
        # project_sectors: the sector is the domain
        ("projects", {"sector": "nuclear"}, ["nuclear"]),
        ("projects", {"sector": "Transport"}, ["transport"]),
        ("projects", {"sector": float("nan")}, ["energy"]),
        # people_roles: first match wins
        ("people", {"role": "Minister of Defence"}, ["military", "security"]),
        ("people", {"role": "Secretary of the Security Council"}, ["security"]),
        ("people", {"role": "Defence and Security Adviser"}, ["military", "security"]),
        ("people", {"role": "Ambassador to Iran"}, ["diplomacy"]),
        ("people", {"role": "Chief of the General Staff"}, ["diplomacy"]),
        # agreement_provisions
        ("agreement_provisions", {"area": "non_aggression"}, ["security", "military"]),
        ("agreement_provisions", {"area": "Economy"}, ["trade"]),
        ("agreement_provisions", {"area": "weather"}, ["diplomacy"]),
        ("trade", {}, ["trade"]),
    ],
)
def test_row_domains_follow_scope_yaml(table, row, expected):
    assert row_domains(table, row) == expected
    fields = sorted(row)
    as_tuple = namedtuple("Row", ["Index", *fields])(0, *(row[f] for f in fields))
    assert row_domains(table, as_tuple) == expected


@pytest.mark.parametrize(
    ("agreement_id", "title", "expected"),
    [
        ("ir-ru-cooperation-2001", "Cooperation declaration", ["diplomacy", "legal"]),
        ("ir-ru-gas-memo", "Memorandum", ["diplomacy", "legal", "energy"]),  # a word of the id
        ("ir-ru-2024-01", "Railway agreement", ["diplomacy", "legal", "transport"]),  # of the title
        ("ir-ru-2024-02", "Gasoline swap", ["diplomacy", "legal"]),  # whole words only
        ("ir-ru-npp-2014", "Contract", ["diplomacy", "legal", "nuclear"]),
        (
            "ir-ru-military-treaty",
            "Treaty",
            ["diplomacy", "legal", "military", "arms", "security"],  # each domain once
        ),
        ("ir-ru-2019", "TREATY ON TRADE", ["diplomacy", "legal", "military", "security", "trade"]),
    ],
)
def test_agreement_domains_from_words_of_id_and_title(agreement_id, title, expected):
    row = {"agreement_id": agreement_id, "title": title}
    assert row_domains("agreements", row) == expected
    assert row_domains("agreements", namedtuple("Row", "agreement_id title")(agreement_id, title)) == expected


def test_agreement_words_of_two_words_match_a_hyphenated_id(monkeypatch):
    rules = dict(scope_module.rules())
    rules["agreement_words"] = {"north korea": ["multilateral"]}
    monkeypatch.setattr(scope_module, "rules", lambda: rules)
    row = {"agreement_id": "ru-north-korea-2024", "title": "Treaty"}
    assert row_domains("agreements", row) == ["diplomacy", "legal", "multilateral"]


def test_a_missing_field_reads_as_absent_in_a_namedtuple_too():
    row = namedtuple("Row", "Index claim_id")(0, "c1")
    assert row_domains("claims", row) == ["diplomacy"]


def test_row_domains_of_an_unknown_table():
    with pytest.raises(ValueError, match=r"^no domain mapping for table 'reviews'$"):
        row_domains("reviews", {})


@pytest.mark.parametrize(
    ("value", "years"),
    [
        ("2022-2024", [2022, 2023, 2024]),
        ("2016", [2016]),
        ("2016-2016", [2016]),
        (2016, [2016]),
        (None, []),
        (float("nan"), []),
        (pd.NA, []),
        ("", []),
        ("unknown", []),
    ],
)
def test_delivery_years(value, years):
    assert delivery_years(value) == years


def test_picked_text():
    assert picked_text(["arms", "military"]) == "arms, military"
    assert picked_text(("energy",)) == "energy"
    assert picked_text([]) == "all domains"
    assert picked_text(()) == "all domains"


def test_covers():
    picked = Scope(T("2025-01-01"), T("2025-12-31"), ("arms", "military"))
    assert picked.covers({"arms", "space"}) and picked.covers(["military"])
    assert not picked.covers({"energy"}) and not picked.covers([])
    everything = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert everything.covers({"energy"}) and everything.covers([])


def test_in_window_includes_both_bounds():
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    dates = pd.Series(_dates(["2024-12-31", "2025-01-01", "2025-06-01", "2025-12-31", "2026-01-01", None]))
    assert s.in_window(dates).tolist() == [False, True, True, True, False, False]


def _dates(values) -> pd.Series | pd.DatetimeIndex:
    """Dates typed as ``relations.load`` types them (``datetime64[ns]``)."""
    return pd.to_datetime(values).astype("datetime64[ns]")


def _same_frame(out: pd.DataFrame, source: pd.DataFrame, key: str) -> list:
    """The ids of ``out`` after checking it keeps the columns and has a fresh index."""
    assert list(out.columns) == list(source.columns)
    assert list(out.index) == list(range(len(out)))
    return list(out[key])


def _events() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "event_id": pd.array(["e4", "e2", "e1", "e3", "e5", "e6"], dtype="string"),
            "date": _dates(
                ["2025-12-31", "2025-01-01", "2025-01-01", "2024-12-31", "2026-01-01", "2025-06-01"]
            ),
            "domain": pd.Categorical(["arms", "energy", "arms", "arms", "arms", "military"]),
            "claim_id": pd.array([None, None, "c-event", "c-old", None, None], dtype="string"),
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_events_of_the_window_and_domains_in_date_order():
    ev = _events()
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert _same_frame(s.events(ev), ev, "event_id") == ["e1", "e2", "e6", "e4"]
    arms = Scope(T("2025-01-01"), T("2025-12-31"), ("arms",))
    assert _same_frame(arms.events(ev), ev, "event_id") == ["e1", "e4"]
    assert _same_frame(arms.events(ev.iloc[0:0]), ev, "event_id") == []
    assert _same_frame(s.events(ev.iloc[0:0]), ev, "event_id") == []


def _agreements() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agreement_id": pd.array(
                [
                    "ir-ru-gas-memo-2025",
                    "ir-ru-treaty-2025",
                    "ru-kp-treaty-2024",
                    "ir-ru-npp-2014",
                    "ir-ru-railway-2025",
                ],
                dtype="string",
            ),
            "title": pd.array(
                [
                    "Memorandum on gas supplies",
                    "Treaty on partnership",
                    "Treaty on partnership",
                    "Contract",
                    "Railway",
                ],
                dtype="string",
            ),
            "parties": [["IRN", "RUS"], ["RUS", "IRN"], ["RUS", "PRK"], ["IRN", "RUS"], ["IRN", "RUS"]],
            "signed": _dates(["2025-03-01", "2025-01-17", "2025-06-19", "2014-11-11", "2025-01-17"]),
        },
        index=[5, 6, 7, 8, 9],
    )


def test_agreements_of_iran_signed_in_the_window():
    ag = _agreements()
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert set(_same_frame(s.agreements(ag), ag, "agreement_id")) == {
        "ir-ru-gas-memo-2025",
        "ir-ru-treaty-2025",
        "ir-ru-railway-2025",
    }
    energy = Scope(T("2025-01-01"), T("2025-12-31"), ("energy",))
    assert _same_frame(energy.agreements(ag), ag, "agreement_id") == ["ir-ru-gas-memo-2025"]
    military = Scope(T("2014-01-01"), T("2025-12-31"), ("military",))
    assert _same_frame(military.agreements(ag), ag, "agreement_id") == ["ir-ru-treaty-2025"]
    nuclear = Scope(T("2014-01-01"), T("2014-12-31"), ("nuclear",))
    assert _same_frame(nuclear.agreements(ag), ag, "agreement_id") == ["ir-ru-npp-2014"]


def _transfers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "transfer_id": pd.array(["t1", "t2", "t3", "t4", "t5", "t6", "t7"], dtype="string"),
            "supplier": pd.array(["IRN", "IRN", "RUS", "RUS", "IRN", "RUS", "RUS"], dtype="string"),
            "category": pd.Categorical(
                ["drones", "drones", "satellites", "aircraft", "missiles", "aircraft", "air_defence"]
            ),
            "designation": pd.array(
                ["Shahed-136", "Mohajer-6", "Khayyam", "Su-35", "Fath-360", "Yak-130", "S-400"],
                dtype="string",
            ),
            "order_year": pd.array([2025, 2020, 2022, None, 2019, 2018, None], dtype="Int64"),
            "delivery_years": pd.array(
                [None, "2024-2026", "2022", "2025", "2020-2021", None, None], dtype="string"
            ),
            "claim_id": pd.array(["c-t1", None, "c-sat", None, None, None, None], dtype="string"),
        },
        index=range(20, 27),
    )


def test_arms_transfers_ordered_or_delivered_in_the_window_years():
    at = _transfers()
    s = Scope(T("2025-03-01"), T("2025-04-30"), ())  # the year counts, not the day
    assert set(_same_frame(s.arms_transfers(at), at, "transfer_id")) == {"t1", "t2", "t4"}
    space = Scope(T("2022-01-01"), T("2022-12-31"), ("space",))
    assert _same_frame(space.arms_transfers(at), at, "transfer_id") == ["t3"]
    arms = Scope(T("2022-01-01"), T("2022-12-31"), ("arms",))
    assert _same_frame(arms.arms_transfers(at), at, "transfer_id") == []
    two_years = Scope(T("2020-06-01"), T("2021-06-01"), ("military",))
    assert set(_same_frame(two_years.arms_transfers(at), at, "transfer_id")) == {"t2", "t5"}


def _claims() -> tuple[pd.DataFrame, pd.DataFrame]:
    claims = pd.DataFrame(
        {
            "claim_id": pd.array(
                ["c-first", "c-pos", "c-event", "c-t1", "c-old", "c-undated", "c-undated-pos", "c-treaty"],
                dtype="string",
            ),
            "topic": pd.Categorical(
                ["drones", "missiles", "drones", "drones", "drones", "drones", "drones", "treaty"]
            ),
            "first_reported": _dates(
                [
                    "2025-02-01",
                    "2020-01-01",
                    "2020-01-02",
                    "2020-01-03",
                    "2020-01-01",
                    None,
                    None,
                    "2025-03-01",
                ]
            ),
        },
        index=range(30, 38),
    )
    pos = pd.DataFrame(
        {
            "position_id": pd.array(["p1", "p2", "p3", "p4", "p5"], dtype="string"),
            "claim_id": pd.array(["c-pos", "c-old", "c-undated-pos", "c-first", "c-pos"], dtype="string"),
            "date": _dates(["2025-05-01", "2020-02-01", "2020-03-01", None, "2025-04-01"]),
        },
        index=range(40, 45),
    )
    return claims, pos


def test_claims_reported_answered_or_linked_in_the_window():
    claims, pos = _claims()
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert set(_same_frame(s.claims(claims, pos), claims, "claim_id")) == {"c-first", "c-pos", "c-treaty"}
    linked = s.claims(claims, pos, events=_events(), transfers=_transfers())
    assert _same_frame(linked, claims, "claim_id") == ["c-pos", "c-event", "c-t1", "c-first", "c-treaty"]
    no_links = _events().drop(columns="claim_id")
    assert set(s.claims(claims, pos, events=no_links)["claim_id"]) == {"c-first", "c-pos", "c-treaty"}
    arms = Scope(T("2025-01-01"), T("2025-12-31"), ("arms",))
    assert set(arms.claims(claims, pos, events=_events(), transfers=_transfers())["claim_id"]) == {
        "c-first",
        "c-pos",
        "c-event",
        "c-t1",
    }


def test_claims_of_the_whole_record_include_the_undated():
    claims, pos = _claims()
    s = Scope(T("2025-01-01"), T("2025-12-31"), (), whole_record=True)
    got = s.claims(claims, pos)
    assert _same_frame(got, claims, "claim_id") == ["c-pos", "c-first", "c-treaty", "c-undated"]


def test_claim_positions_in_the_window_and_undated_ones_only_in_the_whole_record():
    _, pos = _claims()
    s = Scope(T("2025-01-01"), T("2025-12-31"), ("energy",))  # positions follow their claims, not domains
    got = s.claim_positions(pos, ["c-pos", "c-first", "c-undated-pos"])
    assert _same_frame(got, pos, "position_id") == ["p5", "p1"]
    assert _same_frame(s.claim_positions(pos, []), pos, "position_id") == []
    whole = Scope(T("2001-01-01"), T("2026-12-31"), (), whole_record=True)
    got = whole.claim_positions(pos, ["c-pos", "c-first", "c-undated-pos"])
    assert _same_frame(got, pos, "position_id") == ["p3", "p5", "p1", "p4"]


def test_projects_started_or_ended_in_the_window():
    pj = pd.DataFrame(
        {
            "project_id": pd.array(["pj1", "pj2", "pj3", "pj4", "pj5"], dtype="string"),
            "name": pd.array(["Rasht-Astara", "Bushehr 2", "Gas hub", "Old line", "Swap"], dtype="string"),
            "sector": pd.Categorical(["transport", "nuclear", "energy", "transport", "energy"]),
            "start": _dates(["2025-03-01", "2019-01-01", "2018-01-01", "2024-01-01", "2024-06-01"]),
            "end": _dates([None, "2025-12-31", "2030-01-01", "2024-12-31", "2025-01-01"]),
        },
        index=range(50, 55),
    )
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert set(_same_frame(s.projects(pj), pj, "project_id")) == {"pj1", "pj2", "pj5"}
    nuclear = Scope(T("2025-01-01"), T("2025-12-31"), ("nuclear",))
    assert _same_frame(nuclear.projects(pj), pj, "project_id") == ["pj2"]


def _trade() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "trade_id": pd.array(["tr1", "tr2", "tr3", "tr4"], dtype="string"),
            "year": pd.array([2024, 2025, 2025, 2026], dtype="Int64"),
            "period_type": pd.Categorical(["year", "year", "month", "year"]),
            "reporter": pd.array(["RUS", "IRN", "RUS", "RUS"], dtype="string"),
        }
    )


def test_trade_of_the_window_years_only_when_trade_is_picked():
    tr = _trade()
    for domains_picked in ((), ("trade",), ("arms", "trade")):
        s = Scope(T("2025-01-01"), T("2025-12-31"), domains_picked)
        assert set(s.trade(tr)["trade_id"]) == {"tr2", "tr3"}
    two = Scope(T("2024-01-01"), T("2025-12-31"), ())
    assert set(two.trade(tr)["trade_id"]) == {"tr1", "tr2", "tr3"}
    left_out = Scope(T("2025-01-01"), T("2025-12-31"), ("arms",)).trade(tr)
    assert left_out.empty and list(left_out.columns) == list(tr.columns)


def test_people_whose_tenure_overlaps_the_window():
    pe = pd.DataFrame(
        {
            "role_id": pd.array(["r1", "r2", "r3", "r4", "r5", "r6", "r7"], dtype="string"),
            "country": pd.array(["RUS", "IRN", "IRN", "RUS", "RUS", "IRN", "RUS"], dtype="string"),
            "role": pd.array(
                [
                    "Ambassador to Iran",
                    "Minister of Defence",
                    "President",
                    "Foreign Minister",
                    "Ambassador to Iran",
                    "President",
                    "Secretary of the Security Council",
                ],
                dtype="string",
            ),
            "start": _dates(
                ["2020-01-01", "2025-12-31", None, "2018-01-01", "2026-01-01", "2010-01-01", "2019-01-01"]
            ),
            "end": _dates(["2025-01-01", None, "2025-06-01", "2024-12-31", None, "2012-01-01", None]),
        },
        index=range(60, 67),
    )
    s = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert set(_same_frame(s.people(pe), pe, "role_id")) == {"r1", "r2", "r3", "r7"}
    diplomacy = Scope(T("2025-01-01"), T("2025-12-31"), ("diplomacy",))
    assert set(_same_frame(diplomacy.people(pe), pe, "role_id")) == {"r1", "r3"}
    security = Scope(T("2025-01-01"), T("2025-12-31"), ("security",))
    assert set(_same_frame(security.people(pe), pe, "role_id")) == {"r2", "r7"}


def test_provisions_whose_area_is_picked():
    pr = pd.DataFrame(
        {
            "provision_id": pd.array(["a1", "a2", "a3", "a4"], dtype="string"),
            "area": pd.array(["security", "economy", "duration", "weather"], dtype="string"),
        },
        index=range(70, 74),
    )
    everything = Scope(T("2025-01-01"), T("2025-12-31"), ())
    assert _same_frame(everything.provisions(pr), pr, "provision_id") == ["a1", "a2", "a3", "a4"]
    trade = Scope(T("2025-01-01"), T("2025-12-31"), ("trade",))
    assert _same_frame(trade.provisions(pr), pr, "provision_id") == ["a2"]
    diplomacy = Scope(T("2025-01-01"), T("2025-12-31"), ("diplomacy", "legal"))
    assert _same_frame(diplomacy.provisions(pr), pr, "provision_id") == ["a3", "a4"]
    empty = pd.DataFrame({c: pd.Series([], dtype="string") for c in pr.columns})  # as read from a bare CSV
    assert _same_frame(trade.provisions(empty), pr, "provision_id") == []
