"""Temporary folders of a briefing killed outright are cleared by the next run on this host."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from relations import leftovers


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_sweep_removes_only_folders_of_gone_processes_of_this_host(tmp_path):
    dead = tmp_path / f"relations-charts-{leftovers.host()}-{_dead_pid()}-abc"
    mine = tmp_path / f"relations-charts-{leftovers.stamp()}-def"
    elsewhere = tmp_path / f"relations-charts-otherhost-{_dead_pid()}-ghi"
    unrelated = tmp_path / "relations-charts-unstamped"
    for path in (dead, mine, elsewhere, unrelated):
        path.mkdir()
        (path / "x.png").write_bytes(b"png")
    assert leftovers.sweep(tmp_path, "relations-charts-") == [dead]
    assert not dead.exists() and mine.exists() and elsewhere.exists() and unrelated.exists()


@pytest.mark.notebooks
@pytest.mark.slow
def test_a_briefing_clears_what_a_killed_one_left(tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    dead = f"{leftovers.host()}-{_dead_pid()}"
    stem = "briefing_2025-01-01_2025-03-31"
    stale_stage = out / f".{stem}.tmpd-{dead}-x1.tmp"
    stale_charts = tmp / f"relations-charts-{dead}-y2"
    live_stage = out / f".{stem}.tmpd-{leftovers.stamp()}-z3.tmp"  # this test's own pid: alive
    for path in (stale_stage, stale_charts, live_stage):
        path.mkdir()
    command = Path(sys.executable).parent / "relations"
    done = subprocess.run(
        [str(command), "brief", "--start", "2025-01-01", "--end", "2025-03-31", "--output-dir", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(tmp), "RELATIONS_CHART_PREFETCH": "on"},
    )
    assert done.returncode == 0, done.stderr
    assert not stale_stage.exists() and not stale_charts.exists()
    assert live_stage.exists(), "a folder whose process still runs is left alone"
    assert sorted(p.name for p in tmp.iterdir()) == [], "the run's own chart folder is removed"


@pytest.mark.notebooks
@pytest.mark.slow
def test_a_batch_clears_what_a_killed_batch_left(tmp_path, monkeypatch):
    import tempfile

    from relations.batch import run_batch

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    stale = tmp / f"relations-batch-{leftovers.host()}-{_dead_pid()}-q9"
    stale.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmp))
    monkeypatch.setattr(tempfile, "tempdir", None)
    spec = {"formats": ["html"], "briefings": [{"start": "2025-01-01", "end": "2025-03-31"}]}
    jobs, _ = run_batch(spec, output_dir=tmp_path / "out", jobs=1, progress=False)
    assert [j.status for j in jobs] == ["done"]
    assert not stale.exists()
    assert list(tmp.iterdir()) == [], "the batch's own temporary folder is removed"


def test_a_failed_briefing_in_the_batch_summary_is_named_by_its_window_and_domains():
    from relations.batch import summary_table
    from relations.batch_workers import BatchJob

    jobs = [
        BatchJob({"start": "2025-01-01", "end": "2025-03-31", "domains": ["arms"], "title": "T"}),
        BatchJob({"start": "2025-04-01", "end": "2025-06-30", "domains": [], "title": "T"}),
    ]
    for j in jobs:
        j.status, j.error = "failed", "boom"
    lines = summary_table(jobs).splitlines()
    assert "briefing_2025-01-01_2025-03-31_arms" in lines[1]
    assert "briefing_2025-04-01_2025-06-30" in lines[2] and "arms" not in lines[2]
