"""Real-browser tests: JupyterLab driven in Debian's Chromium through Playwright, and a briefing
opened offline. Screenshots go to test-artifacts/ (and to docs/ with RELATIONS_SCREENSHOTS=docs)."""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import REPO

from relations.paths import notebooks_dir
from relations.pdf import CHROMIUM_FLAGS
from relations.render import find_chromium

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_chromium() is None, reason="Debian's chromium is installed by .ci/run"),
]
ARTIFACTS = REPO / "test-artifacts"
TOKEN = "relations-test-token"
CHROMIUM_ARGS = [*CHROMIUM_FLAGS, "--disable-quic"]


def _screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=str(path), full_page=False)
    if os.environ.get("RELATIONS_SCREENSHOTS") == "docs":
        shutil.copy(path, REPO / "docs" / name)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def jupyterlab(tmp_path):
    """JupyterLab on 127.0.0.1 with a token, serving a temporary folder holding the explorer."""
    root = tmp_path / "lab"
    root.mkdir()
    shutil.copy(notebooks_dir() / "explore.ipynb", root / "explore.ipynb")
    port = _free_port()
    log = (tmp_path / "lab.log").open("w")
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
    }
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 90
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                break
            except OSError as exc:
                if time.time() > deadline or proc.poll() is not None:
                    raise RuntimeError(
                        f"JupyterLab did not start: {(tmp_path / 'lab.log').read_text()[-2000:]}"
                    ) from exc
                time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _run_every_cell(page, notebook: Path) -> None:
    """Run the cells from the top, as a user would, each only once the one before has finished.

    JupyterLab attaches the cells in batches, so first wait until all of ``notebook``'s cells
    are there. A code cell has finished when its prompt shows a new execution count (``[*]``
    while it is queued or running); a busy machine then only makes the test slower.
    """
    import nbformat
    from playwright.sync_api import expect

    kinds = [c.cell_type for c in nbformat.read(notebook, as_version=4).cells]
    cells = page.locator(".jp-NotebookPanel .jp-Cell")
    expect(cells).to_have_count(len(kinds), timeout=60_000)
    # a kernel still starting on a busy machine ignores Shift+Enter: wait until it is idle
    expect(page.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
        "data-status", "idle", timeout=120_000
    )
    for i, kind in enumerate(kinds):
        cell = cells.nth(i)
        prompt = cell.locator(".jp-InputArea-prompt").first
        before = prompt.inner_text()
        prompt.click()
        page.keyboard.press("Escape")  # command mode: Shift+Enter runs the selected cell
        expect(cell).to_have_class(re.compile(r"\bjp-mod-selected\b"), timeout=30_000)
        page.keyboard.press("Shift+Enter")
        if kind == "code":
            expect(prompt).not_to_have_text(before, timeout=30_000)
            expect(prompt).to_have_text(re.compile(r"\[\d+\]"), timeout=180_000)
    expect(page.locator(".jp-Notebook-ExecutionIndicator")).to_have_attribute(
        "data-status", "idle", timeout=90_000
    )


def test_explorer_updates_in_jupyterlab(jupyterlab, browser):
    import relations
    from relations.explore import filter_events

    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    try:
        page.goto(f"{jupyterlab}/lab/tree/explore.ipynb?token={TOKEN}")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        _run_every_cell(page, notebooks_dir() / "explore.ipynb")
        table_rows = page.locator("table.relations-explorer-table tbody tr")
        table_rows.first.wait_for(timeout=90_000)
        chart = page.locator(".relations-explorer-chart img").first
        chart.wait_for(timeout=60_000)
        news = page.get_by_role("button", name="No", exact=True)  # JupyterLab's news prompt
        if news.count():
            news.first.click()
        rows_before = table_rows.count()
        src_before = chart.get_attribute("src")
        events = relations.load("events")
        assert rows_before == min(150, len(events))
        _screenshot(page, "explore.png")
        search = page.locator(".relations-explorer-search input")
        search.fill("treaty")
        search.press("Enter")
        expected = len(filter_events(events, search="treaty"))
        page.wait_for_function(
            "n => document.querySelectorAll('table.relations-explorer-table tbody tr').length === n",
            arg=expected,
            timeout=60_000,
        )
        page.wait_for_function(
            "old => { const i = document.querySelector('.relations-explorer-chart img');"
            " return i && i.src !== old; }",
            arg=src_before,
            timeout=60_000,
        )
        assert table_rows.count() == expected < rows_before
        assert f"{expected}" in page.locator(".relations-explorer-count").inner_text()
        links = page.locator("table.relations-explorer-table a")
        assert links.count() > 0 and links.first.get_attribute("href").startswith("http")
        _screenshot(page, "explore-filtered.png")
    except Exception:
        _screenshot(page, "explore-failure.png")
        raise
    finally:
        page.close()


def _offline_page(browser, path: Path, name: str):
    """Open a local HTML file; record every request and refuse any that would leave the machine."""
    requests: list[str] = []
    page = browser.new_page(viewport={"width": 1200, "height": 1300})

    def route(r):
        requests.append(r.request.url)
        host = r.request.url.split("/")[2] if "://" in r.request.url else ""
        if r.request.url.startswith(("file:", "data:")) or host.split(":")[0] == "127.0.0.1":
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.goto(path.resolve().as_uri())
    page.wait_for_load_state("load")
    _screenshot(page, name)
    return page, requests


def test_briefing_renders_offline_with_images_and_links(tmp_path, browser):
    from relations.render import render_briefing

    params = {"start": "2024-01-01", "end": "2025-12-31", "length": "full"}
    res = render_briefing(params, output_dir=tmp_path)
    page, requests = _offline_page(browser, res.outputs["html"], "briefing-offline.png")
    try:
        leaving = [u for u in requests if not u.startswith(("file:", "data:"))]
        assert leaving == [], f"requests leave the machine: {leaving}"
        images = page.evaluate("Array.from(document.images).map(i => [i.complete, i.naturalWidth])")
        assert len(images) >= 9 and all(done and width > 0 for done, width in images)
        hrefs = page.evaluate("Array.from(document.links).map(a => a.href)")
        csv_links = [h for h in hrefs if h.startswith("data:")]
        assert csv_links and all(h.startswith("data:text/csv;") for h in csv_links)
        assert all(h.startswith(("http://", "https://", "file:", "data:text/csv;")) for h in hrefs)
        assert page.locator("h2", has_text="Sources and methods").count() == 1
    finally:
        page.close()


def test_teacher_handout_renders_offline(tmp_path, browser):
    from relations.handout import build_handout

    html = build_handout(2, audience="teacher", fmt="html", output_dir=tmp_path)
    page, requests = _offline_page(browser, html, "teaching.png")
    try:
        assert [u for u in requests if not u.startswith(("file:", "data:"))] == []
        import yaml

        lesson = yaml.safe_load(
            (notebooks_dir() / "teaching" / "02_is_it_an_alliance.yaml").read_text("utf-8")
        )
        checked = [e for e in lesson["exercises"].values() if e.get("kind") != "written"]
        assert page.locator(".relations-feedback-right").count() == len(checked)
        assert page.locator("img").count() >= 1
    finally:
        page.close()


def test_executed_briefing_reads_well_in_jupyterlab(jupyterlab, browser, tmp_path):
    """The executed .ipynb opened in JupyterLab (untrusted, so sanitized): headline figures stand
    apart, tables are left-aligned, status badges keep their colours, charts show."""
    from relations.render import render_briefing

    params = {"start": "2025-01-01", "end": "2025-12-31", "length": "full"}
    res = render_briefing(params, output_dir=tmp_path / "lab", formats=("ipynb",))
    name = res.outputs["ipynb"].name
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    try:
        page.goto(f"{jupyterlab}/lab/tree/{name}?token={TOKEN}")
        figures = page.locator(".jp-OutputArea .relations-figure")
        figures.first.wait_for(timeout=90_000)
        boxes = [figures.nth(i).bounding_box() for i in range(figures.count())]
        assert len(boxes) == 6
        first_row = [b for b in boxes if abs(b["y"] - boxes[0]["y"]) < 5]
        assert len(first_row) >= 2, "headline figures run together instead of standing apart"
        for left, right in itertools.pairwise(first_row):
            assert right["x"] >= left["x"] + left["width"], "headline figures overlap"
        align = page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea table.relations-table td'))"
            ".slice(0, 40).map(td => getComputedStyle(td).textAlign)"
        )
        assert align and set(align) <= {"left", "start"}, set(align)
        colours = page.evaluate(
            "() => Array.from(document.querySelectorAll('.jp-OutputArea .status'))"
            ".slice(0, 20).map(s => getComputedStyle(s).backgroundColor)"
        )
        assert colours and "rgba(0, 0, 0, 0)" not in colours, colours
        assert page.locator(".jp-OutputArea img").count() >= 6
        page.locator(".jp-OutputArea h2", has_text="Key judgements").first.scroll_into_view_if_needed()
        _screenshot(page, "briefing-lab.png")
    except Exception:
        _screenshot(page, "briefing-lab-failure.png")
        raise
    finally:
        page.close()
