"""Execute the briefing notebook and export it: papermill + nbconvert in one process.

>>> from relations.render import output_stem
>>> output_stem({"start": "2024-01-01", "end": "2024-12-31", "domains": ["arms", "energy"]})
'briefing_2024-01-01_2024-12-31_arms-energy'
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ParameterError
from .params import briefing_notebook, validate_parameters

__all__ = ["BriefingFailed", "RenderResult", "atomic_write", "output_stem", "render_briefing"]

FORMATS = ("html", "ipynb", "pdf")
TEMPLATES = Path(__file__).resolve().parent / "templates"


class BriefingFailed(RuntimeError):
    """The notebook raised in a cell; the partial executed notebook is kept at ``partial``."""

    def __init__(self, cell: int | None, error: str, partial: Path | None) -> None:
        self.cell, self.error, self.partial = cell, error, partial
        where = f"cell {cell}" if cell is not None else "the notebook"
        kept = f"; partial notebook kept at {partial}" if partial else ""
        super().__init__(f"briefing failed in {where}: {error}{kept}")


@dataclass
class RenderResult:
    """Where the outputs went, with which parameters, and whether they came from the cache."""

    parameters: dict[str, Any]
    outputs: dict[str, Path] = field(default_factory=dict)
    cached: bool = False
    manifest: Path | None = None


def atomic_write(path: Path, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename.

    A reader (or a run killed half-way) sees the old file or the new one, never
    a half-written one.
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
    stem = "_".join(_SAFE.sub("-", str(p).lower()).strip("-") for p in parts)
    return stem[:150] or "briefing"


def _resolve_window(p: dict[str, Any]) -> dict[str, Any]:
    if p["start"] and p["end"]:
        return p
    from .briefing import default_window

    first, last = default_window(p.get("data_dir") or None)
    return {**p, "start": p["start"] or first, "end": p["end"] or last}


def _failed_cell(path: Path) -> tuple[int | None, str]:
    """Index and first source line of the first cell with an error output."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and any(o.output_type == "error" for o in cell.outputs):
            return i, (cell.source.strip().splitlines() or [""])[0][:80]
    return None, ""


def _normalise(nb: Any, provenance: dict[str, Any]) -> Any:
    """Drop run metadata (times live in no published file) and fix the injected cell's id."""
    nb.metadata.pop("papermill", None)
    nb.metadata["relations"] = provenance
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    _describe_images(nb)
    return nb


def _describe_images(nb: Any) -> None:
    """Give every image output an ``alt`` text: the heading of the section it stands in."""
    heading = "Chart"
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    heading = line.lstrip("#").strip() or heading
            continue
        for out in cell.get("outputs", []):
            if "image/png" in out.get("data", {}):
                meta = out.setdefault("metadata", {}).setdefault("image/png", {})
                meta.setdefault("alt", f"Chart: {heading}")


def to_html(nb: Any, *, title: str) -> str:
    """Export an executed notebook as a self-contained HTML page without code."""
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _exporter_class()(
        template_name="briefing",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags={"parameters", "injected-parameters"}),
        enabled=True,
    )
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return body


@functools.cache
def _exporter_class() -> type:
    """nbconvert's HTML exporter without its final BeautifulSoup pass.

    That pass (0.4 s per briefing) only adds a placeholder ``alt`` to images without one
    and ``tabindex`` to cells; our template writes the ``alt`` from the section heading
    (see :func:`_describe_images`) and the outputs' ``tabindex`` itself.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class BriefingExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):  # type: ignore[override]
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    return BriefingExporter


def find_chromium() -> str | None:
    """Path of a Chromium binary for PDF output (``$RELATIONS_CHROMIUM`` first)."""
    import shutil

    env = os.environ.get("RELATIONS_CHROMIUM")
    if env:
        return env if Path(env).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def html_to_pdf(html_path: Path, pdf_path: Path, *, chromium: str | None = None, timeout: int = 120) -> Path:
    """Print an HTML file to PDF with headless Chromium (no LaTeX); written atomically."""
    import subprocess

    binary = chromium or find_chromium()
    if binary is None:
        raise ParameterError("format", "pdf needs Chromium (apt install chromium) or $RELATIONS_CHROMIUM")
    with tempfile.TemporaryDirectory(prefix="relations-pdf-") as tmp:
        target = Path(tmp) / "out.pdf"
        cmd = [
            binary,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--print-to-pdf={target}",
            html_path.resolve().as_uri(),
        ]
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if not target.exists() or target.stat().st_size == 0:
            raise RuntimeError(f"Chromium did not print {html_path} to PDF: {done.stderr.strip()[-400:]}")
        return atomic_write(pdf_path, target.read_bytes())


def _cached(manifest_path: Path, key: str, out_dir: Path) -> dict[str, Path] | None:
    """Outputs of an earlier run with the same inputs, if they are all still there and intact."""
    import json

    from .provenance import file_sha256

    try:
        old = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if old.get("inputs_key") != key:
        return None
    outputs = {}
    for kind, info in old.get("outputs", {}).items():
        path = out_dir / info["file"]
        if not path.exists() or file_sha256(path) != info["sha256"]:
            return None
        outputs[kind] = path
    return outputs or None


def execute_quietly(
    notebook: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    parameters: Mapping[str, Any] | None = None,
    progress: bool = False,
    timeout: int | None = 300,
    cwd: str | os.PathLike[str] | None = None,
) -> Any:
    """Execute a notebook with papermill's API, keeping timing and kernel noise out; return it.

    No timing metadata is recorded (published files stay byte-reproducible), the notebook is
    not saved after every cell (that costs about a second; papermill still saves it when the
    run starts and when a cell fails), and the local kernel's start-up warnings stay out of
    the user's terminal.
    """
    import papermill as pm

    return pm.execute_notebook(
        str(notebook),
        str(output),
        parameters=dict(parameters or {}),
        progress_bar=progress,
        log_output=False,
        record_timing=False,
        request_save_on_cell_execute=False,
        execution_timeout=timeout,
        cwd=str(cwd) if cwd is not None else None,
        extra_arguments=["--IPKernelApp.log_level=CRITICAL"],
    )


def render_briefing(
    parameters: Mapping[str, Any] | None = None,
    *,
    output_dir: str | os.PathLike[str] = "briefings",
    formats: tuple[str, ...] = ("html", "ipynb"),
    notebook: str | os.PathLike[str] | None = None,
    progress: bool = False,
    timeout: int | None = 300,
    force: bool = True,
) -> RenderResult:
    """Validate, execute and export a briefing; return where it was written.

    Parameters are validated (and the data checked) before any kernel starts:
    :class:`~relations.ParameterError` or :class:`~relations.DataError` otherwise.
    The outputs (``html``, ``ipynb``, ``pdf``) and a provenance manifest
    (``<name>.manifest.json``) are written atomically into ``output_dir``. With
    ``force=False`` a briefing whose inputs (notebook, parameters, data, package
    version) match its manifest is not executed again. A failing cell raises
    :class:`BriefingFailed`, keeping the partial notebook as ``<name>.failed.ipynb``.
    """
    import json

    import nbformat
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    from .loaders import data_hash
    from .provenance import environment, file_sha256, inputs_key, now, table_hashes
    from .validation import check

    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise ParameterError("format", f"{bad[0] if bad else 'none'!r} (allowed: {', '.join(FORMATS)})")
    if "pdf" in formats and find_chromium() is None:
        raise ParameterError("format", "pdf needs Chromium (apt install chromium) or $RELATIONS_CHROMIUM")
    nb_path = Path(notebook) if notebook is not None else briefing_notebook()
    p = validate_parameters(dict(parameters or {}), notebook=nb_path)
    ddir = p.get("data_dir") or None
    check(ddir, use_cache=True)  # raises DataError with every problem before any kernel starts
    p = _resolve_window(p)
    out_dir = Path(output_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = output_stem(p)
    env = environment()
    manifest: dict[str, Any] = {
        "briefing": stem,
        "parameters": p,
        "formats": sorted(formats),
        "notebook": nb_path.name,
        "notebook_sha256": file_sha256(nb_path),
        "data_dir": str(Path(ddir).resolve()) if ddir else None,
        "data": table_hashes(ddir),
        "data_sha256": data_hash(data_dir=ddir),
        **env,
    }
    key = inputs_key(manifest)
    manifest_path = out_dir / f"{stem}.manifest.json"
    if not force:
        cached = _cached(manifest_path, key, out_dir)
        if cached:
            return RenderResult(parameters=p, outputs=cached, cached=True, manifest=manifest_path)
    started = now()
    running = out_dir / f".{stem}.running.ipynb"
    failed = out_dir / f"{stem}.failed.ipynb"
    try:
        nb = execute_quietly(nb_path, running, parameters=p, progress=progress, timeout=timeout, cwd=out_dir)
    except pm.PapermillExecutionError as exc:
        os.replace(running, failed)
        cell, source = _failed_cell(failed)
        raise BriefingFailed(cell, f"{exc.ename}: {exc.evalue} (cell starts: {source!r})", failed) from None
    except (CellTimeoutError, DeadKernelError, Exception) as exc:
        kept = None
        if running.exists():
            os.replace(running, failed)
            kept = failed
        if isinstance(exc, CellTimeoutError):
            error = f"a cell ran longer than the {timeout} s timeout (raise it with --timeout)"
        elif isinstance(exc, DeadKernelError):
            error = "the kernel died (out of memory or killed) while running the notebook"
        else:
            error = f"{type(exc).__name__}: {exc}"
        raise BriefingFailed(None, error, kept) from exc
    running.unlink(missing_ok=True)
    failed.unlink(missing_ok=True)
    nb = _normalise(nb, {k: manifest[k] for k in ("parameters", "relations_version", "data", "data_sha256")})
    result = RenderResult(parameters=p, manifest=manifest_path)
    html_path = out_dir / f"{stem}.html"
    if "ipynb" in formats:
        result.outputs["ipynb"] = atomic_write(out_dir / f"{stem}.ipynb", nbformat.writes(nb) + "\n")
    if "html" in formats or "pdf" in formats:
        page = to_html(nb, title=p["title"])
        if "html" in formats:
            result.outputs["html"] = atomic_write(html_path, page)
        if "pdf" in formats:
            with tempfile.TemporaryDirectory(prefix="relations-") as tmp:
                tmp_html = atomic_write(Path(tmp) / f"{stem}.html", page)
                result.outputs["pdf"] = html_to_pdf(tmp_html, out_dir / f"{stem}.pdf")
    manifest["outputs"] = {k: {"file": v.name, "sha256": file_sha256(v)} for k, v in result.outputs.items()}
    manifest["inputs_key"] = key
    manifest["started"], manifest["ended"] = started, now()
    atomic_write(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return result
