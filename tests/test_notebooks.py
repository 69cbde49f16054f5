"""Notebooks: committed clean with a parameters cell; the briefing executes through papermill
with a real kernel, and its HTML has every section, no code, no errors and embedded images."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup

import relations
from relations.params import briefing_notebook, declared_parameters
from relations.paths import notebooks_dir
from relations.render import BriefingFailed, render_briefing

NOTEBOOKS = sorted(notebooks_dir().rglob("*.ipynb"))
SECTIONS = [
    "Bottom line up front",
    "What changed",
    "Key judgements",
    "Indicators and warnings",
    "Headline numbers",
    "Key developments",
    "Timeline",
    "Activity",
    "Temperature of the relationship",
    "Contested claims",
    "Agreements in the period",
    "The treaty and how it compares",
    "Military and technical cooperation",
    "Economy: trade, energy, transport, finance",
    "Claims board",
    "Who is who",
    "Frictions",
    "Evidence behind the sentences above",
    "Sources and methods",
    "Appendix: reproducibility",
]
EXECUTIVE = [*SECTIONS[:4], "Key developments", "Timeline", "Activity", "Temperature of the relationship"]
EXECUTIVE += ["Evidence behind the sentences above", "Sources and methods"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_committed_clean(path: Path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [], f"cell {i} has outputs"
            assert cell["execution_count"] is None, f"cell {i} has an execution count"
    tagged = [c for c in nb["cells"] if "parameters" in c["metadata"].get("tags", [])]
    if "teaching" not in path.parts:  # lessons take no parameters
        assert len(tagged) == 1, "exactly one cell must be tagged 'parameters'"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_is_thin(path: Path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tree = ast.parse(cell.source)
        assert not any(isinstance(n, ast.FunctionDef | ast.ClassDef) for n in ast.walk(tree))
        assert "read_csv" not in cell.source, "no CSV reading in notebooks; call relations.load"
        paths = [
            n.value
            for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and "/" in n.value
        ]
        assert not paths, f"no file paths in notebooks: {paths}"


def test_parameter_reader_agrees_with_papermill():
    import papermill as pm

    ours = declared_parameters()
    theirs = pm.inspect_notebook(str(briefing_notebook()))
    assert list(ours) == list(theirs)
    for name, d in ours.items():
        assert d.type == theirs[name]["inferred_type_name"]
        assert d.help == theirs[name]["help"]
        assert repr(d.default) == theirs[name]["default"].replace('"', "'")


def test_every_parameter_is_declared_with_type_and_help():
    nb = nbformat.read(briefing_notebook(), as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    assigned = [n.target.id for n in ast.parse(cell.source).body if isinstance(n, ast.AnnAssign)]
    declared = declared_parameters()
    assert list(declared) == assigned == ["start", "end", "domains", "title", "data_dir", "length", "since"]
    for d in declared.values():
        assert d.type in {"str", "list"} and d.help


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _assert_clean_briefing(
    soup: BeautifulSoup, images: int = 10, charts=("Timeline", "Activity", "Claims board"), sections=SECTIONS
):
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.find_all("h2")]
    assert headings == sections
    assert not soup.select(".jp-CodeCell .jp-InputArea"), "code input leaked into the HTML"
    text = soup.get_text()
    assert "Briefing.from_parameters" not in text and "import relations" not in text
    assert "Traceback" not in text
    assert not soup.select('[data-mime-type="application/vnd.jupyter.stderr"]')
    assert not soup.select(".jp-OutputArea-output.jp-RenderedText[data-mime-type*=error]")
    found = soup.find_all("img")
    assert len(found) == images
    assert all(img["src"].startswith("data:image/png;base64,") for img in found)
    # every chart is described by the heading of its section, not nbconvert's placeholder
    alts = {img.get("alt", "") for img in found}
    assert {f"Chart: {h}" for h in charts} <= alts
    assert all(a.startswith("Chart: ") and a[7:] in headings for a in alts), alts
    assert not [s for s in soup.find_all("script") if s.get("src")], "external script in HTML"
    assert not [lk for lk in soup.find_all("link") if lk.get("href", "").startswith("http")]


@pytest.fixture(scope="module")
def default_briefing(tmp_path_factory):
    """The whole record at full length (every section)."""
    out = tmp_path_factory.mktemp("default")
    return render_briefing({"length": "full"}, output_dir=out)


@pytest.mark.notebooks
def test_default_briefing_has_every_section(default_briefing):
    html = default_briefing.outputs["html"]
    soup = _soup(html)
    _assert_clean_briefing(soup)
    events = relations.load("events")
    first, last = events["date"].min(), events["date"].max()
    assert default_briefing.parameters["start"] == first.date().isoformat()
    assert default_briefing.parameters["end"] == last.date().isoformat()
    headline = soup.select_one(".relations-headline").get_text(" ")
    assert f"{len(events)} events in the record" in headline
    assert relations.data_hash() in soup.get_text()
    assert relations.__version__ in soup.select_one(".relations-params").get_text()
    links = soup.select("table.relations-developments a")
    assert links and all(a["href"].startswith(("http://", "https://")) for a in links)


@pytest.mark.notebooks
def test_default_briefing_writes_the_executed_notebook(default_briefing):
    nb = nbformat.read(default_briefing.outputs["ipynb"], as_version=4)
    assert nb.metadata["relations"]["data_sha256"] == relations.data_hash()
    assert "papermill" not in nb.metadata
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert injected and injected[0].id == "injected-parameters"
    pngs = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs if "image/png" in o.get("data", {})
    ]
    assert len(pngs) == 10


@pytest.mark.notebooks
def test_narrow_window_briefing(tmp_path):
    result = render_briefing(
        {
            "start": "2025-01-01",
            "end": "2025-06-30",
            "domains": ["legal", "diplomacy"],
            "title": "First half of 2025",
            "length": "full",
        },
        output_dir=tmp_path,
    )
    assert result.outputs["html"].name == "briefing_2025-01-01_2025-06-30_diplomacy-legal_full.html"
    soup = _soup(result.outputs["html"])
    # timeline, activity, status shares, cooperation index, contacts and the treaty matrix;
    # arms, trade and the claims board are left out (their domains are not picked)
    _assert_clean_briefing(soup, images=6, charts=("Timeline", "Activity", "The treaty and how it compares"))
    assert soup.select_one("h1.relations-title").get_text() == "First half of 2025"
    events = relations.load("events")
    expected = events[
        events["date"].between("2025-01-01", "2025-06-30") & events["domain"].isin(["legal", "diplomacy"])
    ]
    headline = soup.select_one(".relations-headline").get_text(" ")
    assert f"{len(expected)} events in the record" in headline
    for row in soup.select("table.relations-developments tbody tr"):
        cells = row.find_all("td")
        assert cells[2].get_text() in {"legal", "diplomacy"}
        date = pd.Timestamp(cells[0].get_text())
        assert pd.Timestamp("2025-01-01") <= date <= pd.Timestamp("2025-06-30")


@pytest.mark.notebooks
def test_failing_notebook_names_the_cell_and_keeps_the_partial(tmp_path):
    nb = nbformat.read(briefing_notebook(), as_version=4)
    nb.cells.insert(3, nbformat.v4.new_code_cell("raise RuntimeError('planted failure')"))
    broken = tmp_path / "broken.ipynb"
    nbformat.write(nb, broken)
    out = tmp_path / "out"
    out.mkdir()
    previous = out / "briefing_2025-01-01_2025-01-31.html"
    previous.write_text("previous briefing")
    with pytest.raises(BriefingFailed) as info:
        render_briefing({"start": "2025-01-01", "end": "2025-01-31"}, output_dir=out, notebook=broken)
    assert "planted failure" in str(info.value)
    partial = info.value.partial
    assert partial == out / "briefing_2025-01-01_2025-01-31.failed.ipynb" and partial.exists()
    executed = nbformat.read(partial, as_version=4)
    assert any(
        o.get("ename") == "RuntimeError" for c in executed.cells if c.cell_type == "code" for o in c.outputs
    )
    assert info.value.cell is not None
    assert "raise RuntimeError" in executed.cells[info.value.cell].source
    assert previous.read_text() == "previous briefing", "an earlier briefing was lost"


@pytest.mark.notebooks
def test_same_inputs_give_byte_identical_outputs(tmp_path):
    import hashlib

    params = {"start": "2024-01-01", "end": "2024-06-30"}
    first = render_briefing(params, output_dir=tmp_path / "a")
    second = render_briefing(params, output_dir=tmp_path / "b")
    for kind in ("html", "ipynb"):
        a, b = (hashlib.sha256(r.outputs[kind].read_bytes()).hexdigest() for r in (first, second))
        assert a == b, f"{kind} differs between two renders"


@pytest.mark.notebooks
def test_evidence_sections_show_the_data(default_briefing):
    soup = _soup(default_briefing.outputs["html"])
    treaties = soup.select("table.relations-treaties tbody tr")
    assert len(treaties) == 3
    row_2025 = next(r for r in treaties if "Russia–Iran 2025" in r.get_text())
    cells = [td.get_text(" ", strip=True) for td in row_2025.find_all("td")]
    assert cells[1].startswith("17 Jan 2025, Moscow") and cells[3] == "47" and cells[4] == "20"
    assert cells[5] == "no"
    claims = relations.load("claims")
    assert len(soup.select("table.relations-claimsboard tbody tr")) == len(claims)
    positions = relations.load("claim_positions")
    assert len(soup.select("table.relations-claimsboard li")) == len(positions)
    arms = relations.load("arms_transfers")
    assert len(soup.select("table.relations-arms tbody tr")) == len(arms)
    trade_rows = soup.select("table.relations-trade tbody tr")
    assert trade_rows and any("preferred" in r.get_text() for r in trade_rows)
    frictions = relations.load("events")["friction"].sum()
    assert len(soup.select("table.relations-frictions tbody tr")) == frictions
    assert soup.select("table.relations-people tbody tr")


@pytest.mark.notebooks
def test_the_default_briefing_is_executive_and_fits_six_a4_pages(tmp_path):
    from pypdf import PdfReader

    res = render_briefing({}, output_dir=tmp_path, formats=("html", "pdf"))
    soup = _soup(res.outputs["html"])
    _assert_clean_briefing(
        soup, images=3, charts=("Timeline", "Activity", "Temperature of the relationship"), sections=EXECUTIVE
    )
    text = soup.get_text(" ", strip=True)
    assert "Executive briefing" in text and "Data as of" in text
    pages = PdfReader(res.outputs["pdf"]).pages
    assert len(pages) <= 6
    assert round(float(pages[0].mediabox.width)) == 595 and round(float(pages[0].mediabox.height)) == 842
