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

__all__ = ["ENV_VAR", "DataFolderError", "data_dir", "notebooks_dir"]

ENV_VAR = "RELATIONS_DATA"

_PACKAGE = Path(__file__).resolve().parent


class DataFolderError(FileNotFoundError):
    """The data folder does not exist, is not a folder, or has no ``datapackage.json``.

    The message names the folder and where its name came from.
    """


def _bundled_or_checkout(name: str) -> Path:
    bundled = _PACKAGE / "_bundled" / name
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent / name


def data_dir(data_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``datapackage.json`` and the CSV tables.

    Raises :class:`DataFolderError` (a ``FileNotFoundError``) naming the folder when it
    does not exist, is not a folder, or has no ``datapackage.json``.

    >>> data_dir("/no/such/folder")
    Traceback (most recent call last):
    ...
    relations.paths.DataFolderError: /no/such/folder does not exist (from the data_dir argument); ...
    """
    if data_dir is not None:
        path, origin = Path(data_dir), "data_dir argument"
    elif os.environ.get(ENV_VAR):
        path, origin = Path(os.environ[ENV_VAR]), f"environment variable {ENV_VAR}"
    else:
        path, origin = _bundled_or_checkout("data"), "bundled data"
    path = path.expanduser().resolve()
    if not path.exists():
        problem = "does not exist"
    elif not path.is_dir():
        problem = "is not a folder"
    elif not (path / "datapackage.json").is_file():
        problem = "has no datapackage.json"
    else:
        return path
    raise DataFolderError(
        f"{path} {problem} (from the {origin}); point data_dir= or "
        f"{ENV_VAR} at a folder holding relations' datapackage.json and CSV tables"
    )


def notebooks_dir() -> Path:
    """Return the folder holding the briefing notebooks."""
    return _bundled_or_checkout("notebooks")
