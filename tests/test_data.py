"""The data package: every table loads with its schema's types, the shipped data checks clean,
and planted faults are reported with file, row, column and the allowed values."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import write_tables

import relations
from relations.schema import read_package

PKG = read_package()
TABLES = PKG.names


def test_registry_matches_the_files_on_disk():
    on_disk = sorted(p.name for p in PKG.root.glob("*.csv"))
    assert on_disk == sorted(t.path for t in PKG.tables)
    assert relations.tables() == TABLES


@pytest.mark.parametrize("name", TABLES)
def test_table_loads_with_schema_types(name):
    table = PKG.table(name)
    frame = relations.load(name)
    assert list(frame.columns) == table.field_names
    assert len(frame) > 0
    for f in table.fields:
        col = frame[f.name]
        if f.enum:
            assert isinstance(col.dtype, pd.CategoricalDtype), f.name
            assert col.dtype.ordered
            assert list(col.cat.categories) == list(f.enum)
        elif f.type == "date":
            assert col.dtype == "datetime64[ns]", f.name
        elif f.type == "integer":
            assert col.dtype == "Int64", f.name
        elif f.type == "number":
            assert col.dtype == "Float64", f.name
        elif f.type == "boolean":
            assert col.dtype == "boolean", f.name
        elif f.type == "list":
            assert all(isinstance(v, list) for v in col), f.name
            if f.required:
                assert all(len(v) > 0 for v in col), f.name
        else:
            assert col.dtype == "string", f.name
    assert not frame.duplicated(list(table.primary_key)).any()


@pytest.mark.parametrize("name", TABLES)
def test_every_field_is_described(name):
    for f in PKG.table(name).fields:
        assert f.description.strip(), f"{name}.{f.name} has no description"


def test_shipped_data_passes_check():
    result = relations.check()
    assert result.rows == {name: len(relations.load(name)) for name in TABLES}


def test_record_is_sourced():
    sources = relations.load("sources")
    assert sources["url"].str.match(r"^https?://\S+$").all()
    cited: set[str] = set()
    for name in TABLES:
        frame = relations.load(name)
        if "source_ids" in frame:
            assert frame["source_ids"].map(len).gt(0).all(), f"{name}: a row without a source"
            cited |= {s for ids in frame["source_ids"] for s in ids}
    assert cited <= set(sources["source_id"]), "a cited source is not in sources.csv"
    assert set(sources["source_id"]) <= cited, "an orphan source is cited by nothing"


def test_package_metadata_is_a_frictionless_data_package():
    d = json.loads((PKG.root / "datapackage.json").read_text())
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert "Curation method" in d["description"]
    for res in d["resources"]:
        assert res["schema"]["primaryKey"]
        assert res["path"] == f"{res['name']}.csv"


def test_unknown_table_lists_known_ones():
    with pytest.raises(ValueError, match="unknown table 'evnts'; known tables: sources, events"):
        relations.load("evnts")


def test_describe_gives_fields_and_provenance():
    info = relations.describe("events")
    assert info.title == "Events"
    assert "status" in set(info.fields["name"])
    assert info.provenance["rows"] == len(relations.load("events"))
    assert info.licence == "CC-BY-4.0"
    assert "events.csv" in str(info)


def test_data_dir_argument_and_environment_variable(tiny_data, monkeypatch):
    assert len(relations.load("events", data_dir=tiny_data)) == 2
    monkeypatch.setenv("RELATIONS_DATA", str(tiny_data))
    assert len(relations.load("events")) == 2
    assert relations.check().rows["events"] == 2


def test_missing_data_dir_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match=r"has no datapackage\.json"):
        relations.load("events", data_dir=tmp_path)


def test_tiny_data_passes(tiny_data):
    assert relations.check(tiny_data).rows["events"] == 2


# Each planted fault: (table, row index, column, bad value, expected message).
# Rows count the header as row 1, so the first data row is row 2.
FAULTS = [
    (
        "events",
        0,
        "date",
        "2024-13-45",
        "events.csv:2:date: '2024-13-45' is not a valid date (allowed: an ISO date YYYY-MM-DD)",
    ),
    (
        "events",
        1,
        "status",
        "rumoured",
        "events.csv:3:status: 'rumoured' is not allowed "
        "(allowed: confirmed, reported, alleged, denied, disputed)",
    ),
    (
        "events",
        0,
        "domain",
        "sport",
        "events.csv:2:domain: 'sport' is not allowed (allowed: diplomacy, military, arms, security, "
        "nuclear, space, energy, trade, finance, transport, multilateral, sanctions, legal, domestic)",
    ),
    (
        "events",
        1,
        "source_ids",
        "src-a;src-zz",
        "events.csv:3:source_ids: 'src-zz' is not a sources.source_id "
        "(allowed: a source_id listed in sources.csv)",
    ),
    ("events", 0, "source_ids", "", "events.csv:2:source_ids: value required but blank"),
    (
        "events",
        0,
        "actors",
        "RUS;Iran",
        "events.csv:2:actors: 'Iran' is not an actor code (allowed: ISO 3166-1 alpha-3 codes such "
        "as RUS, IRN, or UN, UNSC, IAEA, EU, E3, EAEU, SCO, BRICS, NATO, G7, OPEC)",
    ),
    ("events", 0, "date", "1850-01-01", "events.csv:2:date: 1850-01-01 is not a plausible date"),
    ("events", 1, "event_id", "ev-2024-01-02-one", "events.csv:3:event_id: duplicate primary key event_id"),
    (
        "sources",
        1,
        "url",
        "ftp://example.org/b",
        "sources.csv:3:url: 'ftp://example.org/b' is not an http(s) URL",
    ),
    (
        "sources",
        0,
        "publisher_type",
        "blog",
        "sources.csv:2:publisher_type: 'blog' is not allowed (allowed: government, state_media, "
        "independent_media, think_tank, international_org, dataset, other)",
    ),
    (
        "agreements",
        0,
        "mutual_defence",
        "maybe",
        "agreements.csv:2:mutual_defence: 'maybe' is not a valid boolean (allowed: true, false)",
    ),
    (
        "agreements",
        0,
        "in_force",
        "2023-01-01",
        "agreements.csv:2:in_force: 2023-01-01 is before the signature on 2024-01-02",
    ),
    (
        "agreements",
        0,
        "kind",
        "pact",
        "agreements.csv:2:kind: 'pact' is not allowed "
        "(allowed: treaty, agreement, declaration, memorandum, contract)",
    ),
    (
        "agreements",
        0,
        "duration_years",
        "twenty",
        "agreements.csv:2:duration_years: 'twenty' is not a valid integer (allowed: a whole number)",
    ),
]


# Faults in the evidence-base tables (one or more per table) and the cross-table rules.
FAULTS += [
    (
        "events",
        0,
        "goldstein",
        "5.0",
        "events.csv:2:goldstein: '5.0' does not match CAMEO 042 (allowed: 1.9, from cameo_codes.csv)",
    ),
    (
        "events",
        0,
        "cameo_code",
        "999",
        "events.csv:2:cameo_code: '999' is not a cameo_codes.cameo_code "
        "(allowed: a cameo_code listed in cameo_codes.csv)",
    ),
    (
        "events",
        1,
        "claim_id",
        "cl-nothing",
        "events.csv:3:claim_id: 'cl-nothing' is not a claims.claim_id "
        "(allowed: a claim_id listed in claims.csv)",
    ),
    ("cameo_codes", 0, "quad_class", "5", "cameo_codes.csv:2:quad_class: '5' breaks the maximum constraint"),
    (
        "claims",
        0,
        "likelihood",
        "probable",
        "claims.csv:2:likelihood: 'probable' is not allowed (allowed: almost no chance, very unlikely, "
        "unlikely, roughly even chance, likely, very likely, almost certain)",
    ),
    ("claims", 0, "status", "rumour", "claims.csv:2:status: 'rumour' is not allowed (allowed: reported"),
    (
        "claim_positions",
        0,
        "position",
        "hints",
        "claim_positions.csv:2:position: 'hints' is not allowed (allowed: asserts, confirms, "
        "partially_confirms, no_comment, denies)",
    ),
    (
        "claim_positions",
        1,
        "claim_id",
        "cl-other",
        "claim_positions.csv:3:claim_id: 'cl-other' is not a claims.claim_id",
    ),
    (
        "agreement_provisions",
        0,
        "agreement_id",
        "no-such-treaty",
        "agreement_provisions.csv:2:agreement_id: 'no-such-treaty' is not a agreements.agreement_id",
    ),
    (
        "agreement_provisions",
        0,
        "atop_obligation",
        "alliance",
        "agreement_provisions.csv:2:atop_obligation: 'alliance' is not allowed (allowed: defense, offense, "
        "neutral, nonagg, consul)",
    ),
    (
        "arms_transfers",
        0,
        "claim_id",
        "",
        "arms_transfers.csv:2:claim_id: an denied transfer must link its claim",
    ),
    (
        "arms_transfers",
        0,
        "delivery_years",
        "soon",
        "arms_transfers.csv:2:delivery_years: 'soon' has the wrong form",
    ),
    (
        "trade",
        1,
        "preferred",
        "true",
        "trade.csv:3:preferred: row 2 is already preferred for RUS/IRN/2024/turnover",
    ),
    ("trade", 0, "value_usd", "lots", "trade.csv:2:value_usd: 'lots' is not a valid number"),
    ("projects", 0, "end", "2020-01-01", "projects.csv:2:end: 2020-01-01 is before start 2023-05-17"),
    ("projects", 0, "sector", "tourism", "projects.csv:2:sector: 'tourism' is not allowed (allowed: energy"),
    ("people", 0, "country", "Iran", "people.csv:2:country: 'Iran' has the wrong form"),
    (
        "memberships",
        0,
        "status",
        "friend",
        "memberships.csv:2:status: 'friend' is not allowed (allowed: member",
    ),
]


@pytest.mark.parametrize(
    ("table", "row", "column", "value", "message"),
    FAULTS,
    ids=[f"{t}.{c}={v or 'blank'}" for t, _, c, v, _ in FAULTS],
)
def test_check_reports_planted_fault(tmp_path, tiny_tables, table, row, column, value, message):
    tiny_tables[table][row][column] = value
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    assert any(p.startswith(message) for p in info.value.problems), info.value.problems


def test_check_reports_every_problem_at_once(tmp_path, tiny_tables):
    tiny_tables["events"][0]["status"] = "rumoured"
    tiny_tables["events"][1]["date"] = "yesterday"
    tiny_tables["sources"][0]["language"] = "English"
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    where = sorted(p.split(": ")[0] for p in info.value.problems)
    assert where == ["events.csv:2:status", "events.csv:3:date", "sources.csv:2:language"]


def test_claim_without_position_is_reported(tmp_path, tiny_tables):
    tiny_tables["claims"].append({**tiny_tables["claims"][0], "claim_id": "cl-lonely"})
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    assert "claims.csv:3:claim_id: 'cl-lonely' has no position" in str(info.value)


def test_planted_faults_cover_every_table():
    assert {t for t, *_ in FAULTS} == set(TABLES)


def test_orphan_source_is_reported(tmp_path, tiny_tables):
    tiny_tables["sources"].append({**tiny_tables["sources"][0], "source_id": "src-orphan"})
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    assert "sources.csv:4:source_id: 'src-orphan' is cited by no row" in str(info.value)


def test_missing_column_is_reported(tmp_path, tiny_tables):
    for r in tiny_tables["events"]:
        del r["status"]
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    assert "events.csv:1:status: header problem" in str(info.value)
