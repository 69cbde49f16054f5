"""Execute the briefing notebook and export it: papermill + nbconvert in one process.

Everything that can be checked is checked before a kernel starts (parameters, data,
data coverage, output folder, timeout, paper). The outputs of one briefing are written
into a temporary folder inside the output folder and renamed into place together, the
manifest last (see :mod:`relations.manifest`).

>>> from relations.render import output_stem
>>> output_stem({"start": "2024-01-01", "end": "2024-12-31", "domains": ["arms", "energy"]})
'briefing_2024-01-01_2024-12-31_arms-energy'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import leftovers
from .errors import ParameterError
from .execution import cell_label, execute_quietly, failed_cell, partial_of
from .exporter import TEMPLATES, describe_images, to_html
from .outputs import FORMATS, atomic_write, check_formats, check_output_dir, output_stem, prepare_output_dir
from .params import briefing_notebook, check_coverage, check_timeout, resolve_data_dir, validate_parameters
from .pdf import PrintFailed, find_chromium, html_to_pdf
from .stops import STOPPED, Interrupted, honour_stop

__all__ = [
    "BriefingFailed",
    "Interrupted",
    "RenderResult",
    "atomic_write",
    "execute_quietly",
    "find_chromium",
    "html_to_pdf",
    "output_stem",
    "render_briefing",
    "to_html",
]

_ = (TEMPLATES, FORMATS, output_stem, STOPPED, Interrupted)  # re-exported (handout, batch, cli)


class BriefingFailed(RuntimeError):
    """The notebook raised in a cell; the partial executed notebook is kept at ``partial``."""

    def __init__(self, cell: int | None, error: str, partial: Path | None) -> None:
        self.cell, self.error, self.partial = cell, error, partial
        where = f"cell {cell}" if cell is not None else "the notebook"
        kept = f"; partial notebook kept at {partial}" if partial else ""
        super().__init__(f"briefing failed in {where}: {error}{kept}")


@dataclass
class RenderResult:
    """Where the outputs went, with which parameters, and whether they came from the cache.

    ``removed`` lists outputs of other formats that were rendered from other inputs and
    deleted; ``flagged`` such outputs that were edited by hand and so left in place,
    out of the manifest.
    """

    parameters: dict[str, Any]
    outputs: dict[str, Path] = field(default_factory=dict)
    cached: bool = False
    manifest: Path | None = None
    removed: list[Path] = field(default_factory=list)
    flagged: list[Path] = field(default_factory=list)


def _normalise(nb: Any, provenance: dict[str, Any]) -> Any:
    """Drop run metadata (times live in no published file) and fix the injected cell's id."""
    nb.metadata.pop("papermill", None)
    nb.metadata["relations"] = provenance
    for cell in nb.cells:
        cell.metadata.pop("papermill", None)
        cell.metadata.pop("execution", None)
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    describe_images(nb)
    return nb


def _execute(nb_path: Path, p: dict[str, Any], stage: Path, out_dir: Path, stem: str, **run: Any) -> Any:
    """Run the notebook; on failure keep ``<stem>.failed.ipynb`` and raise :class:`BriefingFailed`."""
    import nbformat
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    running = stage / f".{stem}.running.ipynb"
    failed = out_dir / f"{stem}.failed.ipynb"
    try:
        nb = execute_quietly(nb_path, running, parameters=p, cwd=out_dir, **run)
    except pm.PapermillExecutionError as exc:
        os.replace(running, failed)
        partial = nbformat.read(failed, as_version=4)
        cell = failed_cell(partial)
        source = partial.cells[cell].source if cell is not None else ""
        label = cell_label(cell, source)
        raise BriefingFailed(cell, f"{exc.ename}: {exc.evalue} ({label})", failed) from None
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        partial, cell = partial_of(exc)
        source = partial.cells[cell].source if partial is not None and cell is not None else ""
        kept = atomic_write(failed, nbformat.writes(partial) + "\n") if partial is not None else None
        if isinstance(exc, CellTimeoutError):
            error = f"{cell_label(cell, source)} ran longer than the {run['timeout']} s timeout"
            error += " (raise it with --timeout)"
        elif isinstance(exc, DeadKernelError):
            error = f"the kernel died (out of memory or killed) while running {cell_label(cell, source)}"
        else:
            error = f"{type(exc).__name__}: {exc} (in {cell_label(cell, source)})"
        raise BriefingFailed(cell, error, kept) from exc
    failed.unlink(missing_ok=True)
    return nb


def _export(nb: Any, stage: Path, stem: str, formats: tuple[str, ...], paper: str, title: str) -> dict:
    """Write the asked-for formats into ``stage``; return their manifest records."""
    import nbformat

    from .pdf import chromium_version, for_print
    from .provenance import file_sha256

    records: dict[str, dict[str, Any]] = {}
    if "ipynb" in formats:
        atomic_write(stage / f"{stem}.ipynb", nbformat.writes(nb) + "\n")
    if "html" in formats or "pdf" in formats:
        page = to_html(nb, title=title)
        if "html" in formats:
            atomic_write(stage / f"{stem}.html", page)
        if "pdf" in formats:
            printed = atomic_write(stage / f".{stem}.print.html", for_print(page, paper))
            try:
                html_to_pdf(printed, stage / f"{stem}.pdf", paper=paper)
            except PrintFailed as exc:
                raise BriefingFailed(None, f"the PDF could not be printed: {exc}", None) from None
            records["pdf"] = {
                "paper": paper,
                "chromium": chromium_version(),
                "source_html_sha256": file_sha256(printed),
            }
            printed.unlink()
    for kind in formats:
        name = f"{stem}.{kind}"
        records[kind] = {"file": name, "sha256": file_sha256(stage / name), **records.get(kind, {})}
    return records


def render_briefing(
    parameters: Mapping[str, Any] | None = None,
    *,
    output_dir: str | os.PathLike[str] = "briefings",
    formats: tuple[str, ...] = ("html", "ipynb"),
    notebook: str | os.PathLike[str] | None = None,
    progress: bool = False,
    timeout: int | None = 300,
    force: bool = True,
    paper: str = "a4",
) -> RenderResult:
    """Validate, execute and export a briefing; return where it was written.

    Parameters, data, the window's coverage, ``timeout``, ``paper`` and the output folder
    are checked before any kernel starts: :class:`~relations.ParameterError` (naming the
    parameter) or :class:`~relations.DataError` otherwise. The data folder (``data_dir``,
    else ``$RELATIONS_DATA``) is resolved once to an absolute path, which the notebook gets
    and the manifest records. The outputs (``html``, ``ipynb``, ``pdf`` on A4 or letter
    ``paper``) and the manifest ``<name>.manifest.json`` are written together. With
    ``force=False`` a briefing whose cache key (:func:`relations.manifest.cache_key`)
    matches its manifest and whose outputs are intact is not executed again. A failing
    or timed-out cell raises :class:`BriefingFailed`, keeping ``<name>.failed.ipynb``.

    >>> render_briefing({"start": "2024-01-01"}, timeout=0)
    Traceback (most recent call last):
    relations.errors.ParameterError: timeout: 0 (allowed: whole seconds above 0, e.g. 300)
    """
    from . import warm
    from .provenance import source_date_epoch

    timeout = check_timeout(timeout)
    formats, paper = check_formats(tuple(formats), paper)
    source_date_epoch()  # a malformed SOURCE_DATE_EPOCH is named now, not after the run
    out_dir = check_output_dir(output_dir)
    nb_path = Path(notebook) if notebook is not None else briefing_notebook()
    if not nb_path.is_file():
        raise ParameterError("notebook", f"{nb_path} is not a notebook file")
    p = validate_parameters(dict(parameters or {}), notebook=nb_path)
    ddir, origin = resolve_data_dir(p.get("data_dir"))
    p["data_dir"] = str(ddir) if ddir is not None else ""
    if warm.active() is not None:  # a batch worker's kernel
        return _render(p, ddir, origin, out_dir, nb_path, formats, paper, progress, timeout, force)
    # a kernel of its own, started now: it boots while the data is checked and hashed here;
    # with a core to spare, charts are also drawn ahead (relations.briefing.chart_cache)
    from .briefing import chart_cache

    stock = notebook is None  # another notebook may draw other charts: nothing to draw ahead
    leftovers.sweep(Path(tempfile.gettempdir()), leftovers.CHARTS)  # of briefings killed outright
    ahead = (
        Path(tempfile.mkdtemp(prefix=f"{leftovers.CHARTS}{leftovers.stamp()}-"))
        if stock and chart_cache.worth_it()
        else None
    )
    env = {chart_cache.ENV: str(ahead)} if ahead else None
    try:
        with (
            warm.use(warm.WarmKernel(env=env).start()),
            chart_cache.prefetcher(p, ahead) if ahead else contextlib.nullcontext(),
        ):
            return _render(p, ddir, origin, out_dir, nb_path, formats, paper, progress, timeout, force)
    finally:
        if ahead is not None:
            shutil.rmtree(ahead, ignore_errors=True)


def _render(
    p: dict[str, Any],
    ddir: Path | None,
    origin: str,
    out_dir: Path,
    nb_path: Path,
    formats: tuple[str, ...],
    paper: str,
    progress: bool,
    timeout: int,
    force: bool,
) -> RenderResult:
    from .exporter import _exporter_class
    from .loaders import data_hash
    from .manifest import cache_key, cached_outputs, merge_outputs
    from .pdf import chromium_version
    from .provenance import environment, file_sha256, inputs_key, now, table_hashes
    from .validation import check

    check(ddir, use_cache=True)  # raises DataError with every problem before any notebook runs
    first, last = check_coverage(p, ddir)
    p = {**p, "start": p["start"] or first, "end": p["end"] or last}
    stem = output_stem(p)
    prepare_output_dir(out_dir, stem, formats)
    manifest: dict[str, Any] = {
        "briefing": stem,
        "parameters": p,
        "formats": sorted(formats),
        "paper": paper,
        "notebook": nb_path.name,
        "notebook_sha256": file_sha256(nb_path),
        "data_dir": str(ddir) if ddir is not None else str(_bundled_data()),
        "data_dir_origin": origin,
        "data": table_hashes(ddir),
        "data_sha256": data_hash(data_dir=ddir),
        **environment(),
    }
    if "pdf" in formats:
        manifest["chromium"] = chromium_version()
    manifest["inputs_key"] = inputs_key(manifest)
    manifest["cache_key"] = cache_key(manifest)
    manifest_path = out_dir / f"{stem}.manifest.json"
    if not force:
        cached = cached_outputs(manifest_path, manifest)
        if cached:
            return RenderResult(parameters=p, outputs=cached, cached=True, manifest=manifest_path)
    started = now()
    _exporter_class()  # nbconvert is imported while the kernel warms up, not after the run
    leftovers.sweep(out_dir, f".{stem}.{leftovers.STAGE}")  # staging folders of runs killed outright
    temp = f".{stem}.{leftovers.STAGE}{leftovers.stamp()}-"
    stage = Path(tempfile.mkdtemp(prefix=temp, suffix=".tmp", dir=out_dir))
    try:
        nb = _execute(nb_path, p, stage, out_dir, stem, progress=progress, timeout=timeout)
        honour_stop()
        keep = ("parameters", "relations_version", "data", "data_sha256")
        nb = _normalise(nb, {k: manifest[k] for k in keep})
        written = _export(nb, stage, stem, formats, paper, p["title"])
        manifest["outputs"], removed, flagged = merge_outputs(manifest_path, manifest, written)
        manifest["started"], manifest["ended"] = started, now()
        result = RenderResult(parameters=p, manifest=manifest_path, removed=removed, flagged=flagged)
        honour_stop()  # nothing is published by a stopped run
        for kind in formats:  # rename into place, the manifest last
            result.outputs[kind] = out_dir / f"{stem}.{kind}"
            os.replace(stage / f"{stem}.{kind}", result.outputs[kind])
        for path in removed:
            path.unlink(missing_ok=True)
        atomic_write(manifest_path, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return result


def _bundled_data() -> Path:
    from .paths import _bundled_or_checkout

    return _bundled_or_checkout("data").resolve()
