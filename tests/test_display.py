"""Every chart displays in a notebook session: each plot helper call, in any order, and a
plain ``plt.subplots()`` after them, gives exactly one image; lessons show every chart.

(The house style once restored matplotlib's ``interactive`` setting, which IPython's inline
backend switches on when the first figure is drawn; every later figure then went unshown.)
"""

from __future__ import annotations

import nbformat
import pytest

from relations.handout import build_handout, lessons

#: One call per drawing helper of relations.plot, with the data it needs.
CALLS = {
    "timeline": "relations.plot.timeline(ev)",
    "activity": "relations.plot.activity(ev)",
    "status_breakdown": "relations.plot.status_breakdown(ev)",
    "cooperation_index": "relations.plot.cooperation_index(ev)",
    "contacts": "relations.plot.contacts(ev)",
    "claims_board": (
        "relations.plot.claims_board(relations.load('claims'), relations.load('claim_positions'))"
    ),
    "arms_transfers": "relations.plot.arms_transfers(relations.load('arms_transfers'))",
    "arms_quantities": "relations.plot.arms_quantities(relations.load('arms_transfers'))",
    "trade": "relations.plot.trade(relations.load('trade'))",
    "treaty_matrix": "relations.plot.treaty_matrix(relations.load('agreement_provisions'))",
}


def _images(cell) -> int:
    return sum("image/png" in o.get("data", {}) for o in cell.get("outputs", []))


def _run(tmp_path, cells: list[str], name: str):
    from relations.render import execute_quietly

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    path = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, path)
    return execute_quietly(path, tmp_path / f"{name}.out.ipynb", timeout=120)


def test_every_plot_helper_is_in_the_display_test():
    import relations.plot as plot

    drawing = {
        n
        for n in plot.__all__
        if callable(getattr(plot, n))
        and not n.endswith("_data")
        and n not in {"house_style", "source_note", "contact_events", "monthly_index", "has_data"}
    }
    assert drawing <= set(CALLS), f"add a call for {sorted(drawing - set(CALLS))}"


@pytest.mark.notebooks
@pytest.mark.parametrize("magic", ["", "%matplotlib inline\n"], ids=["default", "inline-magic"])
@pytest.mark.parametrize("order", ["forward", "reverse"])
def test_each_helper_call_shows_one_image(tmp_path, magic, order):
    names = list(CALLS) if order == "forward" else list(reversed(CALLS))
    cells = [magic + "import relations\nimport matplotlib.pyplot as plt\nev = relations.load('events')"]
    cells += [f"ax = {CALLS[n]}" for n in names]
    cells.append("fig, ax = plt.subplots()\nax.plot([1, 2])")
    out = _run(tmp_path, cells, f"display-{order}")
    counts = {name: _images(cell) for name, cell in zip([*names, "plt.subplots"], out.cells[1:], strict=True)}
    assert counts == dict.fromkeys(counts, 1), counts
    assert _images(out.cells[0]) == 0


@pytest.mark.notebooks
def test_house_style_does_not_leak_into_the_session(tmp_path):
    cells = [
        "import matplotlib as mpl\n"
        "before = {k: v for k, v in mpl.rcParams.items() if k not in ('backend', 'interactive')}",
        "import relations\nax = relations.plot.activity(relations.load('events'))",
        "after = {k: v for k, v in mpl.rcParams.items() if k not in ('backend', 'interactive')}\n"
        "changed = sorted(k for k in before if str(before[k]) != str(after[k]))\nprint(changed)",
    ]
    out = _run(tmp_path, cells, "leak")
    text = "".join(o.get("text", "") for o in out.cells[2].outputs)
    assert text.strip() == "[]"


@pytest.mark.notebooks
@pytest.mark.parametrize("lesson", lessons(), ids=[p.stem for p in lessons()])
def test_teacher_copy_shows_every_chart_it_draws(tmp_path, lesson):
    path = build_handout(lesson.name, audience="teacher", fmt="ipynb", output_dir=tmp_path)
    nb = nbformat.read(path, as_version=4)
    charts = [c for c in nb.cells if c.cell_type == "code" and "relations.plot." in c.source]
    missing = [c.source.splitlines()[-1] for c in charts if _images(c) != 1]
    assert not missing, f"no image for: {missing}"
