"""Coverage is stated, empty windows read well, and the layout shows every column.

Library-level checks build the sections in-process; the grid test renders real briefings
through the batch engine and reads the executed notebooks and HTML.
"""

from __future__ import annotations

import warnings

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

import relations
from relations.briefing import Briefing, section_names
from relations.paths import data_dir

NEWEST = pd.read_csv(data_dir() / "events.csv", usecols=["date"])["date"].max()


def _text(block_html: str) -> str:
    return BeautifulSoup(block_html, "html.parser").get_text(" ", strip=True)


def test_every_briefing_opens_with_data_as_of():
    b = Briefing.from_parameters(start="2024-01-01", end="2024-12-31")
    text = _text(b.section("header").html())
    newest = pd.Timestamp(NEWEST).strftime("%d %b %Y")
    assert f"Data as of {newest}" in text
    assert relations.data_hash()[:12] in text
    assert "runs" in text and "past this briefing's end date" in text
    assert "Notice" not in text


def test_a_window_past_the_record_gets_a_notice_with_the_gap_in_days():
    end = pd.Timestamp(NEWEST) + pd.Timedelta(days=30)
    b = Briefing.from_parameters(start="2026-01-01", end=end.date().isoformat())
    text = _text(b.section("header").html())
    assert "the record stops 30 days before this briefing's end date" in text
    assert f"Notice: the record stops on {pd.Timestamp(NEWEST).strftime('%d %b %Y')}" in text


def test_an_empty_window_says_so_in_every_section_without_warnings():
    b = Briefing.from_parameters(start="2019-04-01", end="2019-04-30", domains=["space"], length="full")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        built = {name: b.section(name) for name in section_names()}
    for name in ("key_developments", "timeline", "activity", "contested", "frictions"):
        assert "Nothing in this window" in _text(built[name].html()), name
        assert not built[name].figures(), f"{name} drew a chart for an empty window"


@pytest.mark.slow
def test_too_few_events_for_shares_is_said_not_drawn():
    ev = relations.load("events")
    b = Briefing.from_parameters(start="2025-01-01", end="2025-01-31", domains=["diplomacy"], length="full")
    n = len(ev[ev["date"].between("2025-01-01", "2025-01-31") & (ev["domain"] == "diplomacy")])
    assert 0 < n < 10
    act = b.section("activity")
    assert len(act.figures()) == 1
    assert f"{n} events are too few for percentages" in _text(act.html())


def test_project_figures_are_written_as_people_write_them():
    b = Briefing.from_parameters(start="2014-01-01", end="2014-12-31", domains=["energy"], length="full")
    soup = BeautifulSoup(b.section("economy").html(), "html.parser")
    row = soup.select_one('tr[data-row="pj-oil-for-goods"]')
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert "70,000–500,000 bbl/day" in cells
    assert "e+0" not in soup.get_text()
    headers = [th.get_text() for th in soup.select("table.relations-projects th")]
    body = soup.select("table.relations-projects tbody tr")
    assert body and all(len(r.find_all("td")) == len(headers) for r in body)


def test_no_table_forces_its_first_column_onto_one_line_except_dates():
    from relations.exporter import TEMPLATES

    css = (TEMPLATES / "briefing" / "index.html.j2").read_text(encoding="utf-8")
    assert "table.relations-table td:first-child { white-space: nowrap" not in css
    assert "relations-projects td:first-child" not in css


@pytest.mark.slow
def test_contents_link_to_every_section_heading_shown():
    b = Briefing.from_parameters(start="2025-01-01", end="2025-12-31", length="full")
    links = [a["href"] for a in BeautifulSoup(b.section("header").html(), "html.parser").select("nav a")]
    ids = []
    for name in section_names()[1:]:
        ids += ["#" + h["id"] for h in BeautifulSoup(b.section(name).html(), "html.parser").select("h2[id]")]
    assert links == ids and len(links) == len(section_names()) - 2  # no since date: no "New in the record"


#: 2022Q1 to the quarter of the newest event (later quarters are refused: they start after it).
QUARTERS = pd.period_range("2022Q1", pd.Period(NEWEST, freq="Q"), freq="Q")


@pytest.mark.notebooks
@pytest.mark.slow
def test_quarterly_grid_renders_without_warnings_or_empty_axes(tmp_path):
    from relations.batch import run_batch

    spec = {
        "formats": ["html", "ipynb"],
        "defaults": {"length": "full"},  # every section, every chart
        "grid": {"periods": {"quarters": [str(QUARTERS[0]), str(QUARTERS[-1])]}, "domains": [[], ["space"]]},
    }
    jobs, _ = run_batch(spec, output_dir=tmp_path, jobs=2, progress=False)
    assert len(jobs) == 2 * len(QUARTERS)
    assert all(j.status == "done" for j in jobs), [j.error for j in jobs if j.status != "done"]
    install = str(data_dir().parent)
    for job in jobs:
        nb = nbformat.read(job.outputs["ipynb"], as_version=4)
        for cell in nb.cells:
            for out in cell.get("outputs", []):
                assert out.get("name") != "stderr", (job.outputs["ipynb"], out.get("text", "")[:200])
                assert out.get("output_type") != "error"
        with open(job.outputs["html"], encoding="utf-8") as fh:
            text = BeautifulSoup(fh.read(), "html.parser").get_text(" ")
        import re

        warning = re.search(r"\b[A-Z][a-z]+Warning\b|Traceback", text)  # UserWarning..., not "U.S. Warning"
        assert warning is None, (job.outputs["html"], warning and warning.group(0))
        for bad in ("1970", install, "site-packages"):
            assert bad not in text, (job.outputs["html"], bad)


def _csv_of(block_html: str):
    import base64
    import io

    a = BeautifulSoup(block_html, "html.parser").select_one("a[download]")
    text = base64.b64decode(a["href"].split(",", 1)[1]).decode("utf-8")
    return a["download"], pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.mark.slow
def test_every_chart_carries_the_rows_it_draws_as_csv():
    b = Briefing.from_parameters(
        start="2025-01-01", end="2025-12-31", domains=["arms", "military"], length="full"
    )
    ev = pd.read_csv(data_dir() / "events.csv", dtype=str, keep_default_na=False)
    in_window = ev[ev["date"].between("2025-01-01", "2025-12-31") & ev["domain"].isin(["arms", "military"])]
    charts = {c.name: c for n in section_names()[1:] for c in b.section(n).figures()}
    name, timeline = _csv_of(charts["timeline"].data.html)
    assert name == "timeline.csv" and sorted(timeline["event_id"]) == sorted(in_window["event_id"])
    _, activity = _csv_of(charts["activity"].data.html)
    assert activity["count"].astype(int).sum() == len(in_window)
    at = pd.read_csv(data_dir() / "arms_transfers.csv", dtype=str, keep_default_na=False)
    _, arms = _csv_of(charts["arms_transfers"].data.html)
    assert len(arms) == charts["arms_transfers"].rows > 0
    assert set(arms.columns) & {"supplier", "recipient", "direction"}
    assert len(at) >= len(arms)
    text = BeautifulSoup(charts["timeline"].data.html, "html.parser").get_text(" ", strip=True)
    assert "Data (CSV)" in text and "Source: relations evidence base, table events" in text
