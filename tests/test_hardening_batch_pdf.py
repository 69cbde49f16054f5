"""A batch spec asking for ``pdf`` when Chromium cannot be found is refused before any briefing
runs: one line naming the spec file, the ``formats`` entry and what is missing, exit code 2.

Chromium is looked up by :func:`relations.pdf.find_chromium`, ``$RELATIONS_CHROMIUM`` first
(a path that does not exist counts as no Chromium), then ``PATH``; the tests point both at
nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from relations.batch import SpecError, prepare_spec, run_batch

WINDOW = "{start: 2025-01-01, end: 2025-01-31}"


def _never(*args, **kwargs):
    raise AssertionError("no briefing may run when the spec is refused")


@pytest.fixture
def no_kernel(monkeypatch):
    monkeypatch.setattr("relations.render.execute_quietly", _never)
    monkeypatch.setattr("relations.batch_workers._run_one", _never)


@pytest.fixture
def no_chromium(tmp_path, monkeypatch) -> Path:
    missing = tmp_path / "no-such-chromium"
    monkeypatch.setenv("RELATIONS_CHROMIUM", str(missing))
    return missing


def _spec(tmp_path: Path, formats: str) -> Path:
    path = tmp_path / "quarterly.yaml"
    path.write_text(f"formats: {formats}\nbriefings:\n  - {WINDOW}\n", encoding="utf-8")
    return path


def test_pdf_without_chromium_is_refused_before_anything_runs(tmp_path, capsys, no_kernel, no_chromium):
    spec = _spec(tmp_path, "[html, pdf]")
    out = tmp_path / "out"
    code, stdout, err = run_cli(["batch", str(spec), "--output-dir", str(out), "--quiet"], capsys)
    assert code == 2, (stdout, err)
    assert stdout == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0] == (
        f"relations batch: {spec}: formats[1]: 'pdf' needs Chromium, which was not found "
        f"($RELATIONS_CHROMIUM names {no_chromium}, which does not exist)"
    )
    assert not out.exists(), "a refused spec writes nothing"


def test_pdf_without_chromium_on_path_says_how_to_get_it(tmp_path, monkeypatch, no_kernel):
    monkeypatch.delenv("RELATIONS_CHROMIUM", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with pytest.raises(SpecError) as info:
        run_batch({"formats": ["pdf"], "briefings": [{"start": "2025-01-01", "end": "2025-01-31"}]},
                  output_dir=tmp_path / "out", progress=False)  # fmt: skip
    assert str(info.value) == (
        "formats[0]: 'pdf' needs Chromium, which was not found (not on PATH; install it with "
        "'apt install chromium' or set $RELATIONS_CHROMIUM to its path)"
    )
    assert not (tmp_path / "out").exists()


def test_pdf_with_chromium_passes_the_spec_check(tmp_path, monkeypatch):
    fake = tmp_path / "chromium"
    fake.write_text("#!/bin/sh\n")
    monkeypatch.setenv("RELATIONS_CHROMIUM", str(fake))
    sets, formats = prepare_spec({"formats": ["html", "pdf"], "briefings": [{"start": "2025-01-01"}]})
    assert formats == ("html", "pdf") and len(sets) == 1


def test_other_spec_mistakes_name_the_spec_file_too(tmp_path, capsys, no_kernel):
    spec = _spec(tmp_path, "[html, docx]")
    code, stdout, err = run_cli(["batch", str(spec), "--output-dir", str(tmp_path / "out")], capsys)
    assert (code, stdout) == (2, "")
    assert err.strip() == f"relations batch: {spec}: formats: 'docx' (allowed: html, ipynb, pdf)"
