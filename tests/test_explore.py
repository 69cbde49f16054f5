"""The explorer's logic without a browser: filters, escaped tables with links, details, widgets."""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

import relations
from relations.explore import Explorer, event_detail_html, events_table_html, filter_events


@pytest.fixture(scope="module")
def data():
    return relations.load("events"), relations.load("sources"), relations.load("claims")


def test_filters_combine(data):
    events, _, _ = data
    part = filter_events(events, start="2024-01-01", end="2024-12-31", domains=["arms"], statuses=["denied"])
    assert len(part) > 0
    assert part["date"].between("2024-01-01", "2024-12-31").all()
    assert set(part["domain"].astype(str)) == {"arms"} and set(part["status"].astype(str)) == {"denied"}
    usa = filter_events(events, actors=["USA"])
    assert all("USA" in a for a in usa["actors"])
    treaty = filter_events(events, search="TREATY")
    assert len(treaty) == events["title"].str.lower().str.contains("treaty").sum()
    assert filter_events(events).equals(events)


def test_table_links_every_source_and_escapes_text(data):
    events, sources, _ = data
    part = events.head(5).copy()
    part.loc[part.index[0], "title"] = "<script>alert(1)</script>"
    soup = BeautifulSoup(events_table_html(part, sources), "html.parser")
    rows = soup.select("tbody tr")
    assert len(rows) == 5
    assert not soup.find("script")
    assert soup.find(string="<script>alert(1)</script>")
    assert len(soup.select("a")) == sum(len(ids) for ids in part["source_ids"])


def test_detail_shows_sources_and_the_linked_claim(data):
    events, sources, claims = data
    linked = events.dropna(subset=["claim_id"]).iloc[0]
    soup = BeautifulSoup(event_detail_html(linked["event_id"], events, sources, claims), "html.parser")
    assert soup.h4.get_text() == linked["title"]
    assert len(soup.select("ul li a")) == len(linked["source_ids"])
    statement = claims.set_index("claim_id").loc[linked["claim_id"], "statement"]
    assert statement in soup.select_one(".relations-explorer-claim").get_text()


@pytest.mark.slow
def test_widgets_update_when_a_control_changes(capsys):
    ex = Explorer()
    before_rows = BeautifulSoup(ex.table.value, "html.parser").select("tbody tr")
    assert f"of {len(ex.events)} events" in ex.count.value
    ex.search.value = "treaty"
    expected = filter_events(ex.events, search="treaty")
    rows = BeautifulSoup(ex.table.value, "html.parser").select("tbody tr")
    assert len(rows) == len(expected) < len(before_rows)
    assert ex.count.value.startswith(f"<b>{len(expected)}</b>")
    assert len(ex.pick.options) == len(expected)
    ex.pick.value = expected.iloc[0]["event_id"]
    assert expected.iloc[0]["title"] in ex.detail.value
    ex.dates.value = (pd.Timestamp("2025-01-01"), pd.Timestamp("2025-12-01"))
    assert ex.filtered()["date"].between("2025-01-01", "2025-12-31").all()
    capsys.readouterr()


@pytest.mark.notebooks
def test_explorer_notebook_executes_headless(tmp_path):
    import papermill as pm

    from relations.paths import notebooks_dir

    nb = pm.execute_notebook(
        str(notebooks_dir() / "explore.ipynb"),
        str(tmp_path / "explore.ipynb"),
        parameters={"start": "2024-01-01"},
        progress_bar=False,
        cwd=str(tmp_path),
        execution_timeout=120,  # a hung kernel fails the test instead of the whole suite
    )
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_event_detail_labels_the_parties_status_apart_from_our_assessment():
    import relations
    from relations.explore import event_detail_html

    ev, src, cl = relations.load("events"), relations.load("sources"), relations.load("claims")
    assessed = cl[cl["likelihood"].notna()]
    linked = ev[ev["claim_id"].isin(set(assessed["claim_id"]))]
    assert len(linked)
    r = linked.iloc[0]
    c = assessed.set_index("claim_id").loc[r["claim_id"]]
    html = event_detail_html(r["event_id"], ev, src, cl)
    assert f"parties: {c['status']}" in html
    assert f"our assessment: {c['likelihood']}" in html
