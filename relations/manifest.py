"""The manifest beside every briefing: reading it safely, the render cache, merging outputs.

A manifest (``<name>.manifest.json``) records what went into a briefing and the hash of
every output file of that briefing that exists. Output names are never taken on trust:
the only file a manifest may name for the kind ``html`` is ``<name>.html`` in the same
folder, so a manifest naming ``../../etc/hostname`` is rejected, not hashed.

>>> from relations.manifest import ManifestError, output_name, validate_manifest
>>> output_name("briefing_2025", "pdf")
'briefing_2025.pdf'
>>> try:
...     validate_manifest({"briefing": "b"}, "b.manifest.json")
... except ManifestError as exc:
...     print(exc)
b.manifest.json: missing key 'parameters' (the manifest is incomplete)
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

__all__ = [
    "SUFFIX",
    "ManifestError",
    "cache_key",
    "cached_outputs",
    "merge_outputs",
    "output_name",
    "read_manifest",
    "recorded_outputs",
    "validate_manifest",
]

SUFFIX = ".manifest.json"
KINDS = ("html", "ipynb", "pdf")
_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")

#: Keys every manifest has, with the type of their value.
_REQUIRED: dict[str, type | tuple[type, ...]] = {
    "briefing": str,
    "parameters": dict,
    "notebook_sha256": str,
    "data": dict,
    "relations_version": str,
    "dependencies": dict,
    "outputs": dict,
}
_OPTIONAL: dict[str, type | tuple[type, ...]] = {
    "formats": list,
    "data_dir": (str, type(None)),
    "data_dir_origin": str,
    "inputs_key": str,
    "cache_key": str,
}


class ManifestError(ValueError):
    """A manifest that cannot be read or trusted; the message names the file and the problem."""


def output_name(stem: str, kind: str) -> str:
    """The one file name a briefing's output of ``kind`` may have."""
    return f"{stem}.{kind}"


def validate_manifest(m: Any, where: str | os.PathLike[str]) -> dict[str, Any]:
    """Check the keys and types of a parsed manifest; return it or raise :class:`ManifestError`."""
    if not isinstance(m, dict):
        raise ManifestError(f"{where}: expected a JSON object, got {type(m).__name__}")
    for key, want in {**_REQUIRED, **_OPTIONAL}.items():
        if key not in m:
            if key in _REQUIRED:
                raise ManifestError(f"{where}: missing key {key!r} (the manifest is incomplete)")
            continue
        if not isinstance(m[key], want):
            raise ManifestError(f"{where}: {key!r} has the wrong type ({type(m[key]).__name__})")
    if not _STEM.fullmatch(m["briefing"]):
        raise ManifestError(f"{where}: 'briefing' must be a plain file name, not {m['briefing']!r}")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in m["data"].items()):
        raise ManifestError(f"{where}: 'data' must map file names to SHA-256 strings")
    for kind, info in m["outputs"].items():
        if kind not in KINDS:
            raise ManifestError(f"{where}: unknown output kind {kind!r} (allowed: {', '.join(KINDS)})")
        if not (isinstance(info, dict) and isinstance(info.get("file"), str)):
            raise ManifestError(f"{where}: outputs.{kind} needs a 'file' name")
        if not isinstance(info.get("sha256"), str):
            raise ManifestError(f"{where}: outputs.{kind} needs a 'sha256' string")
        if info["file"] != output_name(m["briefing"], kind):
            raise ManifestError(
                f"{where}: outputs.{kind} names {info['file']!r}; only "
                f"{output_name(m['briefing'], kind)!r} beside the manifest is allowed"
            )
    return m


def read_manifest(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read and check a manifest; :class:`ManifestError` (one line) if it is not a sound one."""
    path = Path(path)
    try:
        m = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise ManifestError(f"{path}: not UTF-8 text, so not a manifest") from None
    except ValueError as exc:
        raise ManifestError(f"{path}: not valid JSON ({exc})") from None
    except OSError as exc:
        raise ManifestError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    m = validate_manifest(m, path)
    if path.name != m["briefing"] + SUFFIX:
        raise ManifestError(f"{path}: records the briefing {m['briefing']!r}, not this file's")
    return m


def recorded_outputs(manifest: dict[str, Any], out_dir: str | os.PathLike[str]) -> dict[str, Path]:
    """Paths of the outputs a (validated) manifest records, all inside ``out_dir``."""
    return {kind: Path(out_dir) / output_name(manifest["briefing"], kind) for kind in manifest["outputs"]}


def cache_key(manifest: dict[str, Any]) -> str:
    """Hash of everything that changes a render: the inputs plus the formats and, for PDF, paper.

    >>> m = {"inputs_key": "k", "formats": ["html"], "paper": "a4", "chromium": "C 1"}
    >>> cache_key(m) == cache_key({**m, "paper": "letter"})  # no pdf: paper changes nothing
    True
    >>> cache_key({**m, "formats": ["pdf"]}) == cache_key({**m, "formats": ["pdf"], "paper": "letter"})
    False
    """
    formats = sorted(manifest.get("formats") or [])
    basis: dict[str, Any] = {"inputs_key": manifest.get("inputs_key"), "formats": formats}
    if "pdf" in formats:
        basis["paper"], basis["chromium"] = manifest.get("paper"), manifest.get("chromium")
    return hashlib.sha256(json.dumps(basis, sort_keys=True).encode()).hexdigest()


def _previous(manifest_path: Path) -> dict[str, Any] | None:
    if not manifest_path.is_file():
        return None
    try:
        return read_manifest(manifest_path)
    except ManifestError:
        return None  # a broken manifest is replaced, never trusted


def _intact(path: Path, sha256: str) -> bool:
    from .provenance import file_sha256

    return path.is_file() and file_sha256(path) == sha256


def cached_outputs(manifest_path: Path, new: dict[str, Any]) -> dict[str, Path] | None:
    """Outputs of an earlier render with the same cache key, if every one is still intact on disk."""
    old = _previous(manifest_path)
    if old is None or old.get("cache_key") != new["cache_key"]:
        return None
    paths = recorded_outputs(old, manifest_path.parent)
    if any(kind not in paths for kind in new["formats"]):
        return None
    out = {kind: paths[kind] for kind in new["formats"]}
    if not all(_intact(p, old["outputs"][k]["sha256"]) for k, p in out.items()):
        return None
    return out


def merge_outputs(
    manifest_path: Path, new: dict[str, Any], written: dict[str, dict[str, Any]]
) -> tuple[dict[str, dict[str, Any]], list[Path], list[Path]]:
    """The outputs the new manifest records, and the files of other formats left over.

    Same inputs as the previous manifest: its outputs of the formats not rendered now are
    kept in the record (as recorded, so a hand-edited one still shows in ``verify``).
    Other inputs: those outputs are stale. Returns ``(outputs, remove, flagged)``:
    stale files still as written are to be removed; stale files edited since are left
    alone, out of the record, and reported.
    """
    old = _previous(manifest_path)
    if old is None:
        return dict(written), [], []
    others = {k: v for k, v in old["outputs"].items() if k not in written}
    if old.get("inputs_key") == new["inputs_key"]:
        return {**others, **written}, [], []
    remove, flagged = [], []
    for kind, info in others.items():
        path = manifest_path.parent / output_name(old["briefing"], kind)
        if _intact(path, info["sha256"]):
            remove.append(path)
        elif path.exists():
            flagged.append(path)
    return dict(written), remove, flagged
