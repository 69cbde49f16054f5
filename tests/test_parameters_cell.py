"""The injected parameters cell reads as Python a person would write: no ``\\u2013`` escapes."""

from __future__ import annotations

import nbformat
import pytest

from relations.render import execute_quietly


@pytest.mark.notebooks
def test_injected_parameters_keep_their_characters(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    params = nbformat.v4.new_code_cell('title = ""\nnote = ""')
    params.metadata["tags"] = ["parameters"]
    nb.cells = [params, nbformat.v4.new_code_cell("print(repr(title)); print(repr(note))")]
    src = tmp_path / "p.ipynb"
    nbformat.write(nb, src)
    title = "The Russia–Iran partnership: «Москва» и «تهران»"
    hostile = 'a "quoted" \\ back\nslash\x1b[31m'
    out = execute_quietly(src, tmp_path / "o.ipynb", parameters={"title": title, "note": hostile})
    injected = next(c for c in out.cells if "injected-parameters" in c.metadata.get("tags", []))
    assert title in injected.source and "\\u" not in injected.source
    printed = "".join(o.get("text", "") for o in out.cells[-1].outputs)
    assert printed.splitlines() == [repr(title), repr(hostile)]


def test_the_python_translator_is_restored_after_a_run():
    from papermill.translators import papermill_translators

    from relations.execution import readable_parameters

    before = papermill_translators.find_translator("python3", "python")
    with readable_parameters():
        assert papermill_translators.find_translator("python3", "python") is not before
    assert papermill_translators.find_translator("python3", "python") is before
