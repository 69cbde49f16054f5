"""The data package: every table loads with its schema's types, the shipped data checks clean,
and planted faults are reported with file, row, column and the allowed values."""

from __future__ import annotations

import json

import pandas as pd
import pytest

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


@pytest.mark.parametrize(
    "name",
    [n for n in TABLES if n not in ("sources", "cameo_codes", "reviews")],
)
def test_every_row_has_a_review(name):
    """Issue 12: every row of every curated table has been re-read against its pages at least
    once (``reviews``); a new row needs its review too."""
    key = read_package().table(name).primary_key[0]
    reviews = pd.read_csv(relations.paths.data_dir() / "reviews.csv", dtype=str)
    rows = pd.read_csv(relations.paths.data_dir() / f"{name}.csv", dtype=str)
    unreviewed = set(rows[key]) - set(reviews.loc[reviews["table"] == name, "row_key"])
    assert not unreviewed, f"{name}: rows without a review: {sorted(unreviewed)[:5]}"


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


def test_describe_prints_readable_text_not_a_dataclass_repr():
    info = relations.describe("events")
    text = repr(info)
    assert text == str(info)
    assert not text.startswith("TableDescription(")
    assert text.splitlines()[0] == f"Events (events: {PKG.root / 'events.csv'})"
    assert "  status (string, required): " in text
    assert "      allowed: confirmed, reported, alleged, denied, disputed" in text


def test_describe_shows_an_html_table_in_notebooks():
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(relations.describe("events")._repr_html_(), "html.parser")
    assert soup.h4.get_text(" ", strip=True) == "Events events"
    rows = [[td.get_text(strip=True) for td in tr.find_all("td")] for tr in soup.tbody.find_all("tr")]
    assert [r[0] for r in rows] == PKG.table("events").field_names
    status = rows[PKG.table("events").field_names.index("status")]
    assert status[1:4] == ["string", "required", "confirmed, reported, alleged, denied, disputed"]


def test_describe_html_escapes_text_from_the_data_package(tiny_data):
    path = tiny_data / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    events = next(r for r in d["resources"] if r["name"] == "events")
    events["title"] = "<script>alert('t')</script>"
    events["schema"]["fields"][0]["description"] = "<img src=x onerror=alert(1)>"
    path.write_text(json.dumps(d), encoding="utf-8")
    html = relations.describe("events", data_dir=tiny_data)._repr_html_()
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_table_edited_in_place_is_read_again_even_at_the_same_size(tiny_data):
    """Loading is memoised per process (warm kernels load tables once); the memo is keyed on
    the file's bytes, so an edit that keeps the size and the second is still seen."""
    first = relations.load("events", data_dir=tiny_data)
    path = tiny_data / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"First.", b"Fir5t."))
    again = relations.load("events", data_dir=tiny_data)
    assert first["summary"].iloc[0] == "First." and again["summary"].iloc[0] == "Fir5t."


def test_changing_a_loaded_frame_does_not_change_the_next_load(tiny_data):
    frame = relations.load("events", data_dir=tiny_data)
    frame.loc[0, "title"] = "changed"
    frame.attrs["table"] = "changed"
    again = relations.load("events", data_dir=tiny_data)
    assert again["title"].iloc[0] == "One" and again.attrs["table"] == "events"


def test_an_act_in_the_partners_defence_is_not_scored_as_hostility_between_them():
    """CAMEO codes an act by its target: Russia vetoing a draft aimed at Iran is a veto of the
    sponsors, not of Iran. Between the pair it is verbal defence (052) or cooperation; the act on
    the third party is kept in ``cameo_also``. Strongly negative scores between the two belong to
    frictions only (found: 30 rows that made Russia look hostile when it defended Iran)."""
    ev = pd.read_csv(relations.paths.data_dir() / "events.csv", dtype=str, keep_default_na=False)
    pair = ev[(ev["direction"] != "third party") & (ev["friction"] == "false")]
    hostile = pair[pair["goldstein"].astype(float) < -2]
    assert hostile.empty, hostile[["event_id", "cameo_code", "goldstein"]].to_string()


def test_an_edited_datapackage_json_is_read_again_even_with_the_same_modification_time(tiny_data):
    import os

    path = tiny_data / "datapackage.json"
    before = relations.load("events", data_dir=tiny_data)["domain"].cat.categories[:2].tolist()
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    swapped = text.replace('"diplomacy",', '"@@",', 1).replace('"military",', '"diplomacy",', 1)
    path.write_text(swapped.replace('"@@",', '"military",', 1), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    after = relations.load("events", data_dir=tiny_data)["domain"].cat.categories[:2].tolist()
    assert before == ["diplomacy", "military"] and after == ["military", "diplomacy"]


def test_a_list_changed_in_a_loaded_frame_does_not_change_the_next_load(tiny_data):
    frame = relations.load("events", data_dir=tiny_data)
    frame["actors"].iloc[0].append("ATL")
    frame["source_ids"].iloc[0].clear()
    again = relations.load("events", data_dir=tiny_data)
    assert again["actors"].iloc[0] == ["RUS", "IRN"] and again["source_ids"].iloc[0] == ["src-a", "src-b"]
