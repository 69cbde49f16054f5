"""Where the data package and the notebooks live.

One place resolves both, in this order:

1. an explicit ``data_dir=`` argument;
2. the ``RELATIONS_DATA`` environment variable;
3. the copy bundled in the installed wheel (``relations/_bundled/``);
4. the repository checkout (``data/`` and ``notebooks/`` beside ``relations/``).

>>> from relations.paths import data_dir
>>> (data_dir() / "datapackage.json").is_file()
True
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["ENV_VAR", "data_dir", "notebooks_dir"]

ENV_VAR = "RELATIONS_DATA"

_PACKAGE = Path(__file__).resolve().parent


def _bundled_or_checkout(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``datapackage.json`` and the CSV tables.

    Raises ``FileNotFoundError`` naming the folder when it has no ``datapackage.json``.
    """
    if data_dir is not None:
        path, origin = Path(data_dir), "data_dir argument"
    elif os.environ.get(ENV_VAR):
        path, origin = Path(os.environ[ENV_VAR]), f"environment variable {ENV_VAR}"
    else:
        path, origin = _bundled_or_checkout("data"), "bundled data"
    path = path.expanduser().resolve()
    if not (path / "datapackage.json").is_file():
        raise FileNotFoundError(
            f"{path} has no datapackage.json (from the {origin}); point data_dir= or "
            f"{ENV_VAR} at a folder holding relations' datapackage.json and CSV tables"
        )
    return path


def notebooks_dir() -> Path:
    """Return the folder holding the briefing notebooks."""
    return _bundled_or_checkout("notebooks")
