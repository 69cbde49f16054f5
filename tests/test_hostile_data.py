"""Hostile and awkward files: byte-order marks, bad UTF-8, malformed CSV and datapackage.json,
paths that leave the data folder, control characters and spreadsheet formulas.

Every one gives a clean ``file:row:column: message`` error (or passes, for what real
spreadsheet programs write), never a traceback and never the content of a file outside
the data folder."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from conftest import write_tables

import relations
from relations.loaders import csv_safe
from relations.schema import PackageError

BOM = b"\xef\xbb\xbf"
SECRET = "root:x:0:0:secret-line-from-outside"


def _prepend_bom(root: Path, name: str) -> None:
    path = root / f"{name}.csv"
    path.write_bytes(BOM + path.read_bytes())


def _edit_descriptor(root: Path, edit) -> None:
    path = root / "datapackage.json"
    d = json.loads(path.read_text(encoding="utf-8"))
    edit(d)
    path.write_text(json.dumps(d), encoding="utf-8")


def _resource(d: dict, name: str) -> dict:
    return next(r for r in d["resources"] if r["name"] == name)


# --- encodings that spreadsheet programs write -------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("name", ["sources", "events", "cameo_codes"])
def test_byte_order_mark_on_one_file_is_accepted(tiny_data, tiny_tables, name):
    _prepend_bom(tiny_data, name)
    assert relations.check(tiny_data).rows[name] == len(tiny_tables[name])
    frame = relations.load(name, data_dir=tiny_data)
    assert frame.columns[0] == next(iter(tiny_tables[name][0]))
    assert len(frame) == len(tiny_tables[name])


def test_byte_order_mark_on_every_file_is_accepted(tiny_data, tiny_tables):
    for name in tiny_tables:
        _prepend_bom(tiny_data, name)
    assert relations.check(tiny_data).rows == {n: len(rows) for n, rows in tiny_tables.items()}
    assert relations.load("events", data_dir=tiny_data)["event_id"].tolist() == [
        "ev-2024-01-02-one",
        "ev-2024-02-01-two",
    ]


def test_crlf_and_lf_line_endings_are_both_accepted(tiny_data, tiny_tables):
    events = tiny_data / "events.csv"
    assert b"\r\n" in events.read_bytes()  # the csv module writes CRLF, as spreadsheets do
    assert relations.check(tiny_data).rows["events"] == 2
    for name in tiny_tables:
        path = tiny_data / f"{name}.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    assert relations.check(tiny_data).rows["events"] == 2
    assert len(relations.load("events", data_dir=tiny_data)) == 2


def _latin1_title(root: Path) -> None:
    """Events row 3 (the second data row) gets a title saved as Latin-1, not UTF-8."""
    path = root / "events.csv"
    path.write_bytes(path.read_bytes().replace(b",Two,", b",Caf\xe9,"))


BAD_UTF8 = "events.csv:3:title: not valid UTF-8 (allowed: UTF-8 text; save the file as UTF-8)"


def test_invalid_utf8_is_reported_by_check(tiny_data):
    _latin1_title(tiny_data)
    with pytest.raises(relations.DataError) as info:
        relations.check(tiny_data)
    assert info.value.problems == [BAD_UTF8]


def test_invalid_utf8_is_reported_by_load(tiny_data):
    _latin1_title(tiny_data)
    with pytest.raises(relations.DataError) as info:
        relations.load("events", data_dir=tiny_data)
    assert info.value.problems == [BAD_UTF8]


def test_invalid_utf8_in_the_header_names_the_column_number(tiny_data):
    path = tiny_data / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"event_id,date", b"event_id,d\xffte", 1))
    with pytest.raises(relations.DataError) as info:
        relations.check(tiny_data)
    assert info.value.problems == [
        "events.csv:1:column 2: not valid UTF-8 (allowed: UTF-8 text; save the file as UTF-8)"
    ]


# --- malformed CSV -----------------------------------------------------------------------


def test_row_with_an_extra_cell_is_reported_by_load_with_its_row(tiny_data):
    path = tiny_data / "events.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[2] += b",surplus"
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(relations.DataError) as info:
        relations.load("events", data_dir=tiny_data)
    assert info.value.problems == [
        "events.csv:3:column 18: row has 18 cells but the header has 17 "
        "(allowed: one cell per column; quote cells that contain commas)"
    ]
    with pytest.raises(relations.DataError) as info:
        relations.check(tiny_data)
    assert [p.split(": ")[0] for p in info.value.problems] == ["events.csv:3:column 18"]


def test_row_with_a_missing_cell_is_reported_by_load_with_its_column(tiny_data):
    path = tiny_data / "events.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines[1] = lines[1].rsplit(b",", 1)[0]
    path.write_bytes(b"\r\n".join(lines))
    with pytest.raises(relations.DataError) as info:
        relations.load("events", data_dir=tiny_data)
    assert info.value.problems == [
        "events.csv:2:recorded: row has 16 cells but the header has 17 "
        "(allowed: one cell per column; quote cells that contain commas)"
    ]


def test_duplicate_column_is_reported_by_check_and_load(tiny_data):
    path = tiny_data / "events.csv"
    lines = path.read_bytes().split(b"\r\n")
    lines = [line + (b",title" if i == 0 else b",Again") if line else line for i, line in enumerate(lines)]
    path.write_bytes(b"\r\n".join(lines))
    expected = [
        "events.csv:1:column 18: 'title' is already column 4 "
        "(allowed: each column name once; expected columns: event_id, date, date_precision, title, "
        "summary, domain, actors, status, source_ids, cameo_code, cameo_also, goldstein, direction, "
        "key_event, friction, claim_id, recorded)"
    ]
    for call in (lambda: relations.check(tiny_data), lambda: relations.load("events", data_dir=tiny_data)):
        with pytest.raises(relations.DataError) as info:
            call()
        assert info.value.problems == expected


def test_empty_file_is_reported(tiny_data):
    (tiny_data / "events.csv").write_bytes(BOM)
    expected = ["events.csv:1:column 1: the file is empty (allowed: a header row naming the columns)"]
    for call in (lambda: relations.check(tiny_data), lambda: relations.load("events", data_dir=tiny_data)):
        with pytest.raises(relations.DataError) as info:
            call()
        assert info.value.problems == expected


def test_unloadable_value_names_its_row(tiny_data):
    path = tiny_data / "events.csv"
    path.write_bytes(path.read_bytes().replace(b"2024-02-01,month", b"2024-02-31,month"))
    with pytest.raises(relations.DataError) as info:
        relations.load("events", data_dir=tiny_data)
    assert info.value.problems[0].startswith("events.csv:3:date: '2024-02-31' cannot be read as date")


# --- malformed datapackage.json ----------------------------------------------------------

MALFORMED = [
    ("bad JSON", '{"resources": [', "datapackage.json:1:16: not valid JSON"),
    ("not an object", "[]", "datapackage.json: the top level is a list (allowed: a JSON object"),
    ("no resources", "{}", 'datapackage.json: has no "resources" (allowed: a list of resources'),
    ("resources not a list", '{"resources": {}}', 'datapackage.json: "resources" is an object (allowed'),
    ("resource not an object", '{"resources": [1]}', "datapackage.json: resources[0] is a number (allowed"),
]


@pytest.mark.parametrize(("text", "message"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_datapackage_json_is_one_clear_line(tmp_path, text, message):
    (tmp_path / "datapackage.json").write_text(text, encoding="utf-8")
    for call in (
        lambda: relations.check(tmp_path),
        lambda: relations.load("events", data_dir=tmp_path),
        lambda: relations.tables(data_dir=tmp_path),
    ):
        with pytest.raises(PackageError) as info:
            call()
        assert isinstance(info.value, relations.DataError)
        assert "\n" not in str(info.value)
        assert str(info.value).startswith(f"{tmp_path / 'datapackage.json'}:")
        assert info.value.problems[0].startswith(message), info.value.problems


def _drop(key):
    return lambda d: _resource(d, "events").pop(key)


SHAPES = [
    ("resource without path", _drop("path"), "datapackage.json: resource 'events' has no \"path\""),
    ("resource without schema", _drop("schema"), "datapackage.json: resource 'events' has no \"schema\""),
    (
        "unknown field type",
        lambda d: _resource(d, "events")["schema"]["fields"][1].update(type="datetime"),
        "datapackage.json: events.date has type 'datetime' "
        "(allowed: boolean, date, integer, list, number, string)",
    ),
    (
        "fields not a list",
        lambda d: _resource(d, "events")["schema"].update(fields="event_id"),
        "datapackage.json: resource 'events' schema \"fields\" is a string (allowed: a list of fields",
    ),
    (
        "field without a name",
        lambda d: _resource(d, "events")["schema"]["fields"][0].pop("name"),
        "datapackage.json: resource 'events' field 1 has no \"name\"",
    ),
    (
        "reference to an unknown resource",
        lambda d: _resource(d, "events")["schema"]["foreignKeys"][0]["reference"].update(resource="nope"),
        "datapackage.json: events refers to resource 'nope', which is not declared",
    ),
]


@pytest.mark.parametrize(("edit", "message"), [s[1:] for s in SHAPES], ids=[s[0] for s in SHAPES])
def test_datapackage_json_of_the_wrong_shape_is_one_clear_line(tiny_data, edit, message):
    _edit_descriptor(tiny_data, edit)
    with pytest.raises(PackageError) as info:
        relations.check(tiny_data)
    assert "\n" not in str(info.value)
    assert info.value.problems[0].startswith(message), info.value.problems


def test_missing_data_folder_names_the_folder(tmp_path):
    missing = tmp_path / "no-such-folder"
    with pytest.raises(FileNotFoundError, match=f"{missing} does not exist"):
        relations.check(missing)
    with pytest.raises(FileNotFoundError, match=f"{missing} does not exist"):
        relations.load("events", data_dir=missing)


def test_data_folder_that_is_a_file_names_it(tmp_path):
    not_a_folder = tmp_path / "data.csv"
    not_a_folder.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(FileNotFoundError, match=f"{not_a_folder} is not a folder"):
        relations.check(not_a_folder)


# --- paths stay inside the data folder ---------------------------------------------------


@pytest.fixture
def outside_file(tmp_path: Path) -> Path:
    secret = tmp_path / "outside" / "passwd"
    secret.parent.mkdir()
    secret.write_text(f"{SECRET}\n{SECRET}\n", encoding="utf-8")
    return secret


@pytest.mark.parametrize("where", ["relative", "absolute"])
def test_resource_path_leaving_the_data_folder_is_refused(tiny_data, outside_file, where):
    target = "../outside/passwd" if where == "relative" else str(outside_file)
    _edit_descriptor(tiny_data, lambda d: _resource(d, "events").update(path=target))
    for call in (
        lambda: relations.check(tiny_data),
        lambda: relations.load("events", data_dir=tiny_data),
        lambda: relations.data_hash(data_dir=tiny_data),
    ):
        with pytest.raises(PackageError) as info:
            call()
        assert info.value.problems == [
            f"datapackage.json: resource 'events' has path {target!r}, which leaves the data folder "
            "(allowed: a relative path to a file inside the data folder)"
        ]
        assert "secret-line" not in str(info.value)


def test_symlink_leaving_the_data_folder_is_refused(tiny_data, outside_file):
    (tiny_data / "events.csv").unlink()
    (tiny_data / "events.csv").symlink_to(outside_file)
    for call in (
        lambda: relations.check(tiny_data),
        lambda: relations.load("events", data_dir=tiny_data),
    ):
        with pytest.raises(relations.DataError) as info:
            call()
        assert info.value.problems == [
            "events.csv: a link to a file outside the data folder (allowed: a file inside the data folder)"
        ]
        assert "secret-line" not in str(info.value)


def test_symlink_inside_the_data_folder_is_followed(tiny_data):
    (tiny_data / "keep").mkdir()
    (tiny_data / "events.csv").rename(tiny_data / "keep" / "events.csv")
    (tiny_data / "events.csv").symlink_to(tiny_data / "keep" / "events.csv")
    assert relations.check(tiny_data).rows["events"] == 2


# --- control characters and spreadsheet formulas -----------------------------------------

CONTROL = [
    ("\x00", "U+0000 (NULL)"),
    ("\x07", "U+0007 (BELL)"),
    ("\x1b", "U+001B (ESCAPE)"),
    ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
    ("\u2066", "U+2066 (LEFT-TO-RIGHT ISOLATE)"),
]


@pytest.mark.slow
@pytest.mark.parametrize(("char", "named"), CONTROL, ids=[c[1].split()[0] for c in CONTROL])
def test_control_character_in_text_is_reported(tmp_path, tiny_tables, char, named):
    tiny_tables["events"][1]["title"] = f"Tw{char}o"
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad", tiny_tables))
    assert info.value.problems == [
        f"events.csv:3:title: contains the control character {named} "
        "(allowed: printable text without control or bidirectional-override characters)"
    ]


def test_problems_never_print_raw_control_characters(tmp_path, tiny_tables):
    """A terminal showing the problems must not obey escape sequences planted in the data."""
    esc = "\x1b]0;owned\x07\x1b[2J"
    tiny_tables["events"][0]["event_id"] = f"ev-{esc}"
    tiny_tables["events"][1]["actors"] = f"RUS;{esc}"
    tiny_tables["sources"][0]["language"] = esc
    tiny_tables["agreements"][0]["notes"] = esc
    for r in tiny_tables["trade"]:
        r[f"col{esc}"] = "x"
    root = write_tables(tmp_path / "bad", tiny_tables)
    with pytest.raises(relations.DataError) as info:
        relations.check(root)
    assert "trade.csv:1:'col\\x1b]0;owned\\x07\\x1b[2J': unexpected column" in str(info.value)
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)
    tiny_tables = {k: v for k, v in tiny_tables.items()}
    for r in tiny_tables["trade"]:
        del r[f"col{esc}"]
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad2", tiny_tables))
    assert len(info.value.problems) >= 4
    assert "\x1b" not in str(info.value) and "\x07" not in str(info.value)


def test_persian_text_with_zero_width_non_joiner_passes(tmp_path, tiny_tables):
    tiny_tables["events"][1]["title"] = "می\u200cخواهم"
    assert relations.check(write_tables(tmp_path / "ok", tiny_tables)).rows["events"] == 2


FORMULAS = ["=1+1", "@SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", '+1 +HYPERLINK("x")']


@pytest.mark.slow
@pytest.mark.parametrize("value", FORMULAS)
def test_spreadsheet_formula_in_text_is_reported(tmp_path, tiny_tables, value):
    tiny_tables["events"][0]["summary"] = value
    with pytest.raises(relations.DataError) as info:
        relations.check(write_tables(tmp_path / "bad", tiny_tables))
    assert info.value.problems == [
        f"events.csv:2:summary: {value!r} starts with {value[0]!r}, so spreadsheets run it as a "
        "formula (allowed: text that does not start with =, +, -, @; signed figures such as "
        "'+12% y/y' are fine)"
    ]


SIGNED_FIGURES = ["+89.4% y/y. Agricultural goods.", "-17% to $4bn on Russian data", "+1.9%, a high"]


@pytest.mark.parametrize("value", SIGNED_FIGURES)
def test_signed_figures_at_the_start_of_a_note_pass(tmp_path, tiny_tables, value):
    tiny_tables["trade"][0]["notes"] = value
    assert relations.check(write_tables(tmp_path / "ok", tiny_tables)).rows["trade"] == 2


def test_negative_numbers_are_not_formulas(tmp_path, tiny_tables):
    tiny_tables["cameo_codes"][0]["goldstein"] = "-2"
    for r in tiny_tables["events"]:
        r["goldstein"] = "-2"
    assert relations.check(write_tables(tmp_path / "ok", tiny_tables)).rows["events"] == 2


def test_csv_safe_escapes_formula_cells_and_leaves_numbers():
    frame = pd.DataFrame(
        {
            "text": pd.array(["=1+1", "+cmd|' /C calc'!A0", "-x", "@SUM(A1)", "plain", None], dtype="string"),
            "obj": ["\tTAB", "\rCR", "ok", "-", "", "=x"],
            "goldstein": pd.array([-2.0, 1.9, -10.0, 0.0, 3.4, None], dtype="Float64"),
            "n": pd.array([-1, 2, -3, 4, 5, 6], dtype="Int64"),
        }
    )
    safe = csv_safe(frame)
    assert safe["text"].tolist()[:5] == ["'=1+1", "'+cmd|' /C calc'!A0", "'-x", "'@SUM(A1)", "plain"]
    assert pd.isna(safe["text"].iloc[5])
    assert safe["obj"].tolist() == ["'\tTAB", "'\rCR", "ok", "'-", "", "'=x"]
    assert safe["goldstein"].equals(frame["goldstein"])
    assert safe["n"].equals(frame["n"])
    assert frame["text"].iloc[0] == "=1+1", "csv_safe must not change its argument"
    written = safe.to_csv(index=False)
    assert "\n=1+1" not in written and "'=1+1" in written


def test_csv_safe_escapes_loaded_shipped_trade_notes():
    trade = relations.load("trade")
    risky = trade["notes"].dropna().str.match(r"[=+\-@]")
    assert risky.any(), "the shipped notes have signed figures such as '+89.4% y/y'"
    safe = csv_safe(trade)
    assert not safe["notes"].dropna().str.match(r"[=+\-@]").any()
