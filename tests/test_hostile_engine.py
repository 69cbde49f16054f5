"""The briefing engine under hostile conditions (issues 9, 10 and 15).

Bad inputs end in one clear line naming the parameter or file, with the exit code the
command promises, never a traceback, and before any kernel starts. Files on disk are
checked against their manifest; outputs of one briefing change together; caches do not
lie; PDFs have a paper size, page numbers and bookmarks; Ctrl-C and SIGTERM leave no
kernel and no temporary file behind.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import run_cli

from relations.errors import ParameterError
from relations.manifest import ManifestError, cache_key, cached_outputs, read_manifest
from relations.outputs import atomic_write
from relations.params import briefing_notebook
from relations.pdf import PrintFailed, find_chromium, html_to_pdf
from relations.provenance import inputs_key
from relations.render import BriefingFailed, render_briefing
from relations.verify import verify_briefing

WINDOW = {"start": "2025-01-01", "end": "2025-03-31"}
STEM = "briefing_2025-01-01_2025-03-31"
needs_chromium = pytest.mark.skipif(find_chromium() is None, reason="Chromium is installed by .ci/run")


def _no_kernel(*args, **kwargs):
    raise AssertionError("a refused briefing must not start a kernel")


@pytest.fixture
def no_kernel(monkeypatch):
    monkeypatch.setattr("relations.render.execute_quietly", _no_kernel)


cli = run_cli


def one_clear_line(code: int, out: str, err: str, want_code: int, *needles: str) -> None:
    assert code == want_code, (code, out, err)
    assert "Traceback" not in out + err
    for needle in needles:
        assert needle in err, (needle, err)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- atomic_write ---------------------------------------------------------------------------


def test_atomic_write_interrupted_by_a_failing_rename_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "briefing.html"
    target.write_text("old")

    def broken_replace(src, dst):
        raise KeyboardInterrupt  # e.g. Ctrl-C just before the rename

    monkeypatch.setattr("relations.outputs.os.replace", broken_replace)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new " * 10_000)
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.html"], "a temporary file remains"


def test_atomic_write_interrupted_mid_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "briefing.html"
    target.write_text("old")

    def full_disk(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("relations.outputs.os.fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        atomic_write(target, b"new")
    assert target.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["briefing.html"]


def test_atomic_write_replaces_the_file_instead_of_writing_in_place(tmp_path):
    target = tmp_path / "briefing.html"
    target.write_text("old content")
    inode = target.stat().st_ino
    with target.open() as reader:  # someone is reading the old briefing
        atomic_write(target, "new content")
        assert reader.read() == "old content"
    assert target.read_text() == "new content"
    assert target.stat().st_ino != inode


# --- refused before any kernel starts -------------------------------------------------------


@pytest.mark.parametrize("timeout", [0, -5, 2.5, True])
def test_timeout_must_be_whole_seconds_above_zero(tmp_path, no_kernel, timeout):
    with pytest.raises(ParameterError, match="whole seconds above 0") as info:
        render_briefing(WINDOW, output_dir=tmp_path, timeout=timeout)
    assert info.value.parameter == "timeout"
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("value", ["soon", "-1", "99999999999999999999", "1.5"])
def test_a_malformed_source_date_epoch_is_named(tmp_path, no_kernel, monkeypatch, capsys, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(ParameterError) as info:
        render_briefing(WINDOW, output_dir=tmp_path)
    assert info.value.parameter == "SOURCE_DATE_EPOCH"
    code, out, err = cli(["brief", "--quiet", "--output-dir", str(tmp_path)], capsys)
    one_clear_line(code, out, err, 2, "SOURCE_DATE_EPOCH", "0 to 253402300799")


def test_a_window_after_the_record_is_refused_naming_its_end(tmp_path, tiny_data, no_kernel, capsys):
    # the tiny record's newest event is on 2024-02-01
    with pytest.raises(ParameterError, match="the record ends on 2024-02-01") as info:
        render_briefing({"start": "2025-01-01", "data_dir": str(tiny_data)}, output_dir=tmp_path / "o")
    assert info.value.parameter == "start"
    argv = ["brief", "--start", "2025-01-01", "--data-dir", str(tiny_data), "--output-dir", str(tmp_path)]
    code, out, err = cli(argv, capsys)
    one_clear_line(code, out, err, 2, "--start", "the record ends on 2024-02-01")


def test_a_missing_data_folder_is_named_before_anything_runs(tmp_path, no_kernel, monkeypatch, capsys):
    with pytest.raises(ParameterError, match="no-such-data") as info:
        render_briefing({**WINDOW, "data_dir": "no-such-data"}, output_dir=tmp_path / "o")
    assert info.value.parameter == "data_dir"
    code, out, err = cli(["brief", "--data-dir", "no-such-data", "--output-dir", str(tmp_path)], capsys)
    one_clear_line(code, out, err, 2, "--data-dir", "no-such-data")
    monkeypatch.setenv("RELATIONS_DATA", str(tmp_path / "gone"))
    code, out, err = cli(["brief", "--output-dir", str(tmp_path)], capsys)
    one_clear_line(code, out, err, 2, "RELATIONS_DATA", "gone")


def test_an_output_folder_that_is_a_file_is_refused(tmp_path, no_kernel, capsys):
    afile = tmp_path / "out"
    afile.write_text("a file")
    with pytest.raises(ParameterError, match="is a file") as info:
        render_briefing(WINDOW, output_dir=afile)
    assert info.value.parameter == "output_dir"
    argv = ["brief", "--start", WINDOW["start"], "--end", WINDOW["end"]]
    code, out, err = cli([*argv, "--output-dir", str(afile / "below")], capsys)
    one_clear_line(code, out, err, 2, "--output-dir")


def test_an_output_file_that_is_a_folder_is_refused(tmp_path, no_kernel, capsys):
    (tmp_path / f"{STEM}.html").mkdir()
    with pytest.raises(ParameterError, match=f"{STEM}.html is a folder") as info:
        render_briefing(WINDOW, output_dir=tmp_path)
    assert info.value.parameter == "output_dir"
    argv = ["brief", "--start", WINDOW["start"], "--end", WINDOW["end"], "--output-dir", str(tmp_path)]
    code, out, err = cli(argv, capsys)
    one_clear_line(code, out, err, 2, "--output-dir", f"{STEM}.html is a folder")


def test_a_read_only_output_folder_is_refused(tmp_path, no_kernel):
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o555)
    try:
        if os.access(ro, os.W_OK):  # root ignores the mode: use a folder the kernel refuses
            ro = Path("/sys")
            try:
                os.close(os.open(ro / f"relations-probe-{uuid.uuid4().hex}", os.O_CREAT | os.O_WRONLY))
                pytest.skip("no read-only folder available to this user")
            except OSError:
                pass
        with pytest.raises(ParameterError, match="not a writable folder") as info:
            render_briefing(WINDOW, output_dir=ro)
        assert info.value.parameter == "output_dir"
    finally:
        (tmp_path / "ro").chmod(0o755)


def test_an_unknown_paper_size_is_refused(tmp_path, no_kernel, capsys):
    with pytest.raises(ParameterError, match=r"'a3' \(allowed: a4, letter\)") as info:
        render_briefing(WINDOW, output_dir=tmp_path, formats=("pdf",), paper="a3")
    assert info.value.parameter == "paper"
    code, out, err = cli(["brief", "--paper", "a3", "--output-dir", str(tmp_path)], capsys)
    one_clear_line(code, out, err, 2, "--paper")


# --- verify: manifests that cannot be trusted ------------------------------------------------


def _manifest(**changes) -> dict:
    m = {
        "briefing": STEM,
        "parameters": dict(WINDOW),
        "notebook_sha256": "n",
        "data": {"events.csv": "e"},
        "relations_version": "0.1.0",
        "dependencies": {"pandas": "2"},
        "outputs": {"html": {"file": f"{STEM}.html", "sha256": "h"}},
    }
    m.update(changes)
    return m


HOSTILE_MANIFESTS = [
    ("bad-json", "{not json", "not valid JSON"),
    ("not-an-object", "[1, 2]", "expected a JSON object"),
    ("missing-key", json.dumps({k: v for k, v in _manifest().items() if k != "outputs"}), "'outputs'"),
    ("wrong-type", json.dumps(_manifest(outputs=[])), "'outputs' has the wrong type"),
    ("data-not-strings", json.dumps(_manifest(data={"events.csv": 5})), "'data' must map"),
    (
        "outside-the-folder",
        json.dumps(_manifest(outputs={"html": {"file": "../../../etc/hostname", "sha256": "x"}})),
        "'../../../etc/hostname'",
    ),
    ("unknown-kind", json.dumps(_manifest(outputs={"exe": {"file": "x", "sha256": "x"}})), "'exe'"),
    ("other-briefing", json.dumps(_manifest(briefing="briefing_other")), "briefing_other"),
]


@pytest.mark.parametrize(
    ("text", "needle"), [c[1:] for c in HOSTILE_MANIFESTS], ids=[c[0] for c in HOSTILE_MANIFESTS]
)
def test_verify_refuses_a_manifest_it_cannot_trust(tmp_path, no_kernel, capsys, text, needle):  # fmt: skip
    path = tmp_path / f"{STEM}.manifest.json"
    path.write_text(text)
    with pytest.raises(ManifestError, match=re.escape(needle)):
        verify_briefing(path)
    code, out, err = cli(["verify", str(path)], capsys)
    one_clear_line(code, out, err, 2, path.name)


def test_verify_of_nothing_is_one_line(capsys, no_kernel):
    for argv in (["verify", ""], ["verify", "   "]):
        code, out, err = cli(argv, capsys)
        one_clear_line(code, out, err, 2, ".manifest.json")
    with pytest.raises(ManifestError, match="no briefing given"):
        verify_briefing("")


def test_verify_names_a_recorded_data_folder_that_is_gone(tmp_path, no_kernel, capsys):
    html = tmp_path / f"{STEM}.html"
    html.write_text("<p>briefing</p>")
    gone = tmp_path / "moved-away"
    m = _manifest(data_dir=str(gone), data_dir_origin="RELATIONS_DATA")
    m["outputs"]["html"]["sha256"] = sha(html)
    (tmp_path / f"{STEM}.manifest.json").write_text(json.dumps(m))
    outcome = verify_briefing(html)
    assert outcome.differences == [f"data folder missing: {gone} has no datapackage.json any more"]
    code, out, err = cli(["verify", str(html)], capsys)
    assert code == 1 and "Traceback" not in out + err and "data folder missing" in out


def test_the_render_cache_never_hashes_a_file_outside_the_folder(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not a briefing")
    out = tmp_path / "out"
    out.mkdir()
    new = _manifest(formats=["html"], inputs_key="k")
    new["cache_key"] = cache_key(new)
    planted = {**new, "outputs": {"html": {"file": "../secret.txt", "sha256": sha(outside)}}}
    (out / f"{STEM}.manifest.json").write_text(json.dumps(planted))
    assert cached_outputs(out / f"{STEM}.manifest.json", new) is None
    with pytest.raises(ManifestError, match=re.escape(f"only '{STEM}.html'")):
        read_manifest(out / f"{STEM}.manifest.json")


# --- the cache key ---------------------------------------------------------------------------


def _keys(m: dict) -> str:
    m = {**m, "inputs_key": inputs_key(m)}
    return cache_key(m)


def test_the_cache_key_changes_with_every_input_and_only_then():
    base = {
        "parameters": {
            "start": "2025-01-01",
            "end": "2025-03-31",
            "domains": [],
            "title": "T",
            "data_dir": "",
        },
        "notebook_sha256": "nb",
        "data": {"datapackage.json": "d0", "events.csv": "d1", "sources.csv": "d2"},
        "relations_version": "0.1.0",
        "python": "3.11.2",
        "dependencies": {"pandas": "2.2", "matplotlib": "3.8", "nbconvert": "7.16"},
        "formats": ["html", "pdf"],
        "paper": "a4",
        "chromium": "Chromium 150",
    }
    key = _keys(base)
    assert _keys(json.loads(json.dumps(base))) == key, "the same inputs must give the same key"
    variants = {"notebook": {**base, "notebook_sha256": "nb2"}}
    for name in base["parameters"]:
        variants[f"parameter {name}"] = {**base, "parameters": {**base["parameters"], name: "other"}}
    for name in base["data"]:
        variants[f"data {name}"] = {**base, "data": {**base["data"], name: "changed"}}
    for name in base["dependencies"]:
        variants[f"dependency {name}"] = {**base, "dependencies": {**base["dependencies"], name: "9"}}
    variants["package version"] = {**base, "relations_version": "0.2.0"}
    variants["python"] = {**base, "python": "3.12.0"}
    variants["formats"] = {**base, "formats": ["html"]}
    variants["paper"] = {**base, "paper": "letter"}
    variants["chromium"] = {**base, "chromium": "Chromium 151"}
    for what, changed in variants.items():
        assert _keys(changed) != key, f"changing the {what} does not change the cache key"
    no_pdf = {**base, "formats": ["html"]}
    assert _keys({**no_pdf, "paper": "letter"}) == _keys(no_pdf), "paper only matters for a PDF"


# --- PDF printing ----------------------------------------------------------------------------


def _fake_chromium(tmp_path: Path, body: str) -> Path:
    script = tmp_path / "chromium"
    script.write_text(f"#!/bin/sh\n{body}\n")
    script.chmod(0o755)
    return script


@pytest.mark.slow
def test_a_chromium_that_prints_nothing_is_one_clear_line(tmp_path):
    html = tmp_path / "a.html"
    html.write_text("<h1>x</h1>")
    broken = _fake_chromium(tmp_path, "echo 'Fontconfig error: no fonts' >&2; exit 3")
    with pytest.raises(PrintFailed, match=r"exit code 3\) wrote no PDF: Fontconfig error"):
        html_to_pdf(html, tmp_path / "a.pdf", chromium=str(broken))
    hangs = _fake_chromium(tmp_path, "sleep 30")
    t0 = time.monotonic()
    with pytest.raises(PrintFailed, match="within 1 s"):
        html_to_pdf(html, tmp_path / "a.pdf", chromium=str(hangs), timeout=1)
    assert time.monotonic() - t0 < 15
    assert not (tmp_path / "a.pdf").exists()


# --- with a kernel ---------------------------------------------------------------------------


@pytest.mark.notebooks
def test_verify_hashes_the_files_on_disk_first(tmp_path):
    res = render_briefing(WINDOW, output_dir=tmp_path)
    assert verify_briefing(res.outputs["html"]).identical
    html = res.outputs["html"]
    html.write_text(html.read_text().replace("Key developments", "Key developments (edited)"))
    res.outputs["ipynb"].unlink()
    outcome = verify_briefing(res.manifest)
    assert f"file changed since it was written: {STEM}.html" in outcome.differences
    assert any(d.startswith(f"file missing: {STEM}.ipynb") for d in outcome.differences)
    cli = subprocess.run(
        [sys.executable, "-m", "relations.cli", "verify", str(html)], capture_output=True, text=True
    )
    assert cli.returncode == 1 and "Traceback" not in cli.stdout + cli.stderr
    assert f"file changed since it was written: {STEM}.html" in cli.stdout


@pytest.mark.notebooks
@needs_chromium
def test_pdf_is_a4_numbered_and_bookmarked_and_verifies(tmp_path):
    from pypdf import PdfReader

    res = render_briefing(WINDOW, output_dir=tmp_path, formats=("pdf",))
    reader = PdfReader(res.outputs["pdf"])
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - 595) < 2 and abs(float(box.height) - 842) < 2
    n = len(reader.pages)
    assert f"1 / {n}" in reader.pages[0].extract_text()
    assert f"{n} / {n}" in reader.pages[-1].extract_text()

    def titles(outline):
        for item in outline:
            yield from titles(item) if isinstance(item, list) else [item.title]

    bookmarks = list(titles(reader.outline))
    assert "Key developments" in bookmarks and "Sources and methods" in bookmarks
    outcome = verify_briefing(res.outputs["pdf"])
    assert outcome.identical, outcome
    letter = render_briefing(WINDOW, output_dir=tmp_path, formats=("pdf",), paper="letter", force=False)
    assert not letter.cached, "the paper size is part of the cache key"
    box = PdfReader(letter.outputs["pdf"]).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert json.loads(letter.manifest.read_text())["outputs"]["pdf"]["paper"] == "letter"


@pytest.mark.notebooks
@needs_chromium
def test_outputs_of_one_briefing_change_together(tmp_path):
    first = render_briefing(WINDOW, output_dir=tmp_path)  # html + ipynb
    html_sha = sha(first.outputs["html"])
    pdf = render_briefing(WINDOW, output_dir=tmp_path, formats=("pdf",))
    recorded = json.loads(pdf.manifest.read_text())["outputs"]
    assert set(recorded) == {"html", "ipynb", "pdf"}, "same inputs: every existing output stays recorded"
    assert recorded["html"]["sha256"] == html_sha
    assert verify_briefing(first.outputs["html"]).identical
    # other inputs (a new title) for the html only: the pdf and ipynb of the old title are stale
    pdf.outputs["pdf"].write_bytes(pdf.outputs["pdf"].read_bytes() + b"%edited by hand\n")
    retitled = render_briefing({**WINDOW, "title": "Another title"}, output_dir=tmp_path, formats=("html",))
    assert retitled.removed == [tmp_path / f"{STEM}.ipynb"], "an untouched stale output is removed"
    assert retitled.flagged == [tmp_path / f"{STEM}.pdf"], "an edited stale output is left and flagged"
    assert (tmp_path / f"{STEM}.pdf").exists() and not (tmp_path / f"{STEM}.ipynb").exists()
    assert set(json.loads(retitled.manifest.read_text())["outputs"]) == {"html"}
    assert "not recorded in the manifest" in str(verify_briefing(tmp_path / f"{STEM}.pdf"))
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".")]
    assert leftovers == [], "the temporary folder is removed"


@pytest.mark.notebooks
def test_an_edited_cached_output_is_rendered_again(tmp_path):
    first = render_briefing(WINDOW, output_dir=tmp_path, force=False)
    good = first.outputs["html"].read_bytes()
    first.outputs["html"].write_bytes(good.replace(b"Key developments", b"Key falsehoods"))
    again = render_briefing(WINDOW, output_dir=tmp_path, force=False)
    assert not again.cached
    assert again.outputs["html"].read_bytes() == good
    assert render_briefing(WINDOW, output_dir=tmp_path, force=False).cached
    assert not render_briefing(WINDOW, output_dir=tmp_path, force=True).cached


@pytest.mark.notebooks
def test_a_relative_data_folder_is_resolved_once_and_recorded(tmp_path, tiny_data, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = {"start": "2024-01-01", "end": "2024-03-31"}
    res = render_briefing({**params, "data_dir": "data"}, output_dir="out")
    m = json.loads(res.manifest.read_text())
    assert m["data_dir"] == str(tiny_data.resolve()) and m["data_dir_origin"] == "data_dir"
    assert m["parameters"]["data_dir"] == str(tiny_data.resolve()), "the kernel gets the absolute path"
    monkeypatch.setenv("RELATIONS_DATA", "data")  # relative to the working folder, not the output folder
    env = render_briefing(params, output_dir="env-out")
    m = json.loads(env.manifest.read_text())
    assert m["data_dir"] == str(tiny_data.resolve()) and m["data_dir_origin"] == "RELATIONS_DATA"
    monkeypatch.delenv("RELATIONS_DATA")
    manifests = [env.manifest.resolve(), res.manifest.resolve()]
    monkeypatch.chdir(tmp_path / "out")  # verify elsewhere, without the variable: the recorded folder
    for manifest in manifests:
        outcome = verify_briefing(manifest)
        assert outcome.identical, outcome


@pytest.mark.notebooks
@needs_chromium
def test_a_failing_chromium_is_one_clear_line(tmp_path):
    broken = _fake_chromium(tmp_path, "exit 1")
    env = {**os.environ, "RELATIONS_CHROMIUM": str(broken)}
    argv = ["brief", "--quiet", "--format", "pdf", "--start", WINDOW["start"], "--end", WINDOW["end"]]
    out = subprocess.run(
        [sys.executable, "-m", "relations.cli", *argv, "--output-dir", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
    )
    assert out.returncode == 1 and "Traceback" not in out.stdout + out.stderr
    assert "the PDF could not be printed: Chromium (exit code 1) wrote no PDF" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
    assert not list((tmp_path / "out").iterdir()), "nothing is published when printing fails"


def _marked(marker: str) -> list[int]:
    """Pids of live processes whose environment carries ``marker`` (the run and its kernel)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if marker.encode() in environ and state != "Z":
            pids.append(int(entry.name))
    return pids


@pytest.mark.notebooks
@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize(
    ("signum", "code", "word"), [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")]
)
def test_a_stopped_brief_leaves_no_kernel_and_no_temporary_file(tmp_path, signum, code, word):  # fmt: skip
    marker = f"RELATIONS_TEST_RUN={uuid.uuid4().hex}"
    key, value = marker.split("=")
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "relations.cli", "brief", "--quiet", "--start", WINDOW["start"],
         "--end", WINDOW["end"], "--output-dir", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, key: value}, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while len(_marked(marker)) < 2:  # wait for the kernel: the notebook is then running
        assert proc.poll() is None and time.monotonic() < deadline, "the kernel never started"
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signum)  # like Ctrl-C in a terminal: the whole foreground group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, (stdout, stderr)
    assert "Traceback" not in stdout + stderr
    assert stderr.strip() == f"relations brief: {word}"
    deadline = time.monotonic() + 10
    while _marked(marker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _marked(marker) == [], "a kernel outlived the run"
    assert not [p for p in out.rglob("*") if p.name.endswith(".running.ipynb") or p.name.endswith(".tmp")]
    assert not list(out.glob(f"{STEM}.*")), "nothing is published by a stopped run"


@pytest.mark.notebooks
def test_a_timeout_keeps_the_partial_notebook_and_names_the_cell(tmp_path):
    import nbformat

    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, slow)
    with pytest.raises(BriefingFailed, match=r"cell \d+ \(starts 'import time'\) ran longer than") as info:
        render_briefing(WINDOW, output_dir=tmp_path / "out", notebook=slow, timeout=2)
    partial = info.value.partial
    assert partial == tmp_path / "out" / f"{STEM}.failed.ipynb" and partial.exists()
    kept = nbformat.read(partial, as_version=4)
    assert kept.cells[info.value.cell].source.startswith("import time")
    assert kept.cells[2].outputs, "the cells before the slow one ran and kept their outputs"


@pytest.mark.notebooks
def test_a_stop_whose_exception_was_lost_still_publishes_nothing(tmp_path, monkeypatch):
    """A signal landing inside a finaliser loses its exception (Python prints and ignores it);
    the recorded signal is honoured before anything is published."""
    from relations import render, stops

    monkeypatch.setattr(stops, "STOPPED", [signal.SIGTERM])
    out = tmp_path / "out"
    with pytest.raises(render.Interrupted):
        render_briefing(WINDOW, output_dir=out)
    assert not list(out.glob(f"{STEM}.*")), "nothing is published by a stopped run"
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]
