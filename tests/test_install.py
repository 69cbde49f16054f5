"""The wheel carries data/ and notebooks/ and works from any directory in a new environment."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import REPO


@pytest.mark.slow
@pytest.mark.notebooks
def test_wheel_installs_into_a_fresh_venv_and_briefs_from_elsewhere(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
        check=True,
        capture_output=True,
    )
    wheel = next(dist.glob("relations-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    # A real install: the wheel and its dependencies from the package index (pip's
    # cache makes this quick after the first run).
    installed = subprocess.run(
        [str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True, text=True
    )
    assert installed.returncode == 0, installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("RELATIONS_DATA", "PYTHONPATH")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = subprocess.run(
        [
            str(py),
            "-c",
            "import relations, relations.paths as p; print(relations.__file__); print(p.data_dir())",
        ],
        cwd=elsewhere,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    module_file, data = where.stdout.split()
    assert module_file.startswith(str(venv)), "relations was imported from the checkout"
    assert data.startswith(str(venv)) and data.endswith("_bundled/data")
    out = subprocess.run(
        [
            str(venv / "bin" / "relations"),
            "brief",
            "--quiet",
            "--start",
            "2025-01-01",
            "--end",
            "2025-03-31",
            "--format",
            "html",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode == 0, out.stderr
    written = list((elsewhere / "briefings").glob("*.html"))
    assert [p.name for p in written] == ["briefing_2025-01-01_2025-03-31.html"]
    assert "Sources and methods" in written[0].read_text(encoding="utf-8")
    checked = subprocess.run(
        [str(venv / "bin" / "relations"), "check"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stderr
