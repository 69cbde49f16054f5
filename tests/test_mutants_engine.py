"""Tests written to kill mutants of ``relations.verify`` and ``relations.validation``.

``verify`` compares a briefing's manifest with the files on disk, today's inputs and a fresh
render. The fresh render needs a kernel (tested in ``test_engine.py`` and
``test_hostile_engine.py``, marked ``notebooks``); here the environment, the data hashes and
the re-render are replaced by stand-ins with known results, so that the comparison and the
wording of every difference are checked in-process and quickly.

``validation`` is checked on the tiny package of ``conftest.py``, with its datapackage.json
edited where the real schema has no example (a bound given only as a maximum, a fractional
bound, minLength, unique, a key of two columns), for header problems and for the cache of
passed checks.

Expectations come from docstrings, the message formats and hand-made manifests and tables,
never from the functions under test. ``benchmarks/mutation/RESULTS.md`` names the mutants
and the ones left alive.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import write_tables

from relations.errors import DataError, ParameterError
from relations.manifest import ManifestError
from relations.schema import read_package
from relations.validation import CheckResult, _allowed, _number, check, code_fingerprint
from relations.verify import Verification, _without_env, manifest_for, verify_briefing

STEM = "briefing_2025-01-01_2025-03-31"
BYTES = {"html": b"<p>the briefing</p>\n", "ipynb": b'{"cells": []}\n', "pdf": b"%PDF-1.7 pages\n"}
ENV = {
    "relations_version": "1.2.0",
    "relations_code_sha256": "c" * 64,
    "python": "3.11.0",
    "dependencies": {"pandas": "2.2.0", "numpy": "2.0.1"},
    "git_commit": None,
}
TABLES = {"datapackage.json": "a" * 64, "events.csv": "b" * 64}


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- manifest_for ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "manifest"),
    [
        ("briefings/b.html", "briefings/b.manifest.json"),
        ("briefings/b.ipynb", "briefings/b.manifest.json"),
        ("briefings/b.pdf", "briefings/b.manifest.json"),
        ("briefings/b.failed.ipynb", "briefings/b.manifest.json"),
        ("briefings/b.manifest.json", "briefings/b.manifest.json"),
        ("b", "b.manifest.json"),  # no known suffix: the name is the stem
        ("b.txt", "b.txt.manifest.json"),
        ("b.pdf.html", "b.pdf.manifest.json"),  # one suffix is taken off, not every known one
    ],
)
def test_manifest_for_names_the_manifest_beside_the_file(given, manifest):
    assert manifest_for(given) == Path(manifest)


# -- Verification ----------------------------------------------------------------------


def test_verification_reads_identical_or_lists_each_difference():
    same = Verification("b")
    assert same.identical and same.differences == []
    assert str(same) == "identical: b re-renders byte for byte from its manifest"
    other = Verification("b", ["file missing: b.pdf", "data changed: x"])
    assert not other.identical
    assert str(other) == "different: b\n  file missing: b.pdf\n  data changed: x"
    assert Verification("c").differences is not Verification("c").differences


# -- _without_env ----------------------------------------------------------------------


def test_without_env_unsets_the_variable_and_puts_it_back(monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/somewhere")
    with _without_env("RELATIONS_DATA"):
        assert "RELATIONS_DATA" not in os.environ
    assert os.environ["RELATIONS_DATA"] == "/somewhere"
    with pytest.raises(RuntimeError), _without_env("RELATIONS_DATA"):
        assert "RELATIONS_DATA" not in os.environ
        raise RuntimeError("the block failed")
    assert os.environ["RELATIONS_DATA"] == "/somewhere", "restored after an exception too"


def test_without_env_of_an_unset_variable_leaves_it_unset(monkeypatch):
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    with _without_env("RELATIONS_DATA"):
        assert "RELATIONS_DATA" not in os.environ
    assert "RELATIONS_DATA" not in os.environ


# -- verify_briefing with stand-ins for the environment and the re-render --------------------


class World:
    """A briefing folder whose manifest matches its files, today's inputs and a re-render.

    Each test changes one thing and checks the exact list of differences. ``renders``
    records every call of the stand-in ``render_briefing``; ``fresh`` holds the bytes the
    re-render writes per kind, ``fresh_manifest`` the outputs of the manifest it writes
    (``None``: it writes none), ``fails`` an exception it raises instead.
    """

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp_path = tmp_path
        self.folder = tmp_path / "briefings"
        self.folder.mkdir()
        self.data = tmp_path / "data"
        self.data.mkdir()
        (self.data / "datapackage.json").write_text("{}")
        self.notebook = tmp_path / "briefing.ipynb"
        self.notebook.write_bytes(b'{"notebook": 1}')
        self.env = json.loads(json.dumps(ENV))
        self.tables = dict(TABLES)
        self.hashed: list[object] = []
        self.renders: list[dict] = []
        self.fresh = dict(BYTES)
        self.fresh_manifest: dict | None = {}
        self.fails: Exception | None = None
        self.manifest = {
            "briefing": STEM,
            "parameters": {"start": "2025-01-01", "end": "2025-03-31", "data_dir": str(self.data)},
            "formats": ["html", "ipynb"],
            "paper": "a4",
            "notebook_sha256": sha(self.notebook.read_bytes()),
            "data_dir": str(self.data),
            "data_dir_origin": "data_dir",
            "data": dict(TABLES),
            "relations_version": ENV["relations_version"],
            "relations_code_sha256": ENV["relations_code_sha256"],
            "dependencies": dict(ENV["dependencies"]),
            "outputs": {},
        }
        self.record("html", "ipynb")
        monkeypatch.setattr("relations.provenance.environment", lambda: self.env)
        monkeypatch.setattr("relations.provenance.table_hashes", self._table_hashes)
        monkeypatch.setattr("relations.params.briefing_notebook", lambda: self.notebook)
        monkeypatch.setattr("relations.pdf.chromium_version", lambda binary=None: "Chromium 151")
        monkeypatch.setattr("relations.render.render_briefing", self._render)

    def record(self, *kinds: str, **pdf: str) -> None:
        """Write the outputs of ``kinds`` and record them (in that order) in the manifest."""
        self.manifest["outputs"] = {}
        for kind in kinds:
            path = self.folder / f"{STEM}.{kind}"
            path.write_bytes(BYTES[kind])
            self.manifest["outputs"][kind] = {"file": path.name, "sha256": sha(BYTES[kind])}
        if pdf:
            self.manifest["outputs"]["pdf"].update(pdf)

    @property
    def path(self) -> Path:
        return self.folder / f"{STEM}.manifest.json"

    def write(self) -> Path:
        self.path.write_text(json.dumps(self.manifest))
        return self.path

    def verify(self, asked: str | Path | None = None) -> Verification:
        self.write()
        return verify_briefing(self.path if asked is None else asked)

    def _table_hashes(self, data_dir=None):
        self.hashed.append(data_dir)
        return dict(self.tables)

    def _render(self, parameters, *, output_dir, formats, paper, **kwargs):
        out = Path(output_dir)
        self.renders.append(
            {
                "parameters": dict(parameters),
                "output_dir": out,
                "formats": formats,
                "paper": paper,
                "kwargs": kwargs,
                "RELATIONS_DATA": os.environ.get("RELATIONS_DATA"),
                "dir_existed": out.is_dir(),
            }
        )
        if self.fails is not None:
            raise self.fails
        outputs = {}
        for kind in formats:
            outputs[kind] = out / f"{STEM}.{kind}"
            outputs[kind].write_bytes(self.fresh[kind])
        manifest = None
        if self.fresh_manifest is not None:
            fresh = {**self.manifest, "outputs": {}}
            for kind in formats:
                record = {"file": f"{STEM}.{kind}", "sha256": sha(self.fresh[kind])}
                fresh["outputs"][kind] = {**record, **self.fresh_manifest.get(kind, {})}
            manifest = out / f"{STEM}.manifest.json"
            manifest.write_text(json.dumps(fresh))
        return SimpleNamespace(outputs=outputs, manifest=manifest)


@pytest.fixture
def world(tmp_path, monkeypatch) -> World:
    monkeypatch.delenv("RELATIONS_DATA", raising=False)
    return World(tmp_path, monkeypatch)


def test_an_unchanged_briefing_is_identical(world):
    outcome = world.verify()
    assert outcome.identical, outcome
    assert outcome.briefing == STEM
    assert world.hashed == [world.data], "today's tables are hashed in the recorded data folder"
    [render] = world.renders
    assert render["parameters"] == world.manifest["parameters"]
    assert render["formats"] == ("html", "ipynb")
    assert render["paper"] == "a4"
    assert render["dir_existed"]
    # the re-render goes to a fresh temporary folder that is removed afterwards
    assert render["output_dir"].parent == Path(tempfile.gettempdir())
    assert render["output_dir"].name.startswith("relations-verify-")
    assert not render["output_dir"].exists()


@pytest.mark.parametrize("asked", ["manifest.json", "html", "ipynb"])
def test_any_recorded_file_or_the_manifest_names_the_briefing(world, asked):
    assert world.verify(world.folder / f"{STEM}.{asked}").identical


def test_a_file_the_manifest_does_not_record_is_named(world):
    outcome = world.verify(world.folder / f"{STEM}.pdf")
    assert outcome.differences == [f"not recorded in the manifest: {STEM}.pdf"]


def test_files_on_disk_are_hashed_before_the_re_render(world):
    world.write()
    (world.folder / f"{STEM}.html").write_bytes(b"<p>edited by hand</p>")
    (world.folder / f"{STEM}.ipynb").unlink()
    outcome = verify_briefing(world.folder / f"{STEM}.html")
    assert outcome.differences == [
        f"file changed since it was written: {STEM}.html",
        f"file missing: {STEM}.ipynb (recorded as the ipynb output)",
    ]
    assert len(world.renders) == 1, "the fresh render still runs: it matches the record"


def test_a_recorded_output_that_is_a_folder_is_missing(world):
    world.write()
    (world.folder / f"{STEM}.ipynb").unlink()
    (world.folder / f"{STEM}.ipynb").mkdir()
    assert verify_briefing(world.path).differences == [
        f"file missing: {STEM}.ipynb (recorded as the ipynb output)"
    ]


def test_no_briefing_named_is_one_line():
    for nothing in ("", "   "):
        with pytest.raises(ManifestError) as info:
            verify_briefing(nothing)
        assert str(info.value) == "no briefing given: name its .html, .ipynb, .pdf or .manifest.json file"


def test_a_briefing_without_a_manifest_names_the_manifest(tmp_path):
    html = tmp_path / "b.html"
    html.write_text("<p>x</p>")
    with pytest.raises(FileNotFoundError) as info:
        verify_briefing(html)
    assert str(info.value) == (
        f"{tmp_path / 'b.manifest.json'} not found: verify needs the manifest written beside the briefing"
    )
    (tmp_path / "b.manifest.json").mkdir()  # a folder is not a manifest
    with pytest.raises(FileNotFoundError):
        verify_briefing(html)


def test_a_missing_data_folder_stops_before_inputs_and_re_render(world):
    (world.data / "datapackage.json").unlink()
    (world.folder / f"{STEM}.html").write_bytes(b"edited")
    outcome = world.verify()
    assert outcome.differences == [
        f"file changed since it was written: {STEM}.html",
        f"data folder missing: {world.data} has no datapackage.json any more",
    ]
    assert world.hashed == [] and world.renders == []


def test_the_bundled_data_is_hashed_when_no_folder_is_recorded(world):
    world.manifest["data_dir"] = None
    world.manifest["parameters"]["data_dir"] = ""
    world.manifest["data_dir_origin"] = "bundled"
    assert world.verify().identical
    assert world.hashed == [None]


# -- today's inputs --------------------------------------------------------------------


def test_changed_added_and_removed_tables_are_named_in_order(world):
    world.tables = {"datapackage.json": "a" * 64, "events.csv": "e" * 64, "trade.csv": "f" * 64}
    world.manifest["data"]["agreements.csv"] = "9" * 64
    outcome = world.verify()
    assert outcome.differences == [
        "data changed: agreements.csv (sha256 999999999999 -> None)",
        "data changed: events.csv (sha256 bbbbbbbbbbbb -> eeeeeeeeeeee)",
        "data changed: trade.csv (sha256 None -> ffffffffffff)",
    ]


def test_a_new_package_version_is_named_once(world):
    world.env["relations_version"] = "1.3.0"
    world.env["relations_code_sha256"] = "d" * 64  # a new version has new code: no second line
    assert world.verify().differences == ["package changed: relations 1.2.0 -> 1.3.0"]


def test_changed_code_under_the_same_version_is_named(world):
    world.env["relations_code_sha256"] = "0123456789abcdef" * 4
    assert world.verify().differences == [
        "package code changed: relations 1.2.0 (code sha256 cccccccccccc -> 0123456789ab)"
    ]


def test_a_manifest_without_a_code_hash_does_not_compare_the_code(world):
    del world.manifest["relations_code_sha256"]
    world.env["relations_code_sha256"] = "d" * 64
    assert world.verify().identical


def test_changed_and_new_dependencies_are_named(world):
    world.env["dependencies"] = {"pandas": "3.0.0", "numpy": "2.0.1", "papermill": "2.6.0"}
    assert world.verify().differences == [
        "dependency changed: pandas 2.2.0 -> 3.0.0",
        "dependency changed: papermill None -> 2.6.0",
    ]


def test_a_changed_notebook_is_named(world):
    world.write()
    world.notebook.write_bytes(b'{"notebook": 2}')
    assert verify_briefing(world.path).differences == [
        "notebook changed: briefing.ipynb differs from the one recorded"
    ]


# -- the re-render ---------------------------------------------------------------------


def test_a_changed_re_render_is_named_per_output(world):
    world.fresh["ipynb"] = b'{"cells": ["new"]}\n'
    assert world.verify().differences == [
        "output changed: a fresh render's ipynb differs from the recorded one"
    ]
    world.fresh["html"] = b"<p>new</p>"
    assert verify_briefing(world.path).differences == [
        "output changed: a fresh render's html differs from the recorded one",
        "output changed: a fresh render's ipynb differs from the recorded one",
    ]


def test_disk_inputs_and_re_render_differences_come_in_that_order(world):
    world.write()
    (world.folder / f"{STEM}.ipynb").write_bytes(b"edited")
    world.env["dependencies"]["numpy"] = "2.1.0"
    world.fresh["html"] = b"<p>new</p>"
    assert verify_briefing(world.path).differences == [
        f"file changed since it was written: {STEM}.ipynb",
        "dependency changed: numpy 2.0.1 -> 2.1.0",
        "output changed: a fresh render's html differs from the recorded one",
    ]


@pytest.mark.parametrize(
    ("error", "line"),
    [
        (ParameterError("start", "'x' is not a date\nsecond line"), "start: 'x' is not a date"),
        (DataError(["events.csv:2:date: bad", "events.csv:3:date: bad"]), "2 problems in the data package:"),
        (ParameterError("end", "one line"), "end: one line"),
    ],
)
def test_a_re_render_that_is_refused_is_one_line(world, error, line):
    world.fails = error
    assert world.verify().differences == [f"re-render failed: {line}"]


def test_a_failing_notebook_in_the_re_render_is_one_line(world):
    from relations.render import BriefingFailed

    world.fails = BriefingFailed(7, "ZeroDivisionError: division by zero", None)
    assert world.verify().differences == [
        "re-render failed: briefing failed in cell 7: ZeroDivisionError: division by zero"
    ]


def test_other_errors_of_the_re_render_are_not_hidden(world):
    world.fails = KeyError("bug")
    with pytest.raises(KeyError):
        world.verify()


def test_the_re_render_uses_the_recorded_formats_in_their_order(world):
    world.record("pdf", "html", paper="letter", chromium="Chromium 150", source_html_sha256="s" * 64)
    assert world.verify().identical
    assert world.renders[-1]["formats"] == ("pdf", "html")
    assert world.renders[-1]["paper"] == "letter", "the paper the pdf was printed on"


def test_the_paper_falls_back_to_the_manifest_then_a4(world):
    world.record("pdf", source_html_sha256="s")
    world.manifest["paper"] = "letter"
    assert world.verify().identical
    assert world.renders[-1]["paper"] == "letter"
    del world.manifest["paper"]
    assert world.verify().identical
    assert world.renders[-1]["paper"] == "a4"


def test_a_manifest_recording_no_output_re_renders_its_formats_and_compares_nothing(world):
    world.record()
    world.manifest["formats"] = ["ipynb"]
    world.fresh["ipynb"] = b"anything"
    assert world.verify().identical
    assert world.renders[-1]["formats"] == ("ipynb",)
    del world.manifest["formats"]
    assert world.verify().identical
    assert world.renders[-1]["formats"] == ("html",)
    world.manifest["formats"] = []
    assert world.verify().identical
    assert world.renders[-1]["formats"] == ("html",)


def test_a_pdf_that_differs_only_by_chromium_is_told_apart(world):
    world.record("pdf", "html", chromium="Chromium 150", source_html_sha256="s" * 64)
    world.fresh["pdf"] = b"%PDF-1.7 other bytes\n"
    world.fresh_manifest = {"pdf": {"source_html_sha256": "s" * 64}}
    world.fresh["html"] = b"<p>new</p>"
    assert world.verify().differences == [
        "output changed: pdf bytes differ although the HTML it was printed from is identical "
        "(Chromium Chromium 150 -> Chromium 151)",
        "output changed: a fresh render's html differs from the recorded one",
    ]


def test_a_pdf_printed_from_other_html_has_changed(world):
    world.record("html", "pdf", chromium="Chromium 150", source_html_sha256="s" * 64)
    world.fresh["pdf"] = b"%PDF-1.7 other bytes\n"
    world.fresh_manifest = {"pdf": {"source_html_sha256": "t" * 64}}
    assert world.verify().differences == [
        "output changed: a fresh render's pdf differs from the recorded one"
    ]
    world.fresh_manifest = None  # the re-render wrote no manifest: nothing tells Chromium apart
    assert verify_briefing(world.path).differences == [
        "output changed: a fresh render's pdf differs from the recorded one"
    ]


# -- which data folder the re-render reads ----------------------------------------------------


def test_a_bundled_briefing_is_re_rendered_without_relations_data(world, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/elsewhere")
    world.manifest.update(data_dir=None, data_dir_origin="bundled")
    world.manifest["parameters"]["data_dir"] = ""
    assert world.verify().identical
    [render] = world.renders
    assert render["RELATIONS_DATA"] is None
    assert render["parameters"]["data_dir"] == ""
    assert os.environ["RELATIONS_DATA"] == "/elsewhere"


def test_an_older_manifest_without_an_origin_is_bundled_when_it_names_no_folder(world, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/elsewhere")
    del world.manifest["data_dir_origin"]
    world.manifest["data_dir"] = None
    world.manifest["parameters"]["data_dir"] = ""
    assert world.verify().identical
    assert world.renders[-1]["RELATIONS_DATA"] is None
    assert world.renders[-1]["parameters"]["data_dir"] == ""


def test_an_older_manifest_without_an_origin_uses_its_data_dir_parameter(world, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/elsewhere")
    del world.manifest["data_dir_origin"]
    assert world.verify().identical
    assert world.renders[-1]["RELATIONS_DATA"] == "/elsewhere"
    assert world.renders[-1]["parameters"]["data_dir"] == str(world.data)


def test_a_folder_from_relations_data_is_passed_as_the_parameter(world, monkeypatch):
    monkeypatch.setenv("RELATIONS_DATA", "/elsewhere")
    world.manifest["data_dir_origin"] = "RELATIONS_DATA"
    world.manifest["parameters"]["data_dir"] = ""
    assert world.verify().identical
    [render] = world.renders
    assert render["parameters"]["data_dir"] == str(world.data), "the recorded folder, not today's variable"
    assert render["RELATIONS_DATA"] == "/elsewhere"


def test_a_non_bundled_origin_without_a_recorded_folder_passes_a_blank_one(world):
    world.manifest["data_dir_origin"] = "RELATIONS_DATA"
    world.manifest["data_dir"] = None
    del world.manifest["parameters"]["data_dir"]
    assert world.verify().identical
    assert world.renders[-1]["parameters"]["data_dir"] == ""


def test_the_recorded_parameters_are_not_changed_by_the_re_render(world):
    world.manifest["data_dir_origin"] = "RELATIONS_DATA"
    del world.manifest["parameters"]["data_dir"]
    world.write()
    before = world.path.read_text()
    assert verify_briefing(world.path).identical
    assert world.path.read_text() == before
    assert world.renders[-1]["kwargs"] == {}, "only parameters, output folder, formats and paper"


def test_a_bundled_briefing_ignores_the_folder_it_recorded(world, monkeypatch):
    # render records the bundled folder's path as data_dir; the re-render must still read the
    # bundled data (blank data_dir, no RELATIONS_DATA), not that path as a parameter
    monkeypatch.setenv("RELATIONS_DATA", "/elsewhere")
    world.manifest["data_dir_origin"] = "bundled"
    world.manifest["parameters"]["data_dir"] = ""
    assert world.verify().identical
    [render] = world.renders
    assert render["parameters"]["data_dir"] == ""
    assert render["RELATIONS_DATA"] is None
    assert world.hashed == [world.data], "today's bundled tables are hashed where they were recorded"


# == relations.validation =================================================================

EVENTS = (
    "event_id, date, date_precision, title, summary, domain, actors, status, source_ids, "
    "cameo_code, cameo_also, goldstein, direction, key_event, friction, claim_id, recorded"
)


def _problems(root: Path) -> list[str]:
    with pytest.raises(DataError) as info:
        check(root)
    return info.value.problems


def _edit_schema(root: Path, table: str, column: str, constraints: dict) -> None:
    """Give one field of ``root``'s datapackage.json other constraints."""
    path = root / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == table)
    next(f for f in resource["schema"]["fields"] if f["name"] == column)["constraints"] = constraints
    path.write_text(json.dumps(descriptor), encoding="utf-8")


def _rewrite_header(path: Path, change) -> None:
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    columns = change(list(rows[0]))
    index = {name: i for i, name in enumerate(rows[0])}
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        for row in rows[1:]:
            writer.writerow([row[index[c]] if c in index else "" for c in columns])


def test_check_result_names_the_folder_and_the_rows_per_table():
    result = CheckResult(Path("/data"), {"events": 2, "sources": 10})
    assert str(result) == "ok: /data passes every check (events 2, sources 10 rows)"


@pytest.mark.parametrize(
    ("table", "column", "allowed"),
    [
        ("events", "status", " (allowed: confirmed, reported, alleged, denied, disputed)"),
        ("events", "date", " (allowed: an ISO date YYYY-MM-DD)"),
        ("agreements", "mutual_defence", " (allowed: true, false)"),
        ("agreements", "duration_years", " (allowed: a whole number)"),
        ("trade", "value_usd", " (allowed: a number)"),
        ("people", "country", " (allowed: text matching ^[A-Z]{3}$)"),
        ("events", "title", ""),  # free text: nothing to say
        ("events", "no_such_column", ""),
    ],
)
def test_allowed_describes_what_a_column_accepts(table, column, allowed):
    assert _allowed(read_package().table(table), column) == allowed


@pytest.mark.parametrize(
    ("value", "shown"), [(None, None), (4.0, "4"), (-10, "-10"), (0.5, "0.5"), (1e3, "1000")]
)
def test_number_shows_bounds_without_a_needless_decimal_point(value, shown):
    assert _number(value) == shown


def test_a_bound_given_only_as_a_maximum_says_at_most(tiny_data):
    _edit_schema(tiny_data, "trade", "value_usd", {"maximum": 5000000000})
    assert check(tiny_data).rows["trade"] == 2, "the tiny rows hold 4.8 and 5.0 billion: both within"
    _edit_schema(tiny_data, "trade", "value_usd", {"maximum": 4900000000})
    assert _problems(tiny_data) == [
        "trade.csv:3:value_usd: '5000000000' is above the maximum (allowed: at most 4900000000)"
    ]


def test_a_fractional_bound_is_shown_as_written(tiny_data):
    _edit_schema(tiny_data, "trade", "value_usd", {"minimum": 4900000000.5, "maximum": 6000000000})
    assert _problems(tiny_data) == [
        "trade.csv:2:value_usd: '4800000000' is below the minimum (allowed: 4900000000.5 to 6000000000)"
    ]


def test_another_constraint_is_named_with_its_note(tiny_data):
    _edit_schema(tiny_data, "events", "title", {"required": True, "minLength": 4})
    assert _problems(tiny_data) == [
        'events.csv:2:title: \'One\' breaks the minLength constraint (constraint "minLength" is "4")',
        'events.csv:3:title: \'Two\' breaks the minLength constraint (constraint "minLength" is "4")',
    ]


def test_another_kind_of_problem_is_named_with_its_note(tiny_data):
    _edit_schema(tiny_data, "events", "summary", {"required": True, "unique": True})
    events = tiny_data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Second.", "First."), encoding="utf-8")
    assert _problems(tiny_data) == [
        "events.csv:3:summary: unique-error: the same as in the row at position 2"
    ]


def test_a_key_that_no_row_has_is_named_with_frictionless_note(tiny_data):
    path = tiny_data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == "claim_positions")
    resource["schema"].setdefault("foreignKeys", []).append(
        {
            "fields": ["claim_id", "party"],
            "reference": {"resource": "claims", "fields": ["claim_id", "topic"]},
        }
    )
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    note = (
        'for "claim_id, party": values "cl-drones, {}" not found in the lookup table "claims" '
        'as "claim_id, topic"'
    )
    assert _problems(tiny_data) == [
        f"claim_positions.csv:2:: refers to a row that does not exist ({note.format('USA')})",
        f"claim_positions.csv:3:: refers to a row that does not exist ({note.format('IRN')})",
    ]


def test_problems_are_counted_in_the_first_line(tiny_data):
    _edit_schema(tiny_data, "trade", "value_usd", {"maximum": 1})
    with pytest.raises(DataError) as info:
        check(tiny_data)
    assert str(info.value).splitlines()[0] == f"2 problem(s) in {tiny_data}:"


def test_a_column_out_of_order_is_one_problem(tiny_data):
    def swap(columns):
        i, j = columns.index("date"), columns.index("date_precision")
        columns[i], columns[j] = columns[j], columns[i]
        return columns

    _rewrite_header(tiny_data / "events.csv", swap)
    assert _problems(tiny_data) == [
        f"events.csv:1:date_precision: column out of order (expected columns: {EVENTS})"
    ]


def test_a_renamed_column_is_missing_under_its_name_and_unexpected_under_the_new_one(tiny_data):
    _rewrite_header(tiny_data / "events.csv", lambda cols: ["headline" if c == "title" else c for c in cols])
    assert _problems(tiny_data) == [
        f"events.csv:1:title: column missing (expected columns: {EVENTS})",
        f"events.csv:1:headline: unexpected column (expected columns: {EVENTS})",
    ]


def test_every_unreadable_table_and_every_bad_header_is_reported_at_once(tiny_data):
    (tiny_data / "sources.csv").unlink()
    (tiny_data / "trade.csv").unlink()
    _rewrite_header(tiny_data / "events.csv", lambda cols: [*cols, "extra"])
    _rewrite_header(tiny_data / "reviews.csv", lambda cols: [c for c in cols if c != "note"])
    reviews = read_package(tiny_data).table("reviews")
    expected = f"(expected columns: {', '.join(reviews.field_names)})"
    assert _problems(tiny_data) == [
        f"sources.csv: file missing (expected in {tiny_data})",
        f"events.csv:1:extra: unexpected column (expected columns: {EVENTS})",
        f"trade.csv: file missing (expected in {tiny_data})",
        f"reviews.csv:1:note: column missing {expected}",
    ]


# -- the cache of passed checks ------------------------------------------------------------


def _cached(base: Path) -> list[Path]:
    return sorted((base / "relations").glob("check-*.json"))


def test_the_cache_lives_in_xdg_cache_home_else_in_the_home_folder(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    check(tiny_data, use_cache=True)
    assert len(_cached(tmp_path / "xdg")) == 1
    assert not (tmp_path / "home").exists()
    monkeypatch.delenv("XDG_CACHE_HOME")
    check(tiny_data, use_cache=True)
    assert len(_cached(tmp_path / "home" / ".cache")) == 1


def test_a_cached_pass_gives_the_same_result_without_checking(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first = check(tiny_data, use_cache=True)
    monkeypatch.setattr("relations.validation.run_rules", lambda pkg, rows: pytest.fail("checked again"))
    again = check(tiny_data, use_cache=True)
    assert again == first
    assert again.root == tiny_data and again.rows["events"] == 2 and again.rows["sources"] == 2
    assert str(again) == str(first)


def test_no_cache_is_read_or_written_unless_asked(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    check(tiny_data)
    assert not (tmp_path / "cache").exists()
    check(tiny_data, use_cache=True)
    calls = []
    monkeypatch.setattr("relations.validation.run_rules", lambda pkg, rows: calls.append(1) or [])
    check(tiny_data)
    assert calls == [1], "without use_cache the check runs even when a pass is cached"


def test_each_data_folder_has_its_own_cached_pass(tmp_path, tiny_tables, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    one = write_tables(tmp_path / "one", tiny_tables)
    tiny_tables["events"][0]["title"] = "Another title"
    two = write_tables(tmp_path / "two", tiny_tables)
    check(one, use_cache=True)
    check(two, use_cache=True)
    assert len(_cached(tmp_path / "cache")) == 2
    check(one, use_cache=True)
    assert len(_cached(tmp_path / "cache")) == 2, "the same bytes: the same cached pass"


def test_a_linked_table_is_checked_every_time(tiny_data, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tiny_data / "keep").mkdir()
    (tiny_data / "events.csv").rename(tiny_data / "keep" / "events.csv")
    (tiny_data / "events.csv").symlink_to(tiny_data / "keep" / "events.csv")
    assert check(tiny_data, use_cache=True).rows["events"] == 2
    assert _cached(tmp_path / "cache") == []


def test_a_cache_that_cannot_be_written_costs_only_the_next_check(tiny_data, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert check(tiny_data, use_cache=True).rows["events"] == 2
    assert check(tiny_data, use_cache=True).rows["events"] == 2


def test_the_code_fingerprint_is_a_sha256_that_follows_the_rules(monkeypatch):
    from relations import rules

    before = code_fingerprint()
    assert before is not None and len(before) == 64 and int(before, 16) >= 0
    assert code_fingerprint() == before, "the same code: the same fingerprint"

    def extra_rule(pkg, rows):
        return []

    monkeypatch.setattr(rules, "RULES", [*rules.RULES, extra_rule])
    assert code_fingerprint() not in (None, before)
    monkeypatch.setattr(rules, "RULES", [*rules.RULES, len])  # a builtin has no readable source
    assert code_fingerprint() is None


def test_a_key_of_two_columns_names_both(tiny_data):
    path = tiny_data / "datapackage.json"
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "trade")["schema"]["primaryKey"] = [
        "partner_a",
        "year",
    ]
    path.write_text(json.dumps(descriptor), encoding="utf-8")
    assert _problems(tiny_data) == [
        "trade.csv:3:partner_a, year: 'RUS', '2024' is already used in row 2 "
        "(allowed: one row per partner_a, year)"
    ]


def test_a_blank_row_is_named_by_its_row(tiny_data):
    projects = tiny_data / "projects.csv"
    columns = len(read_package(tiny_data).table("projects").fields)
    projects.write_text(projects.read_text(encoding="utf-8") + "," * (columns - 1) + "\n", encoding="utf-8")
    problems = _problems(tiny_data)
    assert 'projects.csv:3:: blank-row: Row at position "3" is completely blank' in problems
    assert not [p for p in problems if "already used" in p], "a blank row is one problem, not a duplicate key"


def test_check_leaves_the_package_description_as_it_was(tiny_data):
    before = json.loads(json.dumps(read_package(tiny_data).descriptor))
    check(tiny_data)
    assert read_package(tiny_data).descriptor == before
