"""Charts drawn ahead by the prefetcher (relations.briefing.chart_cache) change nothing but time."""

from __future__ import annotations

import base64
import io
import json
import os
import pickle
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from relations import warm
from relations.briefing import chart_cache
from relations.render import render_briefing

PARAMS = {"start": "2025-01-01", "end": "2025-12-31"}


def test_a_key_depends_on_content_not_on_memory_layout():
    a = pd.DataFrame({"x": [1, 2], "y": ["a", "b"], "z": [[1], [2, 3]]})
    b = pd.concat([a[["x"]], a[["y"]], a[["z"]]], axis=1)  # same content, other blocks
    assert a.equals(b) and pickle.dumps(a) != pickle.dumps(b), "the pickles differ; the keys must not"
    assert chart_cache.key("activity", (a,), {"freq": "Q"}) == chart_cache.key(
        "activity", (b,), {"freq": "Q"}
    )
    changed = a.assign(z=[[1], [2, 4]])
    assert chart_cache.key("activity", (a,), {}) != chart_cache.key("activity", (changed,), {})
    assert chart_cache.key("activity", (a,), {"freq": "Q"}) != chart_cache.key(
        "activity", (a,), {"freq": "M"}
    )
    assert chart_cache.key("activity", (a,), {}) != chart_cache.key("timeline", (a,), {})


def test_nothing_is_cached_without_a_folder(monkeypatch, tmp_path):
    monkeypatch.delenv(chart_cache.ENV, raising=False)
    chart_cache.store("k", b"png")
    assert chart_cache.lookup("k") is None
    monkeypatch.setenv(chart_cache.ENV, str(tmp_path))
    chart_cache.store("k", b"png")
    assert chart_cache.lookup("k") == b"png"
    assert [p.name for p in tmp_path.iterdir()] == ["k.png"]  # no partial file left


def _prefetch(folder) -> list:
    """Run the prefetcher to its end (as `relations brief` starts it) and list what it saved."""
    spec = json.dumps({**PARAMS, "length": "executive"})
    cmd = [sys.executable, "-m", "relations.briefing.chart_cache", spec, str(folder)]
    done = subprocess.run(cmd, env={**os.environ, chart_cache.ENV: str(folder)}, timeout=300)
    assert done.returncode == 0
    return sorted(folder.glob("*.png"))


def _images(nb_path) -> list[bytes]:
    nb = nbformat.read(nb_path, as_version=4)
    return [
        base64.b64decode(o["data"]["image/png"])
        for c in nb.cells
        for o in c.get("outputs", [])
        if "image/png" in o.get("data", {})
    ]


def _marker() -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(1, 1))
    ax.text(0.5, 0.5, "drawn ahead")
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


@pytest.mark.notebooks
@pytest.mark.slow
def test_charts_drawn_ahead_are_used_and_are_the_very_bytes_the_kernel_draws(tmp_path, monkeypatch):
    monkeypatch.setattr(chart_cache, "worth_it", lambda: False)  # the fresh run draws everything
    fresh = render_briefing(PARAMS, output_dir=tmp_path / "fresh")

    ahead = tmp_path / "ahead"
    ahead.mkdir()
    saved = _prefetch(ahead)
    drawn = _images(fresh.outputs["ipynb"])
    assert len(saved) == len(drawn) > 0, "the prefetcher draws every chart of the briefing"
    assert sorted(p.read_bytes() for p in saved) == sorted(drawn), "same PNG bytes in both processes"

    with warm.use(warm.WarmKernel(env={chart_cache.ENV: str(ahead)}).start()):
        cached = render_briefing(PARAMS, output_dir=tmp_path / "cached")
    for kind in ("html", "ipynb"):
        assert cached.outputs[kind].read_bytes() == fresh.outputs[kind].read_bytes(), kind

    marker = _marker()  # now prove the kernel takes the saved files rather than drawing again
    for p in saved:
        p.write_bytes(marker)
    with warm.use(warm.WarmKernel(env={chart_cache.ENV: str(ahead)}).start()):
        marked = render_briefing(PARAMS, output_dir=tmp_path / "marked")
    assert _images(marked.outputs["ipynb"]) == [marker] * len(drawn)


def _prefetchers(marker: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        if "relations.briefing.chart_cache" in text and marker in text:
            found.append(text)
    return found


@pytest.mark.notebooks
@pytest.mark.slow
def test_relations_brief_leaves_no_prefetcher_and_no_chart_folder(tmp_path):
    title = f"Prefetch check {os.getpid()} {time.time_ns()}"  # names this run's prefetcher
    private = tmp_path / "tmp"  # the command's temporary folder, watched by nobody else
    private.mkdir()
    command = Path(sys.executable).parent / "relations"
    window = ["--start", "2025-01-01", "--end", "2025-12-31"]
    done = subprocess.run(
        [str(command), "brief", *window, "--title", title, "--output-dir", str(tmp_path / "out"), "--quiet"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "TMPDIR": str(private), chart_cache.SWITCH: "on"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out").is_dir()
    assert not list(private.glob("relations-charts-*")), "the chart folder was left behind"
    assert not _prefetchers(title), "the prefetcher outlived the command"


@pytest.mark.notebooks
@pytest.mark.slow
def test_a_killed_command_takes_its_prefetcher_with_it(tmp_path):
    import signal

    title = f"Prefetch kill {os.getpid()} {time.time_ns()}"
    command = Path(sys.executable).parent / "relations"
    proc = subprocess.Popen(
        [str(command), "brief", "--length", "full", "--title", title, "--output-dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, chart_cache.SWITCH: "on"},  # whatever the machine's load
    )
    try:
        deadline = time.monotonic() + 60
        while not _prefetchers(title):
            assert proc.poll() is None and time.monotonic() < deadline, "no prefetcher was started"
            time.sleep(0.02)
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 5
    while _prefetchers(title) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _prefetchers(title), "the prefetcher outlived a command killed with SIGKILL"


@pytest.mark.notebooks
@pytest.mark.slow
def test_a_batch_shares_its_charts_and_its_briefings_equal_single_ones(tmp_path, monkeypatch):
    """Two full briefings of one window (all domains; arms and military) draw some charts from
    the same rows: the batch draws those once, and each briefing is byte-identical to the same
    briefing rendered alone."""
    from relations.batch import run_batch

    monkeypatch.setattr(chart_cache, "worth_it", lambda: False)
    window = {"start": "2025-01-01", "end": "2025-12-31", "length": "full"}
    spec = {
        "formats": ["html", "ipynb"],
        "briefings": [{**window, "domains": []}, {**window, "domains": ["arms", "military"]}],
    }
    jobs, _ = run_batch(spec, output_dir=tmp_path / "batch", jobs=1, progress=False)
    assert [j.status for j in jobs] == ["done", "done"], [j.error for j in jobs]
    for doms in ([], ["arms", "military"]):
        alone = render_briefing(
            {"start": "2025-01-01", "end": "2025-12-31", "domains": doms, "length": "full"},
            output_dir=tmp_path / "alone",
        )
        for kind in ("html", "ipynb"):
            batch_file = tmp_path / "batch" / alone.outputs[kind].name
            assert batch_file.read_bytes() == alone.outputs[kind].read_bytes(), (doms, kind)


def test_a_key_depends_on_the_order_of_categories():
    a = pd.DataFrame({"d": pd.Categorical(["arms", "trade"], categories=["arms", "trade"])})
    b = pd.DataFrame({"d": pd.Categorical(["arms", "trade"], categories=["trade", "arms"])})
    assert a["d"].tolist() == b["d"].tolist()
    assert chart_cache.key("activity", (a,), {}) != chart_cache.key("activity", (b,), {})
    assert chart_cache.key("activity", (a["d"],), {}) != chart_cache.key("activity", (b["d"],), {})


def test_a_chart_drawn_under_other_settings_is_neither_taken_nor_saved(tmp_path, monkeypatch):
    """The cache is only used while matplotlib's settings are those the process started with:
    a notebook that restyles matplotlib gets charts drawn in its own style."""
    import matplotlib

    matplotlib.use("Agg")
    import relations
    from relations import warm
    from relations.briefing.charts import figure

    events = relations.load("events")
    monkeypatch.setenv(chart_cache.ENV, str(tmp_path))
    monkeypatch.setattr(warm, "PRISTINE_RC", dict(matplotlib.rcParams))
    plain = figure("activity", events).image.data
    assert len(list(tmp_path.glob("*.png"))) == 1
    with matplotlib.rc_context({"axes.facecolor": "#ffcc00"}):
        styled = figure("activity", events).image.data
    assert styled != plain, "the restyled chart was taken from the cache"
    assert len(list(tmp_path.glob("*.png"))) == 1, "the restyled chart was saved for others"
    monkeypatch.setattr(warm, "PRISTINE_RC", {})  # no snapshot (not a warm kernel): no caching
    figure("timeline", events)
    assert len(list(tmp_path.glob("*.png"))) == 1


def test_the_prefetcher_runs_only_when_a_core_is_free(monkeypatch):
    """Beside the command and its kernel: three CPUs and a quiet machine (on two it cost time)."""
    monkeypatch.delenv(chart_cache.SWITCH, raising=False)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    monkeypatch.setattr(os, "getloadavg", lambda: (1.5, 0.4, 0.4))
    assert chart_cache.worth_it()
    monkeypatch.setattr(os, "getloadavg", lambda: (2.5, 0.4, 0.4))  # not a whole core left for it
    assert not chart_cache.worth_it()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert not chart_cache.worth_it(), "two CPUs: the command and the kernel use both"
    monkeypatch.setenv(chart_cache.SWITCH, "on")
    assert chart_cache.worth_it()
    monkeypatch.setenv(chart_cache.SWITCH, "off")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3})
    assert not chart_cache.worth_it()
