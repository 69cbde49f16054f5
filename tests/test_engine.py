"""The briefing engine: manifest and cache, verify, batch, PDF, timeouts, kills, reproducibility."""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest
from bs4 import BeautifulSoup

import relations
from relations.batch import SpecError, expand_spec, run_batch
from relations.params import briefing_notebook
from relations.paths import data_dir
from relations.render import BriefingFailed, find_chromium, render_briefing
from relations.verify import verify_briefing

pytestmark = pytest.mark.notebooks
WINDOW = {"start": "2025-01-01", "end": "2025-03-31"}


def test_manifest_records_inputs_outputs_and_times(tmp_path):
    res = render_briefing(WINDOW, output_dir=tmp_path)
    m = json.loads(res.manifest.read_text())
    assert m["parameters"]["start"] == "2025-01-01"
    assert m["relations_version"] == relations.__version__
    assert set(m["data"]) == {"datapackage.json"} | {f"{t}.csv" for t in relations.tables()}
    assert m["dependencies"]["pandas"] and m["python"]
    for kind, info in m["outputs"].items():
        assert (tmp_path / info["file"]).exists(), kind
    assert m["started"] <= m["ended"]
    html = res.outputs["html"].read_text()
    assert m["started"] not in html and m["ended"] not in html, "times belong in the manifest only"


def test_unchanged_inputs_are_not_executed_again_unless_forced(tmp_path):
    first = render_briefing(WINDOW, output_dir=tmp_path, force=False)
    assert not first.cached
    again = render_briefing(WINDOW, output_dir=tmp_path, force=False)
    assert again.cached and again.outputs == first.outputs
    forced = render_briefing(WINDOW, output_dir=tmp_path, force=True)
    assert not forced.cached


def test_verify_says_identical_then_names_a_changed_data_row(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(data_dir(), copy)
    res = render_briefing({**WINDOW, "data_dir": str(copy)}, output_dir=tmp_path / "out")
    assert verify_briefing(res.outputs["html"]).identical
    events = copy / "events.csv"
    rows = list(csv.DictReader(events.open(encoding="utf-8")))
    target = next(r for r in rows if r["date"].startswith("2025-01"))
    target["title"] = target["title"] + " (edited)"
    with events.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    outcome = verify_briefing(res.manifest)
    assert not outcome.identical
    assert any(d.startswith("data changed: events.csv") for d in outcome.differences)
    assert "output changed: a fresh render's html differs from the recorded one" in outcome.differences
    cli = subprocess.run(
        [sys.executable, "-m", "relations.cli", "verify", str(res.outputs["html"])],
        capture_output=True,
        text=True,
    )
    assert cli.returncode == 1 and "data changed: events.csv" in cli.stdout


def test_batch_runs_a_grid_in_parallel_with_an_index(tmp_path):
    spec = {
        "grid": {"periods": {"quarters": ["2025Q1", "2025Q2"]}, "domains": [["legal"], []]},
        "briefings": [{"start": "2025-01-01", "end": "2025-01-31", "domains": ["no-such-domain"]}],
    }
    with pytest.raises(SpecError, match="briefing 1 of 5: domains: unknown domain 'no-such-domain'"):
        run_batch(spec, output_dir=tmp_path, jobs=2, progress=False)
    assert not list(tmp_path.iterdir()), "a bad spec writes nothing"
    spec.pop("briefings")
    jobs, index = run_batch(spec, output_dir=tmp_path, jobs=2, progress=False)
    assert [j.status for j in jobs] == ["done"] * 4
    soup = BeautifulSoup(index.read_text(), "html.parser")
    links = [a["href"] for a in soup.select("td a")]
    assert len(links) == 4 and all((tmp_path / h).exists() for h in links)
    again, _ = run_batch(spec, output_dir=tmp_path, jobs=2, progress=False)
    assert [j.status for j in again] == ["cached"] * 4


def test_batch_keeps_going_when_one_briefing_fails(tmp_path, monkeypatch):
    # a broken notebook for every job: each fails on its own, the batch reports them all
    bad = tmp_path / "nb" / "briefing.ipynb"
    bad.parent.mkdir()
    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("if start > '2025-02-01': raise RuntimeError('late')"))
    nbformat.write(nb, bad)
    monkeypatch.setattr("relations.params.briefing_notebook", lambda: bad)
    monkeypatch.setattr("relations.render.briefing_notebook", lambda: bad)
    spec = {
        "briefings": [
            {"start": "2025-01-01", "end": "2025-01-31"},
            {"start": "2025-03-01", "end": "2025-03-31"},
        ]
    }
    jobs, index = run_batch(spec, output_dir=tmp_path / "out", jobs=1, progress=False)
    assert [j.status for j in jobs] == ["done", "failed"]
    assert "late" in jobs[1].error
    assert "failed" in index.read_text()


def test_batch_command_exit_codes_and_spec_errors(tmp_path):
    spec = tmp_path / "spec.yaml"
    spec.write_text("grid:\n  periods: {months: [2024-01, 2024-02]}\n")
    out = subprocess.run(
        [sys.executable, "-m", "relations.cli", "batch", str(spec)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert out.returncode == 2
    assert "grid.periods.months: expected [FIRST, LAST] (allowed kinds: quarters, years)" in out.stderr


def test_expand_spec_grid_and_errors():
    sets = expand_spec(
        {
            "grid": {"periods": {"years": [2024, 2025]}, "domains": [["arms"], "energy"]},
            "defaults": {"title": "T"},
        }
    )
    assert [(s["start"], s["domains"]) for s in sets] == [
        ("2024-01-01", ["arms"]),
        ("2024-01-01", ["energy"]),
        ("2025-01-01", ["arms"]),
        ("2025-01-01", ["energy"]),
    ]
    assert sets[0]["title"] == "T, 2024 (arms)"
    with pytest.raises(SpecError, match="colour: unknown key"):
        expand_spec({"colour": "red"})
    with pytest.raises(SpecError, match="asks for no briefing"):
        expand_spec({})


@pytest.mark.skipif(find_chromium() is None, reason="Chromium is installed by .ci/run")
def test_pdf_output_has_the_briefing_text(tmp_path):
    from pypdf import PdfReader

    res = render_briefing({**WINDOW, "title": "PDF check"}, output_dir=tmp_path, formats=("pdf",))
    pdf = res.outputs["pdf"]
    assert pdf.read_bytes().startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    for words in ("PDF check", "Bottom line up front", "Sources and methods"):
        assert words in text
    assert not (tmp_path / f"{pdf.stem}.html").exists(), "only the asked-for format is written"


def test_cell_timeout_is_reported_clearly(tmp_path):
    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("import time\ntime.sleep(30)"))
    slow = tmp_path / "slow.ipynb"
    nbformat.write(nb, slow)
    with pytest.raises(BriefingFailed, match="longer than the 2 s timeout") as info:
        render_briefing(WINDOW, output_dir=tmp_path / "out", notebook=slow, timeout=2)
    assert info.value.partial == tmp_path / "out" / "briefing_2025-01-01_2025-03-31.failed.ipynb"
    assert info.value.partial.exists(), "a timed-out run always keeps its partial notebook"
    assert "(starts 'import time')" in str(info.value), "the message names the cell"


def test_kernel_death_is_reported_as_such(tmp_path):
    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(2, nbformat.v4.new_code_cell("import os\nos._exit(1)"))
    dying = tmp_path / "dying.ipynb"
    nbformat.write(nb, dying)
    with pytest.raises(BriefingFailed, match="kernel died") as info:
        render_briefing(WINDOW, output_dir=tmp_path / "out", notebook=dying, timeout=60)
    assert not list((tmp_path / "out").glob("*.html")), "no briefing is written for a dead kernel"
    # the partial notebook is always kept, the dying cell named in it and in the message
    assert info.value.partial is not None and info.value.partial.exists()
    kept = nbformat.read(info.value.partial, as_version=4)
    assert kept.cells[info.value.cell].source.startswith("import os")
    assert "(starts 'import os')" in str(info.value)


def test_a_killed_run_leaves_the_previous_briefing_intact(tmp_path):
    out = tmp_path / "out"
    t0 = time.perf_counter()
    render_briefing(WINDOW, output_dir=out)
    took = time.perf_counter() - t0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "relations.cli",
            "brief",
            "--quiet",
            "--start",
            WINDOW["start"],
            "--end",
            WINDOW["end"],
            "--title",
            "A different title",
            "--output-dir",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    time.sleep(max(1.0, took * 0.6))  # mid-way: the kernel is running the notebook
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    after = {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")}
    assert after == before
