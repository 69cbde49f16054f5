"""relations: a sourced evidence base, library and briefings on the Russia–Iran partnership.

>>> import relations
>>> relations.tables()[:2]
['sources', 'events']
>>> events = relations.load("events")
>>> relations.check().rows["events"] == len(events)
True

Plotting helpers live in :mod:`relations.plot` and briefing helpers in
:mod:`relations.briefing`; both are imported on first use, so ``import relations``
loads neither matplotlib nor papermill and changes no global state.
"""

from __future__ import annotations

# isort: off
from . import startup  # noqa: F401  # first: the command's early Ctrl-C handling (none for a library user)

# isort: on
import importlib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _version
from typing import Any

from .errors import DataError, ParameterError
from .loaders import TableDescription, data_hash, describe, load, recorded_since, tables
from .validation import CheckResult, check

try:
    __version__ = _version("relations")
except PackageNotFoundError:  # pragma: no cover - running from a bare checkout
    __version__ = "0.0.0+unknown"

__all__ = [
    "CheckResult",
    "DataError",
    "ParameterError",
    "TableDescription",
    "__version__",
    "briefing",
    "check",
    "data_hash",
    "describe",
    "load",
    "plot",
    "recorded_since",
    "tables",
]

_LAZY = {"plot", "briefing", "render", "params"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'relations' has no attribute {name!r}")
