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
import functools
import hashlib
import json
import os
import platform
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .schema import read_package

__all__ = [
    "DEPENDENCIES",
    "INPUTS",
    "environment",
    "file_sha256",
    "git_commit",
    "inputs_key",
    "now",
    "source_date_epoch",
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


#: The installed package's folder; its code, templates and text files make a briefing.
PACKAGE = Path(__file__).resolve().parent
_CODE_SUFFIXES = (".py", ".j2", ".yaml", ".json", ".css")


def code_files() -> list[Path]:
    """Every file of the package that shapes a briefing: modules, templates, sentence and
    section texts (sorted; caches and bundled data left out)."""
    return sorted(
        p
        for p in PACKAGE.rglob("*")
        if p.is_file()
        and p.suffix in _CODE_SUFFIXES
        and "__pycache__" not in p.parts
        and "_bundled" not in p.relative_to(PACKAGE).parts
    )


@functools.cache
def code_sha256() -> str:
    """SHA-256 over the package's code files (paths and bytes): edited code, not only a new
    version number, invalidates cached briefings and shows in ``verify``."""
    h = hashlib.sha256()
    for p in code_files():
        h.update(p.relative_to(PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.hexdigest()


def environment() -> dict[str, Any]:
    """relations, Python and dependency versions, the code's hash, and the git commit when available."""
    return {
        "relations_version": _version("relations"),
        "relations_code_sha256": code_sha256(),
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "git_commit": git_commit(),
    }


#: Largest ``SOURCE_DATE_EPOCH`` accepted: 9999-12-31T23:59:59Z.
MAX_EPOCH = 253402300799


def source_date_epoch() -> int | None:
    """``SOURCE_DATE_EPOCH`` as whole seconds, or None when it is unset or blank.

    Anything else than 0 to :data:`MAX_EPOCH` raises :class:`~relations.ParameterError`
    naming the variable, so a typo never silently falls back to the clock.

    >>> import os
    >>> os.environ["SOURCE_DATE_EPOCH"] = "1e9"
    >>> try:
    ...     source_date_epoch()
    ... except ValueError as exc:
    ...     print(exc.parameter)
    SOURCE_DATE_EPOCH
    >>> del os.environ["SOURCE_DATE_EPOCH"]
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    if not raw.isdigit() or int(raw) > MAX_EPOCH:
        raise ParameterError(
            "SOURCE_DATE_EPOCH",
            f"{raw[:40]!r} is not a time (allowed: whole seconds since 1970-01-01 UTC, 0 to {MAX_EPOCH})",
        )
    return int(raw)


def now() -> str:
    """UTC time as ISO 8601, or ``SOURCE_DATE_EPOCH`` when that is set."""
    epoch = source_date_epoch()
    moment = dt.datetime.fromtimestamp(epoch, dt.UTC) if epoch is not None else dt.datetime.now(dt.UTC)
    return moment.isoformat(timespec="seconds")


#: What determines a briefing's content (see :func:`inputs_key`).
INPUTS = (
    "parameters",
    "notebook_sha256",
    "data",
    "relations_version",
    "relations_code_sha256",
    "python",
    "dependencies",
)


def inputs_key(manifest: dict[str, Any]) -> str:
    """Hash of what determines a briefing's content: :data:`INPUTS`.

    The formats and the paper size are added on top by :func:`relations.manifest.cache_key`.
    """
    basis = {k: manifest.get(k) for k in INPUTS}
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()
