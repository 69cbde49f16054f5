"""Re-render a briefing from its manifest and say whether anything changed, and what.

>>> from relations.verify import manifest_for
>>> manifest_for("briefings/briefing_2024-01-01_2024-12-31.html").name
'briefing_2024-01-01_2024-12-31.manifest.json'
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Verification", "manifest_for", "verify_briefing"]

_SUFFIXES = (".manifest.json", ".html", ".ipynb", ".pdf")


def manifest_for(path: str | os.PathLike[str]) -> Path:
    """The manifest beside a briefing file (or the manifest itself)."""
    p = Path(path)
    name = p.name
    for suffix in _SUFFIXES:
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return p.with_name(f"{name}.manifest.json")


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


def verify_briefing(path: str | os.PathLike[str]) -> Verification:
    """Compare a briefing's recorded inputs and outputs with a fresh render.

    Reports data tables whose hash changed, package, dependency or notebook
    changes, and outputs that no longer hash the same.
    """
    from .params import briefing_notebook
    from .provenance import environment, file_sha256, table_hashes
    from .render import render_briefing

    mpath = manifest_for(path)
    if not mpath.exists():
        raise FileNotFoundError(f"{mpath} not found: verify needs the manifest written beside the briefing")
    old = json.loads(mpath.read_text(encoding="utf-8"))
    result = Verification(old.get("briefing", mpath.name))
    params = dict(old["parameters"])
    data_dir = old.get("data_dir") or None
    params["data_dir"] = data_dir or ""
    current = table_hashes(data_dir)
    for name in sorted(set(old["data"]) | set(current)):
        before, after = old["data"].get(name), current.get(name)
        if before != after:
            result.differences.append(
                f"data changed: {name} (sha256 {str(before)[:12]} -> {str(after)[:12]})"
            )
    env = environment()
    if env["relations_version"] != old.get("relations_version"):
        result.differences.append(
            f"package changed: relations {old.get('relations_version')} -> {env['relations_version']}"
        )
    for dep, ver in env["dependencies"].items():
        was = old.get("dependencies", {}).get(dep)
        if was != ver:
            result.differences.append(f"dependency changed: {dep} {was} -> {ver}")
    if file_sha256(briefing_notebook()) != old.get("notebook_sha256"):
        result.differences.append("notebook changed: briefing.ipynb differs from the one recorded")
    formats = tuple(f for f in old.get("formats", ["html", "ipynb"]) if f != "pdf") or ("html",)
    with tempfile.TemporaryDirectory(prefix="relations-verify-") as tmp:
        fresh = render_briefing(params, output_dir=tmp, formats=formats)
        for kind, path_now in fresh.outputs.items():
            recorded = old.get("outputs", {}).get(kind, {}).get("sha256")
            if recorded != file_sha256(path_now):
                result.differences.append(f"output changed: {kind} no longer hashes as recorded")
    return result
