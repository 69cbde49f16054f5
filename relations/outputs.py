"""Where a briefing's files go: names, the output folder's checks, atomic writes.

>>> from relations.outputs import output_stem
>>> output_stem({"start": "2024-01-01", "end": "2024-12-31", "domains": ["arms", "energy"]})
'briefing_2024-01-01_2024-12-31_arms-energy'
>>> output_stem({"start": "2024-01-01", "end": "2024-12-31", "length": "full", "since": "2024-06-01"})
'briefing_2024-01-01_2024-12-31_full_since-2024-06-01'
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .pdf import check_paper, find_chromium

__all__ = [
    "FORMATS",
    "atomic_write",
    "check_formats",
    "check_output_dir",
    "output_stem",
    "prepare_output_dir",
]

FORMATS = ("html", "ipynb", "pdf")


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader (or a run killed half-way) sees the old file or the new one, never
    a half-written one; the old file is replaced, never written in place.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     atomic_write(Path(d) / "a.txt", "new").read_text()
    'new'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


_SAFE = re.compile(r"[^a-z0-9-]+")


def output_stem(parameters: Mapping[str, Any]) -> str:
    """File name (without suffix) derived from the parameters; only ``[a-z0-9_-]``."""
    parts = ["briefing", parameters.get("start") or "start", parameters.get("end") or "end"]
    doms = parameters.get("domains") or []
    if doms:
        parts.append("-".join(doms))
    if parameters.get("length") == "full":  # the executive length is the default and unmarked
        parts.append("full")
    if parameters.get("since"):
        parts.append(f"since-{parameters['since']}")
    stem = "_".join(_SAFE.sub("-", str(p).lower()).strip("-") for p in parts)
    return stem[:150] or "briefing"


def check_output_dir(output_dir: str | os.PathLike[str]) -> Path:
    """The output folder, or its nearest existing parent, must be a writable folder.

    Nothing is created: :class:`ParameterError` naming ``output_dir`` otherwise.
    """
    out = Path(output_dir)
    if out.exists() and not out.is_dir():
        raise ParameterError("output_dir", f"{out} is a file, not a folder")
    probe_in = out.absolute()
    while not probe_in.exists():
        probe_in = probe_in.parent
    if not probe_in.is_dir():
        raise ParameterError("output_dir", f"{out} cannot be created: {probe_in} is a file, not a folder")
    try:
        fd, probe = tempfile.mkstemp(prefix=".relations-probe-", dir=probe_in)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        where = out if probe_in == out.absolute() else probe_in
        raise ParameterError(
            "output_dir", f"{where} is not a writable folder ({exc.strerror or exc})"
        ) from None
    return out


def prepare_output_dir(out: Path, stem: str, formats: tuple[str, ...]) -> Path:
    """Create the output folder; no output of this briefing may be a folder."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ParameterError("output_dir", f"{out} cannot be created ({exc.strerror or exc})") from None
    for name in [*(f"{stem}.{f}" for f in formats), f"{stem}.manifest.json", f"{stem}.failed.ipynb"]:
        if (out / name).is_dir():
            raise ParameterError("output_dir", f"{out / name} is a folder, so the briefing cannot be written")
    return out


def check_formats(formats: tuple[str, ...], paper: str) -> tuple[tuple[str, ...], str]:
    """Known formats without repeats, and the paper; Chromium must be there for a PDF.

    >>> check_formats(("html", "html", "ipynb"), "A4")
    (('html', 'ipynb'), 'a4')
    """
    formats = tuple(dict.fromkeys(formats))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError("format", f"{bad[0] if bad else 'none'!r} (allowed: {', '.join(FORMATS)})")
    paper = check_paper(paper)
    if "pdf" in formats and find_chromium() is None:
        raise ParameterError("format", "pdf needs Chromium (apt install chromium) or $RELATIONS_CHROMIUM")
    return formats, paper
