"""Tests written to kill mutants that survived ``benchmarks/mutation/run.sh``.

Each test states behaviour of the library (derived from its docstrings and the README, not
from its code) that no faster test pinned down; ``benchmarks/mutation/RESULTS.md`` names
the mutants and lists those left alive as equivalent.
"""

from __future__ import annotations

import errno
import os

import pytest

from relations.errors import ParameterError
from relations.outputs import atomic_write, check_formats, check_output_dir, output_stem, prepare_output_dir

# -- relations.outputs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameters", "stem"),
    [
        ({}, "briefing_start_end"),
        ({"start": "2024-01-01"}, "briefing_2024-01-01_end"),
        ({"end": "2024-12-31"}, "briefing_start_2024-12-31"),
        (
            {"start": "2024-01-01", "end": "2024-12-31", "domains": ["arms"]},
            "briefing_2024-01-01_2024-12-31_arms",
        ),
        ({"start": "a", "end": "b", "domains": ["arms", "energy"]}, "briefing_a_b_arms-energy"),
        ({"start": "a", "end": "b", "domains": ["Arms"]}, "briefing_a_b_arms"),
        ({"start": "a", "end": "b", "length": "full"}, "briefing_a_b_full"),
        ({"start": "a", "end": "b", "length": "executive"}, "briefing_a_b"),
        ({"start": "a", "end": "b", "since": "2024-06-01"}, "briefing_a_b_since-2024-06-01"),
        ({"start": "a", "end": "b", "length": "full", "since": "x"}, "briefing_a_b_full_since-x"),
        # characters outside [a-z0-9-] become one dash, and dashes at either end go
        ({"start": " 2024-01-01 ", "end": "!b!"}, "briefing_2024-01-01_b"),
        ({"start": "a", "end": "b", "domains": ["--arms--"]}, "briefing_a_b_arms"),
    ],
)
def test_output_stem_names_the_parameters(parameters, stem):
    assert output_stem(parameters) == stem


def test_output_stem_is_cut_at_150_characters():
    long = output_stem({"start": "a", "end": "b", "domains": ["x" * 200]})
    assert long == ("briefing_a_b_" + "x" * 200)[:150]
    assert len(long) == 150


def test_check_output_dir_names_the_file_in_the_way(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ParameterError) as info:
        check_output_dir(blocker / "sub" / "out")
    assert info.value.parameter == "output_dir"
    assert str(info.value) == (
        f"output_dir: {blocker / 'sub' / 'out'} cannot be created: {blocker} is a file, not a folder"
    )


def test_check_output_dir_refuses_a_file(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(ParameterError) as info:
        check_output_dir(blocker)
    assert info.value.parameter == "output_dir"
    assert str(info.value) == f"output_dir: {blocker} is a file, not a folder"


def test_check_output_dir_creates_nothing(tmp_path):
    out = tmp_path / "new" / "deeper"
    assert check_output_dir(out) == out
    assert not (tmp_path / "new").exists()


def test_prepare_output_dir_creates_missing_parents(tmp_path):
    out = tmp_path / "a" / "b" / "c"
    assert prepare_output_dir(out, "stem", ("html",)) == out
    assert out.is_dir()
    assert prepare_output_dir(out, "stem", ("html",)) == out, "an existing folder is fine"


def test_prepare_output_dir_names_the_folder_it_cannot_create(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    out = blocker / "out"
    with pytest.raises(ParameterError) as info:
        prepare_output_dir(out, "stem", ("html",))
    assert info.value.parameter == "output_dir"
    assert str(info.value) == f"output_dir: {out} cannot be created ({os.strerror(errno.ENOTDIR)})"


@pytest.mark.parametrize("name", ["stem.html", "stem.manifest.json", "stem.failed.ipynb"])
def test_prepare_output_dir_refuses_an_output_that_is_a_folder(tmp_path, name):
    (tmp_path / name).mkdir()
    with pytest.raises(ParameterError) as info:
        prepare_output_dir(tmp_path, "stem", ("html",))
    assert info.value.parameter == "output_dir"
    assert str(info.value) == f"output_dir: {tmp_path / name} is a folder, so the briefing cannot be written"


def _unwritable(monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("relations.outputs.tempfile.mkstemp", refuse)  # root can write anywhere


def test_check_output_dir_names_an_unwritable_folder(tmp_path, monkeypatch):
    _unwritable(monkeypatch)
    with pytest.raises(ParameterError) as info:
        check_output_dir(tmp_path)
    assert info.value.parameter == "output_dir"
    assert str(info.value) == f"output_dir: {tmp_path} is not a writable folder ({os.strerror(errno.EACCES)})"


def test_check_output_dir_names_an_unwritable_folder_as_it_was_given(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    _unwritable(monkeypatch)
    with pytest.raises(ParameterError) as info:
        check_output_dir("sub")
    assert str(info.value) == f"output_dir: sub is not a writable folder ({os.strerror(errno.EACCES)})"


def test_check_output_dir_names_the_unwritable_parent_of_a_new_folder(tmp_path, monkeypatch):
    _unwritable(monkeypatch)
    with pytest.raises(ParameterError) as info:
        check_output_dir(tmp_path / "new" / "out")
    assert str(info.value) == f"output_dir: {tmp_path} is not a writable folder ({os.strerror(errno.EACCES)})"


@pytest.mark.parametrize(
    ("formats", "shown"),
    [(("docx",), "'docx'"), (("html", "docx", "odt"), "'docx'"), ((), "'none'")],
)
def test_check_formats_names_the_first_unknown_format(formats, shown):
    with pytest.raises(ParameterError) as info:
        check_formats(formats, "a4")
    assert info.value.parameter == "format"
    assert str(info.value) == f"format: {shown} (allowed: html, ipynb, pdf)"


def test_check_formats_drops_repeats_and_keeps_the_order():
    assert check_formats(("ipynb", "html", "ipynb"), "A4") == (("ipynb", "html"), "a4")


def test_check_formats_wants_chromium_for_a_pdf_only(monkeypatch):
    monkeypatch.setattr("relations.outputs.find_chromium", lambda: None)
    assert check_formats(("html",), "a4") == (("html",), "a4")
    with pytest.raises(ParameterError, match=r"^format: pdf needs Chromium"):
        check_formats(("html", "pdf"), "a4")


def test_atomic_write_creates_missing_folders_and_replaces_the_old_file(tmp_path):
    target = tmp_path / "a" / "b" / "c.txt"
    assert atomic_write(target, "first") == target
    assert target.read_text(encoding="utf-8") == "first"
    atomic_write(target, "é second".encode())
    assert target.read_bytes() == "é second".encode()
    assert sorted(p.name for p in target.parent.iterdir()) == ["c.txt"], "no temporary file is left"


def test_atomic_write_writes_utf8_text(tmp_path):
    assert atomic_write(tmp_path / "t.txt", "Тегеран – تهران").read_bytes() == "Тегеран – تهران".encode()


def test_atomic_write_goes_through_a_hidden_file_beside_the_target(tmp_path, monkeypatch):
    seen = []
    real_fsync = os.fsync

    def fsync(fd):
        seen.extend(p.name for p in tmp_path.iterdir())
        return real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    atomic_write(tmp_path / "out.html", "x")
    assert len(seen) == 1 and seen[0].startswith(".out.html.") and seen[0].endswith(".tmp"), seen


def test_atomic_write_leaves_nothing_when_the_write_fails(tmp_path, monkeypatch):
    def broken(fd):
        raise OSError(errno.EIO, "disk gone")

    monkeypatch.setattr(os, "fsync", broken)
    (tmp_path / "keep.txt").write_text("old")
    with pytest.raises(OSError, match="disk gone"):
        atomic_write(tmp_path / "keep.txt", "new")
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]
    assert (tmp_path / "keep.txt").read_text() == "old"


@pytest.mark.parametrize(("umask", "mode"), [(0o027, 0o640), (0o022, 0o644), (0, 0o666)])
def test_atomic_write_gives_the_permissions_of_a_new_file(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        path = atomic_write(tmp_path / "p.txt", "x")
        left = os.umask(umask)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == mode
    assert left == umask, "the umask is left as it was"


def test_atomic_write_reports_the_first_error_even_if_the_temporary_file_is_gone(tmp_path, monkeypatch):
    def replace(src, dst):
        os.unlink(src)
        raise OSError(errno.EXDEV, "cross-device link")

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(OSError, match="cross-device link"):
        atomic_write(tmp_path / "x.txt", "x")
    assert list(tmp_path.iterdir()) == []


# -- relations.briefing.analysis and bluf ------------------------------------------------


def _table(name: str):
    import pandas as pd

    from relations.paths import data_dir

    return pd.read_csv(data_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_judgements_in_a_domain_keep_those_resting_on_its_events():
    from relations.briefing import Briefing
    from relations.briefing.analysis import judgements_valid

    events = dict(zip(*(_table("events")[c] for c in ("event_id", "domain")), strict=True))
    judgements = _table("judgements")
    end = "2026-06-30"
    newest = judgements[judgements["as_of"] <= end].sort_values("as_of").groupby("question").tail(1)
    checked = 0
    for domain in sorted(set(events.values())):
        expected = {
            j.judgement_id
            for j in newest.itertuples()
            if any(events.get(i.strip()) == domain for i in j.basis.split(";"))
        }
        if not expected:
            continue
        b = Briefing.from_parameters(start="2026-01-01", end=end, domains=[domain])
        assert expected <= set(judgements_valid(b)["judgement_id"]), domain
        checked += 1
        if checked == 2:
            break
    assert checked, "some judgement rests on an event"


@pytest.mark.parametrize(
    ("metric", "label"),
    [
        ("events", "Recorded events"),
        ("events: diplomacy", "Diplomacy events"),
        ("high-level contacts", "High-level contacts"),
        ("eventsx", "Eventsx"),
    ],
)
def test_change_metric_labels(metric, label):
    from relations.briefing.bluf import _label

    assert _label(metric) == label


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1234, "1,234"),
        (1234.0, "1,234"),
        (12.5, "12.5"),
        (-3.25, "−3.25"),
        (2.001, "2"),
        (0.1, "0.1"),
        (-0.0, "0"),
        (float("nan"), "n/a"),
        (None, "n/a"),
    ],
)
def test_numbers_are_written_as_people_write_them(value, text):
    from relations.briefing.bluf import number

    assert number(value) == text


@pytest.mark.parametrize(
    ("previous", "current", "kind", "word"),
    [
        # counts: "rose"/"fell" from 2 and 25 %, "sharply" from 5 and 50 % (sentences.yaml)
        (2, 3, "counts", "was about the same"),
        (2, 4, "counts", "rose"),
        (10, 20, "counts", "rose sharply"),
        (10, 12, "counts", "was about the same"),
        (0, 6, "counts", "rose sharply"),
        (0, 2, "counts", "rose"),
        (0, 0, "counts", "was about the same"),
        (9, 3, "counts", "fell sharply"),
        (10, 7, "counts", "fell"),
        (10, 15, "counts", "rose sharply"),  # "at least" both
        (10, 14, "counts", "rose"),
        (20, 24, "counts", "was about the same"),
        (4, 5, "counts", "was about the same"),
        (float("nan"), 5, "counts", "was about the same"),
        (5, float("nan"), "counts", "was about the same"),
        # Goldstein sums: 5 points and 25 %, sharply from 15 points and 50 %
        (10, 16, "goldstein", "rose"),
        (10, 30, "goldstein", "rose sharply"),
        (-10, -40, "goldstein", "fell sharply"),
        (40, 46, "goldstein", "was about the same"),
    ],
)
def test_change_words_follow_the_thresholds(previous, current, kind, word):
    from relations.briefing.bluf import notable, verb

    assert verb(previous, current, kind) == word
    assert notable(previous, current, kind) is (word != "was about the same")


# -- relations.manifest ------------------------------------------------------------------


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _manifest(briefing: str = "b", **over) -> dict:
    m = {
        "briefing": briefing,
        "parameters": {"start": "2025-01-01"},
        "notebook_sha256": "0" * 64,
        "data": {"events.csv": "1" * 64},
        "relations_version": "0.1.0",
        "dependencies": {"pandas": "2"},
        "outputs": {},
    }
    m.update(over)
    return m


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        ([], "m.json: expected a JSON object, got list"),
        ("x", "m.json: expected a JSON object, got str"),
        (_manifest(notebook_sha256=None), "m.json: 'notebook_sha256' has the wrong type (NoneType)"),
        (_manifest(formats="html"), "m.json: 'formats' has the wrong type (str)"),
        (_manifest(data_dir=3), "m.json: 'data_dir' has the wrong type (int)"),
        (_manifest(briefing="../b"), "m.json: 'briefing' must be a plain file name, not '../b'"),
        (_manifest(briefing=".b"), "m.json: 'briefing' must be a plain file name, not '.b'"),
        (_manifest(briefing="b/c"), "m.json: 'briefing' must be a plain file name, not 'b/c'"),
        (_manifest(data={"events.csv": 1}), "m.json: 'data' must map file names to SHA-256 strings"),
        (_manifest(outputs={"docx": {}}), "m.json: unknown output kind 'docx' (allowed: html, ipynb, pdf)"),
        (_manifest(outputs={"html": "b.html"}), "m.json: outputs.html needs a 'file' name"),
        (_manifest(outputs={"html": {"file": 1}}), "m.json: outputs.html needs a 'file' name"),
        (_manifest(outputs={"pdf": {"file": "b.pdf"}}), "m.json: outputs.pdf needs a 'sha256' string"),
        (
            _manifest(outputs={"html": {"file": "../x.html", "sha256": "a"}}),
            "m.json: outputs.html names '../x.html'; only 'b.html' beside the manifest is allowed",
        ),
    ],
)
def test_validate_manifest_names_the_problem(manifest, message):
    from relations.manifest import ManifestError, validate_manifest

    with pytest.raises(ManifestError) as info:
        validate_manifest(manifest, "m.json")
    assert str(info.value) == message


@pytest.mark.parametrize(
    "key",
    ["briefing", "parameters", "notebook_sha256", "data", "relations_version", "dependencies", "outputs"],
)
def test_validate_manifest_names_a_missing_key(key):
    from relations.manifest import ManifestError, validate_manifest

    m = _manifest()
    del m[key]
    with pytest.raises(ManifestError) as info:
        validate_manifest(m, "m.json")
    assert str(info.value) == f"m.json: missing key {key!r} (the manifest is incomplete)"


def test_validate_manifest_accepts_a_sound_one():
    from relations.manifest import validate_manifest

    m = _manifest(
        "b_2.x-y",
        outputs={
            "html": {"file": "b_2.x-y.html", "sha256": "a"},
            "pdf": {"file": "b_2.x-y.pdf", "sha256": "b"},
        },
        formats=["html", "pdf"],
        data_dir=None,
        data_dir_origin="bundled data",
        inputs_key="k",
        cache_key="c",
    )
    assert validate_manifest(m, "m.json") is m


def test_read_manifest_refuses_what_is_not_one(tmp_path):
    import json

    from relations.manifest import ManifestError, read_manifest

    latin = tmp_path / "l.manifest.json"
    latin.write_bytes(b'{"briefing": "\xe9"}')
    bad = tmp_path / "j.manifest.json"
    bad.write_text("{")
    other = tmp_path / "x.manifest.json"
    other.write_text(json.dumps(_manifest("b")))
    gone = tmp_path / "gone.manifest.json"
    cases = {
        latin: f"{latin}: not UTF-8 text, so not a manifest",
        gone: f"{gone}: cannot be read ({os.strerror(errno.ENOENT)})",
        other: f"{other}: records the briefing 'b', not this file's",
    }
    for path, message in cases.items():
        with pytest.raises(ManifestError) as info:
            read_manifest(path)
        assert str(info.value) == message
    with pytest.raises(ManifestError, match=r"j\.manifest\.json: not valid JSON \(Expecting"):
        read_manifest(bad)
    good = tmp_path / "b.manifest.json"
    good.write_text(json.dumps(_manifest("b")))
    assert read_manifest(str(good))["briefing"] == "b"


def test_cache_key_follows_inputs_formats_and_for_pdf_the_paper():
    from relations.manifest import cache_key

    m = {"inputs_key": "k", "formats": ["html", "ipynb"], "paper": "a4", "chromium": "C 1"}
    assert cache_key(m) == cache_key({**m, "formats": ["ipynb", "html"]}), "order does not matter"
    assert cache_key(m) == cache_key({**m, "paper": "letter", "chromium": "C 2"})
    assert cache_key(m) != cache_key({**m, "inputs_key": "other"})
    assert cache_key(m) != cache_key({**m, "formats": ["html"]})
    pdf = {**m, "formats": ["pdf"]}
    assert cache_key(pdf) != cache_key({**pdf, "paper": "letter"})
    assert cache_key(pdf) != cache_key({**pdf, "chromium": "C 2"})
    assert cache_key({"inputs_key": "k"}) == cache_key({"inputs_key": "k", "formats": []})
    assert len(cache_key(m)) == 64 and int(cache_key(m), 16) >= 0


def _rendered(tmp_path, kinds=("html", "ipynb"), inputs_key="k", key="c"):
    """A briefing ``b`` rendered earlier into ``tmp_path``: its files and its manifest."""
    import json

    outputs = {}
    for kind in kinds:
        data = f"{kind} output".encode()
        (tmp_path / f"b.{kind}").write_bytes(data)
        outputs[kind] = {"file": f"b.{kind}", "sha256": _sha(data)}
    m = _manifest("b", outputs=outputs, formats=list(kinds), inputs_key=inputs_key, cache_key=key)
    path = tmp_path / "b.manifest.json"
    path.write_text(json.dumps(m))
    return path


def test_cached_outputs_only_when_the_key_matches_and_every_file_is_intact(tmp_path):
    from relations.manifest import cached_outputs

    path = _rendered(tmp_path)
    assert cached_outputs(path, {"cache_key": "c", "formats": ["html"]}) == {"html": tmp_path / "b.html"}
    both = cached_outputs(path, {"cache_key": "c", "formats": ["html", "ipynb"]})
    assert both == {"html": tmp_path / "b.html", "ipynb": tmp_path / "b.ipynb"}
    assert cached_outputs(path, {"cache_key": "other", "formats": ["html"]}) is None
    assert cached_outputs(path, {"cache_key": "c", "formats": ["pdf"]}) is None, "never rendered"
    assert cached_outputs(tmp_path / "none.manifest.json", {"cache_key": "c", "formats": ["html"]}) is None
    (tmp_path / "b.ipynb").write_text("edited")
    assert cached_outputs(path, {"cache_key": "c", "formats": ["html", "ipynb"]}) is None
    assert cached_outputs(path, {"cache_key": "c", "formats": ["html"]}) == {"html": tmp_path / "b.html"}
    (tmp_path / "b.html").unlink()
    assert cached_outputs(path, {"cache_key": "c", "formats": ["html"]}) is None
    path.write_text("{broken")
    assert cached_outputs(path, {"cache_key": "c", "formats": ["ipynb"]}) is None


def test_merge_outputs_keeps_other_formats_of_the_same_inputs(tmp_path):
    from relations.manifest import merge_outputs

    path = _rendered(tmp_path, kinds=("html", "ipynb"))
    old_ipynb = {"file": "b.ipynb", "sha256": _sha(b"ipynb output")}
    written = {"html": {"file": "b.html", "sha256": "new"}}
    assert merge_outputs(path, {"inputs_key": "k"}, written) == ({"ipynb": old_ipynb, **written}, [], [])
    assert merge_outputs(tmp_path / "none.manifest.json", {"inputs_key": "k"}, written) == (written, [], [])


def test_merge_outputs_removes_stale_files_and_flags_edited_ones(tmp_path):
    from relations.manifest import merge_outputs

    path = _rendered(tmp_path, kinds=("html", "ipynb", "pdf"))
    (tmp_path / "b.pdf").write_text("edited by hand")
    written = {"html": {"file": "b.html", "sha256": "new"}}
    outputs, remove, flagged = merge_outputs(path, {"inputs_key": "changed"}, written)
    assert outputs == written
    assert remove == [tmp_path / "b.ipynb"]
    assert flagged == [tmp_path / "b.pdf"]
    (tmp_path / "b.ipynb").unlink()
    (tmp_path / "b.pdf").unlink()
    assert merge_outputs(path, {"inputs_key": "changed"}, written) == (written, [], []), "gone files: nothing"


# -- relations.batch_spec ----------------------------------------------------------------


def test_a_grid_expands_to_every_period_and_domain_group_with_titles():
    from relations.batch_spec import expand_spec

    sets = expand_spec(
        {
            "defaults": {"title": "RI", "formats_note": "x"},
            "briefings": [{"start": "2025-01-01", "end": "2025-01-31"}],
            "grid": {
                "periods": {"quarters": ["2024Q4", "2025Q1"]},
                "domains": [["arms", "space"], "energy", []],
            },
        }
    )
    assert sets[0] == {"title": "RI", "formats_note": "x", "start": "2025-01-01", "end": "2025-01-31"}
    got = [(s["start"], s["end"], s["domains"], s["title"]) for s in sets[1:]]
    assert got == [
        ("2024-10-01", "2024-12-31", ["arms", "space"], "RI, 2024Q4 (arms, space)"),
        ("2024-10-01", "2024-12-31", ["energy"], "RI, 2024Q4 (energy)"),
        ("2024-10-01", "2024-12-31", [], "RI, 2024Q4"),
        ("2025-01-01", "2025-03-31", ["arms", "space"], "RI, 2025Q1 (arms, space)"),
        ("2025-01-01", "2025-03-31", ["energy"], "RI, 2025Q1 (energy)"),
        ("2025-01-01", "2025-03-31", [], "RI, 2025Q1"),
    ]
    assert all(s["formats_note"] == "x" for s in sets)


def test_grid_years_titles_and_default_domains():
    import datetime as dt

    from relations.batch_spec import expand_spec

    sets = expand_spec({"grid": {"periods": {"years": [2023, 2024]}, "title": "T"}})
    assert [(s["start"], s["end"], s["domains"], s["title"]) for s in sets] == [
        ("2023-01-01", "2023-12-31", [], "T, 2023"),
        ("2024-01-01", "2024-12-31", [], "T, 2024"),
    ]
    plain = expand_spec({"grid": {"periods": {"years": ["2024", "2024"]}}})
    assert [s["title"] for s in plain] == ["The Russia–Iran partnership, 2024"]
    dated = expand_spec(
        {"briefings": [{"start": dt.date(2025, 2, 1), "end": dt.datetime(2025, 3, 1, 12, 0)}]}
    )
    assert dated == [{"start": "2025-02-01", "end": "2025-03-01"}]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ([], "the spec must be a mapping with keys: output_dir, formats, defaults, briefings, grid"),
        (
            {"zeta": 1, "alpha": 2},
            "alpha: unknown key (allowed: output_dir, formats, defaults, briefings, grid)",
        ),
        ({}, "the spec asks for no briefing: add briefings or grid"),
        (
            {"briefings": {"start": "x"}},
            "briefings: expected a list of parameter sets such as [{start: 2025-01-01}]",
        ),
        ({"briefings": ["x"]}, "briefings[0]: expected a mapping of parameters such as {start: 2025-01-01}"),
        (
            {"defaults": ["x"], "briefings": [{}]},
            "defaults: expected a mapping of parameters such as {start: 2025-01-01}",
        ),
        (
            {"briefings": [{}, {"domains": "arms"}]},
            "briefings[1].domains: expected a list such as [arms, energy], got 'arms'",
        ),
        ({"grid": ["x"]}, "grid: expected a mapping with periods (and optionally domains and title)"),
        (
            {"grid": {"domains": [[]]}},
            "grid: expected a mapping with periods (and optionally domains and title)",
        ),
        (
            {"grid": {"periods": {"years": [2024, 2024]}, "zz": 1, "aa": 2}},
            "grid.aa: unknown key (allowed: periods, domains, title)",
        ),
        (
            {"grid": {"periods": {"years": [2024, 2024]}, "domains": "arms"}},
            "grid.domains: expected a list of domain groups such as [[arms, military], []], got 'arms'",
        ),
        (
            {"grid": {"periods": {"years": [2024, 2024]}, "domains": [[], 3]}},
            "grid.domains[1]: expected a list of domains, got 3",
        ),
        (
            {"grid": {"periods": []}},
            "grid.periods: give one of quarters: [FIRST, LAST] or years: [FIRST, LAST]",
        ),
        (
            {"grid": {"periods": {"years": [2024, 2025], "quarters": ["2024Q1", "2024Q2"]}}},
            "grid.periods: give one of quarters: [FIRST, LAST] or years: [FIRST, LAST]",
        ),
        (
            {"grid": {"periods": {"months": [1, 2]}}},
            "grid.periods.months: expected [FIRST, LAST] (allowed kinds: quarters, years)",
        ),
        (
            {"grid": {"periods": {"years": [2024]}}},
            "grid.periods.years: expected [FIRST, LAST] (allowed kinds: quarters, years)",
        ),
        (
            {"grid": {"periods": {"years": "2024"}}},
            "grid.periods.years: expected [FIRST, LAST] (allowed kinds: quarters, years)",
        ),
        (
            {"grid": {"periods": {"quarters": ["soon", "later"]}}},
            "grid.periods.quarters: ['soon', 'later'] are not quarters such as 2024Q1 or 2024",
        ),
        ({"grid": {"periods": {"years": [2025, 2024]}}}, "grid.periods.years: 2024 is before 2025"),
    ],
)
def test_spec_mistakes_are_named(spec, message):
    from relations.batch_spec import SpecError, expand_spec

    with pytest.raises(SpecError) as info:
        expand_spec(spec)
    assert str(info.value) == message


def test_the_briefing_limit_counts_explicit_sets_and_the_grid():
    from relations.batch_spec import SpecError, expand_spec

    grid = {"periods": {"years": [2021, 2024]}, "domains": [[], ["arms"]]}  # 8 briefings
    assert len(expand_spec({"grid": grid}, max_briefings=8)) == 8
    with pytest.raises(SpecError) as info:
        expand_spec({"briefings": [{}], "grid": grid}, max_briefings=8)
    assert str(info.value) == "the spec asks for 9 briefings (limit 8; raise it with --max-briefings)"
    assert len(expand_spec({"briefings": [{}, {}]}, max_briefings=2)) == 2
    with pytest.raises(SpecError) as info:
        expand_spec({"briefings": [{}, {}, {}]}, max_briefings=2)
    assert str(info.value) == "the spec asks for 3 briefings (limit 2; raise it with --max-briefings)"


def test_periods_given_as_dates_are_the_quarters_or_years_holding_them():
    from relations.batch_spec import expand_spec

    quarters = expand_spec({"grid": {"periods": {"quarters": ["2024-02-15", "2024-05-01"]}}})
    assert [(s["start"], s["end"]) for s in quarters] == [
        ("2024-01-01", "2024-03-31"),
        ("2024-04-01", "2024-06-30"),
    ]
    years = expand_spec({"grid": {"periods": {"years": ["2024Q3", "2025Q1"]}}})
    assert [(s["start"], s["end"]) for s in years] == [
        ("2024-01-01", "2024-12-31"),
        ("2025-01-01", "2025-12-31"),
    ]


def test_prepare_spec_names_the_briefing_and_where_it_comes_from(tmp_path):
    from relations.batch_spec import SpecError, prepare_spec

    grid = {"periods": {"quarters": ["2024Q1", "2024Q2"]}, "domains": [[], ["arms", "sport"]]}
    with pytest.raises(SpecError) as info:
        prepare_spec({"briefings": [{"start": "2025-01-01", "end": "2025-01-31"}], "grid": grid})
    message = str(info.value)
    assert message.startswith("briefing 3 of 5: domains: unknown domain 'sport'"), message
    assert message.endswith(" (in grid (2024Q1, arms, sport))"), message
    with pytest.raises(SpecError) as info:
        prepare_spec({"grid": {"periods": {"quarters": ["2024Q1", "2024Q2"]}, "title": "x" * 200}})
    message = str(info.value)
    assert message.startswith("briefing 1 of 2: title: ") and message.endswith(" (in grid (2024Q1))"), message
    with pytest.raises(SpecError) as info:
        prepare_spec({"briefings": [{"data_dir": str(tmp_path)}]})  # a folder, but no data package
    message = str(info.value)
    assert message.startswith("briefing 1 of 1: data_dir: ") and message.endswith(" (in briefings[0])"), (
        message
    )


def test_prepare_spec_names_the_first_unknown_format():
    from relations.batch_spec import SpecError, prepare_spec

    with pytest.raises(SpecError) as info:
        prepare_spec({"briefings": [{}], "formats": ["html", "docx", "odt"]})
    assert str(info.value) == "formats: 'docx' (allowed: html, ipynb, pdf)"


def test_load_spec_limits_and_messages(tmp_path):
    from relations.batch_spec import MAX_BYTES, MAX_STRING, SpecError, load_spec

    def spec(text: str) -> str:
        path = tmp_path / "s.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    ok = spec(f"defaults: {{title: {'t' * MAX_STRING}}}\n")
    assert len(load_spec(ok)["defaults"]["title"]) == MAX_STRING, "a string at the limit is fine"
    long = spec(f"defaults: {{title: {'t' * (MAX_STRING + 1)}}}\n")
    with pytest.raises(SpecError) as info:
        load_spec(long)
    assert (
        str(info.value)
        == f"{long}: defaults.title: a string of {MAX_STRING + 1} characters (limit {MAX_STRING})"
    )
    full = spec("briefings: []\n" + "#" * (MAX_BYTES - len("briefings: []\n") - 1) + "\n")
    assert load_spec(full) == {"briefings": []}, "a file at the byte limit is read"
    listed = spec("- a\n- b\n")
    with pytest.raises(SpecError) as info:
        load_spec(listed)
    assert str(info.value) == (
        f"{listed}: the spec must be a mapping with keys: output_dir, formats, defaults, briefings, grid"
    )
    broken = spec("briefings: [\n")
    with pytest.raises(SpecError) as info:
        load_spec(broken)
    message = str(info.value)
    assert message.startswith(
        f"{broken}: not valid YAML (while parsing a flow node expected the node content"
    )
    assert "line 2, column 1" in message and "  " not in message and "\n" not in message, "one line"
