"""Provenance of a briefing: what went in (parameters, code, data) and what came out.

A manifest (JSON) is written beside every briefing. Times live only there, never in
the HTML or the executed notebook, so that the same inputs give byte-identical
outputs. ``SOURCE_DATE_EPOCH``, when set, replaces the clock in the manifest too.

>>> from relations.provenance import inputs_key
>>> m = {"parameters": {"start": "2024-01-01"}, "notebook_sha256": "n", "data": {"a.csv": "h"},
...      "relations_version": "0.1.0"}
>>> inputs_key(m) == inputs_key(dict(m))
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .schema import read_package

__all__ = [
    "DEPENDENCIES",
    "environment",
    "file_sha256",
    "git_commit",
    "inputs_key",
    "now",
    "table_hashes",
]

#: Packages whose versions can change a briefing; recorded in every manifest.
DEPENDENCIES = (
    "pandas",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbclient",
    "nbformat",
    "ipykernel",
    "jupyter_client",
    "frictionless",
    "numpy",
)


def file_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def table_hashes(data_dir: str | os.PathLike[str] | None = None) -> dict[str, str]:
    """SHA-256 of ``datapackage.json`` and of every table's CSV, by file name."""
    pkg = read_package(data_dir)
    names = ["datapackage.json", *(t.path for t in pkg.tables)]
    return {name: file_sha256(pkg.root / name) for name in names}


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def git_commit() -> str | None:
    """The commit of the checkout relations runs from, if it runs from a git checkout."""
    root = Path(__file__).resolve().parent.parent
    if not (root / ".git").exists():
        return None
    try:
        out = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def environment() -> dict[str, Any]:
    """relations, Python and dependency versions, and the git commit when available."""
    return {
        "relations_version": _version("relations"),
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "git_commit": git_commit(),
    }


def now() -> str:
    """UTC time as ISO 8601, or ``SOURCE_DATE_EPOCH`` when that is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        if epoch and epoch.isdigit()
        else dt.datetime.now(dt.UTC)
    )
    return moment.isoformat(timespec="seconds")


def inputs_key(manifest: dict[str, Any]) -> str:
    """Hash of what determines a briefing: parameters, notebook, data and package version."""
    basis = {
        k: manifest.get(k) for k in ("parameters", "notebook_sha256", "data", "relations_version", "formats")
    }
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
