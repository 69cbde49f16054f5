"""Check a briefing against its manifest: the files on disk first, then a fresh render.

1. every output the manifest records is hashed as it is on disk (a hand-edited HTML or
   a missing file is reported, before anything is rendered);
2. the recorded data folder, data tables, package, dependency and notebook versions are
   compared with today's;
3. the briefing is rendered again from the recorded folder and parameters, in every
   recorded format and on the recorded paper, and each new output is compared with the
   record. PDFs are byte-reproducible (the print time is fixed), and the hash of the
   HTML each PDF was printed from is recorded too, so a PDF that differs only because
   Chromium changed is told apart from one whose content changed.

>>> from relations.verify import manifest_for
>>> manifest_for("briefings/briefing_2024-01-01_2024-12-31.html").name
'briefing_2024-01-01_2024-12-31.manifest.json'
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .manifest import SUFFIX, ManifestError, read_manifest, recorded_outputs

__all__ = ["ManifestError", "Verification", "manifest_for", "verify_briefing"]

_SUFFIXES = (SUFFIX, ".failed.ipynb", ".html", ".ipynb", ".pdf")


def manifest_for(path: str | os.PathLike[str]) -> Path:
    """The manifest beside a briefing file (or the manifest itself)."""
    p = Path(path)
    name = p.name
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return p.with_name(f"{name}{SUFFIX}")


@dataclass
class Verification:
    """Outcome of :func:`verify_briefing`: identical, or the list of differences."""

    briefing: str
    differences: list[str] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def __str__(self) -> str:
        if self.identical:
            return f"identical: {self.briefing} re-renders byte for byte from its manifest"
        return f"different: {self.briefing}\n" + "\n".join(f"  {d}" for d in self.differences)


@contextlib.contextmanager
def _without_env(name: str) -> Iterator[None]:
    """Unset an environment variable for the block (the kernel inherits the environment)."""
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


def _check_disk(old: dict[str, Any], paths: dict[str, Path], asked: Path, out: list[str]) -> None:
    from .provenance import file_sha256

    names = {p.name for p in paths.values()} | {f"{old['briefing']}{SUFFIX}"}
    if asked.name not in names:
        out.append(f"not recorded in the manifest: {asked.name}")
    for kind, path in paths.items():
        if not path.is_file():
            out.append(f"file missing: {path.name} (recorded as the {kind} output)")
        elif file_sha256(path) != old["outputs"][kind]["sha256"]:
            out.append(f"file changed since it was written: {path.name}")


def _check_inputs(old: dict[str, Any], data_dir: Path | None, out: list[str]) -> None:
    from .params import briefing_notebook
    from .provenance import environment, file_sha256, table_hashes

    current = table_hashes(data_dir)
    for name in sorted(set(old["data"]) | set(current)):
        before, after = old["data"].get(name), current.get(name)
        if before != after:
            out.append(f"data changed: {name} (sha256 {str(before)[:12]} -> {str(after)[:12]})")
    env = environment()
    if env["relations_version"] != old["relations_version"]:
        out.append(f"package changed: relations {old['relations_version']} -> {env['relations_version']}")
    elif old.get("relations_code_sha256") not in (None, env["relations_code_sha256"]):
        was, now = str(old["relations_code_sha256"])[:12], env["relations_code_sha256"][:12]
        out.append(f"package code changed: relations {env['relations_version']} (code sha256 {was} -> {now})")
    for dep, ver in env["dependencies"].items():
        was = old["dependencies"].get(dep)
        if was != ver:
            out.append(f"dependency changed: {dep} {was} -> {ver}")
    if file_sha256(briefing_notebook()) != old["notebook_sha256"]:
        out.append("notebook changed: briefing.ipynb differs from the one recorded")


def _rerender(old: dict[str, Any], out: list[str]) -> None:
    from .errors import DataError, ParameterError
    from .pdf import chromium_version
    from .provenance import file_sha256
    from .render import BriefingFailed, render_briefing

    params = dict(old["parameters"])
    origin = old.get("data_dir_origin", "data_dir" if params.get("data_dir") else "bundled")
    if origin != "bundled" and not params.get("data_dir"):
        params["data_dir"] = old.get("data_dir") or ""
    recorded = old["outputs"]
    formats = tuple(recorded) or tuple(old.get("formats") or ("html",))
    paper = recorded.get("pdf", {}).get("paper") or old.get("paper") or "a4"
    with tempfile.TemporaryDirectory(prefix="relations-verify-") as tmp:
        env = _without_env("RELATIONS_DATA") if origin == "bundled" else contextlib.nullcontext()
        try:
            with env:
                fresh = render_briefing(params, output_dir=tmp, formats=formats, paper=paper)
        except (ParameterError, DataError, BriefingFailed) as exc:
            first = str(exc).splitlines()[0]
            out.append(f"re-render failed: {first}")
            return
        for kind, path_now in fresh.outputs.items():
            if kind not in recorded or recorded[kind]["sha256"] == file_sha256(path_now):
                continue
            if kind == "pdf":
                manifest = read_manifest(fresh.manifest) if fresh.manifest else {"outputs": {}}
                now = manifest["outputs"].get("pdf", {})
                if now.get("source_html_sha256") == recorded["pdf"].get("source_html_sha256"):
                    was, is_ = recorded["pdf"].get("chromium"), chromium_version()
                    out.append(
                        f"output changed: pdf bytes differ although the HTML it was printed from is "
                        f"identical (Chromium {was} -> {is_})"
                    )
                    continue
            out.append(f"output changed: a fresh render's {kind} differs from the recorded one")


def verify_briefing(path: str | os.PathLike[str]) -> Verification:
    """Compare a briefing's files, recorded inputs and outputs with the disk and a fresh render.

    Raises :class:`FileNotFoundError` when there is no manifest and :class:`ManifestError`
    (one line, naming the file) for an empty path or a manifest that is not valid JSON,
    misses keys, has values of the wrong type or names files outside its folder.

    >>> verify_briefing("")
    Traceback (most recent call last):
    relations.manifest.ManifestError: no briefing given: name its .html, .ipynb, .pdf or .manifest.json file
    """
    if not str(path).strip():
        raise ManifestError("no briefing given: name its .html, .ipynb, .pdf or .manifest.json file")
    if Path(path).is_dir():
        raise ManifestError(f"{path} is a folder: name a briefing's .html, .ipynb, .pdf or .manifest.json")
    mpath = manifest_for(path)
    if not mpath.is_file():
        raise FileNotFoundError(f"{mpath} not found: verify needs the manifest written beside the briefing")
    old = read_manifest(mpath)
    result = Verification(old["briefing"])
    _check_disk(old, recorded_outputs(old, mpath.parent), Path(path), result.differences)
    data_dir = Path(old["data_dir"]) if old.get("data_dir") else None
    if data_dir is not None and not (data_dir / "datapackage.json").is_file():
        result.differences.append(f"data folder missing: {data_dir} has no datapackage.json any more")
        return result
    _check_inputs(old, data_dir, result.differences)
    _rerender(old, result.differences)
    return result
